"""The ``fixbook`` command: new, check, report, bisect."""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from fixbook.knowledge.case import CASE_FILE, CaseError, find_case_folders, load_case
from fixbook.knowledge.layout import is_cases_root, location_problem, read_case_text, tree_problems
from fixbook.results.report import (
    compare,
    format_changes,
    format_slowest,
    format_summary,
    over_budget,
)
from fixbook.results.shards import merge_shards
from fixbook.results.store import (
    EnvironmentResults,
    ResultsError,
    read_results_dir,
    read_with_journals,
)
from fixbook.scaffold import placeholders, scaffold

README_SECTIONS = ("Symptom", "Cause", "Fix", "Alternatives", "References")
#: Seconds a script may take before `fixbook check` warns (issue 16: on a 2-core machine).
DEFAULT_BUDGET = 20.0
BUDGET_VARIABLE = "FIXBOOK_BUDGET"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    return int(args.handler(args))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fixbook", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    new = commands.add_parser("new", help="scaffold a case folder")
    new.add_argument("name", help="<library>/<slug>, e.g. numpyro/predictive-shape")
    new.add_argument("--root", type=Path, default=Path("cases"), help="cases folder")
    new.set_defaults(handler=_new)

    check = commands.add_parser("check", help="validate case folders without running them")
    check.add_argument("paths", nargs="*", type=Path, default=[Path("cases")])
    check.add_argument(
        "--results",
        type=Path,
        default=Path(".fixbook/results"),
        help="results folder whose stored durations are held to the budget",
    )
    check.add_argument(
        "--budget",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help=f"warn when a script's stored duration exceeds this (default: ${BUDGET_VARIABLE} "
        f"or {DEFAULT_BUDGET:g})",
    )
    check.set_defaults(handler=_check)

    report = commands.add_parser("report", help="summarise results files, or compare two")
    report.add_argument(
        "paths",
        nargs="*",
        type=Path,
        default=[Path(".fixbook/results")],
        help="results files or folders (default: .fixbook/results)",
    )
    report.add_argument(
        "--compare",
        nargs=2,
        type=Path,
        metavar=("BEFORE", "AFTER"),
        help="list what changed from one results file to another",
    )
    report.add_argument(
        "--slowest",
        type=int,
        metavar="N",
        help="list the N slowest scripts of each environment, by stored duration",
    )
    report.set_defaults(handler=_report)

    merge = commands.add_parser(
        "merge", help="merge the partial results of shards into one document per environment"
    )
    merge.add_argument(
        "results",
        nargs="?",
        type=Path,
        default=Path(".fixbook/results"),
        help="results folder holding shards/<env>/<K>-of-<N>.json",
    )
    merge.set_defaults(handler=_merge)

    from fixbook.history.bisect import add_arguments, run_bisect

    bisect = commands.add_parser("bisect", help="find the releases where a case's outcome changes")
    add_arguments(bisect)
    bisect.set_defaults(handler=run_bisect)
    return parser


def _new(args: argparse.Namespace) -> int:
    try:
        folder = scaffold(args.root, args.name)
    except ValueError as exc:
        print(f"fixbook new: {exc}", file=sys.stderr)
        return 2
    print(f"created {folder}: fill in case.toml, repro.py, fix.py and README.md,")
    print(f"then run `fixbook check {folder}` and `pytest {folder}`")
    return 0


def _check(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(f"fixbook check: no such path: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    folders = find_case_folders(args.paths)
    problems = {str(problem): problem for problem in _tree_problems(args.paths)}
    for line in problems:
        print(f"error: {line}")
    for folder in folders:
        try:
            where = location_problem(folder)
            if where:
                raise CaseError(folder / CASE_FILE, where)
            load_case(folder)
        except CaseError as exc:
            if str(exc) not in problems:
                problems[str(exc)] = exc
                print(f"error: {exc}")
            continue
        for warning in _warnings(folder):
            print(f"warning: {warning}")
    budget = args.budget or _seconds(os.environ.get(BUDGET_VARIABLE) or str(DEFAULT_BUDGET))
    for line in over_budget(
        _stored(args.results), {f.parent.name + "/" + f.name for f in folders}, budget
    ):
        print(f"warning: {line}")
    print(f"{len(folders)} case(s) checked, {len(problems)} invalid")
    return 1 if problems or not folders else 0


def _tree_problems(paths: list[Path]) -> list[CaseError]:
    """What the cases folders at or above ``paths`` hold besides case folders."""
    problems: dict[str, CaseError] = {}
    for path in paths:
        if not path.is_dir():
            continue
        root = path if is_cases_root(path) else path.parent if is_cases_root(path.parent) else None
        for problem in tree_problems(root) if root else []:
            if problem.path == path or path in problem.path.parents or path == root:
                problems.setdefault(str(problem), problem)
    return list(problems.values())


def _warnings(folder: Path) -> list[str]:
    warnings = [f"{folder / name}: still holds a TODO" for name in placeholders(folder)]
    readme = read_case_text(folder / "README.md")
    for section in README_SECTIONS:
        if f"\n## {section}" not in readme:
            warnings.append(f"{folder / 'README.md'}: no '## {section}' section")
    return warnings


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return value


def _stored(results: Path) -> list[EnvironmentResults]:
    try:
        return read_results_dir(results)
    except ResultsError as exc:
        print(f"warning: durations not checked: {exc}")
        return []


def _merge(args: argparse.Namespace) -> int:
    try:
        merged = merge_shards(args.results)
    except ResultsError as exc:
        print(f"fixbook merge: {exc}", file=sys.stderr)
        return 2
    if not merged:
        print(f"fixbook merge: no partial results under {args.results / 'shards'}", file=sys.stderr)
        return 1
    for result in merged:
        have = result.count - len(result.missing)
        print(f"{result.path}: {have} of {result.count} shards of {result.env_name}")
        for index in result.missing:
            print(
                f"error: shard {index}/{result.count} of {result.env_name} is missing: "
                "its cases did not run",
                file=sys.stderr,
            )
    return 1 if any(result.missing for result in merged) else 0


def _report(args: argparse.Namespace) -> int:
    try:
        if args.compare:
            before, after = (read_with_journals(p) for p in args.compare)
            print("\n".join(format_changes(compare(before, after), before.name, after.name)))
            return 0
        documents = []
        for path in args.paths:
            documents += read_results_dir(path) if path.is_dir() else [read_with_journals(path)]
    except ResultsError as exc:
        print(f"fixbook report: {exc}", file=sys.stderr)
        return 2
    if not documents:
        print("fixbook report: no results files; run `pytest cases` first", file=sys.stderr)
        return 1
    for document in documents:
        if args.slowest is not None:
            print("\n".join(format_slowest(document, args.slowest)))
        else:
            print("\n".join(format_summary(document)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
