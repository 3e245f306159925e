"""Records survive their run (issue 11, items 9, 11, 12).

A script that kills pytest (SIGKILL or SIGTERM, serial or one xdist worker)
loses nothing already gathered: each record is in the run's journal as soon as
its item finishes, and ``fixbook report``, the site and the next run fold it in.
A results folder that is read-only or on a full disk is one line naming the
folder and the cause, after the summary, with exit status 1 and the old document
untouched. A requirement is met by any distribution that provides its import
package.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fixbook.cli import main
from fixbook.knowledge import outcomes
from fixbook.results.journal import Journal, ended, journals, new_run_id, read_journal
from fixbook.results.store import fold, read_results, read_results_dir

from .conftest import write_case
from .fault_cases import GOOD_FIX, GOOD_REPRO, clean_environment, each_runner, write_project

#: A script that says it is running, then runs long enough to be interrupted.
BLOCKER = """\
import os, time

with open({marker!r}, "w") as handle:
    handle.write("running")
time.sleep(20)
"""

#: Records which process runs the blocking script (the xdist worker, or pytest itself).
#: Only the repro blocks: the blocker's fix may run on the other worker.
WHO_RUNS_IT = """\
import os


def pytest_runtest_setup(item):
    # Under -n the node id ends with "@<xdist group>".
    if item.nodeid.partition("@")[0].endswith("blocker::repro"):
        with open({path!r}, "w") as handle:
            handle.write(str(os.getpid()))
