"""Collection: a case folder becomes a ``pytest.Directory`` with two items."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import pytest

from fixbook.knowledge.case import SCRIPTS, Case, CaseError, load_case
from fixbook.knowledge.outcomes import (
    Expectation,
    Outcome,
    claimed_warning,
    expect,
    installed_versions,
    judge,
    verdict,
)
from fixbook.plugin.settings import RUNNER_KEY, SETTINGS_KEY
from fixbook.results.store import (
    EnvironmentResults,
    ResultsError,
    ScriptRecord,
    now,
    read_results,
    results_path,
)
from fixbook.runner.report import RaisedError, ScriptResult, fatal_lines
from fixbook.runner.warm import leading_imports

RECORD_KEY = "fixbook"
# pytest's own marks change how an item runs; a library of that name gets no marker.
PYTEST_MARKS = frozenset(
    {"skip", "skipif", "xfail", "parametrize", "usefixtures", "filterwarnings", "fixbook"}
)
INVALID_CASES_KEY = pytest.StashKey[int]()
PREVIOUS_KEY = pytest.StashKey[EnvironmentResults | None]()
GROUP_SIZES_KEY = pytest.StashKey[dict[str, int]]()
SCRIPTS_PER_GROUP = 8


class CaseDirectory(pytest.Directory):
    """A folder holding ``case.toml``: collects ``repro`` and ``fix``."""

    def collect(self) -> Iterable[pytest.Item]:
        try:
            case = load_case(self.path)
        except Exception as exc:  # noqa: BLE001 - one bad folder must not stop the others
            stash = self.config.stash
            stash[INVALID_CASES_KEY] = stash.get(INVALID_CASES_KEY, 0) + 1
            message = (
                str(exc)
                if isinstance(exc, CaseError)
                else (
                    f"{self.path / 'case.toml'}: could not be loaded: {type(exc).__name__}: {exc}"
                )
            )
            raise self.CollectError(message) from None
        _register_marker(self.config, case.library)
        grouped = self.config.pluginmanager.hasplugin("xdist")
        for script in SCRIPTS:
            item = CaseItem.from_parent(self, name=script, case=case)
            item.add_marker("fixbook")
            if case.library not in PYTEST_MARKS:
                item.add_marker(case.library)
            if grouped:
                item.add_marker(pytest.mark.xdist_group(xdist_group(self.config, case, script)))
            yield item


def xdist_group(config: pytest.Config, case: Case, script: str) -> str:
    """The xdist group of a script: its env variables and first package outside the
    standard library, cut into runs of ``SCRIPTS_PER_GROUP`` in collection order.

    One worker then builds one zygote tree for a group's scripts, and a big
    group is still shared out between workers.
    """
    env = ",".join(f"{name}={value}" for name, value in sorted(case.env.items()))
    packages = (
        name.partition(".")[0].partition(":")[0] for name in leading_imports(case.script(script))
    )
    package = next((p for p in packages if p not in sys.stdlib_module_names), "")
    sizes = config.stash.setdefault(GROUP_SIZES_KEY, {})
    base = f"{env}|{package}"
    sizes[base] = sizes.get(base, 0) + 1
    return f"{base}#{(sizes[base] - 1) // SCRIPTS_PER_GROUP}"


def _register_marker(config: pytest.Config, library: str) -> None:
    line = f"{library}: Fixbook cases of {library}"
    if line not in config.getini("markers"):
        config.addinivalue_line("markers", line)


class CaseMismatch(Exception):
    """A script did not do what the case claims for these versions."""

    def __init__(self, message: str, result: ScriptResult) -> None:
        super().__init__(message)
        self.result = result


class CaseItem(pytest.Item):
    """One script of one case, run in its own process."""

    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        case, script = self.case, self.name
        names = {*case.requires, *(case.repro.affected or {}), *case.fix.requires}
        versions = installed_versions(sorted(names))
        expectation = expect(case, script, versions)
        if expectation.outcome == Outcome.SKIPPED:
            self._record(versions, expectation, Outcome.SKIPPED, None, expectation.skip_reason)
            pytest.skip(expectation.skip_reason)
        stored = reusable_record(self.config, case, script, versions)
        if stored is not None:
            self._append(versions, replace(stored, runner=f"reused from {stored.recorded}"))
            problem = verdict(case, script, expectation, Outcome(stored.outcome), stored.detail)
            if problem:
                raise CaseMismatch(problem, result_from_record(stored))
            return
        result = self.config.stash[RUNNER_KEY].run(
            case.script(script),
            env=case.env,
            timeout=self.config.stash[SETTINGS_KEY].timeout_for(case),
            raises=case.repro.target if case.repro.kind in ("raises", "warns") else "",
        )
        judgement = judge(case, script, result)
        detail = "; ".join(text for text in (judgement.reason, result.detail) if text)
        self._record(versions, expectation, judgement.outcome, result, detail)
        problem = verdict(case, script, expectation, judgement.outcome, judgement.reason)
        if problem:
            raise CaseMismatch(problem, result)

    def _record(
        self,
        versions: dict[str, str | None],
        expectation: Expectation,
        observed: Outcome,
        result: ScriptResult | None,
        detail: str,
    ) -> None:
        error = result.error if result else None
        warned = claimed_warning(self.case.repro, result) if result and not error else None
        if warned is not None:  # a warns claim: the warning is the captured error
            error = RaisedError(warned.category, warned.mro_names, warned.message, "")
        record = ScriptRecord(
            outcome=observed.value,
            expected=expectation.outcome.value,
            ok=observed == expectation.outcome,
            versions=expectation.versions,
            error_type=error.type if error else "",
            error_mro=error.mro_names if error else (),
            message=error.message if error else "",
            traceback=error.traceback if error else "",
            stdout=result.stdout if result else "",
            stderr=result.stderr if result else "",
            detail=detail,
            duration=round(result.duration, 3) if result else 0.0,
            recorded=now(),
            runner=result.runner if result else "",
        ).bounded()
        self._append(versions, record)

    def _append(self, versions: dict[str, str | None], record: ScriptRecord) -> None:
        """Attach the record to the report; the recorder (maybe in another process) stores it."""
        case = self.case
        self.user_properties.append(
            (
                RECORD_KEY,
                {
                    "case_id": case.id,
                    "title": case.title,
                    "library": case.library,
                    "path": _relative(case.path, self.config.rootpath),
                    "hash": case.content_hash(),
                    "requires": versions,
                    "env": dict(case.env),
                    "script": self.name,
                    "record": asdict(record),
                },
            )
        )

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style=None) -> str:  # type: ignore[no-untyped-def,override]
        if not isinstance(excinfo.value, CaseMismatch):
            return str(super().repr_failure(excinfo, style=style))
        result = excinfo.value.result
        lines = [str(excinfo.value)]
        if result.error is not None:
            lines += ["", "observed traceback:", result.error.traceback.rstrip()]
        elif result.detail:
            lines += ["", f"observed: {result.detail}"]
        fatal = fatal_lines(result.stderr) if result.status == "crashed" else ""
        if fatal and fatal not in result.detail:
            lines += ["", "fatal lines on stderr:", fatal]
        elif not fatal:
            stderr = result.stderr.rstrip()
            if result.error is not None:  # Python printed the traceback shown above
                stderr = stderr.removesuffix(result.error.traceback.rstrip()).rstrip()
            if stderr:
                lines += ["", "stderr (tail):", *stderr.splitlines()[-20:]]
        return "\n".join(lines)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.case.script(self.name), 0, f"{self.case.id}::{self.name}"


def reusable_record(
    config: pytest.Config, case: Case, script: str, versions: dict[str, str | None]
) -> ScriptRecord | None:
    """With ``--fixbook-reuse``: the stored record of this script, if nothing it depends on
    changed (the case's files, the installed versions, the env variables)."""
    if not config.stash[SETTINGS_KEY].reuse:
        return None
    if PREVIOUS_KEY not in config.stash:
        settings = config.stash[SETTINGS_KEY]
        try:
            config.stash[PREVIOUS_KEY] = read_results(
                results_path(settings.results_dir, settings.env_name)
            )
        except ResultsError:
            config.stash[PREVIOUS_KEY] = None
    previous = config.stash[PREVIOUS_KEY]
    stored = previous.cases.get(case.id) if previous else None
    record = stored.scripts.get(script) if stored else None
    if (
        stored is None
        or record is None
        or record.outcome in (Outcome.TIMEOUT, Outcome.CRASHED, Outcome.SKIPPED)
        or stored.hash != case.content_hash()
        or stored.env != dict(case.env)
        or any(stored.requires.get(name, "") != version for name, version in versions.items())
    ):
        return None
    return record


def result_from_record(record: ScriptRecord) -> ScriptResult:
    """A stored record as a ``ScriptResult``, for the failure report of a reused result."""
    error = None
    if record.error_type:
        error = RaisedError(
            type=record.error_type,
            mro_names=record.error_mro,
            message=record.message,
            traceback=record.traceback,
        )
    return ScriptResult(
        "raised" if error else "finished",
        record.duration,
        None,
        error=error,
        stdout=record.stdout,
        stderr=record.stderr,
        detail=record.detail,
        runner=record.runner,
    )


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return os.fspath(path)
