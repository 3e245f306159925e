"""Unit tests of the case navigation: a section per library, bounded groups, placement."""

from __future__ import annotations

from pathlib import Path

from fixbook.site.catalog import load_catalog
from fixbook.site.navigation import cases_section, place
from tests.site_plugin.samples import write_cases


def many_cases(root: Path, count: int) -> None:
    for i in range(count):
        folder = root / "cases" / "numpyro" / f"case-{i:03d}"
        folder.mkdir(parents=True)
        (folder / "case.toml").write_text(
            f'title = "{chr(ord("A") + i % 26)} case {i:03d}"\nlibrary = "numpyro"\n'
            'summary = "s"\nupstream = ["https://github.com/a/b/issues/1"]\n'
            'requires = ["numpyro"]\n[repro]\nraises = "ValueError"\nmatch = "x"\n'
        )
        for name in ("repro.py", "fix.py", "README.md"):
            (folder / name).write_text("x = 1\n")


def test_a_section_per_library(tmp_path: Path) -> None:
    write_cases(tmp_path)
    catalog = load_catalog(tmp_path / "cases", tmp_path / "results")
    assert cases_section(catalog, group_size=50) == [
        "cases/index.md",
        {"JAX": ["cases/jax/index.md", "cases/jax/nonzero-size/index.md"]},
        {"Keras": ["cases/keras/index.md", "cases/keras/tricky-escaping/index.md"]},
        {"NumPyro": ["cases/numpyro/index.md", "cases/numpyro/predictive-shape/index.md"]},
    ]


def test_a_large_library_is_split_into_bounded_groups(tmp_path: Path) -> None:
    many_cases(tmp_path, 120)
    catalog = load_catalog(tmp_path / "cases", tmp_path / "results")
    (library,) = cases_section(catalog, group_size=50)[1:]
    children = library["NumPyro"]
    assert children[0] == "cases/numpyro/index.md"
    groups = children[1:]
    assert [len(next(iter(g.values()))) for g in groups] == [50, 50, 20]
    assert [next(iter(g)) for g in groups] == ["A–J", "K–U", "V–Z"]
    pages = [page for group in groups for page in next(iter(group.values()))]
    assert sorted(pages) == sorted(e.page_uri for e in catalog.cases)


def test_place_expands_the_cases_entry_where_it_stands() -> None:
    nav = ["index.md", {"Browse": [{"All cases": "cases/index.md"}]}, "tags.md"]
    assert place(nav, ["cases/index.md", {"JAX": ["x"]}]) == [
        "index.md",
        {"Browse": [{"All cases": ["cases/index.md", {"JAX": ["x"]}]}]},
        "tags.md",
    ]


def test_place_appends_when_there_is_no_entry_and_leaves_auto_nav_alone() -> None:
    assert place(["index.md"], ["cases/index.md"]) == ["index.md", {"Cases": ["cases/index.md"]}]
    assert place(None, ["cases/index.md"]) is None
