"""Benchmark the case runner, side by side in one run (not a test).

Prints:
  (a) `pytest cases` (warm runner, serial, and -n 2 RUNS times, scheduled by the
      durations the serial run stored) against every repro.py and fix.py run cold
      one after another (`python script.py`), side by side;
  (b) against the floor: per environment (set of env variables), one import of
      every module its scripts import first, plus the sum of the scripts' own
      run times; and the two-core floor, (own time + 2 x imports) / 2; with the
      CPU time of every run (its processes and all their descendants), which
      shows how many cores a run kept busy and how much more CPU the same
      scripts take when two run at once;
  (c) per-case overhead as the number of (synthetic) cases grows;
  (d) peak memory (PSS of pytest and every process under it);
  (e) shard balance, slowest shard over the mean, at each N of --shards:
      predicted from the stored durations, and measured by running every shard.

Usage: python benchmarks/run_cases.py [--cases cases] [--subset N] [--runs 3]
       [--shards 2,4] [--sizes 10,100,500] [--skip-real]
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

from fixbook.knowledge.case import find_case_folders, load_case
from fixbook.knowledge.outcomes import expect, installed_versions
from fixbook.plugin.schedule import shards, stored_durations
from fixbook.plugin.settings import DEFAULT_TIMEOUT
from fixbook.runner.cold import child_environment, kill_group
from fixbook.runner.warm import leading_imports

PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> None:
    """Adopt orphaned descendants (zygotes forked from zygotes are orphaned at once),
    so that their memory is measured and they are reaped here."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def settle(timeout: float = 60.0) -> None:
    """Reap every descendant, waiting up to ``timeout`` s for them to exit on their own."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            return
        time.sleep(0.1)
    raise SystemExit(f"processes left behind: {_tree(os.getpid())[1:]}")


class PeakMemory:
    """Samples the summed PSS of all descendants of this (subreaper) process.

    Once a second: reading smaps_rollup of processes with gigabytes mapped costs
    kernel time, and at 0.2 s the sampler took about 0.3 of a core from the runs
    it was timing, which on two cores skews the ratios it exists to measure.
    """

    def __init__(self, interval: float = 1.0) -> None:
        self.pid, self.interval, self.peak_kib = os.getpid(), interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak_kib = max(self.peak_kib, sum(_pss(p) for p in _tree(self.pid)[1:]))

    def stop(self) -> float:
        """Stop sampling; the peak in MiB."""
        self._stop.set()
        self._thread.join()
        return self.peak_kib / 1024


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children_cpu() -> float:
    """CPU seconds (user + system) of every reaped descendant so far (this process
    is a subreaper, so orphaned grandchildren are reaped, and counted, here)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Run(NamedTuple):
    """One timed command: wall time (s), peak PSS (MiB), CPU time (s)."""

    wall: float
    memory: float
    cpu: float


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run a command; its wall time in seconds, the peak PSS in MiB and the CPU
    seconds of it and everything it started, until all of that has exited."""
    settle()
    cpu = children_cpu()
    started = time.perf_counter()
    memory = PeakMemory()
    proc = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    proc.wait()
    wall = time.perf_counter() - started
    settle()
    return Run(wall, memory.stop(), children_cpu() - cpu)


class Script(NamedTuple):
    """A runnable script: its path, its case's environment variables and timeout (s)."""

    path: Path
    env: dict[str, str]
    timeout: float


def runnable_scripts(cases_dir: Path) -> list[Script]:
    """Every script whose case's requirements are installed, with its environment."""
    scripts = []
    for folder in find_case_folders([cases_dir]):
        case = load_case(folder)
        versions = installed_versions(case.requires)
        if expect(case, "fix", versions).skip_reason:
            continue
        timeout = case.timeout or DEFAULT_TIMEOUT
        scripts += [
            Script(case.script(name).resolve(), dict(case.env), timeout)
            for name in ("repro", "fix")
        ]
    return scripts


class Cold(NamedTuple):
    """The cold run: its timing, how many scripts exited 0 (the fixes and the repros
    of bugs fixed upstream, a check that they ran) and how many were stopped at their
    timeout."""

    run: Run
    clean: int
    stopped: int


