"""Hostile scripts (issue 11, items 3, 6-10, 13): none fakes a verdict, escapes, or stalls a run.

One pytest run per runner (warm and cold) holds every hostile sample next to a
good neighbour; each test checks one sample's record, and that the run ended
with every record written.
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from fixbook.runner.cold import run_script

from .conftest import write_case
from .fault_cases import (
    GOOD_FIX,
    GOOD_REPRO,
    RUNNERS,
    kill_marked,
    mark_env,
    marked,
    run_pytest,
    write_project,
)

#: Writes ``data`` into every file descriptor the script holds beyond stdio, and into
#: every report file it can guess, as a script forging the harness's report would.
FORGE = """\
import os

def forge(data):
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd > 2:
            try:
                os.write(fd, data)
            except OSError:
                pass
    for path in ("report.json", "../report.json"):
        try:
            with open(path, "wb") as handle:
                handle.write(data)
        except OSError:
            pass

"""

SHUTDOWN_CRASH = """\
import atexit
import os
import sys
import threading
import time


def device_work():
    while True:
        time.sleep(0.01)


threading.Thread(target=device_work, daemon=True).start()
atexit.register(lambda: (print("shutting down the device", file=sys.stderr, flush=True),
                         os.abort()))
print("result: 42")
"""

SETSID_CHILD = """\
import os
import subprocess
import sys

subprocess.Popen(
    [sys.executable, "-c", "import os, time; os.{call}; time.sleep(300)"],
    start_new_session=False,
)
print("started a child that leaves the session")
{end}
"""

ANCESTOR_KILLER = """\
import os
import signal

pid = os.getpid()
print("pid", pid)
while True:
    with open(f"/proc/{pid}/stat") as handle:
        parent = int(handle.read().rpartition(")")[2].split()[1])
    if parent <= 1:
        break
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(parent, sig)
        except OSError:
            pass
    pid = parent
