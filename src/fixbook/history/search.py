"""The search over releases behind ``fixbook bisect``: scan, floor and ceiling, bisect.

The search assumes the outcome changes rarely along the release history
(typically ``not-reproduced ... reproduced ... not-reproduced``) and at most
once between two scanned releases that agree:

1. Scan: the newest release, the oldest, the first release of every
   ``major.minor`` series, and more where that leaves over ``--max-gap``
   releases unprobed; newest first, stopping once two scanned releases in a
   row do not install (older ones will not either on this Python).
2. Floor and ceiling: between the oldest scanned release that installs and
   the newest one below it that does not, halve until the oldest release that
   installs with date-matched companions is found, so the search reaches as
   far down as this Python allows; likewise up to the newest release that
   installs (the newest ones may need a newer Python).
3. Bisect: between every two neighbouring probed releases that disagree
   (one reproduced, one not-reproduced), halve the releases in between until
   the two sides are adjacent. A release that neither reproduces nor runs
   clean (drifted, crashed, timeout, uninstallable) is reported and skipped,
   like ``git bisect skip``.

A lower bound is written only when a release below it ran clean; when the
oldest release that could be run already reproduces, the range is open below
and the output says from which release it was checked. ``--hold DIST==V``
pins another distribution in every environment, for a bug that lives in a
combination (an old TFP with a new JAX): probe each distribution with the
other held. ``--write`` records the range in ``[repro].affected`` and, as
``[[repro.checked]]`` entries, the probed releases on both sides of every
boundary, the oldest and the newest probed.

Releases between two probed releases with the same outcome are assumed to
share it. A bug that appears and goes again between two scanned releases
that agree is missed; lower ``--max-gap`` (1 probes every release) to rule
that out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from packaging.version import Version

from fixbook.knowledge.outcomes import Outcome

REPRODUCED = Outcome.REPRODUCED.value
NOT_REPRODUCED = Outcome.NOT_REPRODUCED.value
UNINSTALLABLE = "uninstallable"
KNOWN = (REPRODUCED, NOT_REPRODUCED)
DEFAULT_MAX_GAP = 8
STOP_AFTER_UNINSTALLABLE = 2

Probe = Callable[[Version], str]


@dataclass
class Search:
    """What a search probed, in version order of the candidate releases."""

    versions: tuple[Version, ...]
    outcomes: dict[int, str] = field(default_factory=dict)
    stopped: int | None = None  # releases below this index were not probed
    floor: int | None = None  # the oldest release that installed
    ceiling: int | None = None  # the newest release that installed

    def open_below(self) -> bool:
        """Whether no release below the first reproducing one ran clean."""
        runs = affected_runs(self.classes())
        return bool(runs) and NOT_REPRODUCED not in self.classes()[: runs[0][0]]

    def assumed(self) -> list[str | None]:
        """Each release's outcome: probed, else that of its probed neighbours where they agree."""
        probed = sorted(self.outcomes)
        result: list[str | None] = [None] * len(self.versions)
        for index, outcome in self.outcomes.items():
            result[index] = outcome
        for lower, upper in zip(probed, probed[1:], strict=False):
            if self.outcomes[lower] == self.outcomes[upper]:
                for index in range(lower + 1, upper):
                    result[index] = self.outcomes[lower]
        return result

    def classes(self) -> list[str | None]:
        """Like :meth:`assumed`, with ``None`` for all but reproduced and not-reproduced."""
        return [outcome if outcome in KNOWN else None for outcome in self.assumed()]


