"""The fixbook command: new + check round trip, check errors, report and compare."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fixbook.cli import main
from fixbook.results.store import CaseRecord, ScriptRecord, new_environment, write_results

from .conftest import MakeCase


def test_an_unfilled_scaffold_is_invalid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "numpyro/shape-bug", "--root", str(tmp_path)]) == 0
    folder = tmp_path / "numpyro" / "shape-bug"
    assert sorted(p.name for p in folder.iterdir()) == [
        "README.md",
        "case.toml",
        "fix.py",
        "repro.py",
    ]
    capsys.readouterr()
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "1 case(s) checked, 1 invalid" in out
    assert f"error: {folder / 'case.toml'}: is an unfilled scaffold: line 2 still holds" in out
    assert "that `fixbook new` wrote (and " in out and "fill in the case" in out


def test_a_filled_in_case_that_mentions_todo_is_valid(
    tmp_path: Path, make_case: MakeCase, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the scaffold's own placeholder lines count, not the word TODO in real text."""
    make_case("todo-word", repro='# TODO in upstream code\nraise ValueError("bad thing 42")\n')
    assert main(["check", str(tmp_path / "cases")]) == 0
    assert "1 case(s) checked, 0 invalid" in capsys.readouterr().out


def test_scaffolded_case_is_a_collection_error_until_filled_in(
    pytester: pytest.Pytester,
) -> None:
    assert main(["new", "packaging/todo", "--root", str(pytester.path / "cases")]) == 0
    toml = pytester.path / "cases" / "packaging" / "todo" / "case.toml"
    assert 'library  = "packaging"' in toml.read_text()
    result = pytester.runpytest("cases")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*case.toml: is an unfilled scaffold: line 2 still holds*"])
    result.stdout.no_fnmatch_line("*error changed*")
    result.stdout.no_fnmatch_line("*upstream reworded*")


def test_new_refuses_bad_names_and_existing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "Not A Slug", "--root", str(tmp_path)]) == 2
    assert main(["new", "jax/x", "--root", str(tmp_path)]) == 0
    assert main(["new", "jax/x", "--root", str(tmp_path)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_new_keras_case_requires_keras_3(tmp_path: Path) -> None:
    assert main(["new", "keras/x", "--root", str(tmp_path)]) == 0
    assert main(["new", "jax/y", "--root", str(tmp_path)]) == 0
    assert 'requires = ["keras>=3.0"]' in (tmp_path / "keras" / "x" / "case.toml").read_text()
    assert 'requires = ["jax"]' in (tmp_path / "jax" / "y" / "case.toml").read_text()


def test_check_reports_every_invalid_case(
    tmp_path: Path, make_case: MakeCase, capsys: pytest.CaptureFixture[str]
) -> None:
    make_case("good")
    bad = make_case("bad")
    (bad / "case.toml").write_text((bad / "case.toml").read_text() + "colour = 'red'\n")
    assert main(["check", str(tmp_path / "cases")]) == 1
    out = capsys.readouterr().out
    assert f"error: {bad / 'case.toml'}: [repro.colour] unknown key" in out
    assert "2 case(s) checked, 1 invalid" in out
    assert main(["check", str(tmp_path / "nowhere")]) == 2


def _doc(tmp_path: Path, name: str, repro: str, fix: str = "passed") -> Path:
    scripts = {
        "repro": ScriptRecord(outcome=repro, expected="reproduced", ok=repro == "reproduced"),
        "fix": ScriptRecord(outcome=fix, expected="passed", ok=fix == "passed"),
    }
    case = CaseRecord(
        case_id="jax/a",
        title="A",
        library="jax",
        path="cases/jax/a",
        hash="0",
        requires={"jax": "0.10.2"},
        scripts=scripts,
    )
    path = tmp_path / f"{name}.json"
    write_results(path, new_environment(name, {"jax/a": case}, ()))
    return path


def test_report_and_compare(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = _doc(tmp_path, "old", "reproduced")
    new = _doc(tmp_path, "new", "drifted")
    assert main(["report", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "new: python" in out and "error changed (1):" in out and "reproduces (1):" in out
    assert main(["report", "--compare", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert "now error changed (1):" in out
    assert "jax/a: reproduces -> error changed" in out


def test_report_on_corrupt_file_is_clear(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"schema": 1}))
    assert main(["report", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"fixbook report: {bad}: is not a fixbook results document")
    assert "Traceback" not in err
