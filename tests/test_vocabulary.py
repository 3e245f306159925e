"""One vocabulary: the site, the terminal summary, `report` and `--compare` say the same words."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixbook.knowledge.vocabulary import CaseStatus, change_heading, meaning
from fixbook.results.report import compare, format_changes, format_summary
from fixbook.results.store import (
    CaseRecord,
    EnvironmentResults,
    ScriptRecord,
    new_environment,
    write_results,
)
from fixbook.site import render, text
from fixbook.site.catalog import load_catalog

from .conftest import MakeCase


def _environment(name: str, repro: tuple[str, str], jax: str) -> EnvironmentResults:
    scripts = {
        "repro": ScriptRecord(outcome=repro[0], expected=repro[1], ok=repro[0] == repro[1]),
        "fix": ScriptRecord(outcome="passed", expected="passed", ok=True),
    }
    record = CaseRecord(
        case_id="samples/ranged",
        title="Sample ranged",
        library="samples",
        path="cases/samples/ranged",
        hash="0",
        requires={"jax": jax},
        scripts=scripts,
    )
    return new_environment(name, {"samples/ranged": record}, ())


def test_every_status_has_one_meaning() -> None:
    assert {meaning(status) for status in CaseStatus} and all(
        meaning(status) for status in CaseStatus
    )
    assert len({status.value for status in CaseStatus}) == len(CaseStatus)


def test_report_and_site_name_an_older_release_the_same_way(
    tmp_path: Path, make_case: MakeCase
) -> None:
    """jax 0.4.25 is below the affected range: "not affected" in the site and in report."""
    make_case("ranged", repro_extra='affected = { jax = ">=0.4.26" }\n')
    older = _environment("legacy", ("not-reproduced", "not-reproduced"), "0.4.25")
    write_results(tmp_path / "results" / "legacy.json", older)

    summary = "\n".join(format_summary(older))
    assert f"  {CaseStatus.NOT_AFFECTED.value} (1):" in summary
    assert "fixed upstream" not in summary

    catalog = load_catalog(tmp_path / "cases", tmp_path / "results")
    (cell,) = catalog.cases[0].cells
    assert cell.status == CaseStatus.NOT_AFFECTED
    assert cell.label == "not affected (introduced in jax 0.4.26)"
    page = render.render_matrix(catalog)
    for status in CaseStatus:
        assert text.inline(meaning(status)) in page  # the legend says what each word means


def test_compare_names_a_regression_by_its_new_status() -> None:
    """A bug that comes back is listed as "now reproduces", not as "back to expected"."""
    fixed = _environment("old", ("not-reproduced", "not-reproduced"), "0.5.0")
    back = _environment("new", ("reproduced", "reproduced"), "0.6.0")
    lines = format_changes(compare(fixed, back), "old", "new")
    assert lines == [
        "changes from old to new:",
        f"  {change_heading(CaseStatus.REPRODUCES)} (1):",
        "    samples/ranged: not affected -> reproduces",
    ]
    assert change_heading(CaseStatus.REPRODUCES) == "now reproduces"


def test_terminal_summary_uses_the_same_words(
    pytester: pytest.Pytester, pytester_case: MakeCase
) -> None:
    pytester_case(
        "gone", repro="print('runs clean')\n", repro_extra='affected = { packaging = "<1" }\n'
    )
    result = pytester.runpytest("cases", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*fixbook summary*", f"{CaseStatus.NOT_AFFECTED.value} (1):"])
