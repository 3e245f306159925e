"""The site's search ranks an error's own case first, measured on the whole knowledge
base in Node with the theme's own search worker (seconds, where the browser takes minutes).

The figures: ``python -m tests.why_eval.site_search``.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from fixbook.site.case_extras import error_texts
from fixbook.site.paste import ERROR_HEADING_BOOST
from tests.why_eval.site_search import ENTRIES, NODE, SiteResult, evaluate, rank

pytestmark = pytest.mark.skipif(NODE is None, reason="the site's search runs in Node (node)")


@pytest.fixture(scope="module")
def result(repository_site: Path) -> SiteResult:
    return evaluate(repository_site)


def test_exactly_the_error_headings_weigh_more(repository_site: Path) -> None:
    """Every case page's error headings, and nothing else on any page, carry the boost."""
    docs = json.loads(
        (repository_site / "search" / "search_index.json").read_text(encoding="utf-8")
    )["docs"]
    boosted: dict[str, list[str]] = {}
    for doc in docs:
        if "boost" in doc:
            assert doc["boost"] == ERROR_HEADING_BOOST
            page = doc["location"].partition("#")[0]
            boosted.setdefault(page, []).append(html.unescape(doc["title"]))
    expected = {f"cases/{e.id}/index.html": error_texts(e) for e in ENTRIES}
    assert boosted == {page: texts for page, texts in expected.items() if texts}


def test_every_documented_message_typed_ranks_its_case_first(result: SiteResult) -> None:
    assert result.typed_misses == []


def test_pasted_reports_rank_their_case_first(result: SiteResult) -> None:
    # 83.9% top-1 and 92.9% top-3 before quoted names were kept and known names weighed
    assert result.top1 >= 0.9
    assert result.top3 >= 0.95


def test_an_error_heading_outweighs_a_title_that_shares_its_words(result: SiteResult) -> None:
    """The TensorFlow page's title holds float64 and float32 too; the JAX page has the error."""
    (entry, ranking) = next(
        (e, r) for e, r in result.typed if e.id == "jax/float64-truncated-without-x64"
    )
    assert ranking.cases[0] == entry.id
    assert ranking.margin({entry.id}) > 1.2  # 1.00 before the headings weighed twice


@pytest.mark.parametrize(
    ("name", "case"),
    [
        ("pjit_p", "numpyro/import-fails-with-jax-0-7"),
        ("xla_pmap_p", "numpyro/import-fails-with-jax-0-10"),
    ],
)
def test_a_name_the_message_quotes_finds_its_case(
    repository_site: Path, name: str, case: str
) -> None:
    """`cannot import name 'pjit_p'`: the quotes are no part of the word search indexes."""
    (ranking,) = rank(repository_site, [name], "typed")
    assert ranking.pages[:1] == [f"cases/{case}/index.html"], ranking.pages[:3]
    assert ranking.margin({case}) > 10  # the heading holds the name, not only the code
