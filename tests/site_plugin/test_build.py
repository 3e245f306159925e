"""``mkdocs build --strict`` on temporary folders, in its own process, as a person runs it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.site_plugin.samples import (
    CAPTURED_ONLY_WORD,
    CASES,
    mkdocs_build,
    repository_config,
    write_project,
)

REPO = Path(__file__).resolve().parents[2]


def search_texts(site: Path) -> dict[str, str]:
    index = json.loads((site / "search" / "search_index.json").read_text())
    texts: dict[str, str] = {}
    for doc in index["docs"]:
        page = doc["location"].split("#")[0]
        texts[page] = texts.get(page, "") + " " + doc["title"] + " " + doc["text"]
    return texts


def test_a_page_per_case_the_matrix_and_downloads(built_site: Path) -> None:
    for case_id in CASES:
        assert (built_site / "cases" / case_id / "index.html").is_file()
    assert (built_site / "matrix" / "index.html").is_file()
    for lib in ("jax", "keras", "numpyro"):
        assert (built_site / "cases" / lib / "index.html").is_file()
    project = built_site.parent
    for script in ("repro.py", "fix.py"):
        published = built_site / "cases" / "numpyro" / "predictive-shape" / script
        source = project / "cases" / "numpyro" / "predictive-shape" / script
        assert published.read_bytes() == source.read_bytes()
    assert sorted(p.name for p in (project / "docs").iterdir()) == ["index.md", "tags.md"]


def test_captured_error_is_text_not_html(built_site: Path) -> None:
    page = (built_site / "cases" / "keras" / "tricky-escaping" / "index.html").read_text()
    assert "<script>alert(" not in page
    assert "&lt;script&gt;alert(" in page
    assert "&lt;KerasTensor shape=(None, 3)&gt;" in page
    assert "{{ jinja }}" in page


def test_search_index_holds_captured_and_documented_error_texts(built_site: Path) -> None:
    texts = search_texts(built_site)
    numpyro = texts["cases/numpyro/predictive-shape/"]
    assert CAPTURED_ONLY_WORD in numpyro
    assert "Incompatible shapes for broadcasting" in numpyro
    assert "Inputs to a layer should be tensors" in texts["cases/keras/tricky-escaping/"]
    assert not any(
        CAPTURED_ONLY_WORD in text
        for page, text in texts.items()
        if page != "cases/numpyro/predictive-shape/"
    )


def test_copy_buttons_tags_styles_and_pruned_navigation(built_site: Path) -> None:
    page = (built_site / "cases" / "numpyro" / "predictive-shape" / "index.html").read_text()
    assert '"content.code.copy"' in page
    assert "assets/fixbook/fixbook.css" in page
    assert (built_site / "assets" / "fixbook" / "fixbook.css").is_file()
    assert "tricky-escaping" not in page  # navigation.prune: other libraries' cases are not listed
    tags = (built_site / "tags" / "index.html").read_text()
    assert "predictive" in tags and "cases/numpyro/predictive-shape/" in tags
    home = (built_site / "index.html").read_text()
    assert "fixbook-status--fix-broken" in home  # the counts replaced the marker
    assert "fixbook:summary" not in home


def test_without_results_the_site_builds_and_says_not_yet_verified(tmp_path: Path) -> None:
    config = write_project(tmp_path, results=False)
    result = mkdocs_build(config)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "cases" / "jax" / "nonzero-size" / "index.html").read_text()
    assert "not yet verified" in page
    assert "No results yet" in (tmp_path / "site" / "index.html").read_text()


def test_a_bad_case_file_stops_the_build_naming_the_file(project: Path) -> None:
    toml = project.parent / "cases" / "keras" / "tricky-escaping" / "case.toml"
    toml.write_text(toml.read_text().replace('raises = "TypeError"', "raises = 3"))
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert f"{toml}: [repro.raises] must be a string" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_results_file_stops_the_build_naming_the_file(project: Path) -> None:
    results = project.parent / ".fixbook" / "results" / "latest.json"
    results.write_text("{not json")
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert f"{results}: is not valid JSON" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_docs_page_in_the_way_of_a_generated_one_is_an_error(project: Path) -> None:
    (project.parent / "docs" / "matrix.md").write_text("# Mine\n")
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert "matrix.md in the docs folder has the path of a page the fixbook plugin" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_markdown_extensions_are_named(project: Path) -> None:
    project.write_text(project.read_text().replace("  - pymdownx.details\n", ""))
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert "need these markdown_extensions in mkdocs.yml: pymdownx.details" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_repository_site_builds_strict(tmp_path: Path) -> None:
    """The repository's mkdocs.yml, docs/ and cases/, with no results yet."""
    result = mkdocs_build(repository_config(REPO, tmp_path / "results", tmp_path))
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    # The repository's site uses material's offline plugin: plain .html pages.
    for page in ("matrix", "how-it-works", "contributing", "version-matrix", "tags"):
        assert (site / f"{page}.html").is_file()
    cases = sorted(p.parent for p in (REPO / "cases").glob("*/*/case.toml"))
    assert cases
    for case in cases:
        assert (site / "cases" / case.parent.name / case.name / "index.html").is_file()
    assert (site / "search" / "search_index.js").is_file()


def test_only_the_configured_environments_are_published(project: Path) -> None:
    """An ad-hoc run's results file (here ``buildbox-py3.11``) stays off the site."""
    results = project.parent / ".fixbook" / "results"
    adhoc = json.loads((results / "latest.json").read_text())
    adhoc["environment"]["name"] = "buildbox-py3.11"
    (results / "buildbox-py3.11.json").write_text(json.dumps(adhoc))
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    assert "not publishing buildbox-py3.11" in result.stderr
    matrix = (project.parent / "site" / "matrix" / "index.html").read_text()
    assert "latest" in matrix and "legacy" in matrix and "buildbox" not in matrix

    project.write_text(
        project.read_text().replace(
            "      results_dir: .fixbook/results\n",
            "      results_dir: .fixbook/results\n      environments: [buildbox-py3.11]\n",
        )
    )
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    matrix = (project.parent / "site" / "matrix" / "index.html").read_text()
    assert "buildbox" in matrix and "legacy" not in matrix
