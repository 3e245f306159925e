"""Measure each real case script's peak memory, to set the runner's memory limit (not a test).

Runs every ``repro.py`` and ``fix.py`` of the cases whose requirements are
installed through the cold runner with no memory limit, and prints the peak
resident memory the supervisor saw for the script and all it started (the
larger of its sampled sum and the largest single process's ``ru_maxrss``),
largest first, with the default limit beside it.

Usage: python benchmarks/memory_peaks.py [--cases cases]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fixbook.knowledge.case import find_case_folders, load_case
from fixbook.knowledge.outcomes import Outcome, expect, installed_versions
from fixbook.runner.cold import DEFAULT_MEMORY_LIMIT, run_script


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=Path("cases"))
    args = parser.parse_args()
    rows: list[tuple[int, str, str]] = []
    for folder in find_case_folders([args.cases]):
        case = load_case(folder)
        versions = installed_versions(case.requires)
        for script in ("repro", "fix"):
            if expect(case, script, versions).outcome == Outcome.SKIPPED:
                continue
            result = run_script(
                case.script(script),
                env=case.env,
                timeout=case.timeout or 600,
                raises=case.repro.target,
                memory_limit=0,
            )
            rows.append((result.peak_memory, f"{case.id}::{script}", result.status))
            print(f"{result.peak_memory / 2**20:8.0f} MiB  {case.id}::{script}", flush=True)
    rows.sort(reverse=True)
    print(f"\nlargest peaks (default limit {DEFAULT_MEMORY_LIMIT // 2**20} MiB):")
    for peak, name, status in rows[:10]:
        print(f"{peak / 2**20:8.0f} MiB  {name}  ({status})")


if __name__ == "__main__":
    main()
