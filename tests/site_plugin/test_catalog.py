"""Unit tests of the site's domain model: cases joined with results, per environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixbook.knowledge.case import CaseError
from fixbook.knowledge.vocabulary import CaseStatus
from fixbook.results.store import ResultsError
from fixbook.site.catalog import CaseEntry, Catalog, load_catalog
from tests.site_plugin.samples import (
    NUMPYRO_MESSAGE,
    TRICKY_MESSAGE,
    write_cases,
    write_sample_results,
)


def load(root: Path) -> Catalog:
    return load_catalog(root / "cases", root / ".fixbook" / "results")


def entry(catalog: Catalog, case_id: str) -> CaseEntry:
    return next(e for e in catalog.cases if e.id == case_id)


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    write_cases(tmp_path)
    write_sample_results(tmp_path)
    return load(tmp_path)


def test_libraries_are_grouped_sorted_and_named(catalog: Catalog) -> None:
    assert [lib.folder for lib in catalog.libraries] == ["jax", "keras", "numpyro"]
    assert [lib.name for lib in catalog.libraries] == ["JAX", "Keras", "NumPyro"]
    assert [e.page_uri for e in catalog.cases][0] == "cases/jax/nonzero-size/index.md"
    assert [env.name for env in catalog.environments] == ["latest", "legacy"]


def test_status_per_environment(catalog: Catalog) -> None:
    statuses = {e.id: [(c.env_name, c.status, c.stale) for c in e.cells] for e in catalog.cases}
    assert statuses == {
        "jax/nonzero-size": [
            ("latest", CaseStatus.FIX_BROKEN, True),
            ("legacy", CaseStatus.NOT_VERIFIED, False),
        ],
        "keras/tricky-escaping": [
            ("latest", CaseStatus.REPRODUCES, False),
            ("legacy", CaseStatus.ERROR_CHANGED, False),
        ],
        "numpyro/predictive-shape": [
            ("latest", CaseStatus.NOT_AFFECTED, False),
            ("legacy", CaseStatus.REPRODUCES, False),
        ],
    }


def test_fixed_upstream_names_the_release_from_affected(catalog: Catalog) -> None:
    cell = entry(catalog, "numpyro/predictive-shape").cells[0]
    assert cell.label == "not affected (fixed in numpyro 0.15.0)"
    assert cell.versions == "numpyro 0.22.0, jax 0.10.2"
    assert "latest: not affected (fixed in numpyro 0.15.0)" in cell.tooltip


def test_stale_results_say_so(catalog: Catalog) -> None:
    jax = entry(catalog, "jax/nonzero-size")
    assert jax.stale
    assert "older version of this case" in jax.cells[0].tooltip
    assert not entry(catalog, "keras/tricky-escaping").stale


def test_captured_errors_are_grouped_repro_first(catalog: Catalog) -> None:
    keras = entry(catalog, "keras/tricky-escaping").errors()
    assert [(e.script, e.error_type, e.environments, e.documented) for e in keras] == [
        ("repro", "builtins.TypeError", ("latest",), True),
        ("repro", "builtins.KeyError", ("legacy",), False),
    ]
    assert keras[0].message == TRICKY_MESSAGE
    jax = entry(catalog, "jax/nonzero-size").errors()
    assert [e.script for e in jax] == ["repro", "fix"]
    numpyro = entry(catalog, "numpyro/predictive-shape").errors()
    assert [e.message for e in numpyro] == [NUMPYRO_MESSAGE]


def test_status_counts(catalog: Catalog) -> None:
    counts = catalog.status_counts()
    assert counts["latest"][CaseStatus.REPRODUCES] == 1
    assert counts["legacy"][CaseStatus.NOT_VERIFIED] == 1
    assert sum(counts["legacy"].values()) == 3


def test_without_results_every_case_is_not_yet_verified(tmp_path: Path) -> None:
    write_cases(tmp_path)
    catalog = load(tmp_path)
    assert catalog.environments == ()
    for case in catalog.cases:
        assert [(c.env_name, c.label) for c in case.cells] == [
            ("all environments", "not yet verified")
        ]
        assert case.errors() == []


def test_no_cases_folder_is_an_empty_catalog(tmp_path: Path) -> None:
    assert load(tmp_path).cases == ()


def test_a_bad_case_is_a_case_error_naming_the_file(tmp_path: Path) -> None:
    write_cases(tmp_path)
    toml = tmp_path / "cases" / "jax" / "nonzero-size" / "case.toml"
    toml.write_text(toml.read_text() + "bogus = 1\n")
    with pytest.raises(CaseError, match=r"nonzero-size/case\.toml: \[repro\.bogus\]"):
        load(tmp_path)


def test_a_readme_that_is_not_utf8_is_a_case_error(tmp_path: Path) -> None:
    write_cases(tmp_path)
    readme = tmp_path / "cases" / "jax" / "nonzero-size" / "README.md"
    readme.write_bytes(b"\xff\xfe bad")
    with pytest.raises(CaseError, match=r"README\.md: is not valid UTF-8"):
        load(tmp_path)


def test_a_bad_results_file_is_a_results_error_naming_the_file(tmp_path: Path) -> None:
    write_cases(tmp_path)
    paths = write_sample_results(tmp_path)
    paths["legacy"].write_text('{"schema": 1}')
    with pytest.raises(ResultsError, match=r"legacy\.json: is not a fixbook results document"):
        load(tmp_path)
