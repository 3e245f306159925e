"""The pytest plugin: options, collection of case folders, the results recorder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fixbook.plugin import guard, known, schedule
from fixbook.plugin.items import INVALID_CASES_KEY
from fixbook.plugin.recorder import JOURNAL_INPUT, WRITER_NAME, JournalWriter, ResultsRecorder
from fixbook.plugin.settings import RUNNER_KEY, SETTINGS_KEY, add_options, resolve
from fixbook.runner.cold import ColdRunner
from fixbook.runner.warm import WarmRunner

_RECORDER_KEY = pytest.StashKey[ResultsRecorder]()
#: The workerinput key that tells an xdist worker to suffix its node ids with their group.
GROUPED_INPUT = "fixbook_loadgroup"


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)
    known.add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fixbook: a script of a Fixbook case")
    settings = resolve(config)
    config.stash[SETTINGS_KEY] = settings
    config.stash[RUNNER_KEY] = (
        WarmRunner(memory_limit=settings.memory_limit)
        if settings.runner == "warm"
        else ColdRunner(memory_limit=settings.memory_limit)
    )
    if getattr(config.option, "dist", "no") == "load":
        # Keep scripts that share a zygote on one xdist worker.
        config.option.dist = "loadgroup"
    if hasattr(config, "workerinput"):
        if config.workerinput.get(GROUPED_INPUT):
            # xdist sets this from the worker's own parse of the command line, where
            # -n alone means "load": only the controller knows it was made loadgroup.
            config.option.loadgroup = True
        run_id = config.workerinput.get(JOURNAL_INPUT, "")
        worker = config.workerinput.get("workerid", "worker")
    else:
        recorder = ResultsRecorder(settings)
        config.stash[_RECORDER_KEY] = recorder
        config.pluginmanager.register(recorder, "fixbook-recorder")
        run_id, worker = recorder.run_id, "main"
    if run_id:
        config.pluginmanager.register(JournalWriter(config, run_id, worker), WRITER_NAME)
    if known.enabled(config):
        config.pluginmanager.register(known.KnownIssues(config), "fixbook-known")


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Tell an xdist worker to group its items when this controller schedules by group."""
    node.workerinput[GROUPED_INPUT] = node.config.getvalue("dist") == "loadgroup"


def pytest_unconfigure(config: pytest.Config) -> None:
    runner = config.stash.get(RUNNER_KEY, None)
    if runner is not None:
        runner.close()
    recorder = config.stash.get(_RECORDER_KEY, None)
    if recorder is not None:
        del config.stash[_RECORDER_KEY]
        config.pluginmanager.unregister(recorder)
    writer = config.pluginmanager.get_plugin(WRITER_NAME)
    if isinstance(writer, JournalWriter):
        writer.close()
        config.pluginmanager.unregister(writer)


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    """Refuse the conftests of the cases tree before pytest imports the initial ones."""
    args = list(early_config.known_args_namespace.file_or_dir or [])
    if not args:
        args = [str(early_config.rootpath / p) for p in early_config.getini("testpaths")]
    anchors = guard.initial_anchors(early_config, args)
    guard.refuse_conftests(early_config.pluginmanager, anchors)


@pytest.hookimpl(tryfirst=True)
def pytest_make_collect_report(collector: pytest.Collector) -> None:
    """Refuse the conftests of the cases tree before pytest imports a folder's."""
    if isinstance(collector, pytest.Directory):
        folders = [collector.path, *collector.path.parents]
        guard.refuse_conftests(collector.config.pluginmanager, folders)


@pytest.hookimpl(tryfirst=True)
def pytest_collect_directory(path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    return guard.collect_directory(path, parent)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With ``--fixbook-shard K/N``: keep only the cases of shard K."""
    settings = config.stash[SETTINGS_KEY]
    if settings.shard is None:
        return
    durations = schedule.stored_durations(settings.results_dir, settings.env_name)
    selected, deselected = schedule.select_shard(items, settings.shard, durations)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under ``-n``: hand out the zygote groups longest first (see ``schedule``)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    settings = config.stash[SETTINGS_KEY]
    durations = schedule.stored_durations(settings.results_dir, settings.env_name)
    return schedule.make_scheduler(config, log, durations)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtestloop(session: pytest.Session):  # type: ignore[no-untyped-def]
    """Let the other cases run when the only collection errors are invalid case folders."""
    option = session.config.option
    invalid = session.config.stash.get(INVALID_CASES_KEY, 0)
    if (
        not session.testsfailed
        or session.testsfailed != invalid
        or option.continue_on_collection_errors
    ):
        return (yield)
    option.continue_on_collection_errors = True
    try:
        return (yield)
    finally:
        option.continue_on_collection_errors = False
