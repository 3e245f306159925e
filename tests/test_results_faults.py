"""Results files that are corrupt, foreign or odd: a clear error naming the file, never a
traceback, in ``fixbook report``, in the recorder of a pytest run, and in ``mkdocs build``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fixbook.cli import main
from fixbook.results.store import ResultsError, read_results

from .conftest import MakeCase, write_case
from .fault_cases import clean_environment


def valid_document() -> dict[str, Any]:
    script = {
        "outcome": "reproduced",
        "expected": "reproduced",
        "ok": True,
        "versions": "jax 0.4.30",
        "error_type": "builtins.ValueError",
        "error_mro": ["builtins.ValueError"],
        "message": "boom",
        "traceback": "",
        "stdout": "",
        "stderr": "",
        "detail": "",
        "duration": 0.5,
        "recorded": "2026-01-01T00:00:00+00:00",
        "runner": "warm",
    }
    return {
        "schema": 1,
        "environment": {
            "name": "local",
            "python": "3.11.7",
            "platform": "linux-x86_64",
            "packages": {"jax": "0.4.30"},
            "updated": "2026-01-01T00:00:00+00:00",
        },
        "cases": {
            "jax/alpha": {
                "title": "A",
                "library": "jax",
                "path": "cases/jax/alpha",
                "hash": "0" * 64,
                "requires": {"jax": "0.4.30"},
                "env": {},
                "scripts": {
                    "repro": script,
                    "fix": {**script, "outcome": "passed", "expected": "passed"},
                },
            }
        },
        "errors": [],
    }


def patched(**changes: Any) -> bytes:
    """The valid document with some values replaced; keys are paths joined by '|'."""
    doc = valid_document()
    for dotted, value in changes.items():
        *parents, last = dotted.split("|")
        table = doc
        for key in parents:
            table = table[key]
        table[last] = value
    return json.dumps(doc).encode()


#: Files that are not fixbook results documents, and the words their error must hold.
CORRUPT = {
    "empty": (b"", "is not valid JSON"),
    "truncated": (patched()[:-40], "is not valid JSON"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00", "is not valid JSON"),
    "latin-1": ('{"schema": 1, "x": "caf\xe9"}'.encode("latin-1"), "is not valid JSON"),
    "json-array": (b"[1, 2, 3]", "is not a fixbook results document (no 'schema' key)"),
    "json-string": (b'"results"', "is not a fixbook results document"),
    "foreign": (b'{"name": "my-app", "version": "1.0.0"}', "no 'schema' key"),
    "newer-schema": (patched(schema=2), "schema 2, expected 1"),
    "no-environment": (
        json.dumps({"schema": 1, "cases": {}}).encode(),
        "missing key 'environment'",
    ),
    "cases-a-list": (patched(cases=[]), "is not a fixbook results document"),
    "script-a-string": (
        patched(**{"cases|jax/alpha|scripts|repro": "boom"}),
        "is not a fixbook results document",
    ),
    "unknown-script-field": (
        patched(**{"cases|jax/alpha|scripts|repro|colour": "red"}),
        "is not a fixbook results document",
    ),
    "mro-a-number": (
        patched(**{"cases|jax/alpha|scripts|repro|error_mro": 5}),
        "is not a fixbook results document",
    ),
    "packages-a-string": (
        patched(**{"environment|packages": "jax"}),
        "is not a fixbook results document",
    ),
    "errors-of-numbers": (patched(errors=[1, 2]), "is not a fixbook results document"),
    "name-a-number": (patched(**{"environment|name": 7}), "environment.name must be a string"),
}

#: Documents that ``read_results`` accepts today although a field has the wrong type;
#: the site then fails on them with a traceback.
WRONG_TYPES = {
    "recorded-a-number": {"cases|jax/alpha|scripts|repro|recorded": 5},
    "package-version-a-number": {"environment|packages": {"jax": 5}},
    "duration-a-string": {"cases|jax/alpha|scripts|repro|duration": "fast"},
    "ok-a-string": {"cases|jax/alpha|scripts|repro|ok": "yes"},
    "mro-of-numbers": {"cases|jax/alpha|scripts|repro|error_mro": [1, 2]},
    "requires-a-list-of-pairs": {"cases|jax/alpha|requires": [["jax", 1]]},
}

DEEP = b'{"schema": 1, "environment": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"


def report(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["report", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", list(CORRUPT))
def test_report_on_a_corrupt_or_foreign_file_is_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    content, words = CORRUPT[name]
    path = tmp_path / "local.json"
    path.write_bytes(content)
    code, out, err = report(str(path), capsys=capsys)
    assert code == 2
    assert out == ""
    assert err.startswith(f"fixbook report: {path}: "), err
    assert words in err
    assert err.count("\n") == 1, err


def test_report_on_a_folder_holding_a_foreign_json_names_that_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "local.json").write_bytes(patched())
    (tmp_path / "package.json").write_bytes(CORRUPT["foreign"][0])
    code, _, err = report(str(tmp_path), capsys=capsys)
    assert code == 2
    assert err.startswith(f"fixbook report: {tmp_path / 'package.json'}: ")


def test_report_command_in_its_own_process_prints_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "local.json"
    path.write_bytes(CORRUPT["truncated"][0])
    proc = subprocess.run(
        [sys.executable, "-m", "fixbook.cli", "report", str(path)],
        capture_output=True,
        text=True,
        env=clean_environment(),
        timeout=120,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"fixbook report: {path}: is not valid JSON")


def test_report_on_deeply_nested_json_is_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "local.json"
    path.write_bytes(DEEP)
    code, _, err = report(str(path), capsys=capsys)
    assert code == 2
    assert err.startswith(f"fixbook report: {path}: ")


@pytest.mark.parametrize("name", list(WRONG_TYPES))
def test_a_field_of_the_wrong_type_is_a_results_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / "local.json"
    path.write_bytes(patched(**WRONG_TYPES[name]))
    with pytest.raises(ResultsError, match="is not a fixbook results document"):
        read_results(path)


def test_the_valid_document_used_here_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "local.json"
    path.write_bytes(patched())
    doc = read_results(path)
    assert doc.cases["jax/alpha"].scripts["fix"].outcome == "passed"


# --- the recorder of a pytest run -------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "foreign",
        "newer-schema",
        "deep",
    ],
)
def test_a_run_sets_an_unreadable_results_file_aside_and_starts_anew(
    pytester: pytest.Pytester, pytester_case: MakeCase, name: str
) -> None:
    pytester_case("alpha", repro="import os\nraise ValueError('bad thing 1')\n")
    content = DEEP if name == "deep" else CORRUPT[name][0]
    folder = pytester.path / ".fixbook" / "results"
    folder.mkdir(parents=True)
    (folder / "local.json").write_bytes(content)
    result = pytester.runpytest("cases")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*warning: *local.json: *moved it to local.json.unreadable*"])
    assert "INTERNALERROR" not in result.stdout.str()
    assert (folder / "local.json.unreadable").read_bytes() == content
    assert list(read_results(folder / "local.json").cases) == ["samples/alpha"]


# --- mkdocs build -------------------------------------------------------------------------------


MKDOCS_YML = """\
site_name: Fixbook faults
docs_dir: docs
site_dir: site
theme:
  name: material
