"""Gathers script records from reports, journals them, writes the results file, summarises."""

from __future__ import annotations

import fcntl
import os
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from fixbook.knowledge.layout import in_case_tree
from fixbook.knowledge.vocabulary import CaseStatus
from fixbook.plugin.items import RECORD_KEY
from fixbook.plugin.settings import SETTINGS_KEY, Settings
from fixbook.results.journal import (
    Journal,
    ended,
    journals,
    new_run_id,
    read_journal,
    remove,
    run_files,
)
from fixbook.results.report import scripts_status
from fixbook.results.shards import shard_path, write_partial
from fixbook.results.store import (
    CaseRecord,
    CollectionError,
    ResultsError,
    ScriptRecord,
    fold,
    merge,
    new_environment,
    read_results,
    results_path,
    write_results,
)

WRITER_NAME = "fixbook-journal"
JOURNAL_INPUT = "fixbook_journal"


class ResultsRecorder:
    """Registered on the controlling process only; workers send their records in reports."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.path = results_path(settings.results_dir, settings.env_name)
        if settings.shard is not None:
            self.path = shard_path(settings.results_dir, settings.env_name, settings.shard)
        self.cases: dict[str, dict[str, Any]] = {}
        self.errors: dict[str, str] = {}
        self.written: Path | None = None
        self.problem = ""
        self.failure = ""
        self.run_id = new_run_id()

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        """Tell each xdist worker the name of this run's journal files."""
        node.workerinput[JOURNAL_INPUT] = self.run_id

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for key, value in report.user_properties:
            if key != RECORD_KEY:
                continue
            data: dict[str, Any] = value  # type: ignore[assignment]
            entry = self.cases.setdefault(
                data["case_id"],
                {k: v for k, v in data.items() if k not in ("script", "record")} | {"scripts": {}},
            )
            entry["requires"].update(data["requires"])
            entry["scripts"][data["script"]] = ScriptRecord(
                **{**data["record"], "error_mro": tuple(data["record"]["error_mro"])}
            )

    @pytest.hookimpl
    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed and report.fspath and in_case_tree(Path(report.fspath)):
            self.errors[report.nodeid] = str(report.longrepr).strip()

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        writer = session.config.pluginmanager.get_plugin(WRITER_NAME)
        if isinstance(writer, JournalWriter):
            writer.close()
        if not self.cases and not self.errors:
            return
        mine = run_files(self.settings.results_dir, self.settings.env_name, self.run_id)
        try:
            self._write(mine)
        except OSError as exc:
            kept = ""
            if mine and not (isinstance(writer, JournalWriter) and writer.failed):
                kept = f"; the records stay in {mine[0].parent}"
            self.failure = f"results not written to {self.path.parent}: {exc.strerror or exc}{kept}"
            if session.exitstatus == pytest.ExitCode.OK:
                session.exitstatus = pytest.ExitCode.TESTS_FAILED
            return
        remove(mine)

    def _write(self, mine: list[Path]) -> None:
        """Fold the journals of ended runs and this run into the document, under a lock.

        Raises:
            OSError: the folder or the document cannot be written; nothing stored
                before is changed.
        """
        records = {case_id: CaseRecord(**entry) for case_id, entry in self.cases.items()}
        errors = tuple(CollectionError(p, m) for p, m in sorted(self.errors.items()))
        current = new_environment(self.settings.env_name, records, errors)
        if self.settings.shard is not None:  # a shard's partial document: merged later
            write_partial(self.path, current, self.settings.shard)
            self.written = self.path
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        folder = os.open(self.path.parent, os.O_RDONLY)
        try:
            fcntl.flock(folder, fcntl.LOCK_EX)  # two runs of one environment merge in turn
            previous = None
            if self.path.exists():
                try:
                    previous = read_results(self.path)
                except ResultsError as exc:
                    aside = self.path.with_name(self.path.name + ".unreadable")
                    os.replace(self.path, aside)
                    self.problem = f"{exc}; moved it to {aside.name} and started a new one"
            folded = []
            for path in journals(self.settings.results_dir, self.settings.env_name):
                if path not in mine and ended(path):
                    header, entries = read_journal(path)
                    previous = fold(previous, entries, self.settings.env_name, header)
                    folded.append(path)
            write_results(self.path, merge(previous, current))
            remove(folded)
        finally:
            os.close(folder)  # releases the lock
        self.written = self.path

    @pytest.hookimpl
    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.cases and not self.errors:
            return
        tr = terminalreporter
        tr.write_sep("=", "fixbook summary")
        groups: dict[CaseStatus, list[str]] = defaultdict(list)
        for case_id, entry in sorted(self.cases.items()):
            groups[scripts_status(entry["scripts"])].append(case_id)
        for status in CaseStatus:
            if groups[status]:
                tr.write_line(f"{status.value} ({len(groups[status])}):")
                for case_id in groups[status]:
                    tr.write_line(f"    {case_id}")
        if self.errors:
            tr.write_line(f"invalid case folders ({len(self.errors)}):")
            for path in sorted(self.errors):
                tr.write_line(f"    {path}")
        if tr.config.option.verbose > 0:
            self._write_cold_runs(tr)
        if self.problem:
            tr.write_line(f"warning: {self.problem}", yellow=True)
        if self.failure:
            tr.write_line(f"error: {self.failure}", red=True)
        if self.written:
            tr.write_line(f"results: {self.written}")
        if self.written and self.settings.env_defaulted:
            tr.write_line(
                f"environment {self.settings.env_name!r} is named after where it ran; the site "
                "publishes only the environments it is configured with (name a run with "
                "--fixbook-env)"
            )

    def _write_cold_runs(self, tr: Any) -> None:
        """In verbose mode: which scripts ran in a fresh interpreter, and why."""
        cold = [
            f"    {case_id}::{name}: {script.runner.removeprefix('cold: ')}"
            for case_id, entry in sorted(self.cases.items())
            for name, script in sorted(entry["scripts"].items())
            if script.runner.startswith("cold: ")
        ]
        if cold:
            tr.write_line(f"ran cold, without a zygote ({len(cold)}):")
            for line in cold:
                tr.write_line(line)


class JournalWriter:
    """Registered in every pytest process; where items run (not in an xdist controller),
    appends each finished script's record to this process's journal file at once."""

    def __init__(self, config: pytest.Config, run_id: str, worker: str) -> None:
        self.config = config
        settings = config.stash[SETTINGS_KEY]
        self.journal = Journal(settings.results_dir, settings.env_name, run_id, worker)
        self.failed = False

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call" or self.failed:
            return
        if self.config.pluginmanager.hasplugin("dsession"):
            return  # the xdist controller: its workers journal their own records
        for key, value in report.user_properties:
            if key != RECORD_KEY:
                continue
            try:
                self.journal.record(value)  # type: ignore[arg-type]
            except OSError:
                self.failed = True  # the document at the end reports the folder's problem
                return

    def close(self) -> None:
        self.journal.close()
