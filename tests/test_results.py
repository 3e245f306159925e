"""The results store: round trip, atomic writes, merging, and clear errors."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from fixbook.results.store import (
    CaseRecord,
    ResultsError,
    ScriptRecord,
    fold,
    merge,
    new_environment,
    read_results,
    read_results_dir,
    write_results,
)


def record(case_id: str, outcome: str = "reproduced", message: str = "boom") -> CaseRecord:
    script = ScriptRecord(outcome=outcome, expected="reproduced", ok=True, message=message)
    return CaseRecord(
        case_id=case_id,
        title="T",
        library="jax",
        path=f"cases/{case_id}",
        hash="0" * 64,
        requires={"jax": "0.10.2"},
        scripts={"repro": script},
    )


def test_round_trip(tmp_path: Path) -> None:
    doc = new_environment("latest", {"jax/a": record("jax/a")}, ())
    path = tmp_path / "latest.json"
    write_results(path, doc)
    back = read_results(path)
    assert back.name == "latest"
    assert back.packages == {"jax": "0.10.2"}
    assert back.cases["jax/a"].scripts["repro"].outcome == "reproduced"
    assert not list(tmp_path.glob("*.tmp"))


def test_long_texts_are_bounded(tmp_path: Path) -> None:
    doc = new_environment("latest", {"jax/a": record("jax/a", message="x" * 1_000_000)}, ())
    path = tmp_path / "latest.json"
    write_results(path, doc)
    assert path.stat().st_size < 20_000


def test_merge_keeps_cases_not_run_again() -> None:
    old = new_environment("latest", {"jax/a": record("jax/a"), "jax/b": record("jax/b")}, ())
    new = new_environment("latest", {"jax/a": record("jax/a", outcome="drifted")}, ())
    merged = merge(old, new)
    assert set(merged.cases) == {"jax/a", "jax/b"}
    assert merged.cases["jax/a"].scripts["repro"].outcome == "drifted"


def test_failed_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "latest.json"
    write_results(path, new_environment("latest", {"jax/a": record("jax/a")}, ()))
    before = path.read_text()

    def explode(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("fixbook.results.store.os.replace", explode)
    with pytest.raises(OSError, match="disk full"):
        write_results(path, new_environment("latest", {}, ()))
    assert path.read_text() == before
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{ nope", "is not valid JSON"),
        ("[1, 2]", "not a fixbook results document (no 'schema' key)"),
        ('{"schema": 99}', "schema 99, expected 1"),
        ('{"schema": 1, "environment": {}, "cases": {}}', "missing key 'name'"),
    ],
)
def test_bad_documents_name_the_file(tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ResultsError) as excinfo:
        read_results(path)
    assert str(excinfo.value).startswith(str(path))
    assert words in str(excinfo.value)


def test_read_dir_sorted_by_name(tmp_path: Path) -> None:
    for name in ("zeta", "alpha"):
        write_results(tmp_path / f"{name}.json", new_environment(name, {}, ()))
    assert [d.name for d in read_results_dir(tmp_path)] == ["alpha", "zeta"]
    assert read_results_dir(tmp_path / "missing") == []
    data = json.loads((tmp_path / "alpha.json").read_text())
    assert data["environment"]["python"]


def test_lone_surrogates_in_a_file_read_back_as_storable_text(tmp_path: Path) -> None:
    """JSON can spell a lone surrogate (``"\\ud800"``); no page or file could be written with it."""
    doc = new_environment("latest", {"jax/a": record("jax/a")}, ())
    path = tmp_path / "latest.json"
    write_results(path, doc)
    data = json.loads(path.read_text())
    data["cases"]["jax/a"]["scripts"]["repro"]["message"] = "bad \ud800 name"
    data["environment"]["packages"]["x\udcff"] = "1.0"
    path.write_text(json.dumps(data))
    back = read_results(path)
    assert back.cases["jax/a"].scripts["repro"].message == "bad \\ud800 name"
    assert "x\\udcff" in back.packages
    write_results(path, back)  # and it can be stored again


def test_lone_surrogates_in_journal_entries_fold_as_storable_text(tmp_path: Path) -> None:
    """A journal line is JSON too: the same escapes, the same repair."""
    script = asdict(ScriptRecord(outcome="reproduced", expected="reproduced", ok=True))
    entry = {
        "case_id": "jax/a",
        "script": "repro",
        "title": "T \udcff",
        "library": "jax",
        "path": "cases/jax/a",
        "hash": "0" * 64,
        "record": {**script, "error_mro": [], "message": "bad \ud800", "recorded": "2026"},
    }
    document = fold(None, [entry], "latest", {"python": "3.11 \ud800"})
    assert document is not None
    assert document.cases["jax/a"].scripts["repro"].message == "bad \\ud800"
    assert document.cases["jax/a"].title == "T \\udcff"
    assert document.python == "3.11 \\ud800"
    write_results(tmp_path / "latest.json", document)
