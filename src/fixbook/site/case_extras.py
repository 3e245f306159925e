"""What the matching and the audit add to each case page: versions, and the errors it explains.

Appended to the generated case page: "Introduced in / fixed in" from the
``affected`` range (as the OSV export derives it), and one heading per error
text the case documents or captured, so that the site's search, which weighs
headings far above body text, ranks a pasted error's own case first. Every
text is escaped with :func:`fixbook.site.text.inline`.
"""

from __future__ import annotations

import re

from fixbook.history.osv import InexactRange, bounds, record_id
from fixbook.knowledge.matching import regex_text
from fixbook.knowledge.outcomes import search
from fixbook.site.catalog import CaseEntry
from fixbook.site.text import inline

#: The longest error text put in a heading.
HEADING_CHARS = 160

# A character class (an unescaped "[" up to its closing "]") or a repetition count.
_CLASS_IN_REGEX = re.compile(r"(?<!\\)\[(?:\\.|[^\]\\])*\][*+?]?|\{\d+(,\d*)?\}")
_ALTERNATION = re.compile(r"\(([^()|]*)\|[^()]*\)")


def readable(pattern: str) -> str:
    """A regex as words a person would search for: escapes, classes and groups removed."""
    text = _ALTERNATION.sub(r"\1", pattern)
    text = _CLASS_IN_REGEX.sub(" ", text)
    text = regex_text(text).replace("(", " ").replace(")", " ")
    return " ".join(text.split())


def documented_line(message: str, match: str | None, name: str = "") -> str:
    """The line of a captured message that shows the documented error.

    Of the lines that the case's ``match`` regex is found in (all lines when it
    is found in none: no ``match``, or one that spans lines), the first that
    starts with the class, ``name: `` or ``module.name: `` (the error line under
    a wrapper, not a line of user source it quotes), else the first of them;
    ``""`` for a blank message.

    Wrappers put a generic first line above the error itself (TensorFlow's
    ``in user code:``, Keras' ``Exception encountered when calling ...``); as a
    heading such a line would rank every case it wraps alike for a pasted error.
    """
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    found = [line for line in lines if match and search(match, line)] or lines
    named = [line for line in found if name and _class_prefix(name).match(line)]
    return (named or found or [""])[0]


def _class_prefix(name: str) -> re.Pattern[str]:
    """``name: `` or ``module.name: `` at the start of a line."""
    return re.compile(rf"(?:[\w.]+\.)?{re.escape(name)}: ")


def versions_line(entry: CaseEntry) -> str:
    """``Introduced in numpyro 0.14.0 · fixed in numpyro 0.15.0``, or ``""`` without a range."""
    affected = entry.case.repro.affected
    if not affected:
        return ""
    parts = []
    for dist, spec in affected.items():
        try:
            interval = bounds(spec)
        except InexactRange:
            continue
        if interval.introduced != "0":
            parts.append(f"introduced in {dist} {interval.introduced}")
        if interval.fixed_release:
            parts.append(f"fixed in {dist} {interval.fixed_release}")
        elif interval.last_affected and interval.last_affected != interval.introduced:
            parts.append(f"last affected: {dist} {interval.last_affected}")
    if not parts:
        return ""
    line = " · ".join(parts)
    return line[0].upper() + line[1:]


def error_texts(entry: CaseEntry) -> list[str]:
    """The documented error, the other wordings and the captured messages, one line each
    (see :func:`documented_line`)."""
    case = entry.case
    repro = case.repro
    texts = []
    if repro.kind in ("raises", "warns"):
        texts.append(f"{repro.target.rsplit('.', 1)[-1]}: {readable(repro.match)}".rstrip(": "))
    elif repro.match:
        texts.append(readable(repro.match))
    if repro.stderr:
        texts.append(readable(repro.stderr))
    texts += [readable(m) for m in repro.messages]
    for error in entry.errors():
        if error.script == "repro" and error.documented and error.message:
            name = error.error_type.rsplit(".", 1)[-1]
            line = documented_line(error.message, repro.match, name)
            if line:
                texts.append(f"{name}: {_class_prefix(name).sub('', line, count=1)}")
    unique: list[str] = []
    for text in texts:
        short = text if len(text) <= HEADING_CHARS else text[: HEADING_CHARS - 1] + "…"
        if short.strip() and short not in unique:
            unique.append(short)
    return unique


def extras(entry: CaseEntry, osv_href: str | None, paste_href: str, texts: list[str]) -> str:
    """The Markdown appended to a case page; ``texts`` are its :func:`error_texts`, one
    heading each, which end the page."""
    lines = [""]
    versions = versions_line(entry)
    if versions:
        lines += ["## Versions", "", f"{inline(versions)}."]
        if osv_href:
            lines[-1] += f" OSV record: [{inline(record_id(entry.case))}]({osv_href})."
        lines += ["{: .fixbook-versions }", ""]
    if texts:
        lines += [
            "## Error messages this case explains",
            "",
            f"The search box and the [Paste your error]({paste_href}) page match these.",
            "",
        ]
        lines += [line for text in texts for line in (f"### {inline(text)}", "")]
    return "\n".join(lines)