"""


@dataclass(frozen=True)
class Hostile:
    """A hostile sample: its case options and what each script must be recorded as."""

    slug: str
    repro_outcome: str
    fix_outcome: str
    options: dict[str, str]
    repro_detail: str = ""
    fix_detail: str = ""


def hostile_cases(mark: str) -> list[Hostile]:
    """Every hostile sample; ``mark`` tags the processes of those that start children."""
    marked_env = mark_env(mark)
    return [
        Hostile("aa-good", "reproduced", "passed", dict(repro=GOOD_REPRO, fix=GOOD_FIX)),
        Hostile(  # item 6: a crash during interpreter shutdown is a crash
            "shutdown-crash",
            "reproduced",
            "crashed",
            dict(repro=GOOD_REPRO, fix=SHUTDOWN_CRASH),
            fix_detail="finished, then died from SIGABRT",
        ),
        Hostile(  # item 7: a forged "finished", then a hard exit
            "forged-finished",
            "reproduced",
            "crashed",
            dict(
                repro=GOOD_REPRO,
                fix=FORGE + 'forge(b\'{"status": "finished"}\\n\')\nos._exit(1)\n',
            ),
            fix_detail="exited with status 1",
        ),
        Hostile(  # item 7: a forged report that agrees with the exit status
            "forged-exit-zero",
            "reproduced",
            "crashed",
            dict(
                repro=GOOD_REPRO,
                fix=FORGE + 'forge(b\'{"status": "finished", "exit": 0}\\n\')\nos._exit(0)\n',
            ),
            fix_detail="did not come from the harness",
        ),
        Hostile(  # item 7: malformed reports
            "malformed",
            "crashed",
            "crashed",
            dict(
                repro=FORGE + 'forge(b\'{"status": "raised"}\\n\')\n'
                'raise ValueError("bad thing 1")\n',
                fix=FORGE + "forge(b'[1, 2]\\n')\n",
            ),
            repro_detail="its report was malformed",
            fix_detail="its report was malformed",
        ),
        Hostile(  # item 7: FIFOs and /dev/zero where a report file used to be
            "fifo-and-zero",
            "reproduced",
            "passed",
            dict(
                repro="import os\n\nos.mkfifo('report.json')\nos.mkfifo('../report.json.tmp')\n"
                'raise ValueError("bad thing 2")\n',
                fix="import os\n\nos.symlink('/dev/zero', '../report.json')\n",
            ),
        ),
        Hostile(  # item 7: a flood into the report pipe stays bounded
            "report-flood",
            "reproduced",
            "crashed",
            dict(repro=GOOD_REPRO, fix=FORGE + "forge(b'x' * (50 * 2**20))\n"),
            fix_detail="its report was over 4194304 bytes",
        ),
        Hostile(  # item 8: a catastrophic regex is bounded in time
            "slow-regex",
            "drifted",
            "passed",
            dict(
                repro='raise ValueError("a" * 40 + "!")\n',
                fix=GOOD_FIX,
                match="(a|aa)+$",
            ),
            repro_detail="took over 1 s",
        ),
        Hostile(  # item 10: a child that calls setsid() outlives neither a clean end...
            "setsid-child",
            "reproduced",
            "passed",
            dict(
                repro=SETSID_CHILD.format(call="setsid()", end='raise ValueError("bad thing 3")'),
                fix=SETSID_CHILD.format(call="setpgid(0, 0)", end=""),
                extra=marked_env,
            ),
        ),
        Hostile(  # ... nor a timeout
            "setsid-hang",
            "timeout",
            "passed",
            dict(
                repro=SETSID_CHILD.format(call="setsid()", end="import time\ntime.sleep(300)"),
                fix=GOOD_FIX,
                extra=f"timeout = 5\n{marked_env}",
            ),
            repro_detail="killed after 5 s",
        ),
        Hostile(  # item 10: the memory limit (this run: --fixbook-memory 300)
            "memory-hog",
            "reproduced",
            "crashed",
            dict(
                repro=GOOD_REPRO,
                fix="import time\n\nhog = b'x' * (700 * 2**20)\ntime.sleep(30)\n",
            ),
            fix_detail="used over 300 MiB (the memory limit",
        ),
        Hostile(  # item 3: machine paths become placeholders
            "machine-paths",
            "reproduced",
            "passed",
            dict(
                repro="import os\nfrom packaging.version import Version\n\n"
                "print(os.getcwd(), os.path.expanduser('~/x'))\nVersion('not a version')\n",
                fix=GOOD_FIX,
                raises="packaging.version.InvalidVersion",
                match="Invalid version",
            ),
        ),
        Hostile("zz-good", "reproduced", "passed", dict(repro=GOOD_REPRO, fix=GOOD_FIX)),
    ]


@dataclass(frozen=True)
class HostileRun:
    runner: str
    root: Path
    returncode: int
    output: str
    seconds: float
    survivors: list[int]
    doc: dict[str, Any]
    raw: str

    def script(self, slug: str, name: str) -> dict[str, Any]:
        return self.doc["cases"][f"hostile/{slug}"]["scripts"][name]


@pytest.fixture(scope="module", params=RUNNERS)
def hostile_run(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> HostileRun:
    runner = request.param
    root = tmp_path_factory.mktemp(f"hostile-{runner}")
    write_project(root)
    mark = str(root)
    for sample in hostile_cases(mark):
        write_case(root / "cases", sample.slug, library="hostile", **sample.options)
    started = time.monotonic()
    try:
        proc = run_pytest(
            root, "cases", "-v", "--fixbook-runner", runner, "--fixbook-memory", "300", timeout=300
        )
    finally:
        seconds = time.monotonic() - started
        survivors = marked(mark)
        kill_marked(mark)
    path = root / ".fixbook" / "results" / "local.json"
    raw = path.read_text(encoding="utf-8")
    return HostileRun(
        runner,
        root,
        proc.returncode,
        proc.stdout + proc.stderr,
        seconds,
        survivors,
        json.loads(raw),
        raw,
    )


SAMPLES = hostile_cases("")


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.slug for s in SAMPLES])
def test_hostile_script_gets_an_honest_record(hostile_run: HostileRun, sample: Hostile) -> None:
    repro = hostile_run.script(sample.slug, "repro")
    fix = hostile_run.script(sample.slug, "fix")
    assert repro["outcome"] == sample.repro_outcome, repro
    assert fix["outcome"] == sample.fix_outcome, fix
    assert sample.repro_detail in repro["detail"], repro["detail"]
    assert sample.fix_detail in fix["detail"], fix["detail"]


def test_the_run_ends_in_bounded_time_with_every_record(hostile_run: HostileRun) -> None:
    assert hostile_run.seconds < 240
    assert set(hostile_run.doc["cases"]) == {f"hostile/{s.slug}" for s in SAMPLES}
    assert "INTERNALERROR" not in hostile_run.output
    assert hostile_run.returncode == pytest.ExitCode.TESTS_FAILED


def test_no_process_of_a_script_outlives_it(hostile_run: HostileRun) -> None:
    assert hostile_run.survivors == []


def test_shutdown_output_is_kept_by_both_runners(hostile_run: HostileRun) -> None:
    fix = hostile_run.script("shutdown-crash", "fix")
    assert fix["stdout"] == "result: 42\n"
    assert fix["stderr"].endswith("shutting down the device\n")


def test_machine_paths_never_reach_the_results(hostile_run: HostileRun) -> None:
    repro = hostile_run.script("machine-paths", "repro")
    assert repro["stdout"] == "<workdir> ~/x\n"
    assert 'File "<site-packages>/packaging/version.py", line ' in repro["traceback"]
    assert 'File "<case>/repro.py", line 5, in <module>' in repro["traceback"]
    raw = hostile_run.raw
    assert str(Path.home()) + "/" not in raw
    assert "site-packages/" not in raw.replace("<site-packages>/", "")
    assert str(hostile_run.root / "cases") not in raw.replace('"path": ', "")
    assert str(Path(tempfile.gettempdir(), "fixbook-")) not in raw  # the temporary working folder


PROBE = """\
import os

