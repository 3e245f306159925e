"""Expectations and verdicts: what a script should do here, and what it did."""

from __future__ import annotations

import functools
import signal
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import metadata

import regex
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from fixbook.knowledge.case import Case, ReproSpec
from fixbook.knowledge.vocabulary import CaseStatus
from fixbook.runner.report import ScriptResult, Warned, describe_exit


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
    if case.needs and not _inside(case.needs, versions):
        wanted = ", ".join(f"{dist}{spec}" for dist, spec in case.needs.items())
        shown = _describe(case.needs, versions)
        return Expectation(Outcome.SKIPPED, shown, f"the scripts need {wanted}; installed: {shown}")
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


#: Seconds one regex search of a case may take (``regex``'s own timeout); a search
#: that takes longer counts as no match, and the verdict says so.
MATCH_SECONDS = 1.0


@dataclass(frozen=True)
class Judgement:
    """What a script did, as an outcome, and in words where that helps (drifted, failed)."""

    outcome: Outcome
    reason: str = ""


def search(pattern: str, text: str) -> bool | None:
    """``re.search`` semantics, bounded in time: ``None`` when it took over ``MATCH_SECONDS``."""
    try:
        return regex.search(pattern, text, timeout=MATCH_SECONDS) is not None
    except TimeoutError:
        return None


def observe(case: Case, script: str, result: ScriptResult) -> Outcome:
    """Classify what a script did (see ``judge`` for why)."""
    return judge(case, script, result).outcome


def judge(case: Case, script: str, result: ScriptResult) -> Judgement:
    """Classify what a script did against the case's claim, with the reason in words."""
    repro = case.repro
    if script == "fix":
        return _judge_fix(repro, result)
    if result.status == "timeout":
        if repro.kind != "hangs":
            return Judgement(Outcome.TIMEOUT)
        return _with_stderr(repro, result, "it hangs")
    if repro.kind == "crashes":
        return _judge_crash(repro, result)
    if result.status == "crashed":
        return Judgement(Outcome.CRASHED)
    if result.status == "raised" and repro.kind != "raises":
        assert result.error is not None
        return Judgement(
            Outcome.DRIFTED,
            f"it raised {_short(result.error.type)} where the claim is that it {repro.claim()}",
        )
    if repro.kind == "raises":
        if result.error is None:
            return Judgement(Outcome.NOT_REPRODUCED)
        return _judge_match(
            repro,
            result,
            result.error.matches_class(repro.target),
            result.error.message,
            f"it raised {_short(result.error.type)}",
        )
    if repro.kind == "warns":
        return _judge_warnings(repro, result)
    if repro.kind == "hangs":
        return Judgement(Outcome.NOT_REPRODUCED)
    return _with_stderr(repro, result, "", absent=Outcome.NOT_REPRODUCED)


def _short(name: str) -> str:
    return name.removeprefix("builtins.")


def _judge_match(
    repro: ReproSpec, result: ScriptResult, class_ok: bool, message: str, what: str
) -> Judgement:
    """The class and the ``match`` regex against ``message``; then ``stderr``."""
    found = search(repro.match, message)
    if not class_ok:
        also = " (its message matches)" if repro.match and found else ""
        return Judgement(
            Outcome.DRIFTED, f"the class does not match: {what}, not {repro.target}{also}"
        )
    if found is None:
        return Judgement(
            Outcome.DRIFTED,
            f"the message could not be matched: [repro].match {repro.match!r} took over "
            f"{MATCH_SECONDS:g} s on it; simplify the regex",
        )
    if not found:
        hint = ""
        if "\n" in message and "." in repro.match and "(?s)" not in repro.match:
            hint = " ('.' does not match a newline: start the regex with (?s))"
        first = message.strip().splitlines()[0][:200] if message.strip() else ""
        return Judgement(
            Outcome.DRIFTED,
            f"the class matches ({repro.target}) but the message does not match "
            f"{repro.match!r}{hint}: {first!r}",
        )
    return _with_stderr(repro, result, what)


def _with_stderr(
    repro: ReproSpec, result: ScriptResult, what: str, absent: Outcome = Outcome.DRIFTED
) -> Judgement:
    """``REPRODUCED`` when ``[repro].stderr`` (if any) matches the captured stderr."""
    if repro.stderr is None:
        return Judgement(Outcome.REPRODUCED)
    found = search(repro.stderr, result.stderr)
    if found:
        return Judgement(Outcome.REPRODUCED)
    if found is None:
        return Judgement(
            Outcome.DRIFTED,
            f"[repro].stderr {repro.stderr!r} took over {MATCH_SECONDS:g} s on the captured "
            "stderr; simplify the regex",
        )
    if absent == Outcome.NOT_REPRODUCED:
        return Judgement(absent)
    return Judgement(absent, f"{what} as claimed, but its stderr does not match {repro.stderr!r}")


