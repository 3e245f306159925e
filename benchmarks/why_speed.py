"""How long ``fixbook why`` takes on the evaluation set of real error reports.

Two figures per report of ``tests/why_eval/reports.toml``:

- the whole command as a user runs it, ``fixbook why --format json FILE`` in a
  fresh process (interpreter start, imports, reading every case, matching);
- the matching alone, in this process, with the cases already loaded.

The command runs with bytecode caches, as an installed package does (a first,
unmeasured run writes them).

Prints the median and the maximum of each, the CPU time of the command (less
sensitive than wall time to other work on a shared machine) and the load average.
Run from the repository root: ``python benchmarks/why_speed.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fixbook.knowledge.index import load_knowledge  # noqa: E402
from fixbook.knowledge.matching import match_text  # noqa: E402
from tests.why_eval.evaluate import load_reports  # noqa: E402


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=1, help="runs of the command per report")
    args = parser.parse_args()
    reports = load_reports()
    # As installed: with bytecode caches (a first run writes them).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    command = [sys.executable, "-m", "fixbook.cli", "why", "--format", "json"]
    subprocess.run([*command, "-"], cwd=ROOT, env=env, input=b"", check=True, capture_output=True)
    command_times: list[float] = []
    cpu_times: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        for index, report in enumerate(reports):
            paste = Path(folder) / f"{index}.txt"
            paste.write_text(report.text, encoding="utf-8")
            for _ in range(args.repeat):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                subprocess.run(
                    [*command, str(paste)], cwd=ROOT, env=env, check=True, capture_output=True
                )
                command_times.append(time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu_times.append(
                    after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
                )
    start = time.perf_counter()
    patterns = load_knowledge(ROOT / "cases").patterns
    load_time = time.perf_counter() - start
    match_times = []
    for report in reports:
        start = time.perf_counter()
        match_text(report.text, patterns)
        match_times.append(time.perf_counter() - start)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    cores = os.cpu_count()
    print(f"{len(reports)} reports, {len(patterns)} cases; load average {load} on {cores} cores")
    print(
        f"fixbook why (fresh process): median {statistics.median(command_times) * 1000:.0f} ms, "
        f"max {max(command_times) * 1000:.0f} ms"
    )
    print(
        f"  CPU time of that process: median {statistics.median(cpu_times) * 1000:.0f} ms, "
        f"max {max(cpu_times) * 1000:.0f} ms"
    )
    print(f"loading the cases in process: {load_time * 1000:.0f} ms")
    print(
        f"matching alone: median {statistics.median(match_times) * 1000:.1f} ms, "
        f"max {max(match_times) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
