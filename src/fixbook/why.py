"""``fixbook why``: paste an error or traceback, get the cases that explain it and their fixes."""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from fixbook.knowledge.index import (
    Knowledge,
    check_range,
    installed_versions,
    load_knowledge,
    range_distributions,
)
from fixbook.knowledge.matching import Match, Pasted, parse, rank

#: The most bytes of the input kept: its end, where a log's traceback is.
MAX_INPUT = 1_000_000


class InputError(ValueError):
    """Input that holds no error text to match (empty, or binary); the message says which."""


def default_cases_dir() -> Path:
    """``$FIXBOOK_CASES``, else ``./cases``, else the ``cases`` folder of a source checkout."""
    if os.environ.get("FIXBOOK_CASES"):
        return Path(os.environ["FIXBOOK_CASES"])
    here = Path("cases")
    if here.is_dir():
        return here
    return Path(__file__).resolve().parents[2] / "cases"


def cases_folder(args: argparse.Namespace, command: str) -> Path | None:
    """``--cases`` or :func:`default_cases_dir`; ``None``, after one line on stderr, if absent."""
    cases_dir: Path = args.cases or default_cases_dir()
    if not cases_dir.is_dir():
        print(f"fixbook {command}: no cases folder at {cases_dir} (use --cases)", file=sys.stderr)
        return None
    return cases_dir


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``fixbook why``."""
    parser.add_argument("file", nargs="?", default="-", help="a file with the error, or - (stdin)")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    parser.add_argument("--cases", type=Path, default=None, help="cases folder (default: cases)")
    parser.add_argument(
        "--results", type=Path, default=Path(".fixbook/results"), help="results folder"
    )
    parser.add_argument("--limit", type=int, default=3, help="most matches shown (default 3)")
    parser.add_argument("--site", default=None, help="base URL of the site for links")


def run_why(args: argparse.Namespace) -> int:
    """Rank the cases for the input and print them; exit 0 (also with no match), 2 on bad input."""
    cases_dir = cases_folder(args, "why")
    if cases_dir is None:
        return 2
    try:
        text = read_input(args.file)
    except OSError as exc:
        print(f"fixbook why: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except InputError as exc:
        print(f"fixbook why: {args.file}: {exc}", file=sys.stderr)
        return 2
    knowledge = load_knowledge(cases_dir, args.results, args.site)
    for problem in knowledge.problems:
        print(f"fixbook why: skipped {problem}", file=sys.stderr)
    pasted = parse(text)
    matches = rank(pasted, knowledge.patterns, max(1, args.limit))
    described = [describe(m, pasted, knowledge) for m in matches]
    if args.format == "json":
        print(json.dumps({"matches": described}, indent=2))
    else:
        print(format_text(described, pasted))
    return 0


def describe(match: Match, pasted: Pasted, knowledge: Knowledge) -> dict[str, Any]:
    """One match as plain data: the case, why, the range verdict, the fix diff and the link."""
    case = knowledge.cases[match.case]
    dists = range_distributions(case)
    shown = {d: v for d, v in pasted.versions.items() if d in dists}
    if shown:
        check = check_range(case, shown, "shown in the traceback")
    else:
        check = check_range(case, installed_versions(dists), "installed")
    affected = {d: str(s) for d, s in (case.repro.affected or {}).items()}
    return {
        "case": match.case,
        "score": match.score,
        "exact": match.exact,
        "title": case.title,
        "why": case.summary,
        "error": {"class": match.error.cls, "message": match.error.message[:300]},
        "affected": affected or None,
        "inside_affected": check.inside,
        "versions": dict(check.versions),
        "versions_source": check.source,
        "range": check.describe(case.repro.affected),
        "diff": fix_diff(case.script("repro"), case.script("fix")),
        "link": knowledge.link(match.case),
    }


def fix_diff(repro: Path, fix: Path) -> str:
    """The unified diff from ``repro.py`` to ``fix.py``."""
    try:
        before = repro.read_text(encoding="utf-8").splitlines(keepends=True)
        after = fix.read_text(encoding="utf-8").splitlines(keepends=True)
    except (OSError, UnicodeDecodeError) as exc:
        return f"(no diff: {exc})"
    return "".join(difflib.unified_diff(before, after, "repro.py", "fix.py", n=1))


def format_text(described: list[dict[str, Any]], pasted: Pasted) -> str:
    """The terminal report: one block per match, the best first."""
    if not described:
        seen = pasted.errors[-1].cls if pasted.errors else ""
        what = f" for {seen}" if seen else ""
        return f"no known case{what}; search the site or add one with `fixbook new`"
    blocks = []
    for item in described:
        kind = "exact match" if item["exact"] else f"near match ({item['score']:.2f})"
        lines = [
            f"{item['case']}  [{kind}]",
            f"  {item['title']}",
            f"  why: {item['why']}",
            f"  {item['range']}",
            "  fix (repro.py -> fix.py):",
            *("    " + line for line in item["diff"].rstrip("\n").splitlines()),
            f"  more: {item['link']}",
        ]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def read_input(name: str) -> str:
    """The text of file ``name`` (``-``: standard input), its last :data:`MAX_INPUT` bytes.

    The whole input is read, so a writer piping a long log is never cut off,
    but only its end is kept: a traceback ends a log. Bytes that are not UTF-8
    are replaced.

    Raises:
        OSError: the file cannot be read.
        InputError: the input is empty or blank, or binary (it holds a NUL byte).
    """
    tail = b""
    with open(name, "rb") if name != "-" else nullcontext(sys.stdin.buffer) as handle:
        while chunk := handle.read(1 << 20):
            tail = (tail + chunk)[-MAX_INPUT:]
    if b"\0" in tail:
        raise InputError("is binary, not text: paste an error message or a traceback")
    text = tail.decode("utf-8", errors="replace")
    if not text.strip():
        raise InputError("is empty: paste an error message or a traceback")
    return text
