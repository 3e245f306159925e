"""Write ``[repro].affected`` into a ``case.toml``, changing as little of its text as possible."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.utils import canonicalize_name

from fixbook.knowledge.case import CASE_FILE, CaseError, load_case

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
    path = folder / CASE_FILE
    old = path.read_text(encoding="utf-8")
    path.write_text(set_affected(old, dist, spec), encoding="utf-8")
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
