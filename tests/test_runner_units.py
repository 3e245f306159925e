"""The runner's parent-side pieces alone: report validation, placeholders, fatal lines, matching."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from fixbook.knowledge.case import load_case
from fixbook.knowledge.outcomes import Outcome, claimed_warning, judge, search
from fixbook.runner.paths import Placeholders
from fixbook.runner.report import (
    REPORT_LIMIT,
    ReportReader,
    ScriptResult,
    Warned,
    fatal_lines,
    judge_report,
)

from .conftest import MakeCase

TOKEN = "t0k3n"
HELLO = {"harness": TOKEN}
FINISHED = {"status": "finished", "exit": 0, "token": TOKEN}
RAISED = {
    "status": "raised",
    "exit": 1,
    "type": "builtins.ValueError",
    "mro": ["builtins.ValueError", "builtins.Exception"],
    "message": "bad thing 1",
    "traceback": "Traceback ...\nValueError: bad thing 1\n",
    "is_documented": None,
    "token": TOKEN,
}


def judged(lines: list[object] | bytes, returncode: int = 0) -> ScriptResult:
    """What the runner makes of a report pipe holding ``lines`` and a process's exit status."""
    read, write = os.pipe()
    data = (
        lines
        if isinstance(lines, bytes)
        else b"".join((json.dumps(line) + "\n").encode() for line in lines)
    )
    reader = ReportReader(read)
    with os.fdopen(write, "wb") as handle:
        handle.write(data)
    return judge_report(reader, returncode, 0.1, "", "")


def test_a_whole_report_counts() -> None:
    assert judged([HELLO, FINISHED]).status == "finished"
    result = judged([HELLO, RAISED], returncode=1)
    assert result.status == "raised"
    assert result.error is not None and result.error.message == "bad thing 1"


@pytest.mark.parametrize(
    ("lines", "returncode", "words"),
    [
        ([], 1, "exited with status 1 before the script finished"),
        ([], -6, "died from SIGABRT before reporting"),
        ([HELLO], -11, "died from SIGSEGV before reporting"),
        ([{"status": "finished"}], 0, "its first line is not the harness's"),
        ([HELLO, {"status": "finished", "exit": 0}], 0, "line 2 did not come from the harness"),
        ([HELLO, FINISHED, FINISHED], 0, "line 3 is a second status"),
        ([HELLO, {**FINISHED, "exit": 1}], 1, "status finished with exit status 1"),
        ([HELLO, {**RAISED, "exit": 0}], 0, "status raised with exit status 0"),
        ([HELLO, {"status": "raised", "exit": 1, "token": TOKEN}], 1, "'type' is missing"),
        ([HELLO, {**RAISED, "mro": "x"}], 1, "'mro' is missing or of the wrong type"),
        ([HELLO, {**RAISED, "is_documented": "yes"}], 1, "'is_documented' must be"),
        ([HELLO, [1, 2]], 0, "line 2 did not come from the harness"),
        ([HELLO, {"token": TOKEN, "other": 1}], 0, "line 2 is not a report entry"),
        ([HELLO, {"status": "weird", "exit": 0, "token": TOKEN}], 0, "unknown status"),
        ([HELLO, FINISHED], 1, "finished, then exited with status 1 instead of exiting with"),
        ([HELLO, FINISHED], -6, "finished, then died from SIGABRT"),
        ([HELLO, RAISED], -6, "raised builtins.ValueError, then died from SIGABRT"),
    ],
)
def test_anything_but_a_whole_agreeing_report_is_a_crash(
    lines: list[object], returncode: int, words: str
) -> None:
    result = judged(lines, returncode)
    assert result.status == "crashed"
    assert words in result.detail


def test_garbage_and_floods_are_crashes() -> None:
    assert "line 2 is not JSON" in judged(json.dumps(HELLO).encode() + b"\n{nope\n").detail
    flood = judged(json.dumps(HELLO).encode() + b"\n" + b"x" * (REPORT_LIMIT + 10))
    assert f"its report was over {REPORT_LIMIT} bytes" in flood.detail


def test_the_memory_line_says_when_the_supervisor_killed_the_script() -> None:
    memory = {"memory": {"limit": 2**20, "peak": 3 * 2**20, "over": True}, "token": TOKEN}
    result = judged([HELLO, memory], returncode=-9)
    assert result.status == "crashed"
    assert "used over 1 MiB (the memory limit" in result.detail
    fine = judged([HELLO, FINISHED, {**memory, "memory": {**memory["memory"], "over": False}}])
    assert (fine.status, fine.peak_memory) == ("finished", 3 * 2**20)


def test_placeholders_replace_machine_paths(tmp_path: Path) -> None:
    case, workdir = tmp_path / "cases" / "jax" / "x", tmp_path / "fixbook-abc" / "work"
    home = str(Path.home())
    text = (
        f'File "{case}/repro.py", line 3\n'
        'File "/tmp/u/repo/.tox/legacy/lib/python3.11/site-packages/jax/_src/api.py", line 9\n'
        'File "/usr/lib/python3/dist-packages/numpy/core.py", line 1\n'
        'File "/usr/lib/python3.11/runpy.py", line 291\n'
        f"cwd {workdir}/out.txt and {home}/.cache/jax\n"
    )
    assert Placeholders(case, workdir)(text) == (
        'File "<case>/repro.py", line 3\n'
        'File "<site-packages>/jax/_src/api.py", line 9\n'
        'File "<site-packages>/numpy/core.py", line 1\n'
        'File "<stdlib>/runpy.py", line 291\n'
        "cwd <workdir>/out.txt and ~/.cache/jax\n"
    )


def test_fatal_lines_are_the_ones_that_say_why() -> None:
    stderr = "\n".join(
        [*(f"    @ 0x{n:x} frame{n}" for n in range(40)), "F0000 x.cc:1] Check failed: a == b"]
        + ["Fatal Python error: Aborted", "", "Current thread 0x1 (most recent call first):"]
    )
    assert fatal_lines(stderr) == (
        "F0000 x.cc:1] Check failed: a == b\nFatal Python error: Aborted"
    )


def test_matching_is_bounded_in_time() -> None:
    assert search("bad thing", "a bad thing") is True
    assert search("(a|aa)+$", "a" * 40 + "!") is None


def test_the_record_of_a_warns_claim_names_the_warning(make_case: MakeCase) -> None:
    case = load_case(make_case("w", claim='warns = "UserWarning"\nmatch = "slow"'))
    other = Warned("builtins.FutureWarning", ("builtins.FutureWarning",), "slow")
    slow = Warned("builtins.UserWarning", ("builtins.UserWarning", "builtins.Warning"), "slow")
    result = ScriptResult("finished", 0.1, 0, warnings=(other, slow))
    assert claimed_warning(case.repro, result) == slow
    assert judge(case, "repro", result).outcome == Outcome.REPRODUCED
    assert judge(case, "fix", result).outcome == Outcome.FAILED
