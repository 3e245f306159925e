"""Write ``[repro].affected`` and its ``[[repro.checked]]`` evidence into a ``case.toml``.

Both edits change as little of the file's text as possible.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.utils import canonicalize_name
from packaging.version import Version

from fixbook.knowledge.case import CASE_FILE, CaseError, load_case
from fixbook.knowledge.evidence import NOT_REPRODUCED, REPRODUCED, CheckedRun, parse_checked

if TYPE_CHECKING:
    from fixbook.history.search import Search

_HEADER = re.compile(r"^\s*\[\s*([^\[\]#]+?)\s*\]\s*(#.*)?$")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_AFFECTED_LINE = re.compile(r"^(\s*affected\s*=\s*)(.*)$")


def set_affected(text: str, dist: str, spec: str) -> str:
    """``text`` of a case.toml with ``[repro].affected`` holding ``dist = spec``.

    Other distributions already in ``affected`` are kept; every other line is
    left as it was. Handles ``affected = { ... }`` inside ``[repro]``, a
    ``[repro.affected]`` table, and no ``affected`` at all (a line is added at
    the end of ``[repro]``).

    Raises:
        ValueError: the file has no ``[repro]`` table, or the edit would not parse.
    """
    lines = text.splitlines(keepends=True)
    sections = _sections(lines)
    if "repro" not in sections:
        raise ValueError("no [repro] table to put `affected` in")
    start, end = sections["repro"]
    for i in range(start + 1, end):
        match = _AFFECTED_LINE.match(lines[i].rstrip("\r\n"))
        if match:
            lines[i] = _replace_inline(lines[i], match, dist, spec)
            return _checked("".join(lines), dist, spec)
    if "repro.affected" in sections:
        start, end = sections["repro.affected"]
        for i in range(start + 1, end):
            key, _, _ = lines[i].partition("=")
            if _same_dist(key.strip(), dist):
                newline = _newline(lines[i])
                indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
                lines[i] = f"{indent}{_key(dist)} = {_string(spec)}{newline}"
                return _checked("".join(lines), dist, spec)
        at = _last_content_line(lines, start, end) + 1
        lines.insert(at, f"{_key(dist)} = {_string(spec)}{_newline(lines[at - 1])}")
        _ensure_newline(lines, at - 1)
        return _checked("".join(lines), dist, spec)
    at = _last_content_line(lines, start, end) + 1
    _ensure_newline(lines, at - 1)
    entry = f"affected = {{ {_key(dist)} = {_string(spec)} }}{_newline(lines[at - 1])}"
    lines.insert(at, entry)
    return _checked("".join(lines), dist, spec)


def write_affected(folder: Path, dist: str, spec: str) -> Path:
    """Put ``dist = spec`` into ``folder``'s case.toml and check the case still loads.

    Returns:
        The path of the case.toml written.

    Raises:
        ValueError: the file cannot be edited safely (it is left unchanged).
        CaseError: the edited case does not validate (the old text is restored).
    """
    return _rewrite(folder, lambda old: set_affected(old, dist, spec))


def evidence_runs(
    found: Search,
    versions: Mapping[Version, Mapping[str, Version]],
    dist: str,
    today: datetime.date | None = None,
) -> list[CheckedRun]:
    """The runs to record for a search: both sides of every boundary, the oldest and newest.

    Args:
        found: what the search probed.
        versions: per probed release of ``dist``, the versions in play there.
        dist: the distribution probed.
        today: the date written (default: today, UTC).

    Returns:
        The runs, oldest release first, each with the exact versions it ran.
    """
    day = today or datetime.datetime.now(datetime.UTC).date()
    known = [
        i
        for i in sorted(found.outcomes)
        if found.outcomes[i] in (REPRODUCED, NOT_REPRODUCED) and found.versions[i] in versions
    ]
    chosen = {known[0], known[-1]} if known else set()
    for lower, upper in zip(known, known[1:], strict=False):
        if found.outcomes[lower] != found.outcomes[upper]:
            chosen.update((lower, upper))
    runs = []
    for i in sorted(chosen):
        run = dict(versions[found.versions[i]])
        name = str(canonicalize_name(dist))
        ordered = {name: run.pop(name, found.versions[i]), **dict(sorted(run.items()))}
        runs.append(CheckedRun(ordered, found.outcomes[i], day))
    return runs


def set_checked(text: str, runs: Sequence[CheckedRun]) -> str:
    """``text`` of a case.toml with ``runs`` added to its ``[[repro.checked]]`` entries.

    Existing entries are kept unless a new run has exactly the same versions
    (the new one replaces it); all entries are written, in order, right after
    the ``[repro]`` table.

    Raises:
        ValueError: the file has no ``[repro]`` table, holds ``checked`` written
            another way than ``[[repro.checked]]`` tables, or would not parse.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"the file does not parse ({exc})") from None
    lines = text.splitlines(keepends=True)
    header = re.compile(r"^\s*\[\[\s*repro\s*\.\s*checked\s*\]\]\s*(#.*)?$")
    kept: list[str] = []
    skipping = False
    for line in lines:
        stripped = line.strip()
        if header.match(stripped):
            skipping = True
            continue
        if skipping and stripped.startswith("["):
            skipping = False
        if not skipping:
            kept.append(line)
    sections = _sections(kept)
    if "repro" not in sections:
        raise ValueError("no [repro] table to put [[repro.checked]] after")
    if "checked" in tomllib.loads("".join(kept)).get("repro", {}):
        raise ValueError("[repro].checked is not written as [[repro.checked]] tables; edit it")
    old = parse_checked(data.get("repro", {}).get("checked", []))
    new_keys = {tuple(run.versions.items()) for run in runs}
    merged = [run for run in old if tuple(run.versions.items()) not in new_keys] + list(runs)
    start, end = sections["repro"]
    at = _last_content_line(kept, start, end) + 1
    _ensure_newline(kept, at - 1)
    newline = _newline(kept[at - 1])
    block = "".join(newline + run.to_toml().replace("\n", newline) for run in merged)
    kept.insert(at, block)
    result = "".join(kept)
    try:
        tomllib.loads(result)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"the edited file would not parse ({exc}); edit it by hand") from None
    return result