def scan_points(versions: Sequence[Version], max_gap: int = DEFAULT_MAX_GAP) -> list[int]:
    """Indices to scan first, newest first.

    The oldest and newest releases, the first release of each ``major.minor``
    series, and evenly spread extra points wherever more than ``max_gap``
    releases would otherwise lie between two scanned ones.
    """
    if not versions:
        return []
    chosen = {0, len(versions) - 1}
    chosen.update(
        i for i in range(1, len(versions)) if _series(versions[i]) != _series(versions[i - 1])
    )
    ordered = sorted(chosen)
    step = max(1, max_gap)
    for lower, upper in zip(ordered, ordered[1:], strict=False):
        gap = upper - lower
        if gap > step:
            pieces = -(-gap // step)
            chosen.update(lower + round(k * gap / pieces) for k in range(1, pieces))
    return sorted(chosen, reverse=True)


def _series(version: Version) -> tuple[int, int]:
    release = (*version.release, 0)
    return release[0], release[1]


def search(
    versions: Sequence[Version],
    probe: Probe,
    *,
    max_gap: int = DEFAULT_MAX_GAP,
    stop_after: int = STOP_AFTER_UNINSTALLABLE,
    note: Callable[[str], None] = lambda _: None,
) -> Search:
    """Scan, then bisect every boundary between reproduced and not-reproduced.

    Args:
        versions: the candidate releases, oldest first.
        probe: runs the repro on one release; returns an outcome value or
            ``"uninstallable"``.
        max_gap: most releases between two scanned ones.
        stop_after: stop scanning older releases after this many scanned
            ones in a row are uninstallable, below one that installed (0: never
            stop).
        note: receives a line at each phase and before each probe (which
            release, how many are left), for progress output.
    """
    found = Search(tuple(versions))
    points = scan_points(versions, max_gap)
    note(f"scan: {len(points)} of {len(versions)} releases, newest first")
    streak, installed = 0, False
    for position, index in enumerate(points):
        left = len(points) - position - 1
        note(f"probing {versions[index]} (scan {position + 1} of {len(points)}, {left} left)")
        found.outcomes[index] = probe(versions[index])
        if found.outcomes[index] != UNINSTALLABLE:
            installed, streak = True, 0
        elif installed:  # the newest releases may need a newer Python: only stop going down
            streak += 1
        if stop_after and streak >= stop_after and position + 1 < len(points):
            found.stopped = index
            note(f"scan stopped: {streak} releases in a row do not install; older ones not probed")
            break
    _find_floor(found, probe, note)
    _find_ceiling(found, probe, note)
    while (pair := _open_boundary(found)) is not None:
        _bisect(found, *pair, probe, note)
    return found


def _find_floor(found: Search, probe: Probe, note: Callable[[str], None]) -> None:
    """Halve between the oldest probed release that installed and the one below that did not."""
    installed = [i for i, outcome in found.outcomes.items() if outcome != UNINSTALLABLE]
    if not installed:
        return
    floor = min(installed)
    below = [i for i in found.outcomes if i < floor]
    if below and floor - max(below) > 1:
        note(
            f"floor: {found.versions[floor]} installs, {found.versions[max(below)]} does not; "
            "looking for the oldest release that installs"
        )
    lowest = max(below, default=floor)
    while floor - lowest > 1:
        index = (lowest + floor) // 2
        found.outcomes[index] = probe(found.versions[index])
        if found.outcomes[index] == UNINSTALLABLE:
            lowest = index
        else:
            floor = index
    found.floor = floor


def _find_ceiling(found: Search, probe: Probe, note: Callable[[str], None]) -> None:
    """Halve between the newest probed release that installed and the one above that did not."""
    installed = [i for i, outcome in found.outcomes.items() if outcome != UNINSTALLABLE]
    if not installed:
        return
    ceiling = max(installed)
    above = min((i for i in found.outcomes if i > ceiling), default=ceiling)
    if above - ceiling > 1:
        note(
            f"ceiling: {found.versions[ceiling]} installs, {found.versions[above]} does not; "
            "looking for the newest release that installs"
        )
    while above - ceiling > 1:
        index = (ceiling + above) // 2
        found.outcomes[index] = probe(found.versions[index])
        if found.outcomes[index] == UNINSTALLABLE:
            above = index
        else:
            ceiling = index
    found.ceiling = ceiling


def _open_boundary(found: Search) -> tuple[int, int] | None:
    """Two neighbouring known outcomes that differ, with unprobed releases between."""
    known = sorted(i for i, outcome in found.outcomes.items() if outcome in KNOWN)
    for lower, upper in zip(known, known[1:], strict=False):
        if found.outcomes[lower] != found.outcomes[upper] and any(
            i not in found.outcomes for i in range(lower + 1, upper)
        ):
            return lower, upper
    return None


def _bisect(
    found: Search, lower: int, upper: int, probe: Probe, note: Callable[[str], None]
) -> None:
    versions, outcomes = found.versions, found.outcomes
    note(f"bisect: {outcomes[lower]} at {versions[lower]}, {outcomes[upper]} at {versions[upper]}")
    while True:
        between = [i for i in range(lower + 1, upper) if i not in outcomes]
        if not between:
            return
        middle = (lower + upper) / 2
        index = min(between, key=lambda i: (abs(i - middle), i))
        steps = math.ceil(math.log2(len(between) + 1))
        note(
            f"probing {versions[index]} (bisect: {len(between)} releases left between "
            f"{versions[lower]} and {versions[upper]}, about {steps} more probes)"
        )
        outcomes[index] = probe(versions[index])
        if outcomes[index] == outcomes[lower]:
            lower = index
        elif outcomes[index] == outcomes[upper]:
            upper = index


def affected_runs(classes: Sequence[str | None]) -> list[tuple[int, int | None]]:
    """Ranges of releases that reproduce: (first reproducing, first not-reproducing after).

    Unknown releases (``None``) neither start nor end a range.
    """
    runs: list[tuple[int, int | None]] = []
    start: int | None = None
    for index, outcome in enumerate(classes):
        if outcome == REPRODUCED and start is None:
            start = index
        elif outcome == NOT_REPRODUCED and start is not None:
            runs.append((start, index))
            start = None
    if start is not None:
        runs.append((start, None))
    return runs


def format_specifier(versions: Sequence[Version], classes: Sequence[str | None]) -> str | None:
    """The PEP 440 specifier of the releases that reproduce, or ``None`` if none do.

    One range gives ``>=A,<B`` (``>=A`` while the newest release reproduces);
    several give their hull with ``!=`` for each release in it that does not.
    ``>=A`` is written only when a release below ``A`` did not reproduce: a
    range whose oldest known release reproduces is open below. A release that
    reproduces everywhere known gives ``""``.
    """
    runs = affected_runs(classes)
    if not runs:
        return None
    first = runs[0][0]
    parts = [f">={versions[first]}"] if NOT_REPRODUCED in classes[:first] else []
    last_end = runs[-1][1]
    if last_end is not None:
        parts.append(f"<{versions[last_end]}")
    hull_end = last_end if last_end is not None else len(versions)
    parts += [f"!={versions[i]}" for i in range(first, hull_end) if classes[i] == NOT_REPRODUCED]
    return ",".join(parts)