def cold_one_after_another(scripts: list[Script]) -> Cold:
    """`python script.py` for every script, one after another, each in a temp folder,
    each stopped (with everything it started) at its case's timeout, as the runners
    stop it: a ``hangs`` case would otherwise never return."""
    settle()
    cpu, started, clean, stopped = children_cpu(), time.perf_counter(), 0, 0
    for script in scripts:
        with tempfile.TemporaryDirectory() as tmp:
            proc = subprocess.Popen(
                [sys.executable, str(script.path)],
                cwd=tmp,
                env=child_environment(script.env),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            try:
                clean += proc.wait(timeout=script.timeout) == 0
            except subprocess.TimeoutExpired:
                stopped += 1
            finally:
                kill_group(proc.pid)
                proc.wait()
    wall = time.perf_counter() - started
    settle()
    return Cold(Run(wall, 0.0, children_cpu() - cpu), clean, stopped)


def import_floor(scripts: list[Script]) -> float:
    """One cold import per environment (set of env variables) of every module that
    environment's scripts import first, in one process.

    An import that fails is passed over: some cases document exactly that (a
    module removed upstream, ``from jax.config import config`` on jax 0.10), and
    their scripts fail there too, warm or cold.
    """
    by_env: dict[tuple[tuple[str, str], ...], dict[str, None]] = {}
    for script in scripts:
        names = by_env.setdefault(tuple(sorted(script.env.items())), {})
        names.update(dict.fromkeys(leading_imports(script.path)))
    total = 0.0
    for env_items, names in sorted(by_env.items()):
        lines = []
        for name in names:
            module, _, attr = name.partition(":")
            statement = f"from {module} import {attr}" if attr else f"import {module}"
            lines.append(f"try:\n    {statement}\nexcept Exception:\n    pass")
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", "\n".join(lines)],
            env=child_environment(dict(env_items)),
            capture_output=True,
            text=True,
            check=False,
        )
        total += time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(
                f"importing {list(names)} with {dict(env_items)} failed:\n{done.stderr}"
            )
    return total


#: The environment name the benchmark's runs store their results under.
ENV = "bench"


def pytest_cases(paths: list[str], cwd: Path, results: Path, *extra: str) -> Run:
    command = [sys.executable, "-m", "pytest", *paths, "-q", "-p", "no:cacheprovider"]
    command += ["--fixbook-results", str(results), "--fixbook-env", ENV, *extra]
    return timed(command, cwd)


def script_durations(results: Path) -> float:
    total = 0.0
    for document in results.glob("*.json"):
        for case in json.loads(document.read_text())["cases"].values():
            total += sum(s["duration"] for s in case["scripts"].values())
    return total


def synthetic_cases(root: Path, count: int) -> None:
    for n in range(count):
        folder = root / "cases" / "synthetic" / f"case-{n:04d}"
        folder.mkdir(parents=True)
        (folder / "case.toml").write_text(
            f'title = "Synthetic {n}"\nlibrary = "packaging"\nsummary = "s"\n'
            'upstream = ["https://example.org/1"]\nrequires = ["packaging"]\n'
            '[repro]\nraises = "ValueError"\nmatch = "bad"\n'
        )
        (folder / "repro.py").write_text("import json\nraise ValueError('bad ' + json.dumps(1))\n")
        (folder / "fix.py").write_text("import json\nassert json.loads('1') == 1\n")
        (folder / "README.md").write_text("# Synthetic\n")


def subset(cases_dir: Path, count: int, into: Path) -> Path:
    """The first ``count`` case folders (sorted) copied to ``into/cases``; all when 0."""
    if not count:
        return cases_dir
    for folder in find_case_folders([cases_dir])[:count]:
        shutil.copytree(folder, into / "cases" / folder.parent.name / folder.name)
    return into / "cases"


def parallel_runs(cases: Path, root: Path, stored: Path, runs: int, tmp: Path) -> list[Run]:
    """``pytest cases -n 2`` ``runs`` times, each scheduled by the serial run's durations."""
    walls = []
    for run in range(runs):
        results = tmp / f"parallel-{run}"
        shutil.copytree(stored, results)
        walls.append(pytest_cases([str(cases)], root, results, "-n", "2"))
    return walls


