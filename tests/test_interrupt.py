"""Stopping a run from outside: Ctrl-C stops every child and keeps what was gathered;
SIGKILL at any moment never leaves a corrupt results file.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fixbook.results.store import read_results

from .conftest import write_case
from .fault_cases import (
    GOOD_FIX,
    GOOD_REPRO,
    clean_environment,
    each_runner,
    kill_marked,
    mark_env,
    marked,
    read_pids,
    write_project,
)

HANG_UNTIL_INTERRUPTED = """\
import os, subprocess, sys, time

sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
pids = {{"script": os.getpid(), "parent": os.getppid(), "grandchild": sleeper.pid}}
with open({pidfile!r} + ".tmp", "w") as handle:
    handle.write(str(pids).replace("'", '"'))
os.replace({pidfile!r} + ".tmp", {pidfile!r})
time.sleep(300)
"""


# Python keeps SIGINT ignored when it starts with it ignored, as in anything started in
# the background by a shell without job control; a terminal's pytest has it handled.
PYTEST_WITH_CTRL_C = (
    "import signal, sys, pytest; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "sys.exit(pytest.console_main())"
)


def start_pytest(root: Path, *args: str) -> subprocess.Popen[bytes]:
    """pytest on ``root`` in its own session, as a terminal would start it."""
    return subprocess.Popen(
        [sys.executable, "-c", PYTEST_WITH_CTRL_C, "-p", "no:cacheprovider", "cases", *args],
        cwd=root,
        env=clean_environment(),
        stdout=open(root / "output.txt", "wb"),  # noqa: SIM115 - the child holds it
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for(  # type: ignore[no-untyped-def]
    predicate, seconds: float, proc: subprocess.Popen[bytes] | None = None, step: float = 0.05
) -> bool:
    """Poll ``predicate`` until it holds, ``seconds`` pass, or ``proc`` ends."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        if proc is not None and proc.poll() is not None:
            return predicate()
        time.sleep(step)
    return predicate()


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Kill what is left of a run that a failed assertion abandoned."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


# --- Ctrl-C ---------------------------------------------------------------------------------


@each_runner
def test_ctrl_c_stops_every_child_and_keeps_the_results_so_far(tmp_path: Path, runner: str) -> None:
    write_project(tmp_path)
    pidfile = tmp_path / "hang.json"
    for slug in ("a-quick", "b-quick"):
        write_case(tmp_path / "cases", slug, repro=GOOD_REPRO, fix=GOOD_FIX)
    write_case(
        tmp_path / "cases",
        "zz-hang",
        extra=f"timeout = 120\n{mark_env(str(pidfile))}",
        repro=HANG_UNTIL_INTERRUPTED.format(pidfile=str(pidfile)),
        fix=GOOD_FIX,
    )
    proc = start_pytest(tmp_path, "-v", "--fixbook-runner", runner)
    pids: dict[str, int] = {}
    try:
        assert wait_for(pidfile.exists, 120, proc), (tmp_path / "output.txt").read_text()
        pids = read_pids(pidfile)
        output = (tmp_path / "output.txt").read_text()
        assert output.count("PASSED") == 4, output  # the quick ones are recorded by now
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        proc.wait(timeout=60)
        output = (tmp_path / "output.txt").read_text()
        assert proc.returncode == pytest.ExitCode.INTERRUPTED, output
        assert "KeyboardInterrupt" in output
        assert "INTERNALERROR" not in output
        assert set(pids) == {"script", "parent", "grandchild"}
        # The script, what it started, and (warm) the zygotes: every process of the case.
        assert wait_for(lambda: not marked(str(pidfile)), 10), "a process survived Ctrl-C"
        doc = json.loads((tmp_path / ".fixbook" / "results" / "local.json").read_text())
        assert set(doc["cases"]) == {"samples/a-quick", "samples/b-quick"}
        for case in doc["cases"].values():
            assert {n: s["outcome"] for n, s in case["scripts"].items()} == {
                "repro": "reproduced",
                "fix": "passed",
            }
    finally:
        stop(proc)
        kill_marked(str(pidfile))


# --- SIGKILL and the results file -------------------------------------------------------------


def whole_document(path: Path, case_ids: set[str]) -> str:
    """The file's text, after checking it is one whole document holding every case."""
    text = path.read_text(encoding="utf-8")
    doc = read_results(path)
    assert set(doc.cases) == case_ids
    assert all(set(c.scripts) == {"repro", "fix"} for c in doc.cases.values())
    assert json.loads(text)["schema"] == 1
    return text


