"""The warm runner: what it preloads, when it refuses to fork, and that it matches cold."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from fixbook.runner import run_script
from fixbook.warm import WarmRunner, leading_imports
from fixbook.zygote import fork_hazard

from .conftest import MakeCase


def write(tmp_path: Path, code: str) -> Path:
    path = tmp_path / "script.py"
    path.write_text(code)
    return path


def test_leading_imports_stop_at_the_first_other_statement(tmp_path: Path) -> None:
    code = (
        '"""Doc."""\n'
        "from __future__ import annotations\n"
        "import os, json as js\n"
        "from xml.dom import minidom\n"
        "import email.mime.text\n"
        "os.environ['KERAS_BACKEND'] = 'jax'\n"
        "import keras\n"
    )
    assert leading_imports(write(tmp_path, code)) == (
        "os",
        "json",
        "xml.dom:minidom",
        "email.mime.text",
    )


@pytest.mark.parametrize("code", ["x = 1\nimport json\n", "def f(:\n", "from . import x\n"])
def test_nothing_to_preload(tmp_path: Path, code: str) -> None:
    assert leading_imports(write(tmp_path, code)) == ()


def test_fork_hazard_names_a_started_thread() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, name="pool-worker")
    thread.start()
    try:
        assert "pool-worker" in fork_hazard()
    finally:
        stop.set()
        thread.join()
    assert fork_hazard() == ""


def test_warm_matches_cold_and_says_which_ran(tmp_path: Path) -> None:
    script = write(
        tmp_path,
        "import json\nimport sys\nprint('out')\n"
        "raise ValueError(json.dumps({'argv': sys.argv[0]}))\n",
    )
    runner = WarmRunner()
    try:
        warm = runner.run(script, env={"A": "1"}, timeout=30)
        again = runner.run(script, env={"A": "1"}, timeout=30)
    finally:
        runner.close()
    cold = run_script(script, env={"A": "1"}, timeout=30)
    assert warm.runner == again.runner == "warm"
    assert cold.runner == "cold"
    for result in (warm, again):
        assert result.status == cold.status == "raised"
        assert result.error == cold.error
        assert result.stdout == cold.stdout == "out\n"
    assert json.loads(warm.error.message)["argv"] == str(script)  # type: ignore[union-attr]


def test_failed_preload_runs_cold_and_says_why(tmp_path: Path) -> None:
    script = write(tmp_path, "import no_such_module_xyz\n")
    runner = WarmRunner()
    try:
        result = runner.run(script, env={}, timeout=30)
    finally:
        runner.close()
    assert result.runner.startswith("cold: preloading no_such_module_xyz failed")
    assert result.error is not None and result.error.type == "builtins.ModuleNotFoundError"


def test_zygotes_are_bounded(tmp_path: Path) -> None:
    script = write(tmp_path, "import json\n")
    runner = WarmRunner(max_zygotes=2)
    try:
        for n in range(4):
            assert runner.run(script, env={"N": str(n)}, timeout=30).runner == "warm"
            assert len(runner._zygotes) <= 2
    finally:
        runner.close()
    assert not runner._zygotes


@pytest.mark.parametrize("mode", ["warm", "cold"])
def test_runner_is_recorded(pytester: pytest.Pytester, pytester_case: MakeCase, mode: str) -> None:
    pytester_case("imports", repro="import json\nraise ValueError('bad thing 1')\n")
    pytester.runpytest("cases", "--fixbook-runner", mode).assert_outcomes(passed=2)
    doc = json.loads((pytester.path / ".fixbook/results/local.json").read_text())
    scripts = doc["cases"]["samples/imports"]["scripts"]
    assert scripts["repro"]["runner"] == mode
    expected_fix = "cold: the script imports nothing first" if mode == "warm" else "cold"
    assert scripts["fix"]["runner"] == expected_fix


def test_verbose_summary_says_what_ran_cold(
    pytester: pytest.Pytester, pytester_case: MakeCase
) -> None:
    pytester_case("plain")
    result = pytester.runpytest("cases", "-v")
    result.stdout.fnmatch_lines(
        [
            "ran cold, without a zygote (2):",
            "    samples/plain::fix: the script imports nothing first",
        ]
    )
