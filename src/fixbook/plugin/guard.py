"""Collection of the cases tree: nothing in it is imported into pytest, and every
file that is not part of a case at ``cases/<library>/<slug>/`` is one error naming it.

pytest imports ``conftest.py`` files at two moments: the *initial* conftests of
the command-line arguments (and their parents, and their ``test*`` subfolders)
from ``pytest_load_initial_conftests``, and those of each folder as it is
collected (``pytest_make_collect_report`` of a ``pytest.Directory``). Both end
in ``PytestPluginManager._importconftest``, which returns the plugin already
registered under the conftest's path instead of importing the file; so before
either moment, a ``conftest.py`` in the cases tree gets an empty placeholder
registered under its path, and is never imported. The collectors below then
report it as an error.
"""

from __future__ import annotations

import os
import types
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest

from fixbook.knowledge.layout import (
    CASE_FILE,
    CASES_DIRNAME,
    IGNORED,
    duplicate_message,
    in_case_tree,
    is_cases_root,
    location_problem,
)
from fixbook.plugin.items import INVALID_CASES_KEY, CaseDirectory

_SEEN_IDS_KEY = pytest.StashKey[dict[str, Path]]()
CONFTEST = "conftest.py"


def refuse_conftests(pluginmanager: pytest.PytestPluginManager, folders: Iterable[Path]) -> None:
    """Register a placeholder for each ``conftest.py`` of ``folders`` that lies in a
    cases tree, so that pytest never imports it."""
    for folder in folders:
        conftest = folder / CONFTEST
        name = str(conftest)
        refuse = os.path.lexists(conftest) and pluginmanager.get_plugin(name) is None
        if refuse and in_case_tree(folder):
            placeholder = types.ModuleType(f"fixbook-refused:{name}")
            pluginmanager.register(placeholder, name)


def initial_anchors(config: pytest.Config, args: Sequence[str]) -> list[Path]:
    """The folders whose conftests pytest loads before collection: each argument
    path, its parents and its ``test*`` subfolders (as ``_set_initial_conftests``)."""
    base = config.invocation_params.dir
    anchors: list[Path] = []
    for arg in args or [str(base)]:
        path = Path(os.path.abspath(base / arg.split("::", 1)[0]))
        if not path.exists():
            continue
        folder = path if path.is_dir() else path.parent
        anchors += [folder, *folder.parents]
        if folder.is_dir():
            anchors += [child for child in folder.glob("test*") if child.is_dir()]
    return anchors


def collect_directory(path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """The collector of a folder in a cases tree, or ``None`` for any other folder."""
    if os.path.lexists(path / CASE_FILE):
        problem = location_problem(path)
        if problem:
            return CaseTree.from_parent(parent, path=path)
        key = f"{path.parent.name}/{path.name}".casefold()
        seen = parent.config.stash.setdefault(_SEEN_IDS_KEY, {})
        other = seen.setdefault(key, path)
        if other != path and other.resolve() != path.resolve():
            return Refused.from_parent(parent, path=path, message=duplicate_message(key, other))
        return CaseDirectory.from_parent(parent, path=path)
    if is_cases_root(path) or is_cases_root(path.parent):
        return CaseTree.from_parent(parent, path=path)
    return None


class CaseTree(pytest.Directory):
    """The cases folder, a library folder, or a folder with a misplaced ``case.toml``:
    collects the case folders in it and reports every other file instead of reading it."""

    def collect(self) -> Iterable[pytest.Collector]:
        own = os.path.lexists(self.path / CASE_FILE)
        root = self.path.name == CASES_DIRNAME
        library = not own and is_cases_root(self.path.parent)
        where = "a library folder" if library else "the cases folder"
        with os.scandir(self.path) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
        for entry in entries:
            path = Path(entry.path)
            if entry.name in IGNORED or entry.name.startswith("."):
                continue
            if entry.name == CASE_FILE:
                yield Refused.from_parent(self, path=path, message=location_problem(self.path))
            elif entry.is_dir(follow_symlinks=False) and (
                not library or os.path.lexists(path / CASE_FILE)
            ):
                if self.ihook.pytest_ignore_collect(collection_path=path, config=self.config):
                    continue
                collector = self.ihook.pytest_collect_directory(path=path, parent=self)
                if collector is not None:
                    yield collector
            elif not own or root:  # a misplaced case's own files: its case.toml is the error
                yield Refused.from_parent(self, path=path, message=_stray(path, where))


def _stray(path: Path, where: str) -> str:
    if path.name == CONFTEST:
        return f"a conftest.py in {where} would be imported into pytest itself; it is refused"
    if path.is_symlink():
        return "is a symlink; only case folders belong here"
    if path.is_dir():
        return f"is a folder without {CASE_FILE} in {where}; only case folders belong there"
    return f"is a file in {where}; only case folders (cases/<library>/<slug>/) belong there"


class Refused(pytest.File):
    """A path in a cases tree that is reported, never read or imported."""

    def __init__(self, *, message: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.message = message

    def collect(self) -> Iterable[pytest.Item]:
        stash = self.config.stash
        stash[INVALID_CASES_KEY] = stash.get(INVALID_CASES_KEY, 0) + 1
        raise self.CollectError(f"{self.path}: {self.message}")
