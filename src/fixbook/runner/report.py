"""The parent side of the harness's report: read it bounded, validate it, check it agrees.

The harness writes JSON lines into a pipe the runner opened and passed down
(never a path in the script's reach), bounded to ``REPORT_LIMIT`` bytes. What
comes back counts only when every line is well formed and carries the token
the harness announced on its first line (before the script ran), exactly one
status line came, and the status Python was to exit with is the status the
process did exit with; anything else is ``crashed``, with a detail that says
why. (The script runs in the harness's process: one that reads the token out
of the harness's memory can still forge a report; see docs/failure-modes.md.)
"""

from __future__ import annotations

import json
import os
import re
import signal
import threading
from dataclasses import dataclass
from typing import Any, Literal

from fixbook.results.store import storable

Status = Literal["finished", "raised", "timeout", "crashed"]

REPORT_LIMIT = 4 * 1024 * 1024
_READ_CHUNK = 64 * 1024
#: Lines of a crash's stderr that say why it died, rather than the frames around them.
FATAL = re.compile(
    r"Fatal Python error|Check failed|^\s*F\d{4} |terminate called|what\(\):|"
    r"Segmentation fault|Aborted|LLVM ERROR|\bFATAL\b|Assertion .* failed",
)
FATAL_LINES = 12


@dataclass(frozen=True)
class RaisedError:
    """The exception a script ended with, as the harness reported it."""

    type: str
    mro_names: tuple[str, ...]
    message: str
    traceback: str
    is_documented: bool | None = None

    def matches_class(self, raises: str) -> bool:
        """Whether ``raises`` (bare or dotted) names this class or a base class."""
        return class_matches(raises, self.mro_names, self.is_documented)


@dataclass(frozen=True)
class Warned:
    """A warning the script showed: its category's MRO names and its message."""

    category: str
    mro_names: tuple[str, ...]
    message: str
    is_documented: bool | None = None

    def matches_class(self, category: str) -> bool:
        """Whether ``category`` (bare or dotted) names this category or a base of it."""
        return class_matches(category, self.mro_names, self.is_documented)


def class_matches(name: str, mro_names: tuple[str, ...], documented: bool | None) -> bool:
    """Whether ``name`` names a class along ``mro_names``: a bare name by its last part,
    a dotted one as the child resolved it (``documented``) or as a qualified name."""
    if "." in name:
        return bool(documented) or name in mro_names
    return any(entry.rpartition(".")[2] == name for entry in mro_names)


@dataclass(frozen=True)
class ScriptResult:
    """What one run of one script did.

    ``status``: ``finished`` (ran to its end and exited 0), ``raised`` (ended
    with an exception, exit status as Python sets it), ``timeout``, or
    ``crashed`` (died from a signal, exited otherwise than its report says,
    or left no valid report; ``detail`` says which). ``returncode`` is the
    process's exit status (negative: the signal), ``None`` on timeout.
    ``peak_memory``: the peak resident bytes of the script and all it started,
    as the supervisor saw them (0 where unknown).
    """

    status: Status
    duration: float
    returncode: int | None
    error: RaisedError | None = None
    stdout: str = ""
    stderr: str = ""
    detail: str = ""
    runner: str = "cold"
    warnings: tuple[Warned, ...] = ()
    peak_memory: int = 0


class ReportReader:
    """Drain the report pipe in a thread, keeping at most ``REPORT_LIMIT`` bytes."""

    def __init__(self, fd: int) -> None:
        self._data = bytearray()
        self.overflow = False
        self._thread = threading.Thread(target=self._drain, args=(fd,), daemon=True)
        self._thread.start()

    def _drain(self, fd: int) -> None:
        with os.fdopen(fd, "rb", buffering=0) as pipe:
            while chunk := pipe.read(_READ_CHUNK):
                if len(self._data) + len(chunk) > REPORT_LIMIT:
                    self.overflow = True
                else:
                    self._data += chunk

    def lines(self) -> list[bytes] | None:
        """The report's lines once the pipe has closed; ``None`` if it stayed open."""
        self._thread.join(timeout=5)
        if self._thread.is_alive():
            return None
        return bytes(self._data).splitlines()


class _Malformed(Exception):
    pass


