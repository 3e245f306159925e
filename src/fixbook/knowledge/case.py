"""The case model: load and validate a case folder's ``case.toml``."""

from __future__ import annotations

import hashlib
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet

from fixbook.knowledge.layout import (
    CASE_FILE,
    CASE_FILES,
    CaseError,
    check_folder,
    read_case_bytes,
    read_case_text,
)

SCRIPTS = ("repro", "fix")

_TOP_KEYS = {
    "title": str,
    "library": str,
    "summary": str,
    "tags": list,
    "upstream": list,
    "requires": list,
    "env": dict,
    "timeout": (int, float),
    "repro": dict,
    "fix": dict,
}
_REQUIRED_TOP = ("title", "library", "summary", "upstream", "requires", "repro")
_REPRO_KEYS = {"raises": str, "match": str, "affected": dict}
_FIX_KEYS = {"requires": dict}
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


@dataclass(frozen=True)
class ReproSpec:
    """What ``repro.py`` must raise, and where the bug lives."""

    raises: str
    match: str
    affected: Mapping[str, SpecifierSet] | None = None


@dataclass(frozen=True)
class FixSpec:
    """Where ``fix.py`` applies; empty means everywhere."""

    requires: Mapping[str, SpecifierSet] = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    """One validated case folder."""

    path: Path
    title: str
    library: str
    summary: str
    upstream: tuple[str, ...]
    requires: tuple[str, ...]
    repro: ReproSpec
    fix: FixSpec
    tags: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    timeout: float | None = None

    @property
    def id(self) -> str:
        """``<library folder>/<slug>``, stable across checkouts."""
        return f"{self.path.parent.name}/{self.path.name}"

    @property
    def slug(self) -> str:
        return self.path.name

    def script(self, name: str) -> Path:
        """The path of ``repro.py`` or ``fix.py``."""
        return self.path / f"{name}.py"

    def content_hash(self) -> str:
        """A sha256 over the case's files, to tell when a stored result is stale."""
        digest = hashlib.sha256()
        for name in CASE_FILES:
            digest.update(name.encode() + b"\0")
            digest.update(read_case_bytes(self.path / name) + b"\0")
        return digest.hexdigest()


def load_case(folder: Path) -> Case:
    """Load and validate the case in ``folder``.

    Raises:
        CaseError: the first problem found, naming the file and the key; first
            what the folder holds (:func:`fixbook.knowledge.layout.check_folder`).
    """
    toml_path = folder / CASE_FILE
    check_folder(folder)
    try:
        raw = tomllib.loads(read_case_text(toml_path))
    except tomllib.TOMLDecodeError as exc:
        raise CaseError(toml_path, f"is not valid TOML: {exc}") from None
    except RecursionError:
        raise CaseError(toml_path, "is nested too deeply to be a case.toml") from None

    _check_keys(toml_path, raw, _TOP_KEYS, prefix="")
    for key in _REQUIRED_TOP:
        if key not in raw:
            raise CaseError(toml_path, "is required but missing", key)
    repro_raw = raw["repro"]
    _check_keys(toml_path, repro_raw, _REPRO_KEYS, prefix="repro.")
    for key in ("raises", "match"):
        if key not in repro_raw:
            raise CaseError(toml_path, "is required but missing", f"repro.{key}")
    fix_raw = raw.get("fix", {})
    _check_keys(toml_path, fix_raw, _FIX_KEYS, prefix="fix.")

    return Case(
        path=folder,
        title=_text(toml_path, raw, "title"),
        library=_distribution(toml_path, raw["library"], "library"),
        summary=_text(toml_path, raw, "summary"),
        upstream=_urls(toml_path, raw["upstream"]),
        requires=tuple(
            _distribution(toml_path, item, f"requires[{i}]")
            for i, item in enumerate(_strings(toml_path, raw["requires"], "requires"))
        ),
        repro=ReproSpec(
            raises=_exception_name(toml_path, repro_raw["raises"]),
            match=_regex(toml_path, repro_raw["match"]),
            affected=(
                _specifiers(toml_path, repro_raw["affected"], "repro.affected")
                if "affected" in repro_raw
                else None
            ),
        ),
        fix=FixSpec(requires=_specifiers(toml_path, fix_raw.get("requires", {}), "fix.requires")),
        tags=_strings(toml_path, raw.get("tags", []), "tags"),
        env=_env(toml_path, raw.get("env", {})),
        timeout=_timeout(toml_path, raw.get("timeout")),
    )


