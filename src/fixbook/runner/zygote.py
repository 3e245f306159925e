"""Child-side zygote: import a script's leading modules once, then fork a child per script.

Runs as ``python zygote.py SOCKET_FD HARNESS``: a root zygote, which imports
nothing of its own beyond what it needs to serve. Standard library
only; it imports nothing of fixbook. Protocol, one JSON packet each way over a
``SOCK_SEQPACKET`` socket:

- zygote -> parent: ``{"ready": bool, "reason": str, "pid": int}``; a root zygote
  adds ``"modules": {name: is_package}`` for every module it has loaded;
- parent -> zygote: ``{"script", "cwd", "raises", "memory"}`` plus three file
  descriptors (stdout, stderr, the report pipe); zygote -> parent: ``{"pid": int}``,
  then ``{"status": int}`` (the raw wait status) when that child has ended. The
  child ends as ``python SCRIPT`` would: an exception the script raised goes
  up to the top, and the interpreter shuts down in full (threads, atexit,
  module teardown, crashes during it);
- parent -> zygote: ``{"spawn": [modules]}`` plus the file descriptor of a new
  socket: the zygote forks a new zygote that imports those modules too (what
  it has imported already is not imported again) and speaks this protocol,
  from its ready message on, over the new socket. The new zygote is orphaned
  at once (double fork), leads its own session, and exits when its socket closes.
"""

import os
import sys

# Python put this file's folder first on sys.path; it is not the script's, and it
# holds modules (bisect.py, ...) that would shadow the standard library.
if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(__file__)):
    del sys.path[0]

import importlib
import importlib.util
import json
import socket
import threading

PACKET = 65536


def main() -> None:
    harness = _load_harness(sys.argv[2])
    loaded = {name: hasattr(module, "__path__") for name, module in sys.modules.items()}
    _start(socket.socket(fileno=int(sys.argv[1])), harness, [], {"modules": loaded})


def _start(sock: socket.socket, harness, names: list, extra: dict) -> None:  # noqa: ANN001
    """Import ``names``, say whether forking is safe, then serve requests until EOF."""
    reason = _preload(names) or fork_hazard()
    _send(
        sock,
        {"ready": not reason, "reason": reason, "pid": os.getpid(), **extra},
    )
    if reason:
        return
    sys.stdout.flush()
    sys.stderr.flush()
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(sock, PACKET, 3)
        except OSError:
            return
        if not data:
            return
        request = json.loads(data)
        if "spawn" in request:
            _spawn(sock, harness, request["spawn"], fds)
            continue
        pid = os.fork()
        if pid == 0:
            _child(sock, harness, request, fds)
        for fd in fds:
            os.close(fd)
        _send(sock, {"pid": pid})
        _, status = os.waitpid(pid, 0)
        _send(sock, {"status": status})


def _spawn(sock: socket.socket, harness, names: list, fds: list) -> None:  # noqa: ANN001
    """Fork a zygote that imports ``names`` on top of what this one has.

    No ``finally`` wraps the new zygote: a script's child forked from it must
    be able to end through the frames above, as ``python SCRIPT`` would.
    """
    pid = os.fork()
    if pid == 0:
        try:
            sock.close()
            zygote = os.fork() == 0
        except BaseException:  # noqa: BLE001 - never back into the parent's loop
            os._exit(70)
        if not zygote:  # its parent exits, so init adopts it
            os._exit(0)
        os.setsid()
        _start(socket.socket(fileno=fds[0]), harness, names, {})
        os._exit(0)
    for fd in fds:
        os.close(fd)
    os.waitpid(pid, 0)


def _load_harness(path: str):  # noqa: ANN202 - a module object
    spec = importlib.util.spec_from_file_location("_fixbook_harness", path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _preload(names: list) -> str:
    """Import what the scripts import first, as their own import statements would."""
    for name in names:
        module_name, _, attribute = name.partition(":")
        try:
            module = importlib.import_module(module_name)
            if attribute and not hasattr(module, attribute):
                importlib.import_module(f"{module_name}.{attribute}")
        except BaseException as exc:  # noqa: BLE001 - the script will meet it itself
            return f"preloading {name} failed: {type(exc).__name__}: {exc}"
    return ""


def fork_hazard() -> str:
    """Why forking now would not give a child what a fresh interpreter gets; empty if safe."""
    if threading.active_count() > 1:
        names = ", ".join(t.name for t in threading.enumerate() if t is not threading.main_thread())
        return f"Python threads were started while importing: {names}"
    xla_bridge = sys.modules.get("jax._src.xla_bridge")
    if xla_bridge is not None and getattr(xla_bridge, "_backends", None):
        return "a JAX backend was initialised while importing"
    context = sys.modules.get("tensorflow.python.eager.context")
    handle = getattr(getattr(context, "_context", None), "_context_handle", None)
    if handle is not None:
        return "the TensorFlow runtime was initialised while importing"
    torch = sys.modules.get("torch")
    if torch is not None and getattr(torch.cuda, "is_initialized", lambda: False)():
        return "CUDA was initialised while importing"
    return ""


def _child(sock: socket.socket, harness, request: dict, fds: list) -> None:  # noqa: ANN001
    """In the forked child: become a fresh session, run the harness, end as Python would.

    Never returns into the zygote's loop: the script's exception (raised again by
    the harness) or ``SystemExit`` goes up through the zygote's frames (which the
    harness hides from the traceback) and Python shuts down as after ``python SCRIPT``.
    """
    try:
        os.setsid()
        sock.close()
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(fds[0], 1)
        os.dup2(fds[1], 2)
        for fd in (devnull, fds[0], fds[1]):
            os.close(fd)
        os.chdir(request["cwd"])
        sys.argv = [
            harness.__file__,
            str(fds[2]),
            request["script"],
            request["raises"],
            str(request["memory"]),
        ]
    except BaseException:  # noqa: BLE001 - never back into the zygote's loop
        os._exit(70)
    harness.main()
    raise SystemExit(0)


def _send(sock: socket.socket, message: dict) -> None:
    sock.send(json.dumps(message).encode())


if __name__ == "__main__":
    main()
