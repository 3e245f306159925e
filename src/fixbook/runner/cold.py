"""The runner: run one script in its own process and say what it did."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

HARNESS = Path(__file__).with_name("harness.py")
OUTPUT_LIMIT = 64 * 1024
_READ_CHUNK = 64 * 1024

Status = Literal["finished", "raised", "timeout", "crashed"]


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
        if "." in raises:
            return bool(self.is_documented) or raises in self.mro_names
        return any(name.rpartition(".")[2] == raises for name in self.mro_names)


@dataclass(frozen=True)
class ScriptResult:
    """What one run of one script did."""

    status: Status
    duration: float
    returncode: int | None
    error: RaisedError | None = None
    stdout: str = ""
    stderr: str = ""
    detail: str = ""
    runner: str = "cold"


def run_script(
    script: Path,
    *,
    env: Mapping[str, str],
    timeout: float,
    raises: str = "",
    python: str = sys.executable,
) -> ScriptResult:
    """Run ``script`` as ``__main__`` in a fresh process and working directory.

    Args:
        script: the ``repro.py`` or ``fix.py`` to run.
        env: variables set on top of this process's environment.
        timeout: seconds before the script's whole process group is killed.
        raises: the documented exception name, resolved inside the child
            when it is a dotted path.
        python: the interpreter to run it with.
    """
    with tempfile.TemporaryDirectory(prefix="fixbook-") as tmp:
        workdir = Path(tmp, "work")
        workdir.mkdir()
        report = Path(tmp, "report.json")
        command = [python, str(HARNESS), str(script.resolve()), str(report), raises]
        started = time.perf_counter()
        proc = subprocess.Popen(
            command,
            cwd=workdir,
            env=child_environment(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        stdout, stderr = BoundedReader(proc.stdout), BoundedReader(proc.stderr)
        timed_out = False
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
        finally:
            kill_group(proc.pid)
            proc.wait()
        duration = time.perf_counter() - started
        out, err = stdout.text(), stderr.text()
        if timed_out:
            return ScriptResult(
                "timeout",
                duration,
                None,
                stdout=out,
                stderr=err,
                detail=f"killed after {timeout:g} s",
            )
        return read_report(report, proc.returncode, duration, out, err)


def storable(text: str) -> str:
    """``text`` with lone surrogates (undecodable bytes) escaped, so UTF-8 can store it."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class ColdRunner:
    """Runs every script in a fresh interpreter: the reference semantics."""

    def run(
        self, script: Path, *, env: Mapping[str, str], timeout: float, raises: str = ""
    ) -> ScriptResult:
        """Run ``script`` cold; see ``run_script``."""
        return run_script(script, env=env, timeout=timeout, raises=raises)

    def close(self) -> None:
        """Nothing to stop."""


def child_environment(overlay: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without pytest's own variables, plus ``overlay``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(overlay)
    return env


def kill_group(pid: int) -> None:
    """Kill the process group that ``pid`` leads: the script and all it started."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def read_report(report: Path, returncode: int, duration: float, out: str, err: str) -> ScriptResult:
    try:
        data = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ScriptResult(
            "crashed",
            duration,
            returncode,
            stdout=out,
            stderr=err,
            detail=_describe_exit(returncode),
        )
    if data.get("status") == "finished":
        return ScriptResult("finished", duration, returncode, stdout=out, stderr=err)
    error = RaisedError(
        type=storable(data["type"]),
        mro_names=tuple(storable(name) for name in data["mro"]),
        message=storable(data["message"]),
        traceback=storable(data["traceback"]),
        is_documented=data.get("is_documented"),
    )
    return ScriptResult("raised", duration, returncode, error=error, stdout=out, stderr=err)


def _describe_exit(returncode: int) -> str:
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"died from {name} before reporting"
    return f"exited with status {returncode} before the script finished"


class BoundedReader:
    """Drain a pipe in a thread, keeping only the last ``OUTPUT_LIMIT`` bytes."""

    def __init__(self, pipe: IO[bytes] | None) -> None:
        self._tail = bytearray()
        self._dropped = 0
        self._thread = threading.Thread(target=self._drain, args=(pipe,), daemon=True)
        self._thread.start()

    def _drain(self, pipe: IO[bytes] | None) -> None:
        if pipe is None:
            return
        with pipe:
            while chunk := pipe.read1(_READ_CHUNK):  # type: ignore[attr-defined]
                self._tail += chunk
                excess = len(self._tail) - OUTPUT_LIMIT
                if excess > 0:
                    del self._tail[:excess]
                    self._dropped += excess

    def text(self) -> str:
        """The kept tail, decoded leniently, noting how much was dropped."""
        self._thread.join(timeout=5)
        text = bytes(self._tail).decode("utf-8", errors="replace")
        if self._dropped:
            text = f"[... {self._dropped} earlier bytes dropped ...]\n" + text
        return text