"""


def wait_for(path: Path, proc: subprocess.Popen[bytes], seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert proc.poll() is None, "pytest ended before the blocking script ran"
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.1)


def project(tmp_path: Path, blocker: str = "") -> Path:
    root = tmp_path / "project"
    root.mkdir()
    write_project(root)
    for slug in ("aa-good", "bb-good", "zz-good"):
        write_case(root / "cases", slug, repro=GOOD_REPRO, fix=GOOD_FIX)
    if blocker:
        write_case(root / "cases", "blocker", repro=blocker, fix=GOOD_FIX)
    return root


def pytest_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args]


def case_ids(root: Path) -> set[str]:
    return set(json.loads((root / ".fixbook/results/local.json").read_text())["cases"])


@each_runner
@pytest.mark.parametrize("sig", ["SIGKILL", "SIGTERM"])
def test_pytest_killed_mid_run_loses_nothing_gathered(
    tmp_path: Path, runner: str, sig: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Scripts can no longer signal pytest (the runner's PID namespace), but anything
    else can (a cancelled CI job, the out-of-memory killer): killed while the
    ``blocker`` case runs, the run keeps the records of the cases before it."""
    marker = tmp_path / "running"
    root = project(tmp_path, BLOCKER.format(marker=str(marker)))
    with open(tmp_path / "pytest.log", "wb") as log:
        proc = subprocess.Popen(
            pytest_command("cases", "--fixbook-runner", runner),
            cwd=root,
            env=clean_environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_for(marker, proc)
        proc.send_signal(getattr(signal, sig))
        assert proc.wait(timeout=60) == -getattr(signal, sig)
    assert not (root / ".fixbook/results/local.json").exists()
    # fixbook report and the site read the journal the killed run left.
    assert main(["report", str(root / ".fixbook/results")]) == 0
    out = capsys.readouterr().out
    assert "samples/aa-good" in out
    assert "samples/zz-good" not in out  # it never ran
    (documents,) = read_results_dir(root / ".fixbook/results")
    assert documents.cases["samples/aa-good"].scripts["fix"].outcome == "passed"
    # The next run folds them into the document and deletes the ended journal.
    shutil.rmtree(root / "cases/samples/blocker")
    done = subprocess.run(
        pytest_command("cases/samples/zz-good", "--fixbook-runner", runner),
        cwd=root,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout
    assert case_ids(root) == {"samples/aa-good", "samples/bb-good", "samples/zz-good"}
    assert journals(root / ".fixbook/results", "local") == []


@each_runner
@pytest.mark.parametrize("sig", ["SIGKILL", "SIGTERM"])
def test_a_killed_xdist_worker_does_not_hang_the_controller(
    tmp_path: Path, runner: str, sig: str
) -> None:
    marker, worker = tmp_path / "running", tmp_path / "worker.pid"
    root = project(tmp_path, BLOCKER.format(marker=str(marker)))
    (root / "conftest.py").write_text(WHO_RUNS_IT.format(path=str(worker)))
    with open(tmp_path / "pytest.log", "wb") as log:
        proc = subprocess.Popen(
            pytest_command("cases", "-n", "2", "--fixbook-runner", runner),
            cwd=root,
            env=clean_environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_for(marker, proc)
        os.kill(int(worker.read_text()), getattr(signal, sig))
        returncode = proc.wait(timeout=240)
    output = (tmp_path / "pytest.log").read_text()
    assert "worker 'gw" in output and "crashed while running" in output, output[-3000:]
    assert "fixbook summary" in output
    assert returncode == 1
    assert {"samples/aa-good", "samples/bb-good", "samples/zz-good"} <= case_ids(root)


def test_a_torn_journal_line_costs_only_itself(tmp_path: Path) -> None:
    journal = Journal(tmp_path, "local", new_run_id(), "gw0")
    entry = {
        "case_id": "samples/x",
        "title": "X",
        "library": "samples",
        "path": "cases/samples/x",
        "hash": "h",
        "requires": {"packaging": "26.0"},
        "env": {},
        "script": "repro",
        "record": {"outcome": "reproduced", "expected": "reproduced", "ok": True},
    }
    journal.record(entry)
    with open(journal.path, "ab") as handle:  # a write cut short by a kill or a full disk
        handle.write(b'\n{"case_id": "samples/x", "script": "fix", "rec')
    fix = {"outcome": "passed", "expected": "passed", "ok": True}
    journal.record({**entry, "script": "fix", "record": fix})
    with open(journal.path, "ab") as handle:
        handle.write(b"\n[1, 2]\n\xff\xfe not json\n" + b"[" * 100_000 + b"\n")
    assert journals(tmp_path, "local") == [journal.path]
    assert not ended(journal.path)  # this process holds it
    journal.close()
    assert ended(journal.path)
    header, entries = read_journal(journal.path)
    assert header["environment"] == "local"
    assert [e["script"] for e in entries] == ["repro", "fix"]
    foreign = [{"record": "bad"}, {**entry, "record": {"outcome": 3}}]
    document = fold(None, entries + foreign, "local", header)
    assert document is not None
    assert set(document.cases["samples/x"].scripts) == {"repro", "fix"}
    assert document.python == header["python"]


def test_an_older_journal_record_does_not_replace_a_newer_one(tmp_path: Path) -> None:
    entry = {
        "case_id": "samples/x",
        "title": "X",
        "library": "samples",
        "path": "p",
        "hash": "h",
        "script": "repro",
    }
    newer = {
        **entry,
        "record": {
            "outcome": "drifted",
            "expected": "reproduced",
            "ok": False,
            "recorded": "2026-02-01T00:00:00",
        },
    }
    older = {
        **entry,
        "record": {
            "outcome": "reproduced",
            "expected": "reproduced",
            "ok": True,
            "recorded": "2026-01-01T00:00:00",
        },
    }
    document = fold(fold(None, [newer], "local"), [older], "local")
    assert document is not None
    assert document.cases["samples/x"].scripts["repro"].outcome == "drifted"


def _namespace_available() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=16k tmpfs /tmp 2>/dev/null"],
        capture_output=True,
        timeout=30,
    )
    return probe.returncode == 0


needs_namespace = pytest.mark.skipif(
    not _namespace_available(),
    reason="needs `unshare -rm` (a user and mount namespace) to mount a tmpfs without root",
)


def _run_with_mount(root: Path, mount: str, runner: str) -> subprocess.CompletedProcess[str]:
    command = " ".join(
        pytest_command("cases", "--fixbook-results", "out", "--fixbook-runner", runner)
    )
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", f"{mount} && exec {command}"],
        cwd=root,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=240,
    )


def _old_document(root: Path) -> bytes:
    done = subprocess.run(
        pytest_command("cases", "--fixbook-results", "out"),
        cwd=root,
        env=clean_environment(),
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0
    return (root / "out/local.json").read_bytes()


@needs_namespace
@each_runner
def test_a_read_only_results_folder_is_one_line(tmp_path: Path, runner: str) -> None:
    root = project(tmp_path)
    old = _old_document(root)
    done = _run_with_mount(root, "mount -o bind,ro out out", runner)
    lines = [line for line in done.stdout.splitlines() if "out" in line and "error" in line]
    assert lines == [f"error: results not written to {root / 'out'}: Read-only file system"]
    assert "fixbook summary" in done.stdout and "Traceback" not in done.stdout + done.stderr
    assert done.returncode == 1
    assert (root / "out/local.json").read_bytes() == old


@needs_namespace
@each_runner
def test_a_full_disk_is_one_line_and_the_old_document_survives(tmp_path: Path, runner: str) -> None:
    root = project(tmp_path)
    old = _old_document(root)
    saved = tmp_path / "saved.json"
    saved.write_bytes(old)
    # A 64 KiB tmpfs holding the old document and filler up to the brim.
    mount = (
        f"mount -t tmpfs -o size=64k tmpfs out && cp {saved} out/local.json && "
        "(head -c 65536 /dev/zero > out/filler; true)"
    )
    command = " ".join(
        pytest_command("cases", "--fixbook-results", "out", "--fixbook-runner", runner)
    )
    script = f"{mount} && {command}; echo rc=$?; echo ===; cat out/local.json"
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script],
        cwd=root,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=240,
    )
    output, _, stored = done.stdout.partition("rc=1\n===\n")
    assert f"error: results not written to {root / 'out'}: No space left on device" in output
    assert "fixbook summary" in output and "Traceback" not in output + done.stderr
    assert stored == old.decode()  # the old document, whole