plugins:
  - fixbook:
      cases_dir: cases
      results_dir: .fixbook/results
markdown_extensions:
  - admonition
  - attr_list
  - tables
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
"""


def write_site_project(root: Path) -> Path:
    """A small site: one case, a valid ``good.json`` results file, ``mkdocs.yml``."""
    write_case(root / "cases", "alpha", library="jax")
    docs = root / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Faults\n", encoding="utf-8")
    results = root / ".fixbook" / "results"
    results.mkdir(parents=True)
    (results / "good.json").write_bytes(patched(**{"environment|name": "good"}))
    config = root / "mkdocs.yml"
    config.write_text(MKDOCS_YML, encoding="utf-8")
    return config


def mkdocs_build(config: Path) -> subprocess.CompletedProcess[str]:
    env = {**clean_environment(), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
        cwd=config.parent,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("content", "words"),
    [
        pytest.param(CORRUPT["truncated"][0], "is not valid JSON", id="truncated"),
        pytest.param(CORRUPT["foreign"][0], "is not a fixbook results document", id="foreign"),
        pytest.param(
            patched(**WRONG_TYPES["recorded-a-number"]),
            "is not a fixbook results document",
            id="recorded-a-number",
        ),
    ],
)
def test_mkdocs_build_with_a_bad_results_file_is_one_clear_error(
    tmp_path: Path, content: bytes, words: str
) -> None:
    config = write_site_project(tmp_path)
    bad = tmp_path / ".fixbook" / "results" / "local.json"
    bad.write_bytes(content)
    result = mkdocs_build(config)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert f"fixbook: {bad}: {words}" in result.stderr, result.stderr[-3000:]
    assert not (tmp_path / "site" / "index.html").exists()


def test_mkdocs_build_of_the_same_project_with_good_results_succeeds(tmp_path: Path) -> None:
    """The project of the test above builds when no file is bad: the errors are the file's."""
    result = mkdocs_build(write_site_project(tmp_path))
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "site" / "cases" / "jax" / "alpha" / "index.html").is_file()
