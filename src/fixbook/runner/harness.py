"""Child-side harness: run one script as ``__main__`` and report what it did, line by line.

Runs inside the child process as ``python harness.py REPORT_FD SCRIPT TARGET MEMORY``:
``REPORT_FD`` is the write end of a pipe the runner opened and passed down,
``TARGET`` the class the claim names (an exception class or a warning
category, bare or dotted; may be empty), ``MEMORY`` the memory limit in bytes
(0: none). Standard library only; it imports nothing of fixbook, so the script
sees the same interpreter state as ``python SCRIPT`` would.

The script ends exactly as under ``python SCRIPT``: an exception it raises is
raised again at the top, so Python prints it (without this harness's frames)
and sets the exit status, and interpreter shutdown runs as usual, crashes
included. What goes to the runner, one JSON document per line on the pipe:

- first ``{"harness": TOKEN}``, a random token made before the script runs;
  every later line carries ``"token": TOKEN``, so a line the script writes
  into the pipe itself does not count (see ``report``);
- ``{"warning": {...}}`` for each warning shown to the user (category, its
  MRO names, message), as it is shown, shutdown included;
- one ``{"status": "finished"|"raised", "exit": N, ...}`` when the script's
  code has run; ``exit`` is the status Python will exit with, so the runner
  can tell a crash during shutdown from a clean end;
- ``{"memory": {...}}`` from the supervisor when it killed the script for its memory.
"""

import os
import sys

# Python put this file's folder first on sys.path; it is not the script's, and it
# holds modules (bisect.py, ...) that would shadow the standard library.
_HERE = os.path.dirname(os.path.abspath(__file__))
if sys.path and os.path.abspath(sys.path[0] or ".") == _HERE:
    del sys.path[0]

import importlib.util
import json
import runpy
import signal
import traceback
import warnings

MESSAGE_LIMIT = 100_000
WARNING_LIMIT = 200
WARNING_MESSAGE_LIMIT = 10_000


def main() -> None:
    """Run the script named in ``sys.argv``; raise what it raised, as Python would show it."""
    report_fd, script, target = int(sys.argv[1]), os.path.abspath(sys.argv[2]), sys.argv[3]
    memory = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    os.set_inheritable(report_fd, False)
    token = os.urandom(16).hex()
    send(report_fd, {"harness": token})
    _load_supervisor().supervise(report_fd, memory, token)
    sys.argv = [script]
    sys.path.insert(0, os.path.dirname(script))
    recorder = WarningRecorder(report_fd, target, token)
    warnings._showwarnmsg = recorder  # type: ignore[attr-defined]
    pending: BaseException | None = None
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as exc:
        pending = exc
        report = {"status": "finished"} if exc.code in (None, 0) else describe(exc, target)
    except BaseException as exc:  # noqa: BLE001 - the script's own exception is the result
        pending = exc
        report = describe(exc, target)
    else:
        report = {"status": "finished"}
    report["exit"] = exit_status(pending)
    report["token"] = token
    for stream in (sys.stdout, sys.stderr):
        try:  # noqa: SIM105 - contextlib is not imported here
            stream.flush()
        except Exception:  # noqa: BLE001 - a closed stream must not lose the report
            pass
    send(report_fd, report)
    if pending is not None:
        sys.excepthook = without_harness(sys.excepthook, script)
        raise pending.with_traceback(script_frames(pending.__traceback__, script))


