"""The "Paste your error" page and the data it matches against, generated at build time.

The page runs :mod:`fixbook.knowledge.matching` in the browser: ``paste.js``
(a copy of the core's logic) applies the rules and patterns this module exports
into ``fixbook-patterns.js``, a plain script (not fetched JSON) so that it
also loads from ``file://``. Every text reaches the page as JSON data and is
shown with ``textContent``; nothing from a case folder becomes markup.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from fixbook.knowledge.index import pattern_for
from fixbook.knowledge.matching import export_rules
from fixbook.site.catalog import Catalog

PAGE = "paste.md"
SCRIPT = "assets/fixbook/paste.js"
DATA = "assets/fixbook/fixbook-patterns.js"
SEARCH = "assets/fixbook/search.js"

PAGE_TEXT = """\
---
title: Paste your error
description: Paste an error message or a whole traceback; see the cases that explain it.
---

# Paste your error

Paste an error message, a whole traceback (chained exceptions, notebook or
pytest output included) or just its last line. The matching runs in your
browser, from the cases this site was built with: nothing is sent anywhere,
and it works from a copy of the site opened from disk. It is the same matching
as `fixbook why` on the command line.

<div class="fixbook-paste" markdown="0">
<textarea rows="12" aria-label="Your error or traceback"
  placeholder="ValueError: Incompatible shapes for broadcasting: shapes=[(9,), (3,)]"></textarea>
<p><button type="button" class="md-button md-button--primary">Find the case</button></p>
<p class="fixbook-paste-note" aria-live="polite"></p>
<ol class="fixbook-paste-results"></ol>
</div>

**Exact** matches are cases whose documented error (class and message) is
yours; **near** matches share most words of the message once numbers, shapes,
dtypes, names and paths are set aside. Open a case to see why it happens, the
fix, and the versions it was verified on.
"""


def matching_data(catalog: Catalog, page_dir: str = "") -> dict[str, Any]:
    """The rules, one pattern per case and what the page shows of each case.

    Args:
        catalog: the cases with every environment's results (captured messages
            and MROs of repro runs that reproduced the documented error).
        page_dir: the docs-relative folder of the page that links to the cases.
    """
    data: dict[str, Any] = export_rules()
    documents = list(catalog.environments)
    patterns = []
    cases = {}
    for library in catalog.libraries:
        for entry in library.cases:
            pattern = pattern_for(entry.case, documents)
            patterns.append(
                {
                    "case": pattern.case,
                    "library": pattern.library,
                    "raises": pattern.raises,
                    "match": pattern.match,
                    "kind": pattern.kind,
                    "stderr": pattern.stderr,
                    "messages": list(pattern.messages),
                    "libraries": list(pattern.libraries),
                    "mro": list(pattern.mro),
                    "texts": list(pattern.texts),
                }
            )
            affected = entry.case.repro.affected
            cases[entry.id] = {
                "title": entry.case.title,
                "summary": entry.case.summary,
                "href": _relative(entry.page_uri.replace("index.md", "index.html"), page_dir),
                "affected": ", ".join(f"{d} {s}" for d, s in affected.items()) if affected else "",
            }
    data["patterns"] = patterns
    data["cases"] = cases
    return data


def data_script(data: dict[str, Any]) -> str:
    """``data`` as a script that sets ``window.FIXBOOK_MATCHING``.

    ``<``, ``>``, ``&`` and the JavaScript line separators are escaped, so no
    text in it can end the script or start markup.
    """
    text = json.dumps(data, ensure_ascii=True, sort_keys=True)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return f"window.FIXBOOK_MATCHING = {text};\n"


def asset(name: str) -> str:
    """A static file shipped in the package's templates folder."""
    return resources.files("fixbook.site").joinpath("templates", name).read_text("utf-8")


def generated(catalog: Catalog) -> dict[str, str]:
    """The files this module adds to the site, by docs-relative path."""
    return {
        PAGE: PAGE_TEXT,
        SCRIPT: asset("paste.js"),
        SEARCH: asset("search.js"),
        DATA: data_script(matching_data(catalog)),
    }


#: Field boosts for the theme's search: headings far above text (the case pages hold
#: one heading per error text they explain), tags no more than text.
SEARCH_FIELDS = {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 1.0}}

#: Weight of a case page's "Error messages this case explains" headings over its other
#: sections. The theme scores a page's own entry (its title) up to 2.5 times a section
#: with the same words, so a page whose title shares two words with an error outranked
#: the page whose heading is that error (1.00x margin for jax/float64-truncated-without-x64
#: against tensorflow/numpy-float64-matmul; 1.41x for the closest case with this weight).
ERROR_HEADING_BOOST = 2.0


def tune_search_index(path: Path, error_headings: Mapping[str, int]) -> bool:
    """Tune a built ``search_index.json``; ``False`` if there is none.

    Sets :data:`SEARCH_FIELDS`: mkdocs-material weighs tags a thousand times
    above headings, and every query word is completed as a prefix, so a word
    like ``ran`` in a pasted error matched the tag ``random`` and outranked the
    case whose heading is the error.

    Gives the error-message headings :data:`ERROR_HEADING_BOOST`.
    ``error_headings`` maps a page's URL (as in the index's ``location``, before
    ``#``) to how many such headings end that page; a case's README comes before
    them, so a README cannot give its own headings the weight.
    """
    if not path.is_file():
        return False
    data = json.loads(path.read_text(encoding="utf-8"))
    data.setdefault("config", {})["fields"] = SEARCH_FIELDS
    sections: dict[str, list[dict[str, Any]]] = {}
    for doc in data.get("docs", []):
        page, hash_, _ = str(doc.get("location", "")).partition("#")
        if hash_:
            sections.setdefault(page, []).append(doc)
    for page, count in error_headings.items():
        for doc in sections.get(page, [])[-count:] if count > 0 else []:
            doc["boost"] = ERROR_HEADING_BOOST
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True


def _relative(target: str, page_dir: str) -> str:
    return target if not page_dir else "../" * (page_dir.count("/") + 1) + target
