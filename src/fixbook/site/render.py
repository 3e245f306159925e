"""Rendering: the catalog into Markdown pages, through Jinja templates.

Templates run with autoescaping on, so any value that reaches HTML is escaped;
values placed in Markdown go through the filters of :mod:`fixbook.site.text`
(``md`` for inline text, ``fence`` for code and messages, ``meta`` for front
matter), each of which returns safe markup.
"""

from __future__ import annotations

import functools
import posixpath
from importlib import resources

import jinja2
from markupsafe import Markup

from fixbook.knowledge.readable import is_literal, readable
from fixbook.knowledge.vocabulary import CaseStatus, meaning
from fixbook.site import text
from fixbook.site.catalog import (
    CLAIM_KINDS,
    STALE_NOTE,
    CaseEntry,
    Catalog,
    Cell,
    Library,
    display_time,
    status_slug,
)

CASES_INDEX = "cases/index.md"
MATRIX_PAGE = "matrix.md"
STYLESHEET = "assets/fixbook/fixbook.css"
SUMMARY_MARKER = "<!-- fixbook:summary -->"
#: Where a case page's README goes; the plugin puts the sanitised HTML there.
EXPLANATION_MARKER = "<!-- fixbook:explanation -->"


@functools.cache
def _environment() -> jinja2.Environment:
    """The Jinja environment of the package's templates, made once."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("fixbook.site", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        md=text.inline,
        attr=text.attr,
        href=text.href,
        meta=text.meta,
        code=text.code,
        fence=text.fence,
        when=display_time,
        link_label=text.link_label,
        short_type=text.short_type,
        specifier=text.specifier,
        excerpt=text.excerpt,
        readable=readable,
        is_literal=is_literal,
    )
    env.globals.update(
        rel=_rel,
        status_slug=status_slug,
        outcome=_outcome,
        STALE_NOTE=STALE_NOTE,
    )
    return env


def _rel(target: str, page: str) -> str:
    """The link from the page at ``page`` to the docs file ``target``, both docs-relative."""
    return text.uri(posixpath.relpath(target, posixpath.dirname(page) or "."))


def _outcome(cell: Cell, script: str) -> str:
    """What a script did here, with what was expected when that differs."""
    run = cell.script(script)
    if run is None:
        return ""
    if run.outcome == run.expected:
        return run.outcome
    return f"{run.outcome} (expected {run.expected})"


def render_case(entry: CaseEntry, catalog: Catalog) -> str:
    """The Markdown page of one case."""
    return (
        _environment()
        .get_template("case.md.j2")
        .render(
            entry=entry,
            catalog=catalog,
            page=entry.page_uri,
            errors=entry.errors(),
            explanation=Markup(EXPLANATION_MARKER),
            diff=text.unified_diff(
                entry.sources["repro"], entry.sources["fix"], "repro.py", "fix.py"
            ),
            library=next(lib for lib in catalog.libraries if lib.folder == entry.folder),
        )
    )


def render_library(library: Library, catalog: Catalog) -> str:
    """The index page of one library: its cases with their statuses."""
    return (
        _environment()
        .get_template("library.md.j2")
        .render(library=library, catalog=catalog, page=library.page_uri)
    )


def render_cases_index(catalog: Catalog) -> str:
    """The index page of all cases: the libraries and how many cases each holds."""
    return (
        _environment()
        .get_template("cases.md.j2")
        .render(catalog=catalog, page=CASES_INDEX, summary=render_summary(catalog, CASES_INDEX))
    )


def render_matrix(catalog: Catalog) -> str:
    """The matrix page: cases down, environments across, a coloured cell each."""
    return (
        _environment()
        .get_template("matrix.md.j2")
        .render(catalog=catalog, page=MATRIX_PAGE, legend=_legend())
    )


def render_summary(catalog: Catalog, page: str) -> Markup:
    """Counts per library, per claim kind and per status, as Markdown for the page at ``page``."""
    counts = catalog.status_counts()
    columns = list(counts) or ["all environments"]
    statuses = [s for s in CaseStatus if any(c[s] for c in counts.values())]
    claims = catalog.claim_counts()
    return Markup(
        _environment()
        .get_template("summary.md.j2")
        .render(
            catalog=catalog,
            page=page,
            counts=counts,
            columns=columns,
            statuses=statuses,
            kinds=[(kind, words) for kind, words in CLAIM_KINDS.items() if claims[kind]],
            claims=claims,
        )
    )


def render_pages(catalog: Catalog) -> dict[str, str]:
    """Every generated Markdown page, by docs-relative path."""
    pages = {CASES_INDEX: render_cases_index(catalog), MATRIX_PAGE: render_matrix(catalog)}
    for library in catalog.libraries:
        pages[library.page_uri] = render_library(library, catalog)
        for entry in library.cases:
            pages[entry.page_uri] = render_case(entry, catalog)
    return pages


def stylesheet() -> str:
    """The stylesheet for badges, matrix cells and the diff view."""
    return resources.files("fixbook.site").joinpath("templates", "fixbook.css").read_text("utf-8")


def _legend() -> list[tuple[CaseStatus, str]]:
    return [(status, meaning(status)) for status in CaseStatus]
