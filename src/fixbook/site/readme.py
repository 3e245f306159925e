"""A case's README: rendered to HTML apart from the page, sanitised, and checked for structure.

A README comes from a stranger's pull request and is shown on a public site,
so it never enters a page as Markdown: :func:`render_readme` converts it with a
fixed set of Markdown extensions (those case pages use: code blocks with
highlighting, tables, admonitions, collapsible blocks, headings with ids) and
passes the HTML through nh3 (the Ammonia sanitiser) with an allowlist of tags,
attributes, classes and URL schemes. Whatever the Markdown or raw HTML said,
no script, event handler, ``javascript:`` URL, frame, form or style sheet
survives; the page places the result as it is and builds its table of
contents from the headings found in the sanitised HTML.

:func:`structure_problems` reads the headings of the same rendering, so
``fixbook check`` sees the headings a visitor would see (a wrapped line that
starts with ``#`` is a heading to Python-Markdown; one inside a fenced code
block is not).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown
import nh3
from pygments.token import STANDARD_TYPES

#: The sections of a README, in order, each a ``##`` heading under one ``# title``.
SECTIONS = ("Symptom", "Cause", "Fix", "Alternatives", "References")

#: Markdown extensions a README may use, with their settings.
EXTENSIONS = (
    "abbr",
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "md_in_html",
    "tables",
    "toc",
    "pymdownx.details",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.magiclink",
    "pymdownx.superfences",
)

_TAGS = {
    *("a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl"),
    *("dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd"),
    *("li", "mark", "ol", "p", "pre", "s", "span", "strong", "sub", "summary", "sup"),
    *("table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"),
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "details": {"open"},
    "td": {"style"},
    "th": {"style"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
    **{tag: {"id"} for tag in ("li", "sup")},  # footnotes link to these
}
#: Classes the extensions above produce: Pygments tokens, admonitions, footnotes.
_CLASSES = {
    "highlight",
    "admonition",
    "admonition-title",
    "headerlink",
    "footnote",
    "footnote-ref",
    "footnote-backref",
    *("note", "abstract", "info", "tip", "success", "question", "warning", "failure"),
    *("danger", "bug", "example", "quote", "hint", "important", "caution", "error"),
    *(name for name in STANDARD_TYPES.values() if name),
}
_ALLOWED_CLASSES = {tag: _CLASSES for tag in ("a", "code", "details", "div", "p", "span", "sup")}
_ID = re.compile(r"^[^\W_][\w:-]*$")
_HEADING = re.compile(r"^h([1-6])$")
_HINT = "a line starting with '#' is a heading (rewrap it, or write \\#)"


@dataclass(frozen=True)
class Heading:
    """A heading of the rendered README: its level, id and text."""

    level: int
    id: str
    text: str


@dataclass(frozen=True)
class RenderedReadme:
    """A README as safe HTML, with its headings in document order."""

    html: str
    headings: tuple[Heading, ...]


def render_readme(text: str, *, base_level: int = 1, drop_title: bool = False) -> RenderedReadme:
    """Render a README to sanitised HTML.

    Args:
        text: the README.md text (untrusted).
        base_level: the level a ``#`` heading gets (2 makes ``#`` an ``<h2>``).
        drop_title: leave out a first line that is a ``# title`` heading.

    Returns:
        The HTML, safe to place in a page as it is, and its headings.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if drop_title:
        while lines and not lines[0].strip():
            lines.pop(0)
        if lines and re.match(r"^#(?!#)", lines[0]):
            lines.pop(0)
    converter = markdown.Markdown(
        extensions=list(EXTENSIONS),
        extension_configs={"toc": {"permalink": True, "baselevel": base_level}},
    )
    try:
        rendered = converter.convert("\n".join(lines))
    except RecursionError:
        rendered = "<pre><code>" + html.escape(text) + "</code></pre>"
    safe = sanitise(rendered)
    parser = _Headings()
    parser.feed(safe)
    parser.close()
    return RenderedReadme(html=safe, headings=tuple(parser.headings))


def sanitise(fragment: str) -> str:
    """An HTML fragment with everything outside the README allowlist removed.

    Kept: text formatting, lists, tables (``text-align`` only), code blocks
    and their Pygments classes, admonitions and ``<details>``, links to http(s)
    or within the site, heading ids. Removed: scripts, styles,
    images, frames, forms, event handlers, every other attribute and URL scheme;
    ``<script>``/``<style>`` lose their content too.
    """
    return nh3.clean(
        fragment,
        tags=_TAGS,
        clean_content_tags={"script", "style", "template", "noscript"},
        attributes=_ATTRIBUTES,
        attribute_filter=_attribute,
        url_schemes={"http", "https"},
        allowed_classes=_ALLOWED_CLASSES,
        filter_style_properties={"text-align"},
        link_rel="noopener noreferrer nofollow",
    )


def _attribute(element: str, attribute: str, value: str) -> str | None:
    """Keep ids that look like Markdown's own slugs, not the page's ``__`` ids."""
    if attribute == "id" and not _ID.match(value):
        return None
    return value


def structure_problems(text: str) -> list[str]:
    """What is wrong with a README's headings, as sentences; empty when nothing is.

    A README has one ``# title``, then exactly the sections of :data:`SECTIONS`
    as ``##`` headings, in that order, and no other heading. Headings are those
    Python-Markdown sees: a line starting with ``#`` counts (with or without a
    space), one inside a fenced code block does not.
    """
    headings = render_readme(text).headings
    problems = []
    titles = [h for h in headings if h.level == 1]
    if not titles or headings[0].level != 1:
        problems.append("does not start with a '# title' heading")
    for extra in titles[1:]:
        problems.append(f"has a second level-1 heading {extra.text!r}: {_HINT}")
    sections = [h.text for h in headings if h.level == 2]
    for heading in headings:
        if heading.level > 2 or (heading.level == 2 and heading.text not in SECTIONS):
            problems.append(
                f"has a heading {heading.text!r} that is not one of the sections "
                f"{', '.join(SECTIONS)}: {_HINT}"
            )
    missing = [name for name in SECTIONS if name not in sections]
    if missing:
        problems.append(
            f"has no '## {missing[0]}' section"
            if len(missing) == 1
            else ("has no sections " + ", ".join(f"'## {name}'" for name in missing))
        )
    known = [name for name in sections if name in SECTIONS]
    if known != sorted(known, key=SECTIONS.index) or len(set(known)) != len(known):
        problems.append(
            f"has its sections in the order {', '.join(known)}; "
            f"expected {', '.join(SECTIONS)}, each once"
        )
    return problems


class _Headings(HTMLParser):
    """Collects the level, id and text of every ``<h1>``..``<h6>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[Heading] = []
        self._open: tuple[int, str] | None = None
        self._text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        match = _HEADING.match(tag)
        if match:
            self._open = (int(match.group(1)), dict(attrs).get("id") or "")
            self._text = []
        elif tag == "a" and ("class", "headerlink") in attrs:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._skip:
            self._skip -= 1
        elif _HEADING.match(tag) and self._open:
            level, ident = self._open
            text = " ".join("".join(self._text).split())
            self.headings.append(Heading(level, ident, text))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open and not self._skip:
            self._text.append(data)
