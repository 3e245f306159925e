"""The site's domain model: every case joined with every environment's results.

Nothing here runs a case or imports MkDocs: :func:`load_catalog` reads the case
folders and the results files and answers, per case and environment, one
:class:`Cell` with its status.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from fixbook.knowledge.case import Case, CaseError, find_case_folders, load_case
from fixbook.knowledge.layout import read_case_text, tree_problems
from fixbook.knowledge.vocabulary import CaseStatus, fixed_in, introduced_in, with_detail
from fixbook.results.report import scripts_status
from fixbook.results.store import CaseRecord, EnvironmentResults, ScriptRecord, read_results_dir

#: How the site names the library folders it knows; others show their folder name.
LIBRARY_NAMES = {
    "jax": "JAX",
    "keras": "Keras",
    "numpyro": "NumPyro",
    "tensorflow": "TensorFlow",
    "tensorflow-probability": "TensorFlow Probability",
    "tf-keras": "tf-keras",
}

STALE_NOTE = "verified on an older version of this case"

#: The kinds of claim a case makes (``ReproSpec.kind``), as the home page counts them.
CLAIM_KINDS = {
    "raises": "raises an exception",
    "warns": "emits a warning",
    "crashes": "crashes the process",
    "hangs": "hangs",
    "stderr": "only logs to stderr",
}


def status_slug(status: CaseStatus) -> str:
    """The CSS-friendly name of a status, e.g. ``not-affected``."""
    return status.value.replace(" ", "-")


@dataclass(frozen=True)
class Cell:
    """One case in one environment: the status and the record behind it.

    ``environment`` is ``None`` for the single cell a case shows when there
    are no results files at all.
    """

    environment: EnvironmentResults | None
    status: CaseStatus
    label: str
    record: CaseRecord | None = None
    stale: bool = False

    @property
    def env_name(self) -> str:
        return self.environment.name if self.environment else "all environments"

    @property
    def slug(self) -> str:
        return status_slug(self.status)

    def script(self, name: str) -> ScriptRecord | None:
        """The stored run of ``repro`` or ``fix``, if any."""
        return self.record.scripts.get(name) if self.record else None

    @property
    def recorded(self) -> str:
        """When the scripts last ran here (ISO 8601), or ``""``."""
        times = [s.recorded for s in (self.script("repro"), self.script("fix")) if s]
        if max(times, default=""):
            return max(times)
        return self.environment.updated if self.record and self.environment else ""

    @property
    def versions(self) -> str:
        """The versions of the distributions the case requires, as installed here."""
        if not self.record:
            return ""
        return ", ".join(f"{dist} {ver or 'missing'}" for dist, ver in self.record.requires.items())

    @property
    def tooltip(self) -> str:
        """A sentence for the badge's title attribute."""
        text = f"{self.env_name}: {self.label}"
        if self.versions:
            text += f" ({self.versions})"
        if self.recorded:
            text += f", last run {display_time(self.recorded)}"
        if self.stale:
            text += f"; {STALE_NOTE}"
        return text


@dataclass(frozen=True)
class CapturedError:
    """An error a script raised, with the environments that saw exactly this one."""

    script: str
    error_type: str
    message: str
    traceback: str
    documented: bool
    environments: tuple[str, ...]
    recorded: str


@dataclass(frozen=True)
class CaseEntry:
    """A case with its texts and one cell per environment."""

    case: Case
    folder: str
    readme: str
    sources: Mapping[str, str]
    cells: tuple[Cell, ...]

    @property
    def id(self) -> str:
        return self.case.id

    @property
    def slug(self) -> str:
        return self.case.slug

    @property
    def page_uri(self) -> str:
        """The docs-relative path of the generated page."""
        return f"cases/{self.folder}/{self.slug}/index.md"

    def download_uri(self, script: str) -> str:
        """The docs-relative path a script is published at, next to the page."""
        return f"cases/{self.folder}/{self.slug}/{script}.py"

    @property
    def stale(self) -> bool:
        return any(cell.stale for cell in self.cells)

    @property
    def repro_outcomes(self) -> frozenset[str]:
        """The outcomes ``repro.py`` had in the environments that ran it."""
        return frozenset(run.outcome for cell in self.cells if (run := cell.script("repro")))

    def errors(self) -> list[CapturedError]:
        """The errors the scripts raised, one per distinct error, latest first."""
        groups: dict[tuple[str, str, str], list[tuple[Cell, ScriptRecord]]] = {}
        for cell in self.cells:
            for name in ("repro", "fix"):
                run = cell.script(name)
                if run and run.error_type:
                    groups.setdefault((name, run.error_type, run.message), []).append((cell, run))
        errors = []
        for (name, error_type, message), seen in groups.items():
            latest = max(seen, key=lambda item: item[1].recorded)[1]
            errors.append(
                CapturedError(
                    script=name,
                    error_type=error_type,
                    message=message,
                    traceback=latest.traceback,
                    documented=name == "repro" and latest.outcome == "reproduced",
                    environments=tuple(cell.env_name for cell, _ in seen),
                    recorded=latest.recorded,
                )
            )
        errors.sort(key=lambda e: e.recorded, reverse=True)
        return sorted(errors, key=lambda e: e.script != "repro")


@dataclass(frozen=True)
class Library:
    """The cases of one library folder."""

    folder: str
    name: str
    cases: tuple[CaseEntry, ...]

    @property
    def page_uri(self) -> str:
        return f"cases/{self.folder}/index.md"


