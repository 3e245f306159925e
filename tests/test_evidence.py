"""``[[repro.checked]]``: the entries, the boundary check, writing them, ``fixbook check``."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from fixbook.cli import main
from fixbook.history.affected import set_checked
from fixbook.knowledge.case import CaseError, load_case
from fixbook.knowledge.evidence import (
    NOT_REPRODUCED,
    REPRODUCED,
    CheckedRun,
    EvidenceError,
    evidence_problems,
    parse_checked,
)

from .conftest import MakeCase

PATH = Path("cases/numpyro/x/case.toml")
DAY = datetime.date(2026, 11, 30)


def run(outcome: str, **versions: str) -> CheckedRun:
    return CheckedRun({k: Version(v) for k, v in versions.items()}, outcome, DAY)


def problems(affected: dict[str, str], *runs: CheckedRun) -> list[str]:
    specs = {name: SpecifierSet(spec) for name, spec in affected.items()}
    return evidence_problems(PATH, specs, runs)


def test_entries_parse_with_canonical_names_and_iso_days() -> None:
    [entry] = parse_checked(
        [
            {
                "versions": {"NumPyro": "0.13.2", "jax": "0.4.25"},
                "outcome": "reproduced",
                "date": "2026-11-30",
            }
        ]
    )
    assert entry.versions == {"numpyro": Version("0.13.2"), "jax": Version("0.4.25")}
    assert entry.date == DAY
    assert parse_checked([{"versions": {"jax": "1"}, "outcome": NOT_REPRODUCED, "date": DAY}])


@pytest.mark.parametrize(
    ("entry", "key", "message"),
    [
        ("x", "repro.checked[0]", "must be a table"),
        ({"versions": {"jax": "1"}, "outcome": REPRODUCED}, "repro.checked[0].date", "missing"),
        ({"versions": {}, "outcome": REPRODUCED, "date": "2026-01-01"}, ".versions", "exact"),
        (
            {"versions": {"jax": "one"}, "outcome": REPRODUCED, "date": "2026-01-01"},
            ".versions.jax",
            "PEP 440",
        ),
        (
            {"versions": {"jax": "1"}, "outcome": "fixed", "date": "2026-01-01"},
            ".outcome",
            "reproduced",
        ),
        (
            {"versions": {"jax": "1"}, "outcome": REPRODUCED, "date": "30/11/2026"},
            ".date",
            "YYYY-MM-DD",
        ),
        (
            {"versions": {"jax": "1"}, "outcome": REPRODUCED, "date": "2026-01-01", "by": "me"},
            ".by",
            "unknown key",
        ),
    ],
)
def test_a_bad_entry_names_its_key(entry: object, key: str, message: str) -> None:
    with pytest.raises(EvidenceError, match=message) as info:
        parse_checked([entry])
    assert info.value.key.endswith(key)


def test_a_bad_entry_fails_loading_with_file_and_key(make_case: MakeCase) -> None:
    folder = make_case(
        "bad",
        repro_extra='\n[[repro.checked]]\nversions = { packaging = "x" }\n'
        'outcome = "reproduced"\ndate = "2026-11-30"\n',
    )
    with pytest.raises(
        CaseError, match=r"case\.toml: \[repro\.checked\[0\]\.versions\.packaging\]"
    ):
        load_case(folder)


def test_both_sides_of_both_boundaries_are_enough() -> None:
    assert not problems(
        {"numpyro": ">=0.14.0,<0.15.3"},
        run(NOT_REPRODUCED, numpyro="0.13.2", jax="0.4.25"),
        run(REPRODUCED, numpyro="0.14.0", jax="0.4.25"),
        run(REPRODUCED, numpyro="0.15.2"),
        run(NOT_REPRODUCED, numpyro="0.15.3"),
    )


def test_each_missing_side_is_named_with_file_key_and_side() -> None:
    found = problems(
        {"numpyro": ">=0.14.0,<0.15.3"},
        run(REPRODUCED, numpyro="0.14.0"),
        run(NOT_REPRODUCED, numpyro="0.15.3"),
    )
    assert found == [
        f"{PATH}: [repro.checked] no not-reproduced run below numpyro>=0.14.0; add a "
        "[[repro.checked]] entry with numpyro < 0.14.0 and outcome = 'not-reproduced'"
    ]
    nothing = problems({"numpyro": "<0.15.3"})
    assert len(nothing) == 2
    assert "no reproduced run inside the range" in nothing[0]
    assert "the oldest release it was checked on" in nothing[0]
    assert "no not-reproduced run above numpyro<0.15.3" in nothing[1]


def test_a_run_contradicting_the_range_is_an_error() -> None:
    found = problems(
        {"numpyro": "<0.15.3"},
        run(REPRODUCED, numpyro="0.12.1"),
        run(NOT_REPRODUCED, numpyro="0.15.3"),
        run(REPRODUCED, numpyro="0.16.0"),
    )
    assert found == [
        f"{PATH}: [repro.checked[2]] numpyro 0.16.0 is outside [repro].affected, "
        "so its outcome must be 'not-reproduced', not 'reproduced'"
    ]


def test_a_combination_needs_each_boundary_shown_with_the_other_inside() -> None:
    affected = {"tensorflow-probability": "<=0.25.0", "jax": ">=0.7.0"}
    inside = run(REPRODUCED, **{"tensorflow-probability": "0.25.0", "jax": "0.7.0"})
    old_jax = run(NOT_REPRODUCED, **{"tensorflow-probability": "0.25.0", "jax": "0.6.2"})
    new_tfp = run(
        NOT_REPRODUCED, **{"tensorflow-probability": "0.26.0.dev20251120", "jax": "0.10.2"}
    )
    assert not problems(affected, inside, old_jax, new_tfp)
    # an old jax with a new tfp shows neither boundary
    both_out = run(NOT_REPRODUCED, **{"tensorflow-probability": "0.26.0", "jax": "0.6.2"})
    found = problems(affected, inside, both_out, new_tfp)
    assert len(found) == 1 and "below jax>=0.7.0" in found[0]
    lacking = problems(affected, run(REPRODUCED, jax="0.7.0"))
    assert "[repro.checked[0].versions] lacks tensorflow-probability" in lacking[0]


def test_unbounded_operators_are_refused() -> None:
    found = problems({"jax": "~=0.4.20"}, run(REPRODUCED, jax="0.4.25"))
    assert found == [
        f"{PATH}: [repro.affected.jax] ~=0.4.20 has no boundary a run can be placed beside; "
        "write the range with >=, >, <, <=, == or != and whole versions"
    ]


CASE = """\
title = "t"

