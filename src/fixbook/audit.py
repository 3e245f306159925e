"""``fixbook audit``: which known bugs affect an environment, like pip-audit for bugs.

The versions come from the running environment's metadata (nothing is
imported), or from pinned inputs: requirements files and ``pip freeze`` output
(``name==version`` lines), ``pyproject.toml`` (``==`` pins in
``[project].dependencies``) and ``uv.lock``. A case is a *finding* when every
distribution it requires is present and every version its ``[repro].affected``
names is inside the range; cases without a range are open everywhere
(pitfalls, listed with ``--all``). Exit status 1 when there is a finding, 0
when none, 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from fixbook.history.osv import InexactRange, bounds, spec_text
from fixbook.knowledge.case import Case
from fixbook.knowledge.index import Knowledge, fix_hint, load_knowledge
from fixbook.why import cases_folder

#: Above this many packages read, progress goes to stderr (unless -q).
PROGRESS_FROM = 100


class InputError(Exception):
    """An input file that cannot be read or parsed; the message is one line naming it."""


@dataclass
class Inventory:
    """Distributions and their versions (``None``: present, version not pinned exactly)."""

    versions: dict[str, str | None] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    pinned_at: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, version: str | None, where: str = "") -> None:
        """Add a distribution; ``where`` (``file:line``) names a pin for a conflict's message.

        Raises:
            InputError: ``where`` pins the distribution to another version than an
                earlier pin did (pip would refuse to install both).
        """
        key = canonicalize_name(name)
        known = self.versions.get(key)
        if where and version is not None and known is not None and known != version:
            raise InputError(
                f"{where}: pins {key}=={version}, but {self.pinned_at[key]} pins "
                f"{key}=={known}; audit one environment at a time"
            )
        if version is not None or key not in self.versions:
            self.versions[key] = version
            if where and version is not None:
                self.pinned_at[key] = where


@dataclass(frozen=True)
class Finding:
    """A ranged case whose range holds the versions audited."""

    case: str
    title: str
    package: str
    installed: str
    affected: str
    fixed_in: str | None
    fix: str
    link: str
    range: Mapping[str, str]


@dataclass(frozen=True)
class Pitfall:
    """A case without a range (open upstream) whose distributions are all present."""

    case: str
    title: str
    fix: str
    link: str


def installed_inventory() -> Inventory:
    """Every distribution installed in this interpreter's environment, from its metadata."""
    inventory = Inventory(sources=["installed environment"])
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if isinstance(name, str) and name:
            inventory.add(name, dist.version)
    return inventory


