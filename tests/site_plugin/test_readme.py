"""A README rendered apart and sanitised: what is kept, what is removed, its headings."""

from __future__ import annotations

import pytest
from mkdocs.structure.toc import AnchorLink

from fixbook.site.plugin import _extend_toc
from fixbook.site.readme import render_readme, sanitise


@pytest.mark.parametrize(
    "vector",
    [
        '<img src=x onerror="alert(1)">',
        "<script>alert(1)</script>",
        '<iframe src="javascript:alert(1)"></iframe>',
        "[link](javascript:alert(1))",
        'Hover.\n{: onmouseover="alert(1)" }',
        '<div markdown onclick="alert(1)">*x*</div>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<svg onload="alert(1)"></svg>',
        '<p style="background:url(javascript:alert(1))">x</p>',
        '<form action="https://example.com"><input name="q"></form>',
        '<object data="x.swf"></object><embed src="x.swf">',
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
        "<style>body { display: none }</style>",
    ],
)
def test_no_vector_survives(vector: str) -> None:
    html = render_readme(f"# T\n\n## Symptom\n\n{vector}\n").html.lower()
    for bad in ("alert", "javascript:", "<script", "<iframe", "<svg", "<form", "<input"):
        assert bad not in html, html
    for bad in ("onerror", "onclick", "onmouseover", "onload", "style=", "<object", "<embed"):
        assert bad not in html, html
    assert "data:" not in html and "<style" not in html


def test_what_a_readme_uses_is_kept() -> None:
    readme = (
        "# T\n\n## Symptom\n\n| a | b |\n| :-- | --: |\n| 1 | 2 |\n\n"
        '```python\nx = 1\n```\n\n!!! warning "Careful"\n    Body.\n\n'
        '??? note "More"\n    Hidden.\n\n[thread](https://github.com/o/r/issues/1) '
        "and `code`.[^1]\n\n[^1]: A footnote.\n"
    )
    html = render_readme(readme).html
    assert '<th style="text-align:left">a</th>' in html
    assert '<div class="highlight"><pre><span></span><code><span class="n">x</span>' in html
    assert '<div class="admonition warning">' in html
    assert '<details class="note">' in html
    assert '<a href="https://github.com/o/r/issues/1" rel="noopener noreferrer nofollow">' in html
    assert '<sup id="fnref:1">' in html


def test_page_classes_and_ids_cannot_be_borrowed() -> None:
    html = sanitise(
        '<span class="fixbook-badge md-button">reproduces</span>'
        '<h2 id="__tabbed_1_1">x</h2><p id="explanation">y</p>'
    )
    assert "fixbook-badge" not in html and "md-button" not in html
    assert "__tabbed" not in html and 'id="explanation"' not in html
    assert ">reproduces</span><h2>x</h2><p>y</p>" in html


def test_headings_levels_ids_and_text() -> None:
    rendered = render_readme(
        "# Title\n\n## Symptom\n\n## <img src=x onerror=alert(1)>&lt;b&gt;\n",
        base_level=2,
        drop_title=True,
    )
    assert [(h.level, h.text) for h in rendered.headings] == [(3, "Symptom"), (3, "<b>")]
    assert rendered.headings[0].id == "symptom"
    explanation = AnchorLink("Explanation", "explanation", 2)
    _extend_toc([AnchorLink("Title", "title", 1), explanation], rendered.headings)
    assert [(c.title, c.level) for c in explanation.children] == [
        ("Symptom", 3),
        ("&lt;b&gt;", 3),
    ]
