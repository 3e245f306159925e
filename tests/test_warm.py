"""The warm runner: what it preloads, when it refuses to fork, and that it matches cold."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from fixbook.runner.cold import run_script
from fixbook.runner.warm import WarmRunner, checkpoints, import_steps, leading_imports
from fixbook.runner.zygote import fork_hazard

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


@pytest.mark.parametrize(
    ("names", "steps"),
    [
        (("email.mime.text",), ("email", "email.mime", "email.mime.text")),
        (("jax", "jax.numpy", "numpy"), ("jax", "jax.numpy", "numpy")),
        (("numpyro.infer:MCMC", "numpyro"), ("numpyro", "numpyro.infer", "numpyro.infer:MCMC")),
        (("os", "sys", "os.path", "json"), ("json",)),
        (("os", "sys"), ()),
        (("functools:partial", "jax"), ("jax",)),
        (("os:path", "xml.dom:minidom"), ("xml", "xml.dom", "xml.dom:minidom")),
        (("importlib:metadata",), ("importlib:metadata",)),
    ],
)
def test_import_steps_are_the_imports_python_performs(
    names: tuple[str, ...], steps: tuple[str, ...]
) -> None:
    loaded = {"os": False, "os.path": False, "sys": False, "functools": False, "importlib": True}
    assert import_steps(names, loaded) == steps


def test_checkpoints_follow_top_level_packages() -> None:
    steps = ("jax", "jax.numpy", "numpyro", "numpyro.infer", "numpyro.infer:MCMC")
    assert checkpoints(steps, 0) == [1, 3, 5]
    assert checkpoints(steps, 1) == [3, 5]
    assert checkpoints(steps, 3) == [5]
    assert checkpoints(steps, 5) == []


EMAIL_MODULES = "import sys\nprint([m for m in sys.modules if m.startswith('email')])\n"


def test_scripts_that_begin_alike_share_a_zygote_and_see_what_cold_sees(tmp_path: Path) -> None:
    text = write(tmp_path, "import email.mime.text\n" + EMAIL_MODULES)
    multipart = tmp_path / "multipart.py"
    multipart.write_text("import email.mime.multipart\n" + EMAIL_MODULES)
    runner = WarmRunner()
    try:
        warm = [runner.run(s, env={}, timeout=30) for s in (text, multipart)]
        tree = {preload for _, preload in runner._zygotes}
    finally:
        runner.close()
    assert tree == {
        (),
        ("email",),
        ("email", "email.mime", "email.mime.text"),
        ("email", "email.mime", "email.mime.multipart"),
    }
    for script, result in zip((text, multipart), warm, strict=True):
        cold = run_script(script, env={}, timeout=30)
        assert result.runner == "warm"
        assert (result.status, result.stdout) == (cold.status, cold.stdout)
        assert "email.mime" in result.stdout


def test_an_import_that_starts_a_thread_sends_every_script_after_it_cold(tmp_path: Path) -> None:
    (tmp_path / "threader.py").write_text(
        "import threading\n"
        "threading.Thread(target=threading.Event().wait, name='importer', daemon=True).start()\n"
    )
    first = write(tmp_path, "import threader\n")
    longer = tmp_path / "longer.py"
    longer.write_text("import threader\nimport json\nprint(json.dumps(1))\n")
    runner = WarmRunner()
    try:
        results = [
            runner.run(s, env={"PYTHONPATH": str(tmp_path)}, timeout=30) for s in (first, longer)
        ]
    finally:
        runner.close()
    for result in results:
        assert result.runner == "cold: Python threads were started while importing: importer"
    assert results[1].stdout == "1\n"


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
    # sys.argv[0] is the script's path, published with the case folder as a placeholder.
    assert json.loads(warm.error.message)["argv"] == "<case>/script.py"  # type: ignore[union-attr]


def test_failed_preload_runs_cold_and_says_why(tmp_path: Path) -> None:
    script = write(tmp_path, "import no_such_module_xyz\n")
    runner = WarmRunner()
    try:
        result = runner.run(script, env={}, timeout=30)
    finally:
        runner.close()
    assert result.runner.startswith("cold: preloading no_such_module_xyz failed")
    assert result.error is not None and result.error.type == "builtins.ModuleNotFoundError"


@pytest.mark.parametrize("max_zygotes", [1, 2])
def test_zygotes_are_bounded(tmp_path: Path, max_zygotes: int) -> None:
    scripts = [write(tmp_path, "import json\n"), tmp_path / "other.py"]
    scripts[1].write_text("import json\nimport email\n")
    runner = WarmRunner(max_zygotes=max_zygotes)
    try:
        for n in range(6):
            result = runner.run(scripts[n % 2], env={"N": str(n // 3)}, timeout=30)
            assert result.runner == "warm"
            assert len(runner._zygotes) <= max_zygotes
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