def _load_supervisor():  # noqa: ANN202 - a module object, kept out of sys.modules
    spec = importlib.util.spec_from_file_location(
        "_fixbook_supervisor", os.path.join(_HERE, "supervisor.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def send(fd: int, message: dict) -> None:
    """Write one JSON line to the report pipe."""
    data = (json.dumps(message) + "\n").encode("utf-8", "backslashreplace")
    while data:
        try:
            data = data[os.write(fd, data) :]
        except InterruptedError:
            continue
        except OSError:
            return


def exit_status(exc: BaseException | None) -> int:
    """The status ``python SCRIPT`` exits with after ``exc`` (negative: killed by a signal)."""
    if exc is None:
        return 0
    if isinstance(exc, SystemExit):
        if exc.code is None:
            return 0
        if isinstance(exc.code, int) and not isinstance(exc.code, bool):
            return exc.code & 0xFF
        return 1
    if isinstance(exc, KeyboardInterrupt):
        return -signal.SIGINT
    return 1


class WarningRecorder:
    """Stands in for ``warnings._showwarnmsg``: notes each warning shown, then shows it.

    Warnings swallowed by ``catch_warnings(record=True)`` or a filter were never
    shown to the user and are not noted, as they are not printed.
    """

    def __init__(self, fd: int, target: str, token: str) -> None:
        self.fd = fd
        self._token = token
        self.target = target
        self.count = 0
        self.show = warnings._showwarnmsg  # type: ignore[attr-defined]
        self.impl = warnings._showwarnmsg_impl  # type: ignore[attr-defined]

    def __call__(self, msg: warnings.WarningMessage) -> None:
        recording = warnings._showwarnmsg_impl is not self.impl  # type: ignore[attr-defined]
        replaced = warnings.showwarning is not warnings._showwarning_orig  # type: ignore[attr-defined]
        if self.count < WARNING_LIMIT and (replaced or not recording):
            self.count += 1
            try:
                category = msg.category
                send(
                    self.fd,
                    {
                        "warning": {
                            "category": qualified_name(category),
                            "mro": [qualified_name(cls) for cls in category.__mro__],
                            "message": safe_str(msg.message)[:WARNING_MESSAGE_LIMIT],
                            "is_documented": is_subclass_of(category, self.target),
                        },
                        "token": self._token,
                    },
                )
            except Exception:  # noqa: BLE001 - never change what the script sees
                pass
        self.show(msg)


def describe(exc: BaseException, target: str) -> dict:
    """The exception as JSON: class names along the MRO, message, traceback as Python shows it."""
    kind = type(exc)
    return {
        "status": "raised",
        "type": qualified_name(kind),
        "mro": [qualified_name(cls) for cls in kind.__mro__],
        "message": safe_str(exc)[:MESSAGE_LIMIT],
        "traceback": format_traceback(exc),
        "is_documented": is_subclass_of(kind, target),
    }


def qualified_name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def safe_str(exc: object) -> str:
    """``str(exc)``, even when the object's own ``__str__`` raises or returns no string."""
    try:
        text = str(exc)
    except BaseException as inner:  # noqa: BLE001
        return f"<str() of {type(exc).__name__} failed: {type(inner).__name__}>"
    return text if isinstance(text, str) else repr(text)


def script_frames(tb, script: str):  # noqa: ANN001, ANN201 - traceback objects
    """``tb`` from the script's first frame on: without this harness, runpy or a zygote."""
    while tb is not None and tb.tb_frame.f_code.co_filename != script:
        tb = tb.tb_next
    return tb


def without_harness(hook, script: str):  # noqa: ANN001, ANN201
    """``hook`` (``sys.excepthook``) showing tracebacks from the script's first frame on."""

    def excepthook(kind, value, tb) -> None:  # noqa: ANN001
        tb = script_frames(tb, script)
        try:  # noqa: SIM105 - Python shows the exception's own traceback where it has one
            value.__traceback__ = tb
        except Exception:  # noqa: BLE001 - then the traceback passed in is shown
            pass
        hook(kind, value, tb)

    return excepthook


def format_traceback(exc: BaseException) -> str:
    """The traceback as Python prints it, chained causes and contexts included."""
    script = sys.argv[0]
    try:
        exc.__traceback__ = script_frames(exc.__traceback__, script)
        text = "".join(traceback.format_exception(exc))
    except BaseException:  # noqa: BLE001 - an unprintable exception still reports
        text = f"{type(exc).__name__}: {safe_str(exc)}\n"
    return text[-MESSAGE_LIMIT:]


def is_subclass_of(cls: type, dotted: str) -> bool | None:
    """Whether ``cls`` is the class named by a public dotted path, or a subclass of it.

    Only modules the script has loaded already are looked in (nothing is imported
    here); ``None`` for a bare name, which the runner compares with the MRO names.
    """
    if "." not in dotted:
        return None
    module_name, _, attr = dotted.rpartition(".")
    while module_name:
        module = sys.modules.get(module_name)
        if module is not None:
            target = module
            try:
                for part in attr.split("."):
                    target = getattr(target, part)
                return isinstance(target, type) and issubclass(cls, target)
            except Exception:  # noqa: BLE001 - a broken module is "not the documented class"
                return False
        module_name, _, head = module_name.rpartition(".")
        attr = f"{head}.{attr}"
    return False


if __name__ == "__main__":
    main()
