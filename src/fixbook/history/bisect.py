"""``fixbook bisect``: find the releases of a distribution where a case's repro changes outcome.

For each probed release, a throwaway environment holds that release and the
case's other requirements as of its date (see :mod:`fixbook.history.envs`); the case's
``repro.py`` runs there and is classified like a pytest run would.

The search assumes the outcome changes rarely along the release history
(typically ``not-reproduced ... reproduced ... not-reproduced``) and at most
once between two scanned releases that agree:

1. Scan: the newest release, the oldest, the first release of every
   ``major.minor`` series, and more where that leaves over ``--max-gap``
   releases unprobed; newest first, stopping once two scanned releases in a
   row do not install (older ones will not either on this Python).
2. Bisect: between every two neighbouring scanned releases that disagree
   (one reproduced, one not-reproduced), halve the releases in between until
   the two sides are adjacent. A release that neither reproduces nor runs
   clean (drifted, crashed, timeout, uninstallable) is reported and skipped,
   like ``git bisect skip``.

Releases between two probed releases with the same outcome are assumed to
share it. A bug that appears and goes again between two scanned releases
that agree is missed; lower ``--max-gap`` (1 probes every release) to rule
that out.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from fixbook.history.affected import write_affected
from fixbook.history.envs import (
    EnvBuilder,
    Environment,
    IndexUnavailable,
    Release,
    default_cache_dir,
    find_uv,
    index_url,
    list_releases,
)
from fixbook.knowledge.case import Case, CaseError, load_case
from fixbook.knowledge.outcomes import Outcome, observe
from fixbook.plugin.settings import DEFAULT_TIMEOUT
from fixbook.runner.cold import run_script

REPRODUCED = Outcome.REPRODUCED.value
NOT_REPRODUCED = Outcome.NOT_REPRODUCED.value
UNINSTALLABLE = "uninstallable"
KNOWN = (REPRODUCED, NOT_REPRODUCED)
DEFAULT_MAX_GAP = 8
STOP_AFTER_UNINSTALLABLE = 2
# Shown beside the case's own requirements in each probe line, when installed.
ALSO_SHOWN = ("jaxlib", "numpy")

Probe = Callable[[Version], str]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare ``fixbook bisect``'s arguments."""
    parser.add_argument("case", type=Path, help="the case folder")
    parser.add_argument(
        "--package", metavar="DIST", help="the distribution to bisect (default: the case's library)"
    )
    parser.add_argument(
        "--from",
        dest="start",
        metavar="VERSION",
        help="oldest release to consider (default: the oldest on the index)",
    )
    parser.add_argument(
        "--to",
        dest="stop",
        metavar="VERSION",
        help="newest release to consider (default: the newest)",
    )
    parser.add_argument(
        "--write",
        action="store_true",
        help="write the range found into the case's [repro].affected",
    )
    parser.add_argument(
        "--max-gap",
        type=int,
        default=DEFAULT_MAX_GAP,
        metavar="N",
        help=f"most releases left between two scanned ones "
        f"(default: {DEFAULT_MAX_GAP}; 1 probes every release)",
    )
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="interpreter the environments use (default: this one)",
    )
    parser.add_argument("--index-url", metavar="URL", help="simple index to read (default: pip's)")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        default=None,
        help=f"where environments are kept (default: {default_cache_dir()})",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help=f"seconds the repro may run (default: the case's, else {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print only the result, not each release as it is probed",
    )


