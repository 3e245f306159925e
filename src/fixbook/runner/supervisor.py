"""Child-side supervisor: the process that outlives a script and kills what it left behind.

Loaded by the harness from its own folder (standard library only; it imports
nothing of fixbook and puts nothing in ``sys.modules``). ``supervise`` forks:
the script runs in the child, and the supervisor (the parent) waits for it,
watches the memory of everything the script started, then kills every process
the script left behind and exits with the script's own wait status, so that
the runner sees what a plain ``python repro.py`` would have ended with.

Where the platform allows (Linux: root, or unprivileged user namespaces) the
script runs in a PID namespace of its own, under a small init process: it
cannot signal any process outside it (``os.kill(os.getppid(), ...)`` reaches
the init, never pytest), and when the init exits the kernel kills every
process left in the namespace, ``setsid`` or not. Elsewhere on Linux the
supervisor is a child subreaper (``PR_SET_CHILD_SUBREAPER``): every orphaned
descendant is reparented to it, so it finds and kills them all.
"""

import contextlib
import json
import os
import select
import signal
import struct
import sys

PR_SET_CHILD_SUBREAPER = 36
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNS = 0x00020000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 0x4000, 0x40000
POLL_SECONDS = 0.2
_STATUS = struct.Struct("=i")


def supervise(report_fd: int, memory_limit: int, token: str) -> str:
    """Fork; return in the child, which runs the script. The parent never returns.

    Args:
        report_fd: the report pipe; the supervisor adds ``{"memory": {"limit",
            "peak", "over"}}`` to it when the script has ended: the peak resident
            bytes it saw, and whether it killed the script for passing the limit.
        memory_limit: bytes of resident memory the script and its descendants may
            use together; 0 for no limit.
        token: the harness's token, which every report line carries.

    Returns:
        In the script's process: how it is isolated ("pid-namespace",
        "subreaper" or "process-group").
    """
    if not hasattr(os, "fork"):
        return "process-group"
    isolation = "process-group"
    libc = _libc()
    if libc is not None and _new_pid_namespace(libc):
        isolation = "pid-namespace"
    elif libc is not None and libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0:
        isolation = "subreaper"
    status_r = status_w = -1
    if isolation == "pid-namespace":
        status_r, status_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        if isolation != "pid-namespace":
            return isolation
        os.close(status_r)
        _mount_proc(libc)
        _init(status_w)  # pid 1 of the namespace; returns in the script's process
        return isolation
    if status_w >= 0:
        os.close(status_w)
    try:
        _supervisor(pid, report_fd, memory_limit, status_r, token)
    finally:  # _supervisor exits; should it fail, the script still dies and nothing returns
        _kill_tree(os.getpid())
        os._exit(70)


def _libc():  # noqa: ANN202 - a ctypes library or None
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True)
    except (ImportError, OSError):
        return None


def _new_pid_namespace(libc) -> bool:  # noqa: ANN001
    """Make the next child pid 1 of a new PID namespace; whether that worked."""
    if os.geteuid() == 0 and libc.unshare(CLONE_NEWPID) == 0:
        return True
    uid, gid = os.geteuid(), os.getegid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWPID) != 0:
        return False
    try:  # map this user to itself, so files and ids look the same as outside
        with open("/proc/self/setgroups", "w") as handle:
            handle.write("deny")
        with open("/proc/self/uid_map", "w") as handle:
            handle.write(f"{uid} {uid} 1")
        with open("/proc/self/gid_map", "w") as handle:
            handle.write(f"{gid} {gid} 1")
    except OSError:
        os._exit(70)  # a half-made user namespace cannot be undone; the runner reports it
    return True


def _mount_proc(libc) -> None:  # noqa: ANN001
    """Give the namespace its own ``/proc``, so ``/proc/<os.getpid()>`` is the script's own.

    In a mount namespace of its own, which the supervisor is not in (it keeps the
    host's ``/proc`` to watch the script's processes), made private first so
    nothing leaks out. Where that fails the host's ``/proc`` stays:
    ``/proc/self`` still works.
    """
    if libc.unshare(CLONE_NEWNS) != 0:
        return
    if libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None) == 0:
        libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None)


