"""Evidence for a ranged case: its ``[[repro.checked]]`` runs, and the boundaries they cover.

A case that states ``[repro].affected`` records, per release set it was run
on, the exact versions of the distributions in play, the outcome and the date:

```toml
[[repro.checked]]
versions = { numpyro = "0.13.2", jax = "0.4.25" }
outcome  = "not-reproduced"
date     = "2026-11-30"
```

:func:`evidence_problems` says which side of which boundary lacks a run. Every
boundary of every specifier needs a run on each side: inside the range
(``reproduced``) and outside it (``not-reproduced``), the other distributions
of the range held inside theirs, so that the run shows this boundary and no
other. A range open below still needs its inside run: the oldest release it
was checked on.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.specifiers import Specifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

REPRODUCED = "reproduced"
NOT_REPRODUCED = "not-reproduced"
OUTCOMES = (REPRODUCED, NOT_REPRODUCED)
KEY = "repro.checked"
_RUN_KEYS = ("versions", "outcome", "date")
# Operators whose boundaries can be told from the version they name.
_BOUNDED = (">=", ">", "<", "<=", "==", "!=")


@dataclass(frozen=True)
class CheckedRun:
    """One run of the repro on an exact set of releases.

    Attributes:
        versions: canonical distribution name -> the exact version run.
        outcome: ``"reproduced"`` or ``"not-reproduced"``.
        date: the day it was run.
    """

    versions: Mapping[str, Version]
    outcome: str
    date: datetime.date

    def to_toml(self) -> str:
        """The run as a ``[[repro.checked]]`` table, as ``fixbook bisect --write`` writes it."""
        pairs = ", ".join(f'{name} = "{version}"' for name, version in self.versions.items())
        return (
            f"[[{KEY}]]\n"
            f"versions = {{ {pairs} }}\n"
            f'outcome  = "{self.outcome}"\n'
            f'date     = "{self.date.isoformat()}"\n'
        )


class EvidenceError(ValueError):
    """A malformed ``[[repro.checked]]`` entry; ``key`` names it, e.g. ``repro.checked[2].date``."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        super().__init__(message)


def parse_checked(items: list[Any]) -> tuple[CheckedRun, ...]:
    """Validate the raw ``[[repro.checked]]`` array of a case.toml.

    Args:
        items: the parsed TOML value of ``repro.checked``.

    Returns:
        The runs, in file order.

    Raises:
        EvidenceError: the first malformed entry, with the key that is wrong.
    """
    runs = []
    for i, item in enumerate(items):
        key = f"{KEY}[{i}]"
        if not isinstance(item, dict):
            raise EvidenceError(key, "must be a table with versions, outcome and date")
        for name in item:
            if name not in _RUN_KEYS:
                raise EvidenceError(
                    f"{key}.{name}", f"unknown key (known keys: {', '.join(_RUN_KEYS)})"
                )
        for name in _RUN_KEYS:
            if name not in item:
                raise EvidenceError(f"{key}.{name}", "is required but missing")
        runs.append(
            CheckedRun(
                versions=_versions(item["versions"], f"{key}.versions"),
                outcome=_outcome(item["outcome"], f"{key}.outcome"),
                date=_date(item["date"], f"{key}.date"),
            )
        )
    return tuple(runs)


def _versions(value: Any, key: str) -> dict[str, Version]:
    if not isinstance(value, dict) or not value:
        raise EvidenceError(key, 'must be a table of exact versions, e.g. { jax = "0.4.30" }')
    versions: dict[str, Version] = {}
    for name, text in value.items():
        if not isinstance(text, str):
            raise EvidenceError(f"{key}.{name}", "must be a version string")
        try:
            versions[str(canonicalize_name(name))] = Version(text)
        except InvalidVersion:
            raise EvidenceError(f"{key}.{name}", f"is not a PEP 440 version: {text!r}") from None
    return versions


def _outcome(value: Any, key: str) -> str:
    if value not in OUTCOMES:
        raise EvidenceError(key, f'must be "{REPRODUCED}" or "{NOT_REPRODUCED}", not {value!r}')
    return str(value)


def _date(value: Any, key: str) -> datetime.date:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise EvidenceError(key, f'must be a day as "YYYY-MM-DD", not {value!r}')