def read_input(path: Path, inventory: Inventory) -> int:
    """Add the pins of one file to ``inventory``; returns how many packages it named.

    Raises:
        InputError: the file is missing, unreadable or not parsable.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"{path}: cannot be read: {getattr(exc, 'strerror', None) or exc}"
        ) from None
    inventory.sources.append(str(path))
    if path.name == "uv.lock":
        return _read_uv_lock(path, text, inventory)
    if path.name == "pyproject.toml":
        return _read_pyproject(path, text, inventory)
    return _read_requirements(path, text, inventory)


#: Per-requirement options of a requirements file (pip's ``--hash`` and ``--config-settings``).
_LINE_OPTIONS = re.compile(r"\s--(hash|config-settings|global-option)(=|\s+)\S+")
#: A line naming an archive, a folder or a VCS URL rather than a distribution and its version.
_LOCATION = re.compile(r"^([a-z][a-z0-9+.-]*://|\.{0,2}/|[a-z][a-z0-9+.-]*\+[a-z]+:)", re.I)


def _read_requirements(path: Path, text: str, inventory: Inventory) -> int:
    """pip's requirements format: ``\\`` continues a line, options and locations are skipped.

    A requirement whose environment marker is false for this interpreter is
    left out, as pip would leave it out here.
    """
    count = 0
    for number, raw in _logical_lines(text):
        line = _LINE_OPTIONS.sub(" ", " " + re.sub(r"(^|\s)#.*$", "", raw)).strip()
        if not line or line.startswith("-") or _LOCATION.match(line):
            continue
        try:
            requirement = Requirement(line)
        except InvalidRequirement as exc:
            raise InputError(
                f"{path}:{number}: not a requirement: {raw.strip()!r} ({_first_line(exc)})"
            ) from None
        count += 1
        if requirement.marker is None or requirement.marker.evaluate():
            inventory.add(requirement.name, _pinned(requirement), f"{path}:{number}")
    return count


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """The lines, with a continuation (``\\`` at the end) joined, each with its first number."""
    lines: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        start, before = pending or (number, "")
        if raw.endswith("\\"):
            pending = (start, before + raw[:-1] + " ")
            continue
        pending = None
        lines.append((start, before + raw))
    if pending:
        lines.append(pending)
    return lines


def _read_pyproject(path: Path, text: str, inventory: Inventory) -> int:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from None
    dependencies = data.get("project", {}).get("dependencies", [])
    if not isinstance(dependencies, list):
        raise InputError(f"{path}: [project].dependencies must be an array") from None
    for item in dependencies:
        try:
            requirement = Requirement(str(item))
        except InvalidRequirement as exc:
            raise InputError(
                f"{path}: [project].dependencies: {item!r}: {_first_line(exc)}"
            ) from None
        if requirement.marker is None or requirement.marker.evaluate():
            inventory.add(requirement.name, _pinned(requirement), f"{path}: {item!r}")
    return len(dependencies)


def _read_uv_lock(path: Path, text: str, inventory: Inventory) -> int:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from None
    packages = data.get("package", [])
    if not isinstance(packages, list):
        raise InputError(f"{path}: [[package]] must be an array of tables") from None
    for item in packages:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise InputError(f"{path}: a [[package]] without a name") from None
        version = item.get("version")
        inventory.add(item["name"], version if isinstance(version, str) else None)
    return len(packages)


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _pinned(requirement: Requirement) -> str | None:
    specs = list(requirement.specifier)
    if len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version:
        return specs[0].version
    return None


def audit(
    knowledge: Knowledge, versions: Mapping[str, str | None]
) -> tuple[list[Finding], list[Pitfall], list[str]]:
    """The findings, the pitfalls, and notes on cases that could not be decided.

    A case applies when every distribution in its ``requires`` is present (inside
    the version a requirement names, where it names one). A
    ranged case is a finding when every distribution of its range has a known
    version inside it; a present but unpinned one makes a note instead.
    """
    findings: list[Finding] = []
    pitfalls: list[Pitfall] = []
    notes: list[str] = []
    for case_id, case in sorted(knowledge.cases.items()):
        needed = [canonicalize_name(d) for d in case.requires]
        if any(d not in versions for d in needed) or _inside(case.needs, versions) is False:
            continue
        affected = case.repro.affected
        if affected is None:
            pitfalls.append(Pitfall(case_id, case.title, fix_hint(case), knowledge.link(case_id)))
            continue
        verdict = _inside(affected, versions)
        if verdict is None:
            unpinned = [d for d in affected if versions.get(canonicalize_name(d)) is None]
            notes.append(f"{case_id}: version of {', '.join(unpinned)} not pinned; not decided")
        elif verdict:
            findings.append(_finding(case, versions, knowledge))
    return findings, pitfalls, notes


def _inside(specs: Mapping[str, SpecifierSet], versions: Mapping[str, str | None]) -> bool | None:
    """Whether every known version is inside its specifier; ``None`` when one is unknown."""
    for dist, spec in specs.items():
        version = versions.get(canonicalize_name(dist))
        if version is None:
            return None
        try:
            if not spec.contains(Version(version), prereleases=True):
                return False
        except InvalidVersion:
            return None
    return True


def _finding(case: Case, versions: Mapping[str, str | None], knowledge: Knowledge) -> Finding:
    assert case.repro.affected is not None
    dist, spec = next(iter(case.repro.affected.items()))
    try:
        fixed_in = bounds(spec).fixed_release
    except InexactRange:
        fixed_in = None
    return Finding(
        case=case.id,
        title=case.title,
        package=dist,
        installed=str(versions[canonicalize_name(dist)]),
        affected=spec_text(spec),
        fixed_in=fixed_in,
        fix=fix_hint(case),
        link=knowledge.link(case.id),
        range={d: spec_text(s) for d, s in case.repro.affected.items()},
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``fixbook audit``."""
    parser.add_argument(
        "-r",
        "--requirement",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="requirements file, pip freeze output, pyproject.toml or uv.lock (repeatable)",
    )
    parser.add_argument("--all", action="store_true", help="also list open pitfalls")
    parser.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help="output format (default: text)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument("--cases", type=Path, default=None, help="cases folder (default: cases)")
    parser.add_argument("--site", default=None, help="base URL of the site for links")