@dataclass
class Search:
    """What a search probed, in version order of the candidate releases."""

    versions: tuple[Version, ...]
    outcomes: dict[int, str] = field(default_factory=dict)
    stopped: int | None = None  # releases below this index were not probed

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
            ones in a row are uninstallable (0: never stop).
        note: receives a line at each phase and before each probe (which
            release, how many are left), for progress output.
    """
    found = Search(tuple(versions))
    points = scan_points(versions, max_gap)
    note(f"scan: {len(points)} of {len(versions)} releases, newest first")
    streak = 0
    for position, index in enumerate(points):
        left = len(points) - position - 1
        note(f"probing {versions[index]} (scan {position + 1} of {len(points)}, {left} left)")
        found.outcomes[index] = probe(versions[index])
        streak = streak + 1 if found.outcomes[index] == UNINSTALLABLE else 0
        if stop_after and streak >= stop_after and position + 1 < len(points):
            found.stopped = index
            note(f"scan stopped: {streak} releases in a row do not install; older ones not probed")
            break
    while (pair := _open_boundary(found)) is not None:
        _bisect(found, *pair, probe, note)
    return found


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
    """
    runs = affected_runs(classes)
    if not runs:
        return None
    parts = [f">={versions[runs[0][0]]}"]
    last_end = runs[-1][1]
    if last_end is not None:
        parts.append(f"<{versions[last_end]}")
    hull_end = last_end if last_end is not None else len(versions)
    parts += [
        f"!={versions[i]}" for i in range(runs[0][0], hull_end) if classes[i] == NOT_REPRODUCED
    ]
    return ",".join(parts)


def run_bisect(args: argparse.Namespace) -> int:
    """Run ``fixbook bisect``; returns the exit status."""
    started = time.perf_counter()
    try:
        case = load_case(args.case)
    except CaseError as exc:
        return _fail(str(exc))
    dist = args.package or case.library
    uv = find_uv()
    if uv is None:
        return _fail("needs uv to build environments: pip install uv")
    try:
        index = index_url(args.index_url)
        releases = _window(list_releases(dist, index), args.start, args.stop)
        builder = EnvBuilder(
            dist=dist,
            requires=case.requires,
            cache_dir=args.cache_dir or default_cache_dir(),
            python=args.python,
            index=index,
            uv=uv,
        )
    except (IndexUnavailable, ValueError, OSError) as exc:
        return _fail(str(exc))
    if not releases:
        return _fail(f"no release of {dist} between --from and --to")
    progress = _quiet if args.quiet else _say
    progress(
        f"bisect {dist} for {case.id}: {len(releases)} releases on {index}, "
        f"{releases[0].version} to {releases[-1].version}"
    )
    companions = ", ".join(builder.companions) or "none"
    progress(
        f"environments: python {builder.python_version} in {builder.cache_dir}; "
        f"{dist} pinned, companions ({companions}) as of each release's date"
    )
    prober = _Prober(case, dist, builder, releases, args.timeout, progress)
    found = search([r.version for r in releases], prober, max_gap=args.max_gap, note=progress)
    classes = found.classes()
    spec = format_specifier(found.versions, classes)
    _print_summary(found, dist, prober)
    if spec is None:
        print(f"affected: none found: no probed release of {dist} reproduces")
    else:
        print(f"affected: {dist}{spec}")
    _print_cost(started, prober)
    if spec is None:
        return 1
    if args.write:
        try:
            path = write_affected(case.path, dist, spec)
        except (ValueError, CaseError, OSError) as exc:
            return _fail(f"--write: {exc}")
        print(f"wrote [repro].affected.{dist} = {spec!r} to {path}")
    return 0