#: A plugin that makes every file write fail from the end of the run on (RLIMIT_FSIZE,
#: the same write path a full disk takes, with EFBIG for ENOSPC), without root.
NO_SPACE_AT_THE_END = """\
import resource, signal

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session):
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.RLIM_INFINITY))
"""


@each_runner
def test_a_write_failure_at_the_end_keeps_the_old_document(tmp_path: Path, runner: str) -> None:
    root = project(tmp_path)
    old = _old_document(root)
    (root / "conftest.py").write_text(NO_SPACE_AT_THE_END)
    done = subprocess.run(
        pytest_command("cases", "--fixbook-results", "out", "--fixbook-runner", runner),
        cwd=root,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert f"error: results not written to {root / 'out'}: File too large" in done.stdout
    assert "; the records stay in" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    assert done.returncode == 1
    assert (root / "out/local.json").read_bytes() == old
    assert not list((root / "out").glob(".local.json.*"))


def _provider(site: Path) -> None:
    """An installed distribution ``provider-dist`` 1.2.3 that provides ``wanted_pkg``."""
    (site / "wanted_pkg").mkdir(parents=True)
    (site / "wanted_pkg" / "__init__.py").write_text("VALUE = 7\n")
    info = site / "provider_dist-1.2.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: provider-dist\nVersion: 1.2.3\n")
    (info / "RECORD").write_text(
        "wanted_pkg/__init__.py,,\nprovider_dist-1.2.3.dist-info/METADATA,,\n"
    )


def test_a_requirement_is_met_by_a_distribution_that_provides_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _provider(tmp_path / "site")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    outcomes._providers.cache_clear()
    try:
        versions = outcomes.installed_versions(["wanted-pkg", "wanted_pkg", "not-there"])
    finally:
        outcomes._providers.cache_clear()
    assert versions == {"wanted-pkg": "1.2.3", "wanted_pkg": "1.2.3", "not-there": None}


@each_runner
def test_a_case_requiring_a_provided_package_runs(tmp_path: Path, runner: str) -> None:
    root = tmp_path / "project"
    root.mkdir()
    write_project(root)
    _provider(tmp_path / "site")
    write_case(
        root / "cases",
        "provided",
        requires='["wanted-pkg"]',
        repro="import wanted_pkg\n\nraise ValueError(f'bad thing {wanted_pkg.VALUE}')\n",
        fix="import wanted_pkg\n\nassert wanted_pkg.VALUE == 7\n",
    )
    env = {**clean_environment(), "PYTHONPATH": str(tmp_path / "site")}
    done = subprocess.run(
        pytest_command("cases", "--fixbook-runner", runner),
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "2 passed" in done.stdout, done.stdout[-2000:]
    document = read_results(root / ".fixbook/results/local.json")
    assert document.cases["samples/provided"].requires == {"wanted-pkg": "1.2.3"}
    assert document.packages["wanted-pkg"] == "1.2.3"
