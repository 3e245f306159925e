"""OSV: events from specifiers, the export command, and every record against the official schema."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from fixbook.cli import main
from fixbook.history.osv import InexactRange, bounds, events, spec_text
from tests.why_eval.evaluate import ROOT

from .conftest import MakeCase

SCHEMA = json.loads((Path(__file__).parent / "osv" / "osv-schema-v1.7.5.json").read_text())


def _validators() -> tuple[jsonschema.protocols.Validator, jsonschema.protocols.Validator]:
    """The official schema, and the same with FIXBOOK among the registered id prefixes."""
    official = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    extended = copy.deepcopy(SCHEMA)
    prefix = extended["$defs"]["prefix"]
    prefix["pattern"] = prefix["pattern"].replace("^(", "^(FIXBOOK|", 1)
    return official, jsonschema.Draft202012Validator(
        extended, format_checker=jsonschema.FormatChecker()
    )


@pytest.mark.parametrize(
    ("spec", "expected", "fixed_release"),
    [
        (">=0.14.0,<0.15.0", [{"introduced": "0.14.0"}, {"fixed": "0.15.0.dev0"}], "0.15.0"),
        ("<0.8.0", [{"introduced": "0"}, {"fixed": "0.8.0.dev0"}], "0.8.0"),
        (">=0.7.0", [{"introduced": "0.7.0"}], None),
        ("==2.13.0", [{"introduced": "2.13.0"}, {"last_affected": "2.13.0"}], None),
        (">=1.0,<=1.4", [{"introduced": "1.0"}, {"last_affected": "1.4"}], None),
        ("~=1.4", [{"introduced": "1.4"}, {"fixed": "2.dev0"}], "2"),
        ("~=1.4.2", [{"introduced": "1.4.2"}, {"fixed": "1.5.dev0"}], "1.5"),
        (">=1.0,<2.0rc1", [{"introduced": "1.0"}, {"fixed": "2.0rc1"}], None),
    ],
)
def test_events_from_specifiers(
    spec: str, expected: list[dict[str, str]], fixed_release: str | None
) -> None:
    assert events(SpecifierSet(spec)) == expected
    assert bounds(SpecifierSet(spec)).fixed_release == fixed_release


@pytest.mark.parametrize(
    "spec",
    [
        ">0.14",
        "!=1.0",
        "==1.*",
        "===1.0",
        ">=1,>=2",
        "<1,<2",
        "==1.0,<2",
        "<1.0.post1",
        "<2.0.dev3",
    ],
)
def test_specifiers_osv_cannot_say_exactly_are_errors(spec: str) -> None:
    with pytest.raises(InexactRange):
        events(SpecifierSet(spec))


@pytest.mark.parametrize("spec", [">=0.14.0,<0.15.0", "<0.8.0", ">=0.7.0", "~=1.4", "<=1.4"])
def test_events_agree_with_pep440_on_prereleases_and_posts(spec: str) -> None:
    """Every version on a dense grid is inside the OSV range exactly when inside the specifier."""
    interval = bounds(SpecifierSet(spec))
    grid = [
        f"{major}.{minor}.{patch}{suffix}"
        for major in (0, 1, 2)
        for minor in (0, 4, 5, 7, 8, 14, 15)
        for patch in (0, 1)
        for suffix in ("", ".dev0", "a1", "rc1", ".post1")
    ]
    for text in grid:
        version = Version(text)
        # OSV: introduced "0" is the earliest version of all, before any 0.0.0.dev0
        start = interval.introduced == "0" or version >= Version(interval.introduced)
        inside_osv = start and (
            (interval.fixed is None or version < Version(interval.fixed))
            and (interval.last_affected is None or version <= Version(interval.last_affected))
        )
        assert inside_osv == SpecifierSet(spec).contains(version, prereleases=True), (spec, text)


def test_spec_text_puts_the_lower_bound_first() -> None:
    assert spec_text(SpecifierSet("<0.15.0,>=0.14.0")) == ">=0.14.0,<0.15.0"


def test_export_writes_one_valid_record_per_ranged_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764460800")
    out = tmp_path / "osv"
    status = main(
        ["export", "--format", "osv", "--output", str(out), "--cases", str(ROOT / "cases")]
    )
    assert status == 0, capsys.readouterr().err
    records = {p.name: json.loads(p.read_text()) for p in out.glob("FIXBOOK-*.json")}
    ranged = [
        p.parent for p in (ROOT / "cases").glob("*/*/case.toml") if "affected" in p.read_text()
    ]
    assert len(records) == len(ranged) >= 3
    official, extended = _validators()
    for name, record in records.items():
        problems = list(official.iter_errors(record))
        # The one rule a record of an unregistered database cannot meet: the id prefix.
        assert [list(p.absolute_path) for p in problems] == [["id"]], (name, problems)
        extended.validate(record)
    record = records["FIXBOOK-numpyro-predictive-deterministic-shape.json"]
    assert record["modified"] == "2025-11-30T00:00:00Z"
    assert record["affected"] == [
        {
            "package": {"ecosystem": "PyPI", "name": "numpyro"},
            "ranges": [
                {
                    "type": "ECOSYSTEM",
                    "events": [{"introduced": "0.14.0"}, {"fixed": "0.15.0.dev0"}],
                }
            ],
            "database_specific": {"specifier": ">=0.14.0,<0.15.0"},
        }
    ]
    assert record["details"].startswith("# Predictive keeps deterministic sites")
    # Open below, but the case requires keras>=3.0: Keras 1 and 2 are not affected.
    keras = records["FIXBOOK-keras-initializer-seed-zero-ignored.json"]["affected"][0]
    assert keras["ranges"][0]["events"] == [{"introduced": "3.0"}, {"fixed": "3.2.0.dev0"}]
    assert keras["database_specific"] == {"specifier": "<3.2.0"}
    assert {"type": "REPORT", "url": "https://github.com/pyro-ppl/numpyro/issues/1772"} in record[
        "references"
    ]
    assert record["database_specific"]["case"] == "numpyro/predictive-deterministic-shape"
    index = json.loads((out / "index.json").read_text())
    assert sorted(i["id"] + ".json" for i in index) == sorted(records)


def test_an_inexact_specifier_is_an_error_naming_the_case(
    make_case: MakeCase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_case("fine", repro_extra='affected = { packaging = ">=1,<2" }\n')
    make_case("inexact", repro_extra='affected = { packaging = ">1.0" }\n')
    out = tmp_path / "osv"
    assert main(["export", "--output", str(out), "--cases", str(tmp_path / "cases")]) == 2
    err = capsys.readouterr().err
    assert "samples/inexact: [repro.affected.packaging] >1.0 has no exact OSV event" in err
    assert not out.exists()


def test_evidence_from_results_lands_under_database_specific(
    make_case: MakeCase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from fixbook.results.store import CaseRecord, ScriptRecord, new_environment, write_results

    folder = make_case("ranged", repro_extra='affected = { packaging = ">=1" }\n')
    run = ScriptRecord(
        ok=True, outcome="reproduced", expected="reproduced", recorded="2026-11-30T09:00:00Z"
    )
    record = CaseRecord(
        case_id="samples/ranged",
        title="t",
        library="samples",
        path=str(folder),
        hash="h",
        requires={"packaging": "24.0"},
        scripts={"repro": run},
    )
    results = tmp_path / "results"
    write_results(results / "latest.json", new_environment("latest", {record.case_id: record}, ()))
    out = tmp_path / "osv"
    args = ["export", "--output", str(out), "--cases", str(tmp_path / "cases")]
    assert main([*args, "--results", str(results)]) == 0
    osv: dict[str, Any] = json.loads((out / "FIXBOOK-samples-ranged.json").read_text())
    (evidence,) = osv["database_specific"]["evidence"]
    assert evidence["environment"] == "latest"
    assert evidence["versions"] == {"packaging": "24.0"}
    assert evidence["outcome"] == "reproduced" and evidence["date"] == "2026-11-30T09:00:00Z"


def _a_file(tmp_path: Path) -> Path:
    (tmp_path / "a-file").write_text("")
    return tmp_path / "a-file"


def _under_a_file(tmp_path: Path) -> Path:
    return _a_file(tmp_path) / "osv"


def _read_only(tmp_path: Path) -> Path:
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    return folder / "osv"


@pytest.mark.parametrize(
    "where",
    [
        _a_file,
        _under_a_file,
        pytest.param(
            _read_only,
            marks=pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere"),
        ),
    ],
    ids=["a-file-in-the-way", "under-a-file", "read-only"],
)
def test_export_where_it_cannot_write_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: Any
) -> None:
    out = where(tmp_path)
    status = main(["export", "--output", str(out), "--cases", str(ROOT / "cases")])
    captured = capsys.readouterr()
    assert status == 2 and captured.out == ""
    assert captured.err.startswith("fixbook export: cannot write ")
    assert captured.err.count("\n") == 1