def shard_balance(
    cases: Path, root: Path, stored: Path, count: int, tmp: Path
) -> tuple[float, float, list[float]]:
    """Slowest shard over the mean: predicted from the stored durations, and measured
    by running each of the ``count`` shards (serially, one after another)."""
    durations = stored_durations(stored, ENV)
    case_ids = [f"{f.parent.name}/{f.name}" for f in find_case_folders([cases])]
    split = shards(case_ids, count, durations)
    loads = [
        sum(durations.get((c, s), 0.0) for c in part for s in ("repro", "fix")) for part in split
    ]
    walls = []
    for index in range(1, count + 1):
        results = tmp / f"shard-{count}-{index}"
        shutil.copytree(stored, results)
        walls.append(
            pytest_cases([str(cases)], root, results, "--fixbook-shard", f"{index}/{count}").wall
        )
    return max(loads) / statistics.mean(loads), max(walls) / statistics.mean(walls), walls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=Path("cases"))
    parser.add_argument("--subset", type=int, default=0, help="only the first N cases")
    parser.add_argument("--runs", type=int, default=3, help="-n 2 runs to time")
    parser.add_argument("--shards", default="2,4", help="shard counts to balance")
    parser.add_argument("--sizes", default="10,100,500")
    parser.add_argument("--skip-real", action="store_true")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    root = Path.cwd()
    become_subreaper()

    if not args.skip_real:
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            cases = subset(args.cases, args.subset, tmp)
            real(cases, root, tmp, args)

    print("(c) per-case overhead, synthetic cases (warm, serial):")
    for size in [int(s) for s in args.sizes.split(",") if s]:
        with tempfile.TemporaryDirectory() as synthetic:
            synthetic_cases(Path(synthetic), size)
            wall, memory, _ = pytest_cases(["cases"], Path(synthetic), Path(synthetic, "results"))
        print(
            f"    {size:5d} cases: {wall:7.1f} s, {1000 * wall / size:6.1f} ms per case, "
            f"peak {memory:.0f} MiB"
        )


def real(cases: Path, root: Path, tmp: Path, args: argparse.Namespace) -> None:
    """(a), (b), (d) and (e) on the real cases (or a subset of them)."""
    scripts = runnable_scripts(cases)
    print(f"real cases: {len(find_case_folders([cases]))} cases, {len(scripts)} scripts")
    imports = import_floor(scripts)  # first: a fault here should not cost the hour below
    stored = tmp / "serial"
    serial = pytest_cases([str(cases)], root, stored)
    own = script_durations(stored)
    parallel = parallel_runs(cases, root, stored, args.runs, tmp)
    cold, clean, stopped = cold_one_after_another(scripts)
    floor = imports + own
    floor2 = (own + 2 * imports) / 2
    print(
        f"(a) cold one after another (python script.py): {cold.wall:8.1f} s  ({clean} exit 0, "
        f"{stopped} stopped at their timeout)  cores busy {cold.cpu / cold.wall:.2f}"
    )
    print(
        f"    pytest cases (warm, serial):                {serial.wall:8.1f} s  "
        f"{cold.wall / serial.wall:.2f}x faster than cold, {serial.wall / floor:.2f}x the floor"
        f"  cores busy {serial.cpu / serial.wall:.2f}"
    )
    for run, result in enumerate(parallel):
        together = script_durations(tmp / f"parallel-{run}")
        print(
            f"    pytest cases -n 2, run {run + 1}:                  {result.wall:8.1f} s  "
            f"{cold.wall / result.wall:.2f}x faster than cold, "
            f"{result.wall / floor2:.2f}x the two-core floor  cores busy "
            f"{result.cpu / result.wall:.2f}; scripts' own time {together:.1f} s "
            f"({together / own:.2f}x serial)"
        )
    walls = [result.wall for result in parallel]
    if walls:
        print(
            f"    -n 2 over {len(walls)} runs: {min(walls):.1f} to {max(walls):.1f} s "
            f"(spread {max(walls) / min(walls):.2f}x); worst {max(walls) / floor2:.2f}x the "
            f"two-core floor, {cold.wall / max(walls):.2f}x faster than cold"
        )
    print(
        f"(b) floor = imports {imports:.1f} s + scripts' own time {own:.1f} s = {floor:.1f} s; "
        f"two-core floor = ({own:.1f} + 2 x {imports:.1f}) / 2 = {floor2:.1f} s; "
        f"CPU time: cold {cold.cpu:.1f} s, warm serial {serial.cpu:.1f} s, -n 2 "
        + ", ".join(f"{result.cpu:.1f}" for result in parallel)
        + " s"
    )
    peak = max((result.memory for result in parallel), default=0.0)
    print(f"(d) peak memory: warm serial {serial.memory:.0f} MiB, -n 2 {peak:.0f} MiB")
    for count in [int(n) for n in args.shards.split(",") if n]:
        predicted, measured, shard_walls = shard_balance(cases, root, stored, count, tmp)
        times = ", ".join(f"{w:.1f}" for w in shard_walls)
        print(
            f"(e) {count} shards: slowest/mean predicted {predicted:.2f}, "
            f"measured {measured:.2f} (shards {times} s)"
        )


if __name__ == "__main__":
    main()
