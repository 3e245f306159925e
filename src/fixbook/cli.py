"""The ``fixbook`` command line: new, check, report, bisect, why, audit, export."""

from __future__ import annotations

import argparse
import importlib
import math
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from fixbook.knowledge.case import CASE_FILE, CaseError, find_case_folders, load_case
from fixbook.knowledge.evidence import evidence_problems
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
from fixbook.scaffold import scaffold
from fixbook.site.readme import structure_problems

DESCRIPTION = """\
Fixbook: reproduced, verified bugs of TensorFlow, TensorFlow Probability, JAX,
NumPyro and Keras 3. Run the cases with pytest; these commands scaffold and
check case folders, summarise results, find the releases a bug lives in,
explain a pasted error, audit pinned versions and export OSV records."""

EPILOG = """\
examples:
  fixbook new numpyro/predictive-shape      scaffold a case folder to fill in
  fixbook check cases                       validate every case without running it
  fixbook report                            summarise .fixbook/results/*.json
  fixbook bisect cases/numpyro/predictive-deterministic-shape
  fixbook why error.txt                     the cases that explain a pasted error
  fixbook audit -r requirements.txt         known bugs in pinned versions (exit 1 if any)

Run `fixbook COMMAND --help` for a command's options and an example."""

#: Per command: its one-line purpose (the help in the command list) and an example.
COMMANDS = {
    "new": (
        "scaffold a case folder (case.toml, repro.py, fix.py, README.md) to fill in",
        "fixbook new numpyro/predictive-shape --root cases",
    ),
    "check": (
        "validate case folders without running them: case.toml, the files, README sections",
        "fixbook check cases/numpyro",
    ),
    "report": (
        "summarise results files by status, or compare two of them",
        "fixbook report --compare .fixbook/results/legacy.json .fixbook/results/latest.json",
    ),
    "merge": (
        "merge the partial results of shards (--fixbook-shard K/N) into one document each",
        "fixbook merge .fixbook/results",
    ),
    "bisect": (
        "find the releases of a distribution where a case's repro changes outcome",
        "fixbook bisect cases/numpyro/predictive-deterministic-shape --write",
    ),
    "why": (
        "paste an error or a whole traceback, get the cases that explain it and their fixes",
        "fixbook why traceback.txt --format json",
    ),
    "audit": (
        "list the known bugs that affect the installed or pinned versions (exit 1 if any)",
        "fixbook audit -r requirements.txt --format markdown",
    ),
    "export": (
        "write every case with a version range as an OSV record",
        "fixbook export --format osv --output osv/",
    ),
}


#: Seconds a script may take before `fixbook check` warns (issue 16: on a 2-core machine).
DEFAULT_BUDGET = 20.0
BUDGET_VARIABLE = "FIXBOOK_BUDGET"

#: Commands whose arguments and handler live in their own module, imported only to
#: build the parser: name -> (module, handler); each module has ``add_arguments(parser)``.
ELSEWHERE = {
    "bisect": ("fixbook.history.bisect", "run_bisect"),
    "why": ("fixbook.why", "run_why"),
    "audit": ("fixbook.audit", "run_audit"),
    "export": ("fixbook.history.osv", "run_export"),
}

#: Commands that need neither pytest nor the bisect machinery: their runs skip importing them.
LIGHT_COMMANDS = ("why", "audit", "export")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Args:
        argv: the arguments after ``fixbook``; ``sys.argv[1:]`` when ``None``.

    Returns:
        The exit status.
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = _parser(light=bool(args_list) and args_list[0] in LIGHT_COMMANDS)
    args = parser.parse_args(args_list)
    try:
        status = int(args.handler(args))
        sys.stdout.flush()  # a reader that went away fails here, not at interpreter exit
        return status
    except BrokenPipeError:
        # The reader went away (``fixbook why log.txt | head``): stop quietly, as
        # the Python docs advise, with stdout pointed at devnull so that the
        # interpreter's own flush at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    handler: Callable[[argparse.Namespace], int],
) -> argparse.ArgumentParser:
    purpose, example = COMMANDS[name]
    parser = commands.add_parser(
        name,
        help=purpose,
        description=purpose[0].upper() + purpose[1:] + ".",
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=handler)
    return parser


def _parser(light: bool = False) -> argparse.ArgumentParser:
    """The command line. ``light``: of the commands in :data:`ELSEWHERE`, register only
    those in :data:`LIGHT_COMMANDS`, so that their runs do not import pytest."""
    parser = argparse.ArgumentParser(
        prog="fixbook",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    new = _command(commands, "new", _new)
    new.add_argument("name", help="<library>/<slug>, e.g. numpyro/predictive-shape")
    new.add_argument(
        "--root", type=Path, default=Path("cases"), help="the cases folder (default: cases)"
    )

    check = _command(commands, "check", _check)
    check.add_argument(
        "paths",
        nargs="*",
        type=Path,
        default=[Path("cases")],
        help="case folders, or folders holding them (default: cases)",
    )
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

    report = _command(commands, "report", _report)
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
        help="list the cases whose status changed from one results file to another",
    )
    report.add_argument(
        "--slowest",
        type=int,
        metavar="N",
        help="list the N slowest scripts of each environment, by stored duration",
    )

    merge = _command(commands, "merge", _merge)
    merge.add_argument(
        "results",
        nargs="?",
        type=Path,
        default=Path(".fixbook/results"),
        help="results folder holding shards/<env>/<K>-of-<N>.json (default: .fixbook/results)",
    )

    for name, (module_name, handler) in ELSEWHERE.items():
        if light and name not in LIGHT_COMMANDS:
            continue
        module = importlib.import_module(module_name)
        module.add_arguments(_command(commands, name, getattr(module, handler)))
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
    seen: set[str] = set()
    invalid = 0
    for stray in _tree_problems(args.paths):
        seen.add(str(stray))
        invalid += 1
        print(f"error: {stray}")
    for folder in folders:
        where = location_problem(folder)
        found = [str(CaseError(folder / CASE_FILE, where))] if where else _problems(folder)
        problems = [problem for problem in found if problem not in seen]
        seen.update(problems)
        invalid += bool(problems)
        for problem in problems:
            print(f"error: {problem}")
    budget = args.budget or _seconds(os.environ.get(BUDGET_VARIABLE) or str(DEFAULT_BUDGET))
    case_ids = {f"{folder.parent.name}/{folder.name}" for folder in folders}
    for line in over_budget(_stored(args.results), case_ids, budget, _hanging(folders)):
        print(f"warning: {line}")
    print(f"{len(folders)} case(s) checked, {invalid} invalid")
    return 1 if invalid or not folders else 0


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


def _hanging(folders: list[Path]) -> set[tuple[str, str]]:
    """``(case id, "repro")`` of every valid case whose repro claims a hang: it runs
    for its whole timeout, so its duration is no sign of a costly case."""
    hanging = set()
    for folder in folders:
        try:
            if load_case(folder).repro.kind == "hangs":
                hanging.add((f"{folder.parent.name}/{folder.name}", "repro"))
        except CaseError:
            continue  # reported as invalid already
    return hanging


def _problems(folder: Path) -> list[str]:
    """Everything wrong with one case folder, each naming the file."""
    try:
        case = load_case(folder)
    except CaseError as exc:
        return [str(exc)]
    readme = folder / "README.md"
    text = read_case_text(readme)
    problems = [f"{readme}: {problem}" for problem in structure_problems(text)]
    return problems + evidence_problems(folder / CASE_FILE, case.repro.affected, case.repro.checked)


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
