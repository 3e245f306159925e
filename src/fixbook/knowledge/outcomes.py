"""Expectations and verdicts: what a script should do here, and what it did."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import metadata

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from fixbook.knowledge.case import Case
from fixbook.runner.cold import ScriptResult


class Outcome(StrEnum):
    """What a script was observed (or expected) to do."""

    REPRODUCED = "reproduced"
    NOT_REPRODUCED = "not-reproduced"
    DRIFTED = "drifted"
    PASSED = "passed"
    FAILED = "failed"
    TIMEOUT = "timeout"
    CRASHED = "crashed"
    SKIPPED = "skipped"


def installed_versions(names: Iterable[str]) -> dict[str, str | None]:
    """The installed version of each required distribution, ``None`` where it is missing.

    A requirement is met by the distribution of that name, else by any installed
    distribution that provides the import package of that name (``tensorflow-cpu``
    and ``tf-nightly`` provide ``tensorflow``); the version is that distribution's.
    Which distribution provides which top-level package is read from the installed
    metadata by :func:`importlib.metadata.packages_distributions`.
    """
    versions: dict[str, str | None] = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = _provider_version(name)
    return versions


@functools.cache
def _providers() -> dict[str, tuple[str, ...]]:
    """Top-level import package -> the installed distributions providing it (read once)."""
    return {k: tuple(sorted(set(v))) for k, v in metadata.packages_distributions().items()}


def _provider_version(name: str) -> str | None:
    """The version of an installed distribution providing the import package ``name``."""
    package = canonicalize_name(name).replace("-", "_")
    for provider in _providers().get(package, ()):
        try:
            return metadata.version(provider)
        except metadata.PackageNotFoundError:
            continue
    return None


def _lookup(versions: Mapping[str, str | None], name: str) -> str | None:
    wanted = canonicalize_name(name)
    for dist, version in versions.items():
        if canonicalize_name(dist) == wanted:
            return version
    return None


def _inside(specs: Mapping[str, SpecifierSet], versions: Mapping[str, str | None]) -> bool:
    return all(
        (version := _lookup(versions, dist)) is not None
        and spec.contains(version, prereleases=True)
        for dist, spec in specs.items()
    )


def _describe(specs: Mapping[str, SpecifierSet], versions: Mapping[str, str | None]) -> str:
    return ", ".join(f"{dist} {_lookup(versions, dist) or 'missing'}" for dist in specs)


@dataclass(frozen=True)
class Expectation:
    """What one script should do in this environment, or why it is skipped."""

    outcome: Outcome
    versions: str
    skip_reason: str = ""


def expect(case: Case, script: str, versions: Mapping[str, str | None]) -> Expectation:
    """What ``script`` ("repro" or "fix") of ``case`` should do given ``versions``."""
    missing = [name for name in case.requires if _lookup(versions, name) is None]
    if missing:
        return Expectation(Outcome.SKIPPED, "", f"requires {', '.join(missing)}, not installed")
    if script == "fix":
        specs = case.fix.requires
        shown = (
            _describe(specs, versions)
            if specs
            else _describe({name: SpecifierSet() for name in case.requires}, versions)
        )
        if specs and not _inside(specs, versions):
            wanted = ", ".join(f"{dist}{spec}" for dist, spec in specs.items())
            return Expectation(
                Outcome.SKIPPED, shown, f"the fix needs {wanted}; installed: {shown}"
            )
        return Expectation(Outcome.PASSED, shown)
    affected = case.repro.affected
    if affected is None:
        shown = _describe({case.library: SpecifierSet()}, versions)
        return Expectation(Outcome.REPRODUCED, shown)
    shown = _describe(affected, versions)
    expected = Outcome.REPRODUCED if _inside(affected, versions) else Outcome.NOT_REPRODUCED
    return Expectation(expected, shown)


def observe(case: Case, script: str, result: ScriptResult) -> Outcome:
    """Classify what a script did."""
    if result.status == "timeout":
        return Outcome.TIMEOUT
    if result.status == "crashed":
        return Outcome.CRASHED
    if script == "fix":
        return Outcome.PASSED if result.status == "finished" else Outcome.FAILED
    if result.error is None:
        return Outcome.NOT_REPRODUCED
    documented = result.error.matches_class(case.repro.raises) and re.search(
        case.repro.match, result.error.message
    )
    return Outcome.REPRODUCED if documented else Outcome.DRIFTED


def verdict(case: Case, script: str, expected: Expectation, observed: Outcome) -> str:
    """Why an observed outcome is wrong and what to change; empty when it is right."""
    if observed == expected.outcome:
        return ""
    where = expected.versions or "this environment"
    if script == "fix":
        return (
            f"{where}: fix.py {observed.value} instead of passing; "
            "the fix no longer works here: update fix.py or set [fix].requires"
        )
    if observed == Outcome.DRIFTED:
        return (
            f"{where}: the repro fails with another error than documented "
            f"({case.repro.raises} matching {case.repro.match!r}); "
            "update [repro].raises/match if upstream reworded it"
        )
    if observed == Outcome.NOT_REPRODUCED:
        action = "narrow" if case.repro.affected else "fixed upstream? record"
        return f"{where}: the bug no longer reproduces; {action} [repro].affected"
    if observed == Outcome.REPRODUCED:
        return f"{where}: the bug reproduces outside [repro].affected; widen it"
    return f"{where}: repro.py {observed.value} instead of {expected.outcome.value}"


class CaseStatus(StrEnum):
    """One word for a whole case in one environment, for summaries and badges."""

    REPRODUCES = "reproduces"
    FIXED_UPSTREAM = "fixed upstream"
    NO_LONGER_REPRODUCES = "no longer reproduces"
    REPRODUCES_OUTSIDE = "reproduces outside affected"
    ERROR_CHANGED = "error changed"
    FIX_BROKEN = "fix broken"
    BROKEN = "broken"
    SKIPPED = "skipped"
    NOT_VERIFIED = "not yet verified"


def case_status(repro: tuple[str, str] | None, fix: tuple[str, str] | None) -> CaseStatus:
    """The status of a case from its scripts' ``(observed, expected)`` outcomes."""
    if repro is None:
        return CaseStatus.NOT_VERIFIED
    observed, expected = repro
    if observed == Outcome.SKIPPED:
        return CaseStatus.SKIPPED
    if observed in (Outcome.TIMEOUT, Outcome.CRASHED):
        return CaseStatus.BROKEN
    if observed == Outcome.DRIFTED:
        return CaseStatus.ERROR_CHANGED
    if observed != expected:
        if observed == Outcome.NOT_REPRODUCED:
            return CaseStatus.NO_LONGER_REPRODUCES
        return CaseStatus.REPRODUCES_OUTSIDE
    if fix is not None and fix[0] in (Outcome.FAILED, Outcome.TIMEOUT, Outcome.CRASHED):
        return CaseStatus.FIX_BROKEN
    if observed == Outcome.NOT_REPRODUCED:
        return CaseStatus.FIXED_UPSTREAM
    return CaseStatus.REPRODUCES
