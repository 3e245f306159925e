"""Every field of a case and of a results file reaches the built site as text, never markup.

One ``mkdocs build --strict`` of :mod:`tests.site_plugin.hostile`, then every
page, script data, search index and OSV file is read back.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from tests.site_plugin.hostile import CASE_ID, PAYLOAD, live_markup, write_hostile_project
from tests.site_plugin.samples import OWNED_FLAG, mkdocs_build


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    result = mkdocs_build(write_hostile_project(root))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return root / "site"


def test_no_page_holds_live_markup(hostile_site: Path) -> None:
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 10
    found = {
        str(page.relative_to(hostile_site)): live
        for page in pages
        if (live := live_markup(page.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_case_page_front_matter_is_read_not_shown(hostile_site: Path) -> None:
    """An emoji in a title, as JSON's surrogate pair, once made the whole front matter Markdown."""
    page = (hostile_site / "cases" / CASE_ID / "index.html").read_text(encoding="utf-8")
    assert "title: " not in page and "description: " not in page
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.startswith(html.escape(" ".join(PAYLOAD.split())))  # escaped once, shown as text
    library = (hostile_site / "cases" / "keras" / "index.html").read_text(encoding="utf-8")
    assert "onmouseover" in library  # the badge's tooltip is there, as text


def test_paste_data_cannot_end_its_script_or_start_markup(hostile_site: Path) -> None:
    script = (hostile_site / "assets" / "fixbook" / "fixbook-patterns.js").read_text("utf-8")
    assert not any(char in script for char in "<>&\u2028\u2029")
    prefix = "window.FIXBOOK_MATCHING = "
    data = json.loads(script.removeprefix(prefix).rstrip().removesuffix(";"))
    assert data["cases"][CASE_ID]["title"] == PAYLOAD


def test_search_index_shows_text_only(hostile_site: Path) -> None:
    """mkdocs-material renders an index entry's title and text as HTML."""
    index = json.loads((hostile_site / "search" / "search_index.json").read_text("utf-8"))
    hostile = [doc for doc in index["docs"] if doc["location"].startswith(f"cases/{CASE_ID}/")]
    assert any(OWNED_FLAG in doc["text"] for doc in hostile)
    assert [live for doc in index["docs"] for live in live_markup(doc["title"] + doc["text"])] == []


def test_osv_files_hold_the_payload_as_data(hostile_site: Path) -> None:
    folder = hostile_site / "osv"
    index = json.loads((folder / "index.json").read_text("utf-8"))
    assert index
    records = [json.loads(path.read_text("utf-8")) for path in folder.glob("FIXBOOK-*.json")]
    hostile = [r for r in records if OWNED_FLAG in r["summary"]]
    assert len(hostile) == 1
    assert hostile[0]["summary"].startswith("Q<img")
