"""The navigation of the case pages: a section per library, in groups of bounded size.

With mkdocs-material's ``navigation.prune`` a page renders only the navigation
items on the path to itself and their siblings. A library section listing all
its cases would make every case page list every other case of its library, a
size quadratic in the case count; so a large library is split into groups of
at most ``group_size`` cases, which keeps each page's navigation bounded and
the built site linear in the number of cases.
"""

from __future__ import annotations

import html
from typing import Any

from fixbook.site.catalog import CaseEntry, Catalog

CASES_INDEX = "cases/index.md"
SECTION_TITLE = "Cases"

NavItem = str | dict[str, Any]


def cases_section(catalog: Catalog, group_size: int) -> list[NavItem]:
    """The children of the "Cases" section: its index, then a section per library."""
    items: list[NavItem] = [CASES_INDEX]
    for library in catalog.libraries:
        children: list[NavItem] = [library.page_uri]
        children.extend(_grouped(library.cases, group_size))
        items.append({html.escape(library.name): children})
    return items


def place(nav: list[NavItem] | None, section: list[NavItem]) -> list[NavItem] | None:
    """``nav`` with the entry for ``cases/index.md`` expanded into ``section``.

    Titles in MkDocs' ``nav`` are printed unescaped, so only escaped titles go in.
    Without a ``nav`` (MkDocs builds one from the files) nothing changes; a
    ``nav`` without a ``cases/index.md`` entry gets the section at its end.
    """
    if nav is None:
        return None
    placed, found = _replace(nav, section)
    if not found:
        placed.append({SECTION_TITLE: section})
    return placed


def _replace(items: list[NavItem], section: list[NavItem]) -> tuple[list[NavItem], bool]:
    result: list[NavItem] = []
    found = False
    for item in items:
        if item == CASES_INDEX:
            result.append({SECTION_TITLE: section})
            found = True
        elif isinstance(item, dict) and len(item) == 1:
            ((title, value),) = item.items()
            if value == CASES_INDEX:
                result.append({title: section})
                found = True
            elif isinstance(value, list):
                children, inner = _replace(value, section)
                result.append({title: children})
                found = found or inner
            else:
                result.append(item)
        else:
            result.append(item)
    return result, found


def _grouped(cases: tuple[CaseEntry, ...], size: int) -> list[NavItem]:
    pages: list[NavItem] = [entry.page_uri for entry in cases]
    if size <= 0 or len(cases) <= size:
        return pages
    chunks = [cases[i : i + size] for i in range(0, len(cases), size)]
    labels = _labels(chunks)
    return [
        {html.escape(label): [entry.page_uri for entry in chunk]}
        for label, chunk in zip(labels, chunks, strict=True)
    ]


def _labels(chunks: list[tuple[CaseEntry, ...]]) -> list[str]:
    """``A–F`` style labels from the titles' first letters, numbers where those repeat."""
    labels = []
    for chunk in chunks:
        first, last = (_initial(chunk[0]), _initial(chunk[-1]))
        labels.append(first if first == last else f"{first}–{last}")
    if len(set(labels)) == len(labels):
        return labels
    labels, start = [], 1
    for chunk in chunks:
        labels.append(f"{start}–{start + len(chunk) - 1}")
        start += len(chunk)
    return labels


def _initial(entry: CaseEntry) -> str:
    title = entry.case.title.strip()
    return title[:1].upper() if title[:1].isalnum() else "#"
