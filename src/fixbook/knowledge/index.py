"""The knowledge the matching core and the audit work from: every case, with what results saw.

:func:`load_knowledge` reads the case folders and, where there are any, the
results files; a broken case folder is reported and left out, never stopping
the others. Nothing here imports a library the cases exercise.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from fixbook.knowledge.case import Case, CaseError, find_case_folders, load_case
from fixbook.knowledge.matching import Pattern
from fixbook.results.store import EnvironmentResults, ResultsError, read_results_dir

#: Where case pages are published; ``$FIXBOOK_SITE_URL`` overrides it.
DEFAULT_SITE = "site"


@dataclass(frozen=True)
class Knowledge:
    """The cases by id, their matching patterns, and the folders that failed to load."""

    cases: Mapping[str, Case]
    patterns: tuple[Pattern, ...]
    problems: tuple[str, ...] = ()
    site: str = DEFAULT_SITE

    def link(self, case_id: str) -> str:
        """The case's page: ``<site>/cases/<library>/<slug>/`` (a local build's index.html)."""
        if "://" in self.site:
            return f"{self.site.rstrip('/')}/cases/{case_id}/"
        return f"{self.site.rstrip('/')}/cases/{case_id}/index.html"


@dataclass(frozen=True)
class RangeCheck:
    """Whether the versions in play fall inside a case's ``affected`` range."""

    inside: bool | None
    versions: Mapping[str, str] = field(default_factory=dict)
    source: str = "installed"
    #: The case's requirement that the versions miss (``keras>=3.0``), when that put
    #: them outside; ``""`` otherwise.
    needs: str = ""

    def describe(self, affected: Mapping[str, SpecifierSet] | None) -> str:
        """One line: the versions, the range, and the verdict."""
        shown = ", ".join(f"{d} {v}" for d, v in self.versions.items()) or "none installed"
        if self.needs:
            return f"{self.source} {shown}: the case is about {self.needs}; not known there"
        if affected is None:
            return "no affected range: the case is open upstream, every release is affected"
        wanted = ", ".join(f"{d} {s}" for d, s in affected.items())
        if self.inside is None:
            return f"affected: {wanted}; {self.source} versions unknown ({shown})"
        verdict = "inside" if self.inside else "outside"
        return f"{self.source} {shown}: {verdict} the affected range ({wanted})"


def load_knowledge(
    cases_dir: Path, results_dir: Path | None = None, site: str | None = None
) -> Knowledge:
    """Every loadable case under ``cases_dir`` and the patterns to match errors against.

    Args:
        cases_dir: the folder holding ``<library>/<slug>/case.toml``.
        results_dir: results files to take captured messages and MROs from;
            a missing or unreadable folder adds nothing.
        site: base of case links; default ``$FIXBOOK_SITE_URL`` or ``site``.

    Returns:
        The knowledge; ``problems`` names each case folder or results file left out.
    """
    problems: list[str] = []
    cases: dict[str, Case] = {}
    for folder in find_case_folders([cases_dir]) if cases_dir.is_dir() else []:
        try:
            case = load_case(folder)
        except CaseError as exc:
            problems.append(str(exc))
            continue
        cases[case.id] = case
    documents: list[EnvironmentResults] = []
    if results_dir is not None:
        try:
            documents = read_results_dir(results_dir)
        except (ResultsError, OSError) as exc:
            problems.append(f"{results_dir}: results not read: {exc}")
    patterns = tuple(pattern_for(case, documents) for case in cases.values())
    base = site or os.environ.get("FIXBOOK_SITE_URL") or DEFAULT_SITE
    return Knowledge(cases, patterns, tuple(problems), base)


def pattern_for(case: Case, documents: Sequence[EnvironmentResults] = ()) -> Pattern:
    """The matching pattern of a case, with the messages and MRO its results captured.

    Only repro runs that reproduced the documented error contribute (so a
    drifted message never teaches the matcher a wrong wording).
    """
    texts: list[str] = []
    mro: tuple[str, ...] = ()
    for document in documents:
        record = document.cases.get(case.id)
        run = record.scripts.get("repro") if record else None
        if run is None or run.outcome != "reproduced" or not run.message:
            continue
        if run.message not in texts:
            texts.append(run.message[:2000])
        mro = mro or run.error_mro
    libraries = tuple(dict.fromkeys([case.library, *case.requires]))
    return Pattern(
        case=case.id,
        library=case.library,
        raises=case.repro.target if case.repro.kind in ("raises", "warns") else "",
        match=case.repro.match,
        messages=case.repro.messages,
        kind=case.repro.kind,
        stderr=case.repro.stderr or "",
        libraries=libraries,
        mro=mro,
        texts=tuple(texts),
    )


def fix_hint(case: Case, limit: int = 240) -> str:
    """The first paragraph of the README's ``## Fix`` section, on one line; else the summary."""
    try:
        readme = (case.path / "README.md").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return case.summary
    _, found, rest = readme.partition("\n## Fix")
    if not found:
        return case.summary
    body = rest.split("\n", 1)[1] if "\n" in rest else ""
    paragraph = ""
    for block in body.split("\n\n"):
        text = block.strip()
        if text.startswith("## "):
            break
        if text and not text.startswith(("```", "~~~")):
            paragraph = " ".join(text.split())
            break
    if not paragraph:
        return case.summary
    paragraph = paragraph.removesuffix(":") + ("." if paragraph.endswith(":") else "")
    return paragraph if len(paragraph) <= limit else paragraph[: limit - 1].rstrip() + "…"


def installed_versions(names: list[str]) -> dict[str, str]:
    """The installed version of each distribution that is installed, read from its metadata.

    Nothing is imported: :func:`importlib.metadata.version` reads the
    ``.dist-info`` folder.
    """
    found: dict[str, str] = {}
    for name in names:
        try:
            found[canonicalize_name(name)] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def range_distributions(case: Case) -> list[str]:
    """The distributions whose versions :func:`check_range` reads: those ``affected``
    names (every required one when it has none), and those the case needs a version of."""
    return list(dict.fromkeys([*(case.repro.affected or case.requires), *case.needs]))


def check_range(case: Case, versions: Mapping[str, str], source: str) -> RangeCheck:
    """Whether ``versions`` fall inside the case's ``affected`` range.

    ``inside`` is ``None`` when a distribution the range names has no known
    version; every named distribution must be inside for ``True``. A version
    outside what the case requires (``keras>=3.0``: Keras 2 is another
    codebase under the same name) is outside, range or not: the bug is not
    known there.
    """
    for dist, spec in case.needs.items():
        version = versions.get(canonicalize_name(dist))
        if version is not None and not _contains(spec, version):
            return RangeCheck(False, {dist: version}, source, needs=f"{dist}{spec}")
    affected = case.repro.affected
    if affected is None:
        return RangeCheck(True, dict(versions), source)
    shown: dict[str, str] = {}
    outside = unknown = False
    for dist, spec in affected.items():
        version = versions.get(canonicalize_name(dist))
        hit = version is not None and _contains(spec, version)
        if version is None or hit is None:
            unknown = True
            continue
        shown[dist] = version
        outside = outside or not hit
    inside = False if outside else (None if unknown else True)
    return RangeCheck(inside, shown, source)


def _contains(spec: SpecifierSet, version: str) -> bool | None:
    """Whether ``spec`` holds ``version`` (pre-releases too); ``None`` when it is no PEP 440
    version."""
    try:
        return spec.contains(Version(version), prereleases=True)
    except InvalidVersion:
        return None
