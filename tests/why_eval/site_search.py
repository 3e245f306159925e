"""Score the site's search box: each case's documented message typed, and the
reports of ``reports.toml`` pasted, ranked by the theme's own search worker in Node.

``python -m tests.why_eval.site_search`` builds the site (the cases alone, no
results; or give a results folder) and prints the figures;
``tests/site_plugin/test_search_rank.py`` asserts them on the cases alone.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fixbook.site.case_extras import readable
from fixbook.site.catalog import CaseEntry, load_catalog
from tests.why_eval.evaluate import HERE, NO_RESULTS, ROOT, load_reports

NODE = shutil.which("node")
SCRIPT = HERE / "site_search.js"
CATALOG = load_catalog(ROOT / "cases", NO_RESULTS)
ENTRIES = [entry for library in CATALOG.libraries for entry in library.cases]
CASE_LINK = re.compile(r"cases/([^/]+/[^/]+)/")


def typed_message(entry: CaseEntry) -> str:
    """What a user who met the case's error would type into search.

    The documented message: ``Class: message`` for a ``raises`` or ``warns``
    claim (the exception or the warning category); the log line for a
    ``crashes`` or ``stderr`` claim; for a ``hangs`` claim with no log, or a
    message with no word search can use (``KeyError: 'z'``), which leaves
    nothing to copy, the symptom as the case's title words it.
    """
    message = _documented_message(entry)
    return message if _words(message) else entry.case.title


def _documented_message(entry: CaseEntry) -> str:
    repro = entry.case.repro
    if repro.kind in ("raises", "warns") and repro.match:
        return f"{repro.target.rsplit('.', 1)[-1]}: {readable(repro.match)}"
    if repro.stderr or repro.match:
        return readable(repro.stderr or repro.match)
    return entry.case.title


def _words(text: str) -> set[str]:
    message = text.split(": ", 1)[-1]
    return {w for w in re.findall(r"[a-z]{3,}", message.lower())} - {"the", "and", "not", "for"}


def sharing(entry: CaseEntry) -> set[str]:
    """The cases whose documented error holds every word of this case's (itself included).

    Search cannot tell them apart by those words (several cases document JAX's
    generic ``UnexpectedTracerError``, for instance): they come first in any order.
    """
    words = _words(typed_message(entry))
    if not words:
        return {entry.id}
    return {e.id for e in ENTRIES if words <= _words(typed_message(e))} | {entry.id}


@dataclass(frozen=True)
class Ranking:
    """What one query found, best first: every page, the case pages among them as case ids,
    and each case's best score."""

    pages: list[str]
    cases: list[str]
    scores: dict[str, float]

    def first_are(self, group: set[str]) -> bool:
        return set(self.cases[: len(group)]) == group

    def margin(self, group: set[str]) -> float:
        """The group's lowest score over the best score of any other case (inf: none)."""
        others = [s for c, s in self.scores.items() if c not in group]
        own = min(self.scores.get(c, 0.0) for c in group)
        return own / max(others) if others else float("inf")


def rank(site: Path, texts: list[str], mode: str) -> list[Ranking]:
    """Each text, ``typed`` or ``pasted`` into the search box of the built ``site``.

    Raises:
        RuntimeError: Node is not installed.
        subprocess.CalledProcessError: the script failed (its stderr says why).
    """
    if NODE is None:
        raise RuntimeError("the site's search runs in Node (node), which is not installed")
    with tempfile.TemporaryDirectory() as folder:
        queries = Path(folder) / "queries.json"
        queries.write_text(json.dumps(texts), encoding="utf-8")
        done = subprocess.run(
            [NODE, str(SCRIPT), str(site), str(queries), mode],
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
    rankings = []
    for groups in json.loads(done.stdout):
        cases: list[str] = []
        scores: dict[str, float] = {}
        for group in groups:
            for location, score in group:
                if match := CASE_LINK.search(location):
                    case = match.group(1)
                    if case not in cases:
                        cases.append(case)
                    scores[case] = max(scores.get(case, 0.0), score)
        pages = [group[0][0].partition("#")[0] for group in groups if group]
        rankings.append(Ranking(pages, cases, scores))
    return rankings


@dataclass(frozen=True)
class SiteResult:
    """Typed messages (entry, ranking) and pasted reports (case, ranking)."""

    typed: list[tuple[CaseEntry, Ranking]]
    pasted: list[tuple[str, Ranking]]

    @property
    def typed_misses(self) -> list[str]:
        return [e.id for e, r in self.typed if not r.first_are(sharing(e))]

    @property
    def top1(self) -> float:
        return sum(r.cases[:1] == [case] for case, r in self.pasted) / len(self.pasted)

    @property
    def top3(self) -> float:
        return sum(case in r.cases[:3] for case, r in self.pasted) / len(self.pasted)


def evaluate(site: Path) -> SiteResult:
    """Rank every case's documented message and every covered report on ``site``."""
    typed = rank(site, [typed_message(e) for e in ENTRIES], "typed")
    reports = [r for r in load_reports() if r.case]
    pasted = rank(site, [r.text for r in reports], "pasted")
    return SiteResult(
        list(zip(ENTRIES, typed, strict=True)),
        [(r.case, ranking) for r, ranking in zip(reports, pasted, strict=True)],
    )


def format_report(result: SiteResult) -> str:
    """The figures, the closest typed messages, then each pasted report not ranked first."""
    closest = sorted((r.margin(sharing(e)), e.id) for e, r in result.typed)[:5]
    lines = [
        f"typed messages: {len(result.typed)}, "
        f"own case(s) not first: {len(result.typed_misses)} {result.typed_misses or ''}",
        "closest margins (own score over the best other case's): "
        + ", ".join(f"{m:.2f} {case}" for m, case in closest),
        f"pasted reports: {len(result.pasted)}, "
        f"top-1: {result.top1:.1%}   top-3: {result.top3:.1%}",
    ]
    lines += [
        f"  not first: {case} (got {r.cases[:3]})"
        for case, r in result.pasted
        if r.cases[:1] != [case]
    ]
    return "\n".join(lines)


def main() -> None:
    """``python -m tests.why_eval.site_search [RESULTS_DIR]``: the site built from the
    cases alone, or with the results in ``RESULTS_DIR`` (their captured messages are
    headings too, and words the search can match)."""
    from tests.site_plugin.samples import mkdocs_build, repository_config

    results = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else NO_RESULTS
    with tempfile.TemporaryDirectory() as folder:
        built = mkdocs_build(repository_config(ROOT, results, Path(folder)))
        if built.returncode != 0:
            sys.exit(built.stderr)
        print(format_report(evaluate(Path(folder) / "site")))


if __name__ == "__main__":
    main()