@dataclass(frozen=True)
class Catalog:
    """Every case, every environment, grouped by library."""

    libraries: tuple[Library, ...]
    environments: tuple[EnvironmentResults, ...]

    @property
    def cases(self) -> tuple[CaseEntry, ...]:
        return tuple(entry for library in self.libraries for entry in library.cases)

    def claim_counts(self) -> Counter[str]:
        """How many cases make each kind of claim."""
        return Counter(entry.case.repro.kind for entry in self.cases)

    def status_counts(self) -> dict[str, Counter[CaseStatus]]:
        """Per environment name, how many cases have each status."""
        counts: dict[str, Counter[CaseStatus]] = {}
        for entry in self.cases:
            for cell in entry.cells:
                counts.setdefault(cell.env_name, Counter())[cell.status] += 1
        return counts


def library_name(folder: str) -> str:
    """The display name of a library folder."""
    return LIBRARY_NAMES.get(folder, folder)


def display_time(stamp: str) -> str:
    """An ISO 8601 UTC time as ``2026-11-22 17:44 UTC``; other text unchanged."""
    if len(stamp) >= 16 and stamp[10] == "T":
        suffix = " UTC" if stamp.endswith(("+00:00", "Z")) else ""
        return f"{stamp[:10]} {stamp[11:16]}{suffix}"
    return stamp


def load_catalog(
    cases_dir: Path, results_dir: Path, environments: Sequence[str] | None = None
) -> Catalog:
    """Read every case under ``cases_dir`` and the results files in ``results_dir``.

    Args:
        cases_dir: the folder holding ``<library>/<slug>/case.toml``.
        results_dir: the folder of ``<env>.json`` results files; may not exist yet.
        environments: the environments to publish, in order; ``None``: every
            results file there. A listed environment without a file is left out.

    Returns:
        The catalog, libraries and cases sorted.

    Raises:
        CaseError: a case folder cannot be read or validated.
        ResultsError: a results file cannot be read.
    """
    found = {document.name: document for document in read_results_dir(results_dir)}
    names = list(found) if environments is None else [n for n in environments if n in found]
    published = tuple(found[name] for name in names)
    for problem in tree_problems(cases_dir) if cases_dir.is_dir() else []:
        raise problem
    entries: dict[str, CaseEntry] = {}
    for folder in find_case_folders([cases_dir]) if cases_dir.is_dir() else []:
        case = load_case(folder)
        if case.id in entries:
            other = entries[case.id].case.path
            raise CaseError(folder, f"has the same case id {case.id!r} as {other}")
        entries[case.id] = _entry(case, published)
    by_folder: dict[str, list[CaseEntry]] = {}
    for entry in entries.values():
        by_folder.setdefault(entry.folder, []).append(entry)
    libraries = tuple(
        Library(
            folder=folder,
            name=library_name(folder),
            cases=tuple(sorted(cases, key=lambda e: (e.case.title.casefold(), e.slug))),
        )
        for folder, cases in sorted(by_folder.items())
    )
    return Catalog(libraries=libraries, environments=published)


def _entry(case: Case, environments: tuple[EnvironmentResults, ...]) -> CaseEntry:
    texts = {name: _read(case.path / name) for name in ("README.md", "repro.py", "fix.py")}
    digest = case.content_hash()
    if environments:
        cells = tuple(_cell(case, env, digest) for env in environments)
    else:
        cells = (Cell(None, CaseStatus.NOT_VERIFIED, CaseStatus.NOT_VERIFIED.value),)
    return CaseEntry(
        case=case,
        folder=case.path.parent.name,
        readme=texts["README.md"],
        sources={"repro": texts["repro.py"], "fix": texts["fix.py"]},
        cells=cells,
    )


def _read(path: Path) -> str:
    return read_case_text(path)


def _cell(case: Case, env: EnvironmentResults, digest: str) -> Cell:
    record = env.cases.get(case.id)
    if record is None:
        return Cell(env, CaseStatus.NOT_VERIFIED, CaseStatus.NOT_VERIFIED.value)
    status = scripts_status(record.scripts)
    label = status.value
    if status == CaseStatus.NOT_AFFECTED:
        label = with_detail(status, _why_not_affected(case, {**env.packages, **record.requires}))
    return Cell(env, status, label, record=record, stale=record.hash != digest)


def _why_not_affected(case: Case, versions: Mapping[str, str | None]) -> str:
    """``fixed in numpyro 0.15.0`` or ``introduced in jax 0.4.26``, from the bound of
    ``affected`` the installed version lies beyond; ``""`` when no bound says."""
    installed = {canonicalize_name(k): v for k, v in versions.items() if v}
    for dist, spec in (case.repro.affected or {}).items():
        version = installed.get(canonicalize_name(dist))
        if version is None or spec.contains(version, prereleases=True):
            continue
        upper, lower = _bounds(spec, version)
        if upper:
            return fixed_in(dist, upper)
        if lower:
            return introduced_in(dist, lower)
    return ""


def _bounds(spec: SpecifierSet, installed: str) -> tuple[str, str]:
    """The upper bound at or below ``installed``, and the lower bound above it."""
    upper = lower = ""
    for item in spec:
        try:
            current, bound = Version(installed), Version(item.version)
        except InvalidVersion:
            continue
        if item.operator == "<" and current >= bound:
            upper = item.version
        elif item.operator == "<=" and current > bound:
            upper = f"the release after {item.version}"
        elif item.operator == ">=" and current < bound:
            lower = item.version
        elif item.operator == ">" and current <= bound:
            lower = f"the release after {item.version}"
    return upper, lower
