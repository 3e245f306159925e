"""``pytest --fixbook-known``: name the known issue behind a failing test, in any project.

Off unless asked (``--fixbook-known``, ini ``fixbook_known = true`` or
``FIXBOOK_KNOWN=1``). Only a failing test costs anything: its exception chain
is formatted as a traceback and matched against the cases with
:mod:`fixbook.knowledge.matching`; nothing runs a case. A match adds a
"Known issue" section to the test's report (case, title, why, fix hint, the
installed versions against the case's ``affected`` range, link) and a line to
the list at the end of the run. The report carries the match as a user
property, so the list is complete under pytest-xdist too.
"""

from __future__ import annotations

import json
import os
import traceback
from pathlib import Path
from typing import Any

import pytest

from fixbook.knowledge.index import (
    Knowledge,
    check_range,
    fix_hint,
    installed_versions,
    load_knowledge,
    range_distributions,
)
from fixbook.knowledge.matching import parse, rank

SECTION = "Known issue"
PROPERTY = "fixbook_known"
KNOWN_HELP = "add a 'Known issue' section to failing tests whose error matches a Fixbook case"
CASES_HELP = "the Fixbook cases folder --fixbook-known matches against (default: ./cases)"
_TRUE = ("1", "true", "yes", "on")


def add_options(parser: pytest.Parser) -> None:
    """``--fixbook-known``, ``--fixbook-cases`` and their ini twins."""
    group = parser.getgroup("fixbook", "Fixbook cases")
    group.addoption("--fixbook-known", dest="fixbook_known", action="store_true", help=KNOWN_HELP)
    group.addoption("--fixbook-cases", dest="fixbook_cases", metavar="DIR", help=CASES_HELP)
    parser.addini("fixbook_known", KNOWN_HELP, type="bool", default=False)
    parser.addini("fixbook_cases", CASES_HELP)


def enabled(config: pytest.Config) -> bool:
    """The command line, then ``$FIXBOOK_KNOWN``, then the ini option."""
    if config.getoption("fixbook_known"):
        return True
    if os.environ.get("FIXBOOK_KNOWN"):
        return os.environ["FIXBOOK_KNOWN"].strip().lower() in _TRUE
    return bool(config.getini("fixbook_known"))


def cases_dir(config: pytest.Config) -> Path:
    """``--fixbook-cases``, ``$FIXBOOK_CASES``, ini ``fixbook_cases``, else the default of
    ``fixbook why``."""
    from fixbook.why import default_cases_dir

    value = (
        config.getoption("fixbook_cases")
        or os.environ.get("FIXBOOK_CASES")
        or config.getini("fixbook_cases")
    )
    if not value:
        return default_cases_dir()
    path = Path(str(value))
    return path if path.is_absolute() else config.rootpath / path


class KnownIssues:
    """The plugin object: matches failures, keeps the list for the end of the run."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self._knowledge: Knowledge | None = None
        self.found: list[tuple[str, dict[str, Any]]] = []

    @property
    def knowledge(self) -> Knowledge:
        if self._knowledge is None:
            folder = cases_dir(self.config)
            self._knowledge = load_knowledge(folder, None, None)
        return self._knowledge

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
        report: pytest.TestReport = yield
        if report.failed and call.excinfo is not None and not item.get_closest_marker("fixbook"):
            known = self.match(call.excinfo.value)
            if known is not None:
                report.sections.append((SECTION, describe(known)))
                report.user_properties.append((PROPERTY, json.dumps(known)))
        return report

    def match(self, exc: BaseException) -> dict[str, Any] | None:
        """The best case for an exception (with its chain), as plain data; ``None`` if none."""
        text = "".join(traceback.format_exception(exc))
        pasted = parse(text)
        matches = rank(pasted, self.knowledge.patterns, limit=1)
        if not matches:
            return None
        best = matches[0]
        case = self.knowledge.cases[best.case]
        dists = range_distributions(case)
        check = check_range(case, installed_versions(dists), "installed")
        return {
            "case": best.case,
            "exact": best.exact,
            "score": best.score,
            "title": case.title,
            "why": case.summary,
            "fix": fix_hint(case),
            "range": check.describe(case.repro.affected),
            "inside_affected": check.inside,
            "link": self.knowledge.link(best.case),
        }

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, value in report.user_properties:
            if name == PROPERTY:
                self.found.append((report.nodeid, json.loads(str(value))))

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        seen = dict(self.found)
        folder = cases_dir(self.config)
        if terminalreporter.stats.get("failed") and not folder.is_dir():
            terminalreporter.write_line(
                f"fixbook: --fixbook-known matched no failure: no cases folder at {folder} "
                "(set --fixbook-cases, fixbook_cases or $FIXBOOK_CASES)"
            )
        if not seen:
            return
        terminalreporter.write_sep("=", f"fixbook: {len(seen)} failure(s) with a known issue")
        for nodeid, known in seen.items():
            kind = "exact" if known["exact"] else f"near {known['score']:.2f}"
            terminalreporter.write_line(f"{nodeid}: {known['case']} ({kind}) {known['link']}")


def describe(known: dict[str, Any]) -> str:
    """The text of the "Known issue" report section."""
    kind = "exact match" if known["exact"] else f"near match ({known['score']:.2f})"
    return "\n".join(
        [
            f"{known['case']} [{kind}]: {known['title']}",
            f"why: {known['why']}",
            f"fix: {known['fix']}",
            f"versions: {known['range']}",
            f"more: {known['link']}",
        ]
    )
