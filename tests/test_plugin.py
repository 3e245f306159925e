"""End to end through pytest: collection, outcomes, failure reports and the results file."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import MakeCase


def results(pytester: pytest.Pytester, env: str = "local") -> dict[str, Any]:
    path = pytester.path / ".fixbook" / "results" / f"{env}.json"
    return json.loads(path.read_text())


def script(pytester: pytest.Pytester, case_id: str, name: str) -> dict[str, Any]:
    return results(pytester)["cases"][case_id]["scripts"][name]


def test_reproduced_and_passed_are_recorded(
    pytester: pytest.Pytester, pytester_case: MakeCase
) -> None:
    pytester_case("good")
    result = pytester.runpytest("cases", "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "cases/samples/good::repro PASSED*",
            "cases/samples/good::fix PASSED*",
            "*fixbook summary*",
            "reproduces (1):",
            "    samples/good",
        ]
    )
    doc = results(pytester)
    assert doc["schema"] == 1
    assert doc["environment"]["name"] == "local"
    assert doc["environment"]["packages"]["packaging"]
    case = doc["cases"]["samples/good"]
    assert case["path"] == "cases/samples/good"
    assert len(case["hash"]) == 64
    repro = case["scripts"]["repro"]
    assert (repro["outcome"], repro["expected"], repro["ok"]) == ("reproduced", "reproduced", True)
    assert repro["error_type"] == "builtins.ValueError"
    assert repro["message"] == "bad thing 42"
    assert 'File "<case>/repro.py", line 1' in repro["traceback"]
    assert repro["duration"] > 0
    assert case["scripts"]["fix"]["outcome"] == "passed"


def test_outside_affected_the_repro_must_run_clean(
    pytester: pytest.Pytester, pytester_case: MakeCase
) -> None:
    pytester_case("fixed", repro="x = 1\n", repro_extra='affected = { packaging = "<1" }\n')
    pytester.runpytest("cases").assert_outcomes(passed=2)
    assert script(pytester, "samples/fixed", "repro")["outcome"] == "not-reproduced"
    assert script(pytester, "samples/fixed", "repro")["expected"] == "not-reproduced"


def test_no_longer_reproducing_inside_affected_says_narrow(
    pytester: pytest.Pytester, pytester_case: MakeCase
) -> None:
    pytester_case("gone", repro="x = 1\n", repro_extra='affected = { packaging = ">=1" }\n')
    result = pytester.runpytest("cases")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["*packaging *: the bug no longer reproduces; narrow [[]repro[]].affected*"]
    )


def test_reproducing_outside_affected_says_widen(
    pytester: pytest.Pytester, pytester_case: MakeCase
) -> None:
    pytester_case("wider", repro_extra='affected = { packaging = "<1" }\n')
    result = pytester.runpytest("cases")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*the bug reproduces outside [[]repro[]].affected; widen it*"])


def test_drifted_error_reports_what_changed(
    pytester: pytest.Pytester, pytester_case: MakeCase
) -> None:
    pytester_case("drift", repro='raise ValueError("other words")\n')
    result = pytester.runpytest("cases")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*the repro no longer does what the case claims (it raises ValueError matching*"
            "the class matches (ValueError) but the message does not match*",
            "*ValueError: other words*",
        ]
    )
    assert script(pytester, "samples/drift", "repro")["outcome"] == "drifted"


def test_failing_fix(pytester: pytest.Pytester, pytester_case: MakeCase) -> None:
    pytester_case("badfix", fix="assert 1 == 2, 'wrong answer'\n")
    result = pytester.runpytest("cases")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["*fix.py failed instead of passing*", "*AssertionError: wrong answer*"]
    )
    assert script(pytester, "samples/badfix", "fix")["outcome"] == "failed"


def test_silent_bug_repro_asserting_the_right_answer(
    pytester: pytest.Pytester, pytester_case: MakeCase
) -> None:
    pytester_case(
        "silent",
        repro="total = sum([0.1] * 10)\nassert total == 1.0, f'sum is {total!r}'\n",
        raises="AssertionError",
        match="sum is 0\\\\.9999",
    )
    pytester.runpytest("cases").assert_outcomes(passed=2)


def test_qualified_and_base_class_names(pytester: pytest.Pytester, pytester_case: MakeCase) -> None:
    bad_json = "import json\njson.loads('{')\n"
    pytester_case(
        "qualified", repro=bad_json, raises="json.decoder.JSONDecodeError", match="Expecting"
    )
    pytester_case("alias", repro=bad_json, raises="json.JSONDecodeError", match="Expecting")
    pytester_case("base", repro=bad_json, raises="ValueError", match="Expecting")
    pytester_case("wrongclass", repro=bad_json, raises="json.JSONDecoder", match="Expecting")
    result = pytester.runpytest("cases")
    result.assert_outcomes(passed=7, failed=1)
    assert script(pytester, "samples/wrongclass", "repro")["outcome"] == "drifted"


def test_missing_requirement_skips_both(pytester: pytest.Pytester, pytester_case: MakeCase) -> None:
    pytester_case("needs", requires='["packaging", "no-such-distribution-xyz"]')
    result = pytester.runpytest("cases", "-rs")
    result.assert_outcomes(skipped=2)
    result.stdout.fnmatch_lines(["*requires no-such-distribution-xyz, not installed*"])
    assert script(pytester, "samples/needs", "repro")["outcome"] == "skipped"


def test_fix_requires_skips_only_the_fix(
    pytester: pytest.Pytester, pytester_case: MakeCase
) -> None:
    pytester_case("newfix", repro_extra='[fix]\nrequires = { packaging = "<1" }\n')
    result = pytester.runpytest("cases", "-rs")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(["*the fix needs packaging<1; installed: packaging *"])


def test_timeout_kills_the_script(pytester: pytest.Pytester, pytester_case: MakeCase) -> None:
    pytester_case("hang", repro="import time\ntime.sleep(60)\n", extra="timeout = 5\n")
    result = pytester.runpytest("cases")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*repro.py timeout instead of reproduced*"])
    record = script(pytester, "samples/hang", "repro")
    assert record["outcome"] == "timeout"
    assert record["duration"] < 30


def test_ini_timeout_and_command_line_override(
    pytester: pytest.Pytester, pytester_case: MakeCase
) -> None:
    pytester_case("slow", fix="import time\ntime.sleep(60)\n")
    pytester.makeini("[pytest]\nfixbook_timeout = 120\n")
    pytester.runpytest("cases", "--fixbook-timeout", "5").assert_outcomes(passed=1, failed=1)
    assert script(pytester, "samples/slow", "fix")["outcome"] == "timeout"


@pytest.mark.parametrize(
    ("code", "detail"),
    [
        ("import os\nos.abort()\n", "died from SIGABRT"),
        ("import os\nos._exit(0)\n", "exited with status 0 before the script finished"),
    ],
)
def test_crash_and_hard_exit_are_not_a_pass(
    pytester: pytest.Pytester, pytester_case: MakeCase, code: str, detail: str
) -> None:
    pytester_case("crash", fix=code)
    result = pytester.runpytest("cases")
    result.assert_outcomes(passed=1, failed=1)
    record = script(pytester, "samples/crash", "fix")
    assert record["outcome"] == "crashed"
    assert detail in record["detail"]


def test_scripts_run_like_python_script(
    pytester: pytest.Pytester, pytester_case: MakeCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")  # as CI services set it; numpyro reads it
    check = (
        "import os, sys\n"
        "assert __name__ == '__main__'\n"
        "assert sys.argv[0].endswith('fix.py'), sys.argv\n"
        "assert os.environ['KERAS_BACKEND'] == 'jax'\n"
        "assert 'PYTEST_CURRENT_TEST' not in os.environ\n"
        "assert 'CI' not in os.environ\n"
        "assert os.getcwd() != os.path.dirname(sys.argv[0])\n"
        "assert sys.path[0] == os.path.dirname(sys.argv[0])\n"
        "open('litter.txt', 'w').write('x')\n"
    )
    folder = pytester_case("like-python", fix=check, extra='env = { KERAS_BACKEND = "jax" }\n')
    pytester.runpytest("cases").assert_outcomes(passed=2)
    assert not (folder / "litter.txt").exists()
    assert not (folder / "__pycache__").exists()


def test_big_output_is_bounded(pytester: pytest.Pytester, pytester_case: MakeCase) -> None:
    flood = "import sys\nsys.stdout.write('x' * 5_000_000)\nraise ValueError('bad thing 1')\n"
    pytester_case("flood", repro=flood)
    pytester.runpytest("cases").assert_outcomes(passed=2)
    record = script(pytester, "samples/flood", "repro")
    assert record["outcome"] == "reproduced"
    assert len(record["stdout"]) < 10_000


def test_invalid_case_is_one_error_and_the_others_still_run(
    pytester: pytest.Pytester, pytester_case: MakeCase
) -> None:
    pytester_case("good")
    bad = pytester_case("bad")
    toml = bad / "case.toml"
    toml.write_text(toml.read_text().replace("match =", "mtach ="))
    result = pytester.runpytest("cases")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*/cases/samples/bad/case.toml: [[]repro.mtach[]] unknown key*",
            "invalid case folders (1):",
            "    cases/samples/bad",
        ]
    )
    assert "Traceback" not in result.stdout.str()
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    doc = results(pytester)
    assert list(doc["cases"]) == ["samples/good"]
    assert doc["errors"][0]["path"] == "cases/samples/bad"


def test_markers_keywords_and_collect_only(
    pytester: pytest.Pytester, pytester_case: MakeCase
) -> None:
    pytester_case("alpha")
    pytester_case("beta", library="other-lib")
    result = pytester.runpytest("cases", "--collect-only", "-q")
    result.stdout.fnmatch_lines(["cases/other-lib/beta::repro", "cases/samples/alpha::fix"])
    assert not (pytester.path / ".fixbook").exists()
    pytester.runpytest("cases", "-m", "other-lib").assert_outcomes(passed=2, deselected=2)
    pytester.runpytest("cases", "-k", "alpha and repro").assert_outcomes(passed=1, deselected=3)


def test_results_merge_across_runs_and_env_names(
    pytester: pytest.Pytester, pytester_case: MakeCase
) -> None:
    pytester_case("alpha")
    pytester_case("beta")
    pytester.runpytest("cases").assert_outcomes(passed=4)
    pytester.runpytest("cases", "-k", "alpha").assert_outcomes(passed=2, deselected=2)
    assert set(results(pytester)["cases"]) == {"samples/alpha", "samples/beta"}
    out = pytester.path / "out"
    pytester.runpytest("cases", "--fixbook-env", "py-new", "--fixbook-results", str(out))
    assert json.loads((out / "py-new.json").read_text())["environment"]["name"] == "py-new"


def test_unreadable_results_file_is_set_aside(
    pytester: pytest.Pytester, pytester_case: MakeCase
) -> None:
    pytester_case("alpha")
    folder = pytester.path / ".fixbook" / "results"
    folder.mkdir(parents=True)
    (folder / "local.json").write_text("{ not json")
    result = pytester.runpytest("cases")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        ["*local.json: is not valid JSON*moved it to local.json.unreadable*"]
    )
    assert results(pytester)["cases"]["samples/alpha"]
    assert (folder / "local.json.unreadable").read_text() == "{ not json"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--fixbook-timeout", "soon"], "--fixbook-timeout: timeout 'soon' must be a positive"),
        (["--fixbook-env", "../up"], "--fixbook-env: environment name '../up' must be"),
    ],
)
def test_bad_settings_are_usage_errors(
    pytester: pytest.Pytester, args: list[str], words: str
) -> None:
    result = pytester.runpytest(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*{words}*"])


def test_xdist_run_writes_one_whole_document(
    pytester: pytest.Pytester, pytester_case: MakeCase
) -> None:
    for slug in ("one", "two", "three"):
        pytester_case(slug)
    pytester_case("needs", requires='["no-such-distribution-xyz"]')
    result = pytester.runpytest_subprocess("cases", "-n", "2")
    result.assert_outcomes(passed=6, skipped=2)
    doc = results(pytester)
    assert set(doc["cases"]) == {"samples/one", "samples/two", "samples/three", "samples/needs"}
    assert all(set(c["scripts"]) == {"repro", "fix"} for c in doc["cases"].values())


def test_xdist_groups_follow_env_and_first_package_in_runs_of_eight(
    pytester: pytest.Pytester, pytester_case: MakeCase
) -> None:
    repro = "import os\nimport packaging.version\nraise ValueError('bad 1')\n"
    for n in range(9):
        pytester_case(f"case-{n}", repro=repro)
    pytester_case("env", extra='env = { A = "1" }\n', repro=repro)
    items, _ = pytester.inline_genitems("cases", "-p", "xdist")
    groups = {item.nodeid: item.get_closest_marker("xdist_group").args[0] for item in items}
    assert groups == {
        **{f"cases/samples/case-{n}::repro": f"|packaging#{n // 8}" for n in range(9)},
        **{f"cases/samples/case-{n}::fix": f"|#{n // 8}" for n in range(9)},
        "cases/samples/env::repro": "A=1|packaging#0",
        "cases/samples/env::fix": "A=1|#0",
    }


def test_reuse_skips_only_what_did_not_change(
    pytester: pytest.Pytester, pytester_case: MakeCase
) -> None:
    folder = pytester_case("stable", fix="import json\nassert json.loads('1') == 1\n")
    pytester.runpytest("cases").assert_outcomes(passed=2)
    first = script(pytester, "samples/stable", "repro")
    pytester.runpytest("cases", "--fixbook-reuse").assert_outcomes(passed=2)
    reused = script(pytester, "samples/stable", "repro")
    assert reused["runner"] == f"reused from {first['recorded']}"
    assert reused["message"] == first["message"]
    (folder / "fix.py").write_text("import json\nassert json.loads('2') == 2\n")
    pytester.runpytest("cases", "--fixbook-reuse").assert_outcomes(passed=2)
    assert script(pytester, "samples/stable", "fix")["runner"] == "warm"
    assert script(pytester, "samples/stable", "repro")["runner"].startswith("cold")
    pytester.runpytest("cases").assert_outcomes(passed=2)
    assert not script(pytester, "samples/stable", "repro")["runner"].startswith("reused")


def test_reused_failure_still_fails(pytester: pytest.Pytester, pytester_case: MakeCase) -> None:
    pytester_case("drifting", repro="raise ValueError('other words')\n")
    pytester.runpytest("cases").assert_outcomes(passed=1, failed=1)
    result = pytester.runpytest("cases", "--fixbook-reuse")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*no longer does what the case claims*message does not match*",
            "*ValueError: other words*",
        ]
    )
    assert script(pytester, "samples/drifting", "repro")["runner"].startswith("reused from")