def run_audit(args: argparse.Namespace) -> int:
    """Audit; print the report; exit 1 with findings, 0 without, 2 on bad input."""
    cases_dir = cases_folder(args, "audit")
    if cases_dir is None:
        return 2
    inventory = Inventory()
    try:
        if not args.requirement:
            inventory = installed_inventory()
        for path in args.requirement:
            count = read_input(path, inventory)
            if count >= PROGRESS_FROM and not args.quiet:
                print(f"fixbook audit: {count} packages read from {path}", file=sys.stderr)
    except InputError as exc:
        print(f"fixbook audit: {exc}", file=sys.stderr)
        return 2
    knowledge = load_knowledge(cases_dir, None, args.site)
    if len(inventory.versions) >= PROGRESS_FROM and not args.quiet:
        print(
            f"fixbook audit: checking {len(knowledge.cases)} cases against "
            f"{len(inventory.versions)} packages",
            file=sys.stderr,
        )
    for problem in knowledge.problems:
        print(f"fixbook audit: skipped {problem}", file=sys.stderr)
    findings, pitfalls, notes = audit(knowledge, inventory.versions)
    shown = pitfalls if args.all else []
    formats = {"json": format_json, "markdown": format_markdown, "text": format_text}
    print(formats[args.format](Report(findings, shown, notes, inventory, len(knowledge.cases))))
    return 1 if findings else 0


@dataclass(frozen=True)
class Report:
    """What one audit found, for a formatter.

    Attributes:
        findings: the ranged cases whose range holds the audited versions.
        pitfalls: the open cases shown (with ``--all``).
        notes: the cases that could not be decided.
        inventory: what was audited.
        cases: how many cases were checked.
    """

    findings: list[Finding]
    pitfalls: list[Pitfall]
    notes: list[str]
    inventory: Inventory
    cases: int


def format_json(report: Report) -> str:
    """``{"findings": [...], "pitfalls": [...], "notes": [...], "audited": {...}}``."""
    document: dict[str, Any] = {
        "findings": [asdict(f) | {"range": dict(f.range)} for f in report.findings],
        "pitfalls": [asdict(p) for p in report.pitfalls],
        "notes": report.notes,
        "audited": {
            "sources": report.inventory.sources,
            "packages": len(report.inventory.versions),
        },
        "cases": report.cases,
    }
    return json.dumps(document, indent=2)


def format_text(report: Report) -> str:
    """The terminal report, one block per finding."""
    findings, pitfalls = report.findings, report.pitfalls
    sources = ", ".join(report.inventory.sources)
    lines = [f"{len(findings)} known bug(s) in {sources} ({report.cases} cases checked)"]
    for f in findings:
        upgrade = f"fixed in {f.fixed_in}" if f.fixed_in else "no fixed release yet"
        lines += [
            "",
            f"{f.case}: {f.package} {f.installed} ({f.affected}), {upgrade}",
            f"  {f.title}",
            f"  fix: {f.fix}",
            f"  more: {f.link}",
        ]
    if pitfalls:
        lines += ["", f"{len(pitfalls)} open pitfall(s) for these packages (no fixed release):"]
        lines += [f"  {p.case}: {p.title}" for p in pitfalls]
    lines += [f"note: {note}" for note in report.notes]
    return "\n".join(lines)


def format_markdown(report: Report) -> str:
    """A Markdown table, for a CI job summary or a pull request comment."""
    findings, pitfalls = report.findings, report.pitfalls
    lines = [
        f"**{len(findings)} known bug(s)** in {', '.join(report.inventory.sources)} "
        f"({report.cases} cases checked)",
        "",
    ]
    if findings:
        lines += ["| case | package | installed | affected | fixed in |", "|---|---|---|---|---|"]
        lines += [
            f"| [{_cell(f.case)}]({f.link}) | {_cell(f.package)} | {_cell(f.installed)} "
            f"| `{_cell(f.affected)}` | {_cell(f.fixed_in or '-')} |"
            for f in findings
        ]
    if pitfalls:
        lines += ["", "Open pitfalls:", ""]
        lines += [f"- [{_cell(p.case)}]({p.link}): {_cell(p.title)}" for p in pitfalls]
    lines += [f"\n> {_cell(note)}" for note in report.notes]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