def _init(status_w: int) -> None:
    """As pid 1 of the namespace: fork the script, reap every orphan, pass on its status.

    Returns only in the script's process. When the script ends, init writes its
    wait status to ``status_w`` and exits, and the kernel kills the rest.
    """
    pid = os.fork()
    if pid == 0:
        os.close(status_w)
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            done, status = os.waitpid(-1, 0)
        except ChildProcessError:
            os._exit(0)
        except InterruptedError:
            continue
        if done == pid:
            with contextlib.suppress(OSError):
                os.write(status_w, _STATUS.pack(status))
            os._exit(0)


def _supervisor(pid: int, report_fd: int, memory_limit: int, status_r: int, token: str) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stop: list[int] = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    me = os.getpid()
    peak = 0
    over = False
    pidfd = _pidfd(pid)
    status: int | None = None
    while status is None and not stop and not over:
        used = tree_memory(me)
        peak = max(peak, used)
        over = bool(memory_limit) and used > memory_limit
        if over:
            break
        if pidfd >= 0:
            if select.select([pidfd], [], [], POLL_SECONDS)[0]:
                status = os.waitpid(pid, 0)[1]
        else:
            done, found = os.waitpid(pid, os.WNOHANG)
            status = found if done == pid else None
            if status is None:
                select.select([], [], [], POLL_SECONDS)
    if status is None:
        _kill(descendants(me))
        status = os.waitpid(pid, 0)[1]
    if status_r >= 0:
        data = os.read(status_r, _STATUS.size)
        status = _STATUS.unpack(data)[0] if len(data) == _STATUS.size else status
    _kill_tree(me)
    peak = max(peak, _largest_reaped())
    line = {"memory": {"limit": memory_limit, "peak": peak, "over": over}, "token": token}
    with contextlib.suppress(OSError):
        os.write(report_fd, (json.dumps(line) + "\n").encode())
    _exit_like(status)


def _largest_reaped() -> int:
    """The peak resident bytes of the largest process reaped below this one (``ru_maxrss``)."""
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    except (ImportError, OSError, ValueError):
        return 0


def _pidfd(pid: int) -> int:
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return -1


def children(pid: int) -> list[int]:
    """The direct children of ``pid`` (Linux ``/proc``); empty where unknown."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(child) for child in handle.read().split()]
        except (OSError, ValueError):
            continue
    return found


def descendants(pid: int) -> list[int]:
    """Every process below ``pid``, parents before their children."""
    found: list[int] = []
    todo = children(pid)
    while todo:
        child = todo.pop()
        found.append(child)
        todo += children(child)
    return found


def tree_memory(pid: int) -> int:
    """Resident bytes of every process below ``pid``, added up."""
    page = os.sysconf("SC_PAGE_SIZE")
    total = 0
    for child in descendants(pid):
        try:
            with open(f"/proc/{child}/statm") as handle:
                total += int(handle.read().split()[1]) * page
        except (OSError, ValueError, IndexError):
            continue
    return total


def _kill(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _kill_tree(me: int) -> None:
    """SIGKILL every process below ``me`` and reap our children, until none is left."""
    for _ in range(100):
        below = descendants(me)
        if not below:
            return
        _kill(below)
        for pid in children(me):
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)


def _exit_like(status: int) -> None:
    """End this process the way ``status`` (a wait status) says its script ended."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        with contextlib.suppress(OSError, ValueError, ImportError):
            import resource

            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        with contextlib.suppress(OSError, ValueError, RuntimeError):
            signal.signal(number, signal.SIG_DFL)
        with contextlib.suppress(OSError, ValueError):
            signal.pthread_sigmask(signal.SIG_UNBLOCK, [number])
        with contextlib.suppress(OSError):
            os.kill(os.getpid(), number)
        os._exit(128 + number)
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF if status else 0)
