"""Score the matching core on ``reports.toml``: top-1, top-3 and false exact matches."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from fixbook.knowledge.index import load_knowledge
from fixbook.knowledge.matching import Match, match_text

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
#: A results folder that does not exist: the site and the catalog read the cases alone.
NO_RESULTS = ROOT / "cases" / ".no-results"


@dataclass(frozen=True)
class Report:
    """One public error report and the case that explains it ("" for none)."""

    url: str
    case: str
    text: str
    note: str = ""


@dataclass
class Result:
    """What the matcher did on every report."""

    covered: list[tuple[Report, list[Match]]] = field(default_factory=list)
    uncovered: list[tuple[Report, list[Match]]] = field(default_factory=list)

    @property
    def top1(self) -> float:
        hits = sum(1 for r, m in self.covered if m and m[0].case == r.case)
        return hits / len(self.covered)

    @property
    def top3(self) -> float:
        hits = sum(1 for r, m in self.covered if r.case in [x.case for x in m[:3]])
        return hits / len(self.covered)

    @property
    def false_exact(self) -> list[tuple[Report, Match]]:
        """Exact matches of another case shown before the report's own (all of them when none).

        An exact match listed after the right case is not counted: several cases
        may document the same message (a JAX error alone and inside NumPyro),
        and each of them matches it exactly; :attr:`shared_exact` counts those.
        """
        found = []
        for report, matches in self.covered + self.uncovered:
            for match in matches:
                if match.case == report.case:
                    break
                if match.exact:
                    found.append((report, match))
        return found

    @property
    def shared_exact(self) -> int:
        """Exact matches of another case listed after the report's own case."""
        count = 0
        for report, matches in self.covered:
            cases = [m.case for m in matches]
            if report.case in cases:
                after = matches[cases.index(report.case) + 1 :]
                count += sum(1 for m in after if m.exact)
        return count

    @property
    def silent_uncovered(self) -> int:
        return sum(1 for _, m in self.uncovered if not m)


def load_reports(path: Path = HERE / "reports.toml") -> list[Report]:
    """The reports of the evaluation set."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    return [Report(r["url"], r["case"], r["text"], r.get("note", "")) for r in raw["report"]]


def evaluate(cases_dir: Path = ROOT / "cases") -> Result:
    """Rank every report against the cases (no results files: the cases alone)."""
    patterns = load_knowledge(cases_dir).patterns
    result = Result()
    for report in load_reports():
        matches = match_text(report.text, patterns, limit=3)
        (result.covered if report.case else result.uncovered).append((report, matches))
    return result


def format_report(result: Result, verbose: bool = False) -> str:
    """The figures, then each miss."""
    covered = {r.case for r, _ in result.covered}
    lines = [
        f"covered reports: {len(result.covered)} across {len(covered)} cases",
        f"top-1: {result.top1:.1%}   top-3: {result.top3:.1%}",
        f"uncovered reports: {len(result.uncovered)}, "
        f"with no match returned: {result.silent_uncovered}",
        f"false exact matches: {len(result.false_exact)} "
        f"(another case's exact match listed after the right one: {result.shared_exact})",
    ]
    for report, matches in result.covered + result.uncovered:
        top = matches[0].case if matches else ""
        if verbose or top != report.case:
            shown = ", ".join(
                f"{m.case} {m.score:.2f}{' exact' if m.exact else ''}" for m in matches
            )
            lines.append(
                f"  {report.url}\n    want {report.case or '(none)'}; got {shown or '(none)'}"
            )
    return "\n".join(lines)