def test_sigkill_of_a_run_at_random_moments_never_leaves_a_corrupt_file(tmp_path: Path) -> None:
    write_project(tmp_path)
    slugs = [f"case-{i:02d}" for i in range(12)]
    for slug in slugs:
        write_case(tmp_path / "cases", slug, repro=GOOD_REPRO, fix=GOOD_FIX)
    case_ids = {f"samples/{s}" for s in slugs}
    path = tmp_path / ".fixbook" / "results" / "local.json"
    seed = random.randrange(2**32)
    rng = random.Random(seed)

    # Killed early, before any run finished: there is no file, not half of one.
    proc = start_pytest(tmp_path)
    time.sleep(rng.uniform(0.2, 1.0))
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    if path.exists():  # only if that run was quicker than the kill
        whole_document(path, case_ids)

    started = time.monotonic()
    proc = start_pytest(tmp_path)
    assert proc.wait(timeout=300) == 0, (tmp_path / "output.txt").read_text()
    full = time.monotonic() - started
    previous = whole_document(path, case_ids)

    for _ in range(3):
        proc = start_pytest(tmp_path)
        time.sleep(rng.uniform(0.3, 1.1) * full)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        assert path.exists(), f"seed {seed}: the previous document was lost"
        current = whole_document(path, case_ids)
        if current != previous:  # then a new whole document, written after the previous
            updated = [json.loads(t)["environment"]["updated"] for t in (previous, current)]
            assert updated[0] <= updated[1], f"seed {seed}"
        previous = current
    assert not list(path.parent.glob("*.json.unreadable"))

    # The zygotes of a killed run see their socket close and exit on their own.
    def zygotes_left() -> list[int]:
        here = tmp_path.resolve()
        return [
            int(p.name)
            for p in Path("/proc").iterdir()
            if p.name.isdigit() and int(p.name) != os.getpid() and _cwd(p) == here
        ]

    assert wait_for(lambda: not zygotes_left(), 20), f"left behind: {zygotes_left()}"


def _cwd(proc_dir: Path) -> Path | None:
    try:
        return Path(os.readlink(proc_dir / "cwd"))
    except OSError:
        return None


WRITER = """\
import os, sys, time
from pathlib import Path
from fixbook.results.store import CaseRecord, ScriptRecord, new_environment, write_results

path, count, moment, marker = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], Path(sys.argv[4])


def document(round_):
    script = ScriptRecord(outcome="reproduced", expected="reproduced", ok=True,
                          message=f"round {round_} " + "m" * 8000)
    cases = {
        f"lib/case-{i}": CaseRecord(case_id=f"lib/case-{i}", title=f"round {round_}",
                                    library="lib", path=f"cases/lib/case-{i}", hash="0" * 64,
                                    scripts={"repro": script, "fix": script})
        for i in range(count)
    }
    return new_environment("local", cases, ())


def pause():
    marker.write_text(moment)
    time.sleep(600)  # until the test kills this process


class HalfThenPause:
    def __init__(self, handle):
        self.handle = handle
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return self.handle.__exit__(*exc)
    def write(self, data):
        self.handle.write(data[: len(data) // 2])
        self.handle.flush()
        pause()


real_fdopen, real_replace = os.fdopen, os.replace


def fdopen(fd, *args, **kwargs):
    handle = real_fdopen(fd, *args, **kwargs)
    if moment == "created":
        pause()
    return HalfThenPause(handle) if moment == "half-written" else handle


def replace(src, dst):
    if moment == "synced":
        pause()
    real_replace(src, dst)


write_results(path, document(1))
os.fdopen, os.replace = fdopen, replace  # the second write stops at the chosen moment
write_results(path, document(2))
"""


@pytest.mark.parametrize("moment", ["created", "half-written", "synced"])
def test_sigkill_while_writing_leaves_the_old_document(tmp_path: Path, moment: str) -> None:
    """Killed while ``write_results`` is between creating its temporary file and replacing.

    The writer stops itself at ``moment`` of its second write (temporary file empty, half
    of the new document in it, all of it synced but not yet moved into place), so the kill
    lands inside that window every time, however loaded the machine is.
    """
    path = tmp_path / "results" / "local.json"
    marker = tmp_path / "paused"
    count = 300
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(count), moment, str(marker)],
        env=clean_environment(),
    )
    try:
        assert wait_for(marker.exists, 120, proc, 0.01), f"the writer ended with {proc.poll()}"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        stop_plain(proc)
    (temporary,) = path.parent.glob(".local.json.*.tmp")  # the kill landed mid-write
    size, full = temporary.stat().st_size, path.stat().st_size
    if moment == "synced":
        assert {c.title for c in read_results(temporary).cases.values()} == {"round 2"}
    else:
        assert size == 0 if moment == "created" else 0 < size < full
    doc = read_results(path)
    assert set(doc.cases) == {f"lib/case-{i}" for i in range(count)}
    assert {c.title for c in doc.cases.values()} == {"round 1"}


def stop_plain(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait()
