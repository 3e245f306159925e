"""The runner: run one script in its own process and say what it did."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO

from fixbook.runner.paths import Placeholders
from fixbook.runner.report import (
    RaisedError,
    ReportReader,
    ScriptResult,
    Warned,
    judge_report,
    storable,
)

HARNESS = Path(__file__).with_name("harness.py")
OUTPUT_LIMIT = 64 * 1024
_READ_CHUNK = 64 * 1024
#: Seconds a supervisor has to kill a timed-out script's processes before its group is killed.
GRACE = 5.0
#: Resident memory a script and its child processes may use together, by default: about five
#: times the largest peak of the real cases (829 MiB, a TFP/Keras 3 script; measured with
#: benchmarks/memory_peaks.py), and two at a time (-n 2) leave a 16 GiB machine usable.
DEFAULT_MEMORY_LIMIT = 4 * 2**30

__all__ = [
    "ColdRunner",
    "RaisedError",
    "ScriptResult",
    "Warned",
    "child_environment",
    "run_script",
    "storable",
]


def run_script(
    script: Path,
    *,
    env: Mapping[str, str],
    timeout: float,
    raises: str = "",
    python: str = sys.executable,
    memory_limit: int = DEFAULT_MEMORY_LIMIT,
) -> ScriptResult:
    """Run ``script`` as ``__main__`` in a fresh process and working directory.

    The harness reports through a pipe opened here; a supervisor process kills
    everything the script started when it ends (see ``supervisor``).

    Args:
        script: the ``repro.py`` or ``fix.py`` to run.
        env: variables set on top of this process's environment.
        timeout: seconds before the script and all it started are killed.
        raises: the class the claim names (exception class or warning category),
            resolved inside the child when it is a dotted path.
        python: the interpreter to run it with.
        memory_limit: bytes of resident memory the script's processes may use
            together (0: no limit).

    Returns:
        What it did, with machine paths replaced by placeholders (``paths``).
    """
    with tempfile.TemporaryDirectory(prefix="fixbook-") as tmp:
        workdir = Path(tmp, "work")
        workdir.mkdir()
        report_r, report_w = os.pipe()
        command = [
            python,
            str(HARNESS),
            str(report_w),
            str(script.resolve()),
            raises,
            str(memory_limit),
        ]
        started = time.perf_counter()
        try:
            proc = subprocess.Popen(
                command,
                cwd=workdir,
                env=child_environment(env),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                pass_fds=(report_w,),
                start_new_session=True,
            )
        except BaseException:
            os.close(report_r)
            raise
        finally:
            os.close(report_w)
        report = ReportReader(report_r)
        stdout, stderr = BoundedReader(proc.stdout), BoundedReader(proc.stderr)
        timed_out = False
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            stop(proc.pid)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=GRACE)
        finally:
            kill_group(proc.pid)
            proc.wait()
        duration = time.perf_counter() - started
        result = finish(report, proc.returncode, timed_out, timeout, duration, stdout, stderr)
        return Placeholders(script.resolve().parent, workdir).result(result)


def finish(
    report: ReportReader,
    returncode: int,
    timed_out: bool,
    timeout: float,
    duration: float,
    stdout: BoundedReader,
    stderr: BoundedReader,
) -> ScriptResult:
    """The result of an ended run: ``timeout``, or what its report and exit status say."""
    out, err = stdout.text(), stderr.text()
    if timed_out:
        report.lines()
        return ScriptResult(
            "timeout", duration, None, stdout=out, stderr=err, detail=f"killed after {timeout:g} s"
        )
    return judge_report(report, returncode, duration, out, err)


class ColdRunner:
    """Runs every script in a fresh interpreter: the reference semantics."""

    def __init__(self, memory_limit: int = DEFAULT_MEMORY_LIMIT) -> None:
        self.memory_limit = memory_limit

    def run(
        self, script: Path, *, env: Mapping[str, str], timeout: float, raises: str = ""
    ) -> ScriptResult:
        """Run ``script`` cold; see ``run_script``."""
        return run_script(
            script, env=env, timeout=timeout, raises=raises, memory_limit=self.memory_limit
        )

    def close(self) -> None:
        """Nothing to stop."""


#: Variables a script does not inherit, besides pytest's own (``PYTEST_*``): ones that
#: make a library behave as it would not from a terminal, so that a verdict does not
#: depend on where pytest runs. ``CI``: numpyro 0.15.2 and older turn the MCMC
#: progress bar off when it is set (numpyro/parallel-chains-progress-bar-host-callback
#: needs the bar on). A case's ``env`` can still set one.
NOT_INHERITED = frozenset({"CI"})


def child_environment(overlay: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without pytest's own variables and
    :data:`NOT_INHERITED`, plus ``overlay``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PYTEST_") and k not in NOT_INHERITED
    }
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(overlay)
    return env


def stop(pid: int) -> None:
    """Ask the supervisor ``pid`` to kill its script and everything the script started."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGTERM)


def kill_group(pid: int) -> None:
    """Kill the process group that ``pid`` leads: the script and all it started."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


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