class _Prober:
    """Builds the environment of one release, runs the repro there, prints a line."""

    def __init__(
        self,
        case: Case,
        dist: str,
        builder: EnvBuilder,
        releases: Sequence[Release],
        timeout: float | None,
        progress: Callable[[str], None],
    ) -> None:
        self.case, self.dist, self.builder = case, dist, builder
        self.progress = progress
        self.releases = {r.version: r for r in releases}
        self.timeout = timeout or case.timeout or DEFAULT_TIMEOUT
        self.details: dict[Version, str] = {}
        self.built = self.failed = self.reused = 0

    def __call__(self, version: Version) -> str:
        env = self.builder.get(self.releases[version])
        if not env.built:
            self.reused += 1
        elif env.python is None:
            self.failed += 1
        else:
            self.built += 1
        if env.python is None:
            detail = env.error + ("" if env.final else " (not cached: may be transient)")
            self._line(version, UNINSTALLABLE, f"{detail}{_when(env)}", env, 0.0)
            self.details[version] = detail
            return UNINSTALLABLE
        result = run_script(
            self.case.script("repro"),
            env=self.case.env,
            timeout=self.timeout,
            raises=self.case.repro.raises,
            python=str(env.python),
        )
        outcome = observe(self.case, "repro", result).value
        detail = _versions(env, self.case.requires, self.dist) + _when(env)
        if outcome not in KNOWN:
            error = result.error
            reason = f"{error.type}: {error.message}" if error else result.detail
            self.details[version] = reason.strip().splitlines()[0][:200] if reason else ""
            detail += f"; {self.details[version]}"
        self._line(version, outcome, detail, env, result.duration)
        return outcome

    def _line(
        self, version: Version, outcome: str, detail: str, env: Environment, ran: float
    ) -> None:
        how = "built" if env.built else "cached"
        timing = f"{how} {env.seconds:.1f} s" + (f", ran {ran:.1f} s" if ran else "")
        self.progress(f"  {self.dist} {str(version):<10} {outcome:<15} {detail}  [{timing}]")


def _say(line: str) -> None:
    print(line, flush=True)


def _quiet(line: str) -> None:
    """Progress under ``-q``: nothing."""


def _versions(env: Environment, requires: Sequence[str], dist: str) -> str:
    wanted = [
        n for n in (*requires, *ALSO_SHOWN) if canonicalize_name(n) != canonicalize_name(dist)
    ]
    installed = {canonicalize_name(k): v for k, v in env.packages.items()}
    shown = dict.fromkeys(canonicalize_name(n) for n in wanted)
    return ", ".join(f"{n} {installed[n]}" for n in shown if n in installed)


def _when(env: Environment) -> str:
    if not env.cutoff:
        return ""
    wider = f", widened to +{env.days} d" if env.days > 1 else ""
    return f" (as of {env.cutoff[:10]}{wider})"


def _window(releases: list[Release], start: str | None, stop: str | None) -> list[Release]:
    try:
        low = Version(start) if start else None
        high = Version(stop) if stop else None
    except InvalidVersion as exc:
        raise ValueError(f"--from/--to: {exc}") from None
    return [
        r
        for r in releases
        if (low is None or r.version >= low) and (high is None or r.version <= high)
    ]


def _print_summary(found: Search, dist: str, prober: _Prober) -> None:
    print(f"probed {len(found.outcomes)} of {len(found.versions)} releases of {dist}:")
    for index in sorted(found.outcomes):
        version = found.versions[index]
        outcome = found.outcomes[index]
        extra = f"  ({prober.details[version]})" if outcome not in KNOWN else ""
        print(f"  {str(version):<10} {outcome}{extra}")
    if found.stopped is not None and found.stopped > 0:
        print(
            f"not probed: {found.stopped} older releases "
            f"({found.versions[0]} to {found.versions[found.stopped - 1]})"
        )
    first = 0 if found.stopped is None else found.stopped
    assumed = found.assumed()
    unprobed: dict[str, list[str]] = {}
    for i in range(first, len(found.versions)):
        if i not in found.outcomes and assumed[i] not in KNOWN:
            unprobed.setdefault(assumed[i] or "", []).append(str(found.versions[i]))
    for label, names in sorted(unprobed.items()):
        if label:
            print(f"not probed, assumed {label} like their neighbours: {', '.join(names)}")
        else:
            print(f"not probed, outcome unknown (neighbours disagree): {', '.join(names)}")


def _print_cost(started: float, prober: _Prober) -> None:
    seconds = time.perf_counter() - started
    minutes, rest = divmod(int(round(seconds)), 60)
    took = f"{minutes} min {rest} s" if minutes else f"{seconds:.1f} s"
    failed = f" ({prober.failed} more releases could not be installed)" if prober.failed else ""
    print(
        f"took {took}; built {prober.built} environments{failed}, "
        f"reused {prober.reused} from the cache"
    )


def _fail(message: str) -> int:
    print(f"fixbook bisect: {message}", file=sys.stderr)
    return 2
