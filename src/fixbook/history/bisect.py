"""``fixbook bisect``: find the releases of a distribution where a case's repro changes outcome.

For each probed release, a throwaway environment holds that release and the
case's other requirements as of its date (see :mod:`fixbook.history.envs`); the
case's ``repro.py`` runs there and is classified like a pytest run would. The
search itself is :mod:`fixbook.history.search`: each boundary from both sides,
down to the oldest release that installs. A lower bound is written only when a
release below it ran clean. ``--hold DIST==V`` pins another distribution in
every environment, for a bug that lives in a combination; ``--write`` records
the range and its ``[[repro.checked]]`` evidence.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from fixbook.history.affected import evidence_runs, write_affected, write_checked
from fixbook.history.envs import EnvBuilder, Environment, default_cache_dir, find_uv
from fixbook.history.index import IndexUnavailable, Release, index_url, list_releases
from fixbook.history.search import (
    DEFAULT_MAX_GAP,
    KNOWN,
    UNINSTALLABLE,
    Search,
    format_specifier,
    search,
)
from fixbook.knowledge.case import Case, CaseError, load_case
from fixbook.knowledge.evidence import CheckedRun, evidence_problems
from fixbook.knowledge.outcomes import observe
from fixbook.plugin.settings import DEFAULT_TIMEOUT
from fixbook.runner.cold import run_script

# Shown beside the case's own requirements in each probe line, when installed.
ALSO_SHOWN = ("jaxlib", "numpy")


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
        help="oldest release to consider (default: the oldest on the index that the "
        "case's requires allows)",
    )
    parser.add_argument(
        "--to",
        dest="stop",
        metavar="VERSION",
        help="newest release to consider (default: the newest)",
    )
    parser.add_argument(
        "--hold",
        action="append",
        default=[],
        metavar="DIST==VERSION",
        help="pin another distribution to one release in every environment (repeatable)",
    )
    parser.add_argument(
        "--write",
        action="store_true",
        help="write the range found into [repro].affected and the runs on both sides of "
        "each boundary as [[repro.checked]]",
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
        releases, narrowed = _required(releases, dist, case)
        if not releases:
            return _fail(f"no release of {dist} between --from and --to{narrowed}")
        held = _held(args.hold, dist, index)
        builder = EnvBuilder(
            dist=dist,
            requires=case.requires,
            cache_dir=args.cache_dir or default_cache_dir(),
            python=args.python,
            index=index,
            uv=uv,
            held=held,
            needs=case.needs,
        )
        for companion in builder.companions:
            list_releases(companion, index)
    except IndexUnavailable as exc:
        return _fail(f"{exc} (a companion named in the case's requires must be on the index)")
    except (ValueError, OSError) as exc:
        return _fail(str(exc))
    progress = _quiet if args.quiet else _say
    progress(
        f"bisect {dist} for {case.id}: {len(releases)} releases on {index}, "
        f"{releases[0].version} to {releases[-1].version}{narrowed}"
    )
    companions = ", ".join(builder.companions) or "none"
    holding = "".join(f", {name}=={r.version} held" for name, r in held.items())
    progress(
        f"environments: python {builder.python_version} in {builder.cache_dir}; "
        f"{dist} pinned{holding}, companions ({companions}) as of each release's date"
    )
    prober = _Prober(case, dist, builder, releases, args.timeout, progress)
    found = search([r.version for r in releases], prober, max_gap=args.max_gap, note=progress)
    spec = format_specifier(found.versions, found.classes())
    _print_summary(found, dist, prober)
    _print_cost(started, prober)
    if spec is None:
        print(f"affected: none found: no probed release of {dist} reproduces")
        return 1
    if not spec:
        print(
            f"affected: every {dist} release that ran reproduces: no range to write "
            "(leave it out of [repro].affected, or hold another distribution with --hold)"
        )
        return 1
    print(f"affected: {dist}{spec}")
    if args.write:
        return _write(case, dist, spec, evidence_runs(found, prober.versions, dist))
    return 0


def _held(pins: Sequence[str], dist: str, index: str) -> dict[str, Release]:
    """``--hold DIST==VERSION`` values as releases on the index.

    Raises:
        ValueError: a value is not ``DIST==VERSION``, holds the probed distribution,
            or names a release the index does not have.
        IndexUnavailable: the index has no such distribution.
    """
    held: dict[str, Release] = {}
    for pin in pins:
        name, sep, text = pin.partition("==")
        try:
            version = Version(text.strip())
        except InvalidVersion:
            version = None
        if not sep or not name.strip() or version is None:
            raise ValueError(f"--hold {pin!r}: write DIST==VERSION, e.g. jax==0.4.30")
        name = canonicalize_name(name.strip())
        if name == canonicalize_name(dist):
            raise ValueError(f"--hold {pin!r}: {dist} is the distribution being probed")
        match = [r for r in list_releases(name, index) if r.version == version]
        if not match:
            raise ValueError(f"--hold {pin!r}: the index has no release {version} of {name}")
        held[name] = match[0]
    return held


def _write(case: Case, dist: str, spec: str, runs: Sequence[CheckedRun]) -> int:
    try:
        path = write_affected(case.path, dist, spec)
        write_checked(case.path, runs)
        written = load_case(case.path)
    except (ValueError, CaseError, OSError) as exc:
        return _fail(f"--write: {exc}")
    print(f"wrote [repro].affected.{dist} = {spec!r} and {len(runs)} [[repro.checked]] to {path}")
    problems = evidence_problems(path, written.repro.affected, written.repro.checked)
    for problem in problems:
        print(f"still missing: {problem}")
    return 1 if problems else 0


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
        # each run release -> the exact versions of the distributions in play there
        self.versions: dict[Version, dict[str, Version]] = {}
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
        in_play = (*self.case.requires, *self.builder.held, *self.builder.companions)
        self.versions[version] = _in_play(env, in_play)
        self.versions[version][str(canonicalize_name(self.dist))] = version
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


def _in_play(env: Environment, names: Sequence[str]) -> dict[str, Version]:
    """The installed versions of ``names`` in ``env``, by canonical name."""
    installed = {canonicalize_name(k): v for k, v in env.packages.items()}
    found: dict[str, Version] = {}
    for name in map(canonicalize_name, names):
        if name in installed:
            try:
                found[str(name)] = Version(installed[name])
            except InvalidVersion:
                continue
    return found


def _when(env: Environment) -> str:
    if not env.cutoff:
        return ""
    wider = f", widened to +{env.days} d" if env.days > 1 else ""
    late = "".join(
        f"; {name} {version} released later (none for this Python on the index by then)"
        for name, version in env.late.items()
    )
    return f" (as of {env.cutoff[:10]}{wider}{late})"


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


def _required(releases: list[Release], dist: str, case: Case) -> tuple[list[Release], str]:
    """The releases of ``dist`` that the case's ``requires`` allows (its scripts cannot
    run on the others: ``keras>=3.0`` leaves out Keras 1 and 2, which share the name).

    Returns:
        The releases kept, oldest first, and a note for the progress line naming the
        requirement when it left some out (else ``""``).
    """
    need = case.need(dist)
    if need is None:
        return releases, ""
    name, spec = need
    kept = [r for r in releases if r.version in spec]
    return kept, "" if len(kept) == len(releases) else f" (the case requires {name}{spec})"


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
    if found.floor is not None and found.floor > 0:
        print(
            f"oldest release that installs here: {found.versions[found.floor]} "
            f"(older ones do not, with companions as of their dates)"
        )
    if found.ceiling is not None and found.ceiling < len(found.versions) - 1:
        print(
            f"newest release that installs here: {found.versions[found.ceiling]} "
            "(newer ones do not, on this Python)"
        )
    known = [i for i in sorted(found.outcomes) if found.outcomes[i] in KNOWN]
    if found.open_below() and known:
        oldest = found.versions[known[0]]
        print(
            f"open below: the oldest release run, {oldest}, reproduces; no lower bound "
            f"is written (checked from {oldest})"
        )


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