def judge_report(
    reader: ReportReader, returncode: int, duration: float, out: str, err: str
) -> ScriptResult:
    """The result of a script that ended with ``returncode``, from its report."""

    def crashed(detail: str) -> ScriptResult:
        fatal = fatal_lines(err)
        detail += f"\nfatal lines on stderr:\n{fatal}" if fatal else ""
        peak = memory.get("peak", 0) if memory else 0
        return ScriptResult(
            "crashed", duration, returncode, stdout=out, stderr=err, detail=detail, peak_memory=peak
        )

    memory: dict[str, Any] = {}
    lines = reader.lines()
    if lines is None:
        return crashed(f"{describe_exit(returncode)}; the report pipe stayed open")
    if reader.overflow:
        return crashed(f"{describe_exit(returncode)}; its report was over {REPORT_LIMIT} bytes")
    try:
        status, found, memory = _parse(lines)
    except _Malformed as exc:
        return crashed(f"{describe_exit(returncode)}; its report was malformed: {exc}")
    if memory.get("over"):
        return crashed(
            f"killed: it and its child processes used over {memory['limit'] // 2**20} MiB "
            "(the memory limit, --fixbook-memory)"
        )
    if status is None:
        when = "before reporting" if returncode < 0 else "before the script finished"
        return crashed(f"{describe_exit(returncode)} {when}")
    if status["exit"] != returncode:
        ended = "finished" if status["status"] == "finished" else f"raised {status['type']}"
        return crashed(
            f"{ended}, then {describe_exit(returncode)} instead of exiting with status "
            f"{status['exit']}: a crash during interpreter shutdown (or a forged report)"
        )
    peak = memory.get("peak", 0)
    if status["status"] == "finished":
        return ScriptResult(
            "finished",
            duration,
            returncode,
            stdout=out,
            stderr=err,
            warnings=found,
            peak_memory=peak,
        )
    error = RaisedError(
        type=storable(status["type"]),
        mro_names=tuple(storable(name) for name in status["mro"]),
        message=storable(status["message"]),
        traceback=storable(status["traceback"]),
        is_documented=status["is_documented"],
    )
    return ScriptResult(
        "raised",
        duration,
        returncode,
        error=error,
        stdout=out,
        stderr=err,
        warnings=found,
        peak_memory=peak,
    )


def _parse(
    lines: list[bytes],
) -> tuple[dict[str, Any] | None, tuple[Warned, ...], dict[str, Any]]:
    if not lines:
        return None, (), {}
    try:
        hello = json.loads(lines[0])
    except ValueError:
        hello = None
    if not isinstance(hello, dict) or not isinstance(hello.get("harness"), str):
        raise _Malformed("its first line is not the harness's")
    token = hello["harness"]
    status: dict[str, Any] | None = None
    found: list[Warned] = []
    memory: dict[str, Any] = {}
    for number, line in enumerate(lines[1:], 2):
        try:
            data = json.loads(line)
        except ValueError:
            raise _Malformed(f"line {number} is not JSON") from None
        if not isinstance(data, dict) or data.get("token") != token:
            raise _Malformed(f"line {number} did not come from the harness")
        if "warning" in data:
            found.append(_warning(data["warning"], number))
        elif "status" in data:
            if status is not None:
                raise _Malformed(f"line {number} is a second status")
            status = _status(data, number)
        elif isinstance(data.get("memory"), dict):
            memory = {
                "limit": _field(data["memory"], "limit", int, number),
                "peak": _field(data["memory"], "peak", int, number),
                "over": _field(data["memory"], "over", bool, number),
            }
        else:
            raise _Malformed(f"line {number} is not a report entry")
    return status, tuple(found), memory


def _field(data: dict[str, Any], key: str, kind: type | tuple[type, ...], number: int) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise _Malformed(f"line {number}: {key!r} is missing or of the wrong type")
    return value


def _names(data: dict[str, Any], number: int) -> list[str]:
    names = _field(data, "mro", list, number)
    if not names or not all(isinstance(name, str) for name in names):
        raise _Malformed(f"line {number}: 'mro' must be a list of class names")
    return names


def _documented(data: dict[str, Any], number: int) -> bool | None:
    value = data.get("is_documented")
    if value is not None and not isinstance(value, bool):
        raise _Malformed(f"line {number}: 'is_documented' must be true, false or null")
    return value


def _status(data: dict[str, Any], number: int) -> dict[str, Any]:
    kind = data["status"]
    if kind not in ("finished", "raised"):
        raise _Malformed(f"line {number}: unknown status {str(kind)[:40]!r}")
    checked: dict[str, Any] = {"status": kind, "exit": _field(data, "exit", int, number)}
    if (checked["exit"] == 0) != (kind == "finished"):
        raise _Malformed(f"line {number}: status {kind} with exit status {checked['exit']}")
    if kind == "raised":
        checked["type"] = _field(data, "type", str, number)
        checked["mro"] = _names(data, number)
        checked["message"] = _field(data, "message", str, number)
        checked["traceback"] = _field(data, "traceback", str, number)
        checked["is_documented"] = _documented(data, number)
    return checked


def _warning(data: Any, number: int) -> Warned:
    if not isinstance(data, dict):
        raise _Malformed(f"line {number}: a warning must be an object")
    return Warned(
        category=storable(_field(data, "category", str, number)),
        mro_names=tuple(storable(name) for name in _names(data, number)),
        message=storable(_field(data, "message", str, number)),
        is_documented=_documented(data, number),
    )


def describe_exit(returncode: int | None) -> str:
    """``died from SIGABRT`` or ``exited with status 3``."""
    if returncode is None:
        return "did not end"
    if returncode < 0:
        return f"died from {signal_name(-returncode)}"
    return f"exited with status {returncode}"


def signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def fatal_lines(stderr: str) -> str:
    """The lines of ``stderr`` that say why a process died (``Check failed: ...``,
    ``F0000 ...``, ``Fatal Python error: ...``), at most ``FATAL_LINES``."""
    lines = [line for line in stderr.splitlines() if FATAL.search(line)]
    return "\n".join(lines[:FATAL_LINES])