[repro]
raises = "ValueError"
match  = "m"
affected = { numpyro = "<0.15.3" }

[[repro.checked]]
versions = { numpyro = "0.15.3" }
outcome  = "reproduced"
date     = "2026-01-01"

[fix]
requires = { numpyro = ">=0.1" }
"""


def test_set_checked_replaces_same_versions_and_writes_after_repro() -> None:
    new = set_checked(
        CASE, [run(NOT_REPRODUCED, numpyro="0.15.3"), run(REPRODUCED, numpyro="0.15.2")]
    )
    assert new.count("[[repro.checked]]") == 2
    assert new.index('versions = { numpyro = "0.15.2" }') < new.index("[fix]")
    assert 'date     = "2026-01-01"' not in new  # the old 0.15.3 entry was replaced
    assert new.startswith(CASE[: CASE.index("\n[[repro.checked]]")])
    assert set_checked(new, []) == new


def test_fixbook_check_rejects_a_ranged_case_without_evidence(
    make_case: MakeCase, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = make_case("ranged", repro_extra='affected = { packaging = ">=20" }\n')
    assert main(["check", str(folder)]) == 1
    out = capsys.readouterr().out
    assert f"error: {folder / 'case.toml'}: [repro.checked] no not-reproduced run below " in out
    assert "1 case(s) checked, 1 invalid" in out
