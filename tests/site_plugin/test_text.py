"""Unit tests of the text helpers: escaping, fences, headings, diffs."""

from __future__ import annotations

import html as html_module
import re

import markdown
import pytest
from mkdocs.utils.meta import get_data

from fixbook.site import text

EXTENSIONS = ["attr_list", "tables", "pymdownx.highlight", "pymdownx.superfences"]


def to_html(source: str) -> str:
    return markdown.markdown(source, extensions=EXTENSIONS)


@pytest.mark.parametrize(
    "value",
    [
        "<script>alert(1)</script>",
        "<KerasTensor shape=(None, 3)>",
        "{{ jinja }} {% block %}",
        "**bold** _it_ `code` [link](http://x) ![img](y) | pipe",
        "# heading",
        "1. list",
        ":emoji: ~~strike~~ ==mark== ^^sup^^ $math$ @mention",
        "a & b &amp; c",
    ],
)
def test_inline_text_renders_as_the_same_text(value: str) -> None:
    html = to_html(f"Before {text.inline(value)} after")
    assert "<script" not in html and "<strong" not in html and "<em" not in html
    assert "<a " not in html and "<img" not in html and "<code" not in html
    inner = html_module.unescape(html.removeprefix("<p>").removesuffix("</p>"))
    assert inner == f"Before {value} after"


def test_inline_text_is_one_line_and_shows_control_characters() -> None:
    assert str(text.inline("a\n\n   b\x02c")) == "a b&#92;x02c"


def test_meta_is_a_json_string_of_escaped_html() -> None:
    assert str(text.meta('<b>"x"</b>')) == '"&lt;b&gt;&quot;x&quot;&lt;/b&gt;"'


@pytest.mark.parametrize("body", ["plain", "has ``` three", "has ```` four and `one`", "```"])
def test_fence_is_longer_than_any_backtick_run(body: str) -> None:
    block = str(text.fence(f"<script>{body}</script>", "text"))
    fence = block.split(" ", 1)[0]
    assert len(fence) >= 3
    assert len(fence) > max((len(run) for run in re.findall("`+", body)), default=0)
    html = to_html(block)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert html.count("<pre") == 1


def test_fence_indents_for_nesting_and_carries_a_class() -> None:
    block = str(text.fence("a\n\nb", "python", indent=4, css="fixbook-error"))
    assert block.splitlines() == [
        "    ``` { .python .fixbook-error }",
        "    a",
        "",
        "    b",
        "    ```",
    ]


def test_code_span_survives_backticks() -> None:
    html = to_html(f"x {text.code('a ` b <c>')} y")
    assert "<code>a ` b &lt;c&gt;</code>" in html


def test_unified_diff_shows_the_change() -> None:
    diff = text.unified_diff("a\nb\n", "a\nc\n", "repro.py", "fix.py")
    assert diff.splitlines()[:2] == ["--- repro.py", "+++ fix.py"]
    assert "-b" in diff.splitlines() and "+c" in diff.splitlines()
    assert text.unified_diff("same", "same", "a", "b") == ""


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("https://github.com/pyro-ppl/numpyro/issues/1772", "pyro-ppl/numpyro#1772"),
        ("https://github.com/jax-ml/jax/pull/6501", "jax-ml/jax#6501"),
        ("https://docs.jax.dev/en/latest/errors.html", "docs.jax.dev/en/latest/errors.html"),
    ],
)
def test_link_label(url: str, label: str) -> None:
    assert text.link_label(url) == label


def test_href_encodes_what_would_end_the_link() -> None:
    assert str(text.href("https://x.org/a b<c>")) == "https://x.org/a%20b%3Cc%3E"


def test_excerpt_keeps_the_head_and_the_tail_of_long_messages() -> None:
    assert text.excerpt("one line") == ""
    message = "\n".join(f"line {i}" for i in range(20))
    assert text.excerpt(message).splitlines() == [
        "line 0",
        "line 1",
        "[... 14 more lines ...]",
        "line 16",
        "line 17",
        "line 18",
        "line 19",
    ]


@pytest.mark.parametrize(
    "value",
    ["🐛 [x](javascript:alert(1))", 'a\ufffe\x80\x9f\u2028b\\ "q"', "lone \ud800 surrogate"],
)
def test_meta_is_read_back_by_mkdocs_whatever_the_characters(value: str) -> None:
    """A value YAML rejects made MkDocs render the whole front matter as the page's Markdown."""
    body, data = get_data(f"---\ntitle: {text.meta(value)}\n---\nbody\n")
    assert body.strip() == "body"
    expected = html_module.escape(" ".join(value.replace("\ud800", "\ufffd").split()))
    assert data["title"] == expected


def test_attribute_values_hold_no_markdown_inside_a_table_cell() -> None:
    """A link in a badge's tooltip once ended the title attribute and added a handler."""
    tooltip = "x [m](onmouseover=alert(1)//) [l](javascript:alert(2)) {: onclick=alert(3) } | y"
    cell = f'<span title="{text.attr(tooltip)}">s</span>'
    page = to_html(f"| a | b |\n| --- | --- |\n| {cell} | z |\n")
    assert "<a " not in page and "onmouseover=" not in page
    assert page.count("<td>") == 2
    start = page.index('title="') + len('title="')
    assert html_module.unescape(page[start : page.index('"', start)]) == tooltip