def _judge_crash(repro: ReproSpec, result: ScriptResult) -> Judgement:
    code = result.returncode
    if result.status == "timeout":
        return Judgement(Outcome.TIMEOUT)
    if code == 0 and result.status == "finished":
        return Judgement(Outcome.NOT_REPRODUCED)
    if repro.target.startswith("exit:"):
        wanted = int(repro.target.partition(":")[2])
    else:
        wanted = -signal.Signals[repro.target].value
    if code != wanted:
        if result.error is not None and result.status == "raised":
            how = f"it raised {_short(result.error.type)}"
        else:
            how = f"it {describe_exit(code)}"
        return Judgement(Outcome.DRIFTED, f"{how}; the claim is that it {repro.claim()}")
    if repro.match:
        return _judge_match(repro, result, True, result.stderr, f"it {describe_exit(code)}")
    return _with_stderr(repro, result, f"it {describe_exit(code)}")


def _judge_warnings(repro: ReproSpec, result: ScriptResult) -> Judgement:
    shown = result.warnings
    of_class = [w for w in shown if w.matches_class(repro.target)]
    for warned in of_class:
        found = search(repro.match, warned.message)
        if found:
            return _with_stderr(repro, result, f"it warns {_short(warned.category)}")
    if of_class:
        return _judge_match(
            repro, result, True, of_class[0].message, f"it warns {_short(of_class[0].category)}"
        )
    if repro.match:
        other = next((w for w in shown if search(repro.match, w.message)), None)
        if other is not None:
            return _judge_match(
                repro, result, False, other.message, f"it warns {_short(other.category)}"
            )
    return Judgement(Outcome.NOT_REPRODUCED)


def claimed_warning(repro: ReproSpec, result: ScriptResult) -> Warned | None:
    """The warning a ``warns`` claim is about: the first of its category (matching
    ``match`` if one does), else ``None``; what the record shows as the captured error."""
    if repro.kind != "warns":
        return None
    of_class = [w for w in result.warnings if w.matches_class(repro.target)]
    return next((w for w in of_class if search(repro.match, w.message)), None) or next(
        iter(of_class), None
    )


def _judge_fix(repro: ReproSpec, result: ScriptResult) -> Judgement:
    """``PASSED`` when the fix ran clean and no longer shows the claimed warning or log line."""
    if result.status == "timeout":
        return Judgement(Outcome.TIMEOUT)
    if result.status == "crashed":
        return Judgement(Outcome.CRASHED)
    if result.status != "finished":
        return Judgement(Outcome.FAILED)
    if repro.kind == "warns":
        for warned in result.warnings:
            if warned.matches_class(repro.target) and search(repro.match, warned.message):
                return Judgement(
                    Outcome.FAILED,
                    f"fix.py still warns {_short(warned.category)}: {warned.message[:200]!r}",
                )
    if repro.stderr is not None and search(repro.stderr, result.stderr):
        return Judgement(
            Outcome.FAILED, f"fix.py still logs what [repro].stderr matches: {repro.stderr!r}"
        )
    return Judgement(Outcome.PASSED)


def verdict(
    case: Case, script: str, expected: Expectation, observed: Outcome, reason: str = ""
) -> str:
    """Why an observed outcome is wrong and what to change; empty when it is right.

    ``reason`` is ``judge``'s, added where it says what changed.
    """
    if observed == expected.outcome:
        return ""
    where = expected.versions or "this environment"
    because = f" ({reason})" if reason else ""
    if script == "fix":
        return (
            f"{where}: fix.py {observed.value} instead of passing{because}; "
            "the fix no longer works here: update fix.py or set [fix].requires"
        )
    if observed == Outcome.DRIFTED:
        return (
            f"{where}: the repro no longer does what the case claims "
            f"(it {case.repro.claim()}{_matching(case)}): {reason or 'another error'}; "
            "update [repro] if upstream changed it"
        )
    if observed == Outcome.NOT_REPRODUCED:
        action = "narrow" if case.repro.affected else "fixed upstream? record"
        return f"{where}: the bug no longer reproduces; {action} [repro].affected"
    if observed == Outcome.REPRODUCED:
        return f"{where}: the bug reproduces outside [repro].affected; widen it"
    return f"{where}: repro.py {observed.value} instead of {expected.outcome.value}{because}"


def _matching(case: Case) -> str:
    return f" matching {case.repro.match!r}" if case.repro.match else ""


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
        return CaseStatus.NOT_AFFECTED
    return CaseStatus.REPRODUCES