def write_checked(folder: Path, runs: Sequence[CheckedRun]) -> Path:
    """Add ``runs`` to ``folder``'s case.toml as ``[[repro.checked]]`` and check it still loads.

    Raises:
        ValueError: the file cannot be edited safely (it is left unchanged).
        CaseError: the edited case does not validate (the old text is restored).
    """
    return _rewrite(folder, lambda old: set_checked(old, runs))


def _rewrite(folder: Path, edit: Callable[[str], str]) -> Path:
    """Write ``edit`` of the case.toml's text; restore the old text if the case stops loading."""
    path = folder / CASE_FILE
    old = path.read_text(encoding="utf-8")
    path.write_text(edit(old), encoding="utf-8")
    try:
        load_case(folder)
    except CaseError:
        path.write_text(old, encoding="utf-8")
        raise
    return path


def _sections(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Table name -> (header line, first line after the table); the root is ''."""
    found: dict[str, tuple[int, int]] = {}
    name, start = "", -1
    for i, line in enumerate(lines):
        stripped = line.strip()
        header = _HEADER.match(stripped) if not stripped.startswith("[[") else None
        if header or stripped.startswith("[["):
            found.setdefault(name, (start, i))
            name = _table_name(header.group(1)) if header else "[[array]]"
            start = i
    found.setdefault(name, (start, len(lines)))
    return found


def _table_name(raw: str) -> str:
    parts = [part.strip().strip("\"'") for part in raw.split(".")]
    return ".".join(parts)


def _last_content_line(lines: list[str], start: int, end: int) -> int:
    """The last line of a table that is neither blank nor a comment (the header at least)."""
    for i in range(end - 1, start, -1):
        stripped = lines[i].strip()
        if stripped and not stripped.startswith("#"):
            return i
    return start


def _replace_inline(line: str, match: re.Match[str], dist: str, spec: str) -> str:
    prefix, rest = match.group(1), match.group(2)
    stop = _inline_table_end(rest)
    if stop is None:
        raise ValueError("`affected` is not a one-line inline table; edit it by hand")
    table = tomllib.loads(f"affected = {rest[:stop]}")["affected"]
    key = next((k for k in table if _same_dist(k, dist)), dist)
    table[key] = spec  # an existing entry keeps its place and spelling
    body = ", ".join(f"{_key(k)} = {_string(v)}" for k, v in table.items())
    return f"{prefix}{{ {body} }}{rest[stop:]}{_newline(line)}"


def _inline_table_end(text: str) -> int | None:
    """The index just past the inline table ``text`` starts with, or ``None``."""
    if not text.startswith("{"):
        return None
    depth, quote, i = 0, "", 0
    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\" and quote == '"':
                i += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None


def _same_dist(key: str, dist: str) -> bool:
    return canonicalize_name(key.strip("\"'")) == canonicalize_name(dist)


def _key(name: str) -> str:
    return name if _BARE_KEY.match(name) else _string(name)


def _string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _newline(line: str) -> str:
    return "\r\n" if line.endswith("\r\n") else "\n"


def _ensure_newline(lines: list[str], i: int) -> None:
    if i >= 0 and not lines[i].endswith("\n"):
        lines[i] += "\n"


def _checked(text: str, dist: str, spec: str) -> str:
    """``text`` if it parses and holds ``dist = spec`` in ``[repro].affected``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"the edited file would not parse ({exc}); edit it by hand") from None
    affected = data.get("repro", {}).get("affected", {})
    if not any(_same_dist(k, dist) and v == spec for k, v in affected.items()):
        raise ValueError("could not place `affected` in [repro]; edit it by hand")
    return text
