"""The ``fixbook`` command: new, check, report, bisect."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from fixbook.knowledge.case import CaseError, find_case_folders, load_case
from fixbook.results.report import compare, format_changes, format_summary
from fixbook.results.store import ResultsError, read_results, read_results_dir
from fixbook.scaffold import placeholders, scaffold

README_SECTIONS = ("Symptom", "Cause", "Fix", "Alternatives", "References")


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
    report.set_defaults(handler=_report)

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
    errors = 0
    for folder in folders:
        try:
            load_case(folder)
        except CaseError as exc:
            errors += 1
            print(f"error: {exc}")
            continue
        for warning in _warnings(folder):
            print(f"warning: {warning}")
    print(f"{len(folders)} case(s) checked, {errors} invalid")
    return 1 if errors or not folders else 0


def _warnings(folder: Path) -> list[str]:
    warnings = [f"{folder / name}: still holds a TODO" for name in placeholders(folder)]
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for section in README_SECTIONS:
        if f"\n## {section}" not in readme:
            warnings.append(f"{folder / 'README.md'}: no '## {section}' section")
    return warnings


def _report(args: argparse.Namespace) -> int:
    try:
        if args.compare:
            before, after = (read_results(p) for p in args.compare)
            print("\n".join(format_changes(compare(before, after), before.name, after.name)))
            return 0
        documents = []
        for path in args.paths:
            documents += read_results_dir(path) if path.is_dir() else [read_results(path)]
    except ResultsError as exc:
        print(f"fixbook report: {exc}", file=sys.stderr)
        return 2
    if not documents:
        print("fixbook report: no results files; run `pytest cases` first", file=sys.stderr)
        return 1
    for document in documents:
        print("\n".join(format_summary(document)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
