"""``pytest --fixbook-known`` inside a user's own test suite (pytester, end to end)."""

from __future__ import annotations

import pytest

from .conftest import MakeCase

USER_TESTS = """
import pytest

def test_fails_with_a_known_error():
    raise ValueError("bad thing 17 happened in the model")

def test_fails_with_a_chained_known_error():
    try:
        raise ValueError("bad thing 3")
    except ValueError as exc:
        raise RuntimeError("wrapper failed") from exc

def test_fails_with_something_else():
    assert 1 == 2

def test_passes():
    assert True
"""

MARKER_REPRO = """
import pathlib
pathlib.Path(__file__).resolve().parents[3].joinpath("repro-ran.txt").write_text("ran")
raise ValueError("bad thing 42")
"""


@pytest.fixture
def project(pytester: pytest.Pytester, pytester_case: MakeCase) -> pytest.Pytester:
    pytester_case(
        "bad-thing",
        library="packaging",
        repro=MARKER_REPRO,
        repro_extra='affected = { packaging = "<1" }\n',
    )
    pytester.makepyfile(test_user=USER_TESTS)
    return pytester


def test_known_issue_sections_on_failures_and_a_list_at_the_end(project: pytest.Pytester) -> None:
    result = project.runpytest("--fixbook-known", "test_user.py")
    result.assert_outcomes(failed=3, passed=1)
    out = result.stdout.str()
    assert out.count("- Known issue -") == 2
    result.stdout.fnmatch_lines(
        [
            "*- Known issue -*",
            "packaging/bad-thing [[]exact match[]]: Sample bad-thing",
            "why: A sample case for fixbook's own tests.",
            "fix: A sample case for fixbook's own tests.",
            "versions: installed packaging *: outside the affected range (packaging <1)",
            "more: *cases/packaging/bad-thing/*",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "*= fixbook: 2 failure(s) with a known issue =*",
            "test_user.py::test_fails_with_a_known_error: packaging/bad-thing (exact) *",
            "test_user.py::test_fails_with_a_chained_known_error: packaging/bad-thing (exact) *",
        ]
    )
    assert "test_fails_with_something_else: packaging" not in out
    assert not (project.path / "repro-ran.txt").exists(), "a case script ran"


def test_off_unless_asked(project: pytest.Pytester) -> None:
    result = project.runpytest("test_user.py")
    result.assert_outcomes(failed=3, passed=1)
    assert "Known issue" not in result.stdout.str()
    assert "known issue" not in result.stdout.str()


def test_ini_and_environment_switches(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.makeini("[pytest]\nfixbook_known = true\n")
    assert "- Known issue -" in project.runpytest("test_user.py").stdout.str()
    monkeypatch.setenv("FIXBOOK_KNOWN", "0")
    assert "Known issue" not in project.runpytest("test_user.py").stdout.str()
    project.makeini("[pytest]\n")
    monkeypatch.setenv("FIXBOOK_KNOWN", "1")
    assert "- Known issue -" in project.runpytest("test_user.py").stdout.str()


def test_cases_folder_option_and_nothing_on_passing_runs(
    pytester: pytest.Pytester, pytester_case: MakeCase
) -> None:
    folder = pytester_case("bad-thing", library="packaging")
    moved = pytester.path / "elsewhere"
    folder.parent.parent.rename(moved)
    pytester.makepyfile(test_ok="def test_ok():\n    assert True\n")
    pytester.makepyfile(test_bad="def test_bad():\n    raise ValueError('bad thing 9')\n")
    ok = pytester.runpytest("--fixbook-known", "--fixbook-cases", str(moved), "test_ok.py")
    ok.assert_outcomes(passed=1)
    assert "known issue" not in ok.stdout.str()
    bad = pytester.runpytest("--fixbook-known", "--fixbook-cases", str(moved), "test_bad.py")
    bad.stdout.fnmatch_lines(["*fixbook: 1 failure(s) with a known issue*"])


def test_under_xdist_the_list_is_complete(project: pytest.Pytester) -> None:
    pytest.importorskip("xdist")
    result = project.runpytest_subprocess(
        "--fixbook-known", "-n", "2", "-p", "xdist", "test_user.py"
    )
    result.stdout.fnmatch_lines(["*= fixbook: 2 failure(s) with a known issue =*"])


def test_a_plain_project_without_a_cases_folder(pytester: pytest.Pytester) -> None:
    """Nothing on passing tests; with a failure, one line that the folder is missing."""
    pytest.importorskip("xdist")
    pytester.makepyfile(test_ok="def test_ok():\n    assert True\n")
    pytester.makepyfile(test_bad="def test_bad():\n    raise ValueError('bad thing 9')\n")
    args = ("--fixbook-known", "--fixbook-cases", "no-such-folder", "-p", "xdist")
    ok = pytester.runpytest_subprocess(*args, "-n", "2", "test_ok.py")
    ok.assert_outcomes(passed=1)
    said = [line for line in ok.stdout.lines + ok.stderr.lines if "fixbook" in line]
    assert [line for line in said if not line.startswith("plugins:")] == []
    bad = pytester.runpytest(*args, "test_ok.py", "test_bad.py")
    bad.assert_outcomes(passed=1, failed=1)
    lines = [line for line in bad.stdout.lines if line.startswith("fixbook")]
    assert lines == [
        f"fixbook: --fixbook-known matched no failure: no cases folder at "
        f"{pytester.path / 'no-such-folder'} (set --fixbook-cases, fixbook_cases or $FIXBOOK_CASES)"
    ]
    assert bad.stderr.str() == ""