with open("/proc/1/cmdline", "rb") as handle:
    print(os.getppid() == 1 and b"fixbook" in handle.read())
"""

KILL_PARENT = """\
import os
import signal

os.kill(os.getppid(), signal.SIGTERM)
os.kill(os.getppid(), signal.SIGKILL)
print("still here")
"""


def in_own_pid_namespace(tmp_path: Path) -> bool:
    """Whether scripts run in a PID namespace of their own here, under fixbook's init."""
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE)
    return run_script(probe, env={}, timeout=60).stdout == "True\n"


@pytest.mark.parametrize("runner", RUNNERS)
def test_a_script_cannot_kill_pytest(tmp_path: Path, runner: str) -> None:
    """Item 9: a script that signals its parent, or every ancestor it finds, misses pytest."""
    write_project(tmp_path)
    write_case(tmp_path / "cases", "parent", repro=GOOD_REPRO, fix=KILL_PARENT)
    if in_own_pid_namespace(tmp_path):
        write_case(tmp_path / "cases", "ancestors", repro=GOOD_REPRO, fix=ANCESTOR_KILLER)
    write_case(tmp_path / "cases", "zz-good", repro=GOOD_REPRO, fix=GOOD_FIX)
    proc = run_pytest(tmp_path, "cases", "--fixbook-runner", runner, timeout=120)
    doc = json.loads((tmp_path / ".fixbook" / "results" / "local.json").read_text())
    assert proc.returncode in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED), proc.stdout
    assert "INTERNALERROR" not in proc.stdout + proc.stderr
    cases = {case.rpartition("/")[2]: record["scripts"] for case, record in doc["cases"].items()}
    assert cases["zz-good"]["fix"]["outcome"] == "passed"
    # Under fixbook's init the signals are lost; with a subreaper they kill the supervisor.
    assert cases["parent"]["fix"]["outcome"] in ("passed", "crashed")
    if "ancestors" in cases:
        assert cases["ancestors"]["fix"]["outcome"] == "passed"