def find_case_folders(paths: list[Path]) -> list[Path]:
    """Every folder at or under ``paths`` that holds a ``case.toml``, sorted."""
    found: set[Path] = set()
    for path in paths:
        if path.is_file() and path.name == CASE_FILE:
            found.add(path.parent)
        elif path.is_dir():
            found.update(p.parent for p in path.rglob(CASE_FILE) if not _hidden(p, path))
    return sorted(found)


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _check_keys(path: Path, table: dict[str, Any], schema: dict[str, Any], prefix: str) -> None:
    for key, value in table.items():
        if key not in schema:
            known = ", ".join(sorted(schema))
            raise CaseError(path, f"unknown key (known keys: {known})", prefix + key)
        expected = schema[key]
        if not isinstance(value, expected) or isinstance(value, bool):
            raise CaseError(
                path,
                f"must be {_type_name(expected)}, not {_type_name(type(value))}",
                prefix + key,
            )


def _type_name(kind: Any) -> str:
    names = {str: "a string", list: "an array", dict: "a table", int: "a number"}
    if isinstance(kind, tuple):
        return names.get(kind[0], kind[0].__name__)
    return names.get(kind, kind.__name__)


def _text(path: Path, raw: dict[str, Any], key: str) -> str:
    value = raw[key].strip()
    if not value:
        raise CaseError(path, "must not be empty", key)
    return value


def _strings(path: Path, items: list[Any], key: str) -> tuple[str, ...]:
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            raise CaseError(path, "must be a non-empty string", f"{key}[{i}]")
    return tuple(items)


def _urls(path: Path, items: list[Any]) -> tuple[str, ...]:
    urls = _strings(path, items, "upstream")
    if not urls:
        raise CaseError(path, "must list at least one upstream link", "upstream")
    for i, url in enumerate(urls):
        if not url.startswith("https://"):
            raise CaseError(path, f"must be an https:// link, got {url!r}", f"upstream[{i}]")
    return urls


def _distribution(path: Path, name: Any, key: str) -> str:
    if not isinstance(name, str):
        raise CaseError(path, "must be a string", key)
    try:
        requirement = Requirement(name)
    except InvalidRequirement:
        raise CaseError(path, f"is not a distribution name: {name!r}", key) from None
    if str(requirement) != requirement.name:
        raise CaseError(path, f"must be a bare distribution name, got {name!r}", key)
    return requirement.name


def _exception_name(path: Path, name: str) -> str:
    if not _IDENTIFIER.match(name):
        raise CaseError(path, f"is not an exception class name: {name!r}", "repro.raises")
    return name


def _regex(path: Path, pattern: str) -> str:
    try:
        re.compile(pattern)
    except (re.error, OverflowError, RecursionError) as exc:
        why = str(exc) or type(exc).__name__
        raise CaseError(path, f"is not a valid regular expression: {why}", "repro.match") from None
    return pattern


def _specifiers(path: Path, table: dict[str, Any], key: str) -> dict[str, SpecifierSet]:
    specs: dict[str, SpecifierSet] = {}
    for dist, spec in table.items():
        name = _distribution(path, dist, f"{key}.{dist}")
        if not isinstance(spec, str):
            raise CaseError(path, "must be a version specifier string", f"{key}.{dist}")
        try:
            specs[name] = SpecifierSet(spec)
        except InvalidSpecifier:
            raise CaseError(
                path, f"is not a valid PEP 440 specifier: {spec!r}", f"{key}.{dist}"
            ) from None
    return specs


def _env(path: Path, table: dict[str, Any]) -> dict[str, str]:
    for name, value in table.items():
        if not isinstance(value, str):
            raise CaseError(path, "environment values must be strings", f"env.{name}")
        if not name or "=" in name or "\0" in name or "\0" in value:
            raise CaseError(path, "is not a valid environment variable", f"env.{name}")
    return dict(table)


def _timeout(path: Path, value: float | None) -> float | None:
    if value is not None and not (value > 0 and math.isfinite(value)):
        raise CaseError(path, "must be a positive, finite number of seconds", "timeout")
    return value