def evidence_problems(
    path: Path,
    affected: Mapping[str, SpecifierSet] | None,
    runs: Sequence[CheckedRun],
) -> list[str]:
    """What the ``[[repro.checked]]`` runs of a ranged case fail to show.

    Args:
        path: the case.toml, named in every message.
        affected: the case's ``[repro].affected`` (``None``: not ranged, nothing to show).
        runs: its ``[[repro.checked]]`` runs.

    Returns:
        One message per problem, each naming the file, the key and what is missing
        (a run inside the range, a run outside one boundary, a distribution a run
        lacks, or a run whose outcome contradicts the range); empty when the
        evidence is complete.
    """
    if not affected:
        return []
    ranges: dict[str, SpecifierSet] = {
        str(canonicalize_name(name)): spec for name, spec in affected.items()
    }
    problems = []
    for i, run in enumerate(runs):
        lacking = [name for name in ranges if name not in run.versions]
        if lacking:
            problems.append(
                f"{path}: [{KEY}[{i}].versions] lacks {', '.join(lacking)}, "
                "which [repro].affected names"
            )
            continue
        expected = REPRODUCED if _inside(run, ranges) else NOT_REPRODUCED
        if run.outcome != expected:
            where = "inside" if expected == REPRODUCED else "outside"
            problems.append(
                f"{path}: [{KEY}[{i}]] {_describe(run)} is {where} [repro].affected, "
                f"so its outcome must be {expected!r}, not {run.outcome!r}"
            )
    complete = [run for run in runs if all(name in run.versions for name in ranges)]
    if not any(run.outcome == REPRODUCED and _inside(run, ranges) for run in complete):
        problems.append(
            f"{path}: [{KEY}] no reproduced run inside the range; add a [[{KEY}]] entry with "
            f"{_describe_range(ranges)} and outcome = {REPRODUCED!r} (for a range open below: "
            "the oldest release it was checked on)"
        )
    for name, specs in ranges.items():
        for spec in sorted(specs, key=str):
            if spec.operator not in _BOUNDED or spec.version.endswith(".*"):
                problems.append(
                    f"{path}: [repro.affected.{name}] {spec} has no boundary a run can be "
                    "placed beside; write the range with >=, >, <, <=, == or != and whole versions"
                )
                continue
            problems += [
                f"{path}: [{KEY}] no {outcome} run {side} {name}{spec}; "
                f"add a [[{KEY}]] entry with {name} {wanted} and outcome = {outcome!r}"
                for side, wanted, outcome in _missing_sides(name, spec, ranges, complete)
            ]
    return problems


def _missing_sides(
    name: str, spec: Specifier, ranges: Mapping[str, SpecifierSet], runs: Sequence[CheckedRun]
) -> list[tuple[str, str, str]]:
    """(side, versions wanted, outcome) of each side of ``spec`` that no run shows."""
    bound = Version(spec.version)
    outside = [
        run.versions[name]
        for run in runs
        if run.outcome == NOT_REPRODUCED
        and _inside(run, ranges, but=name)
        and not spec.contains(run.versions[name], prereleases=True)
    ]
    missing = []
    sides = {
        ">=": [("below", f"< {bound}")],
        ">": [("below", f"<= {bound}")],
        "<": [("above", f">= {bound}")],
        "<=": [("above", f"> {bound}")],
        "!=": [("at", f"== {bound}")],
        "==": [("below", f"< {bound}"), ("above", f"> {bound}")],
    }[spec.operator]
    for side, wanted in sides:
        if not any(_on_side(version, bound, side) for version in outside):
            missing.append((side, wanted, NOT_REPRODUCED))
    return missing


def _on_side(version: Version, bound: Version, side: str) -> bool:
    if side == "below":
        return version <= bound
    if side == "above":
        return version >= bound
    return version == bound


def _inside(run: CheckedRun, ranges: Mapping[str, SpecifierSet], but: str = "") -> bool:
    """Whether every distribution of the range but ``but`` is inside its specifiers."""
    return all(
        specs.contains(run.versions[name], prereleases=True)
        for name, specs in ranges.items()
        if name != but
    )


def _describe_range(ranges: Mapping[str, SpecifierSet]) -> str:
    return " and ".join(f"{name}{specs}" for name, specs in ranges.items())


def _describe(run: CheckedRun) -> str:
    return ", ".join(f"{name} {version}" for name, version in run.versions.items())
