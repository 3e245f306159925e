"""Fixtures for the site tests: a sample project and its built site."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.site_plugin.samples import mkdocs_build, repository_config, write_project
from tests.why_eval.evaluate import NO_RESULTS, ROOT


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A sample project with results; returns its ``mkdocs.yml``."""
    return write_project(tmp_path)


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project built once per module; returns the ``site`` folder."""
    root = tmp_path_factory.mktemp("project")
    config = write_project(root)
    result = mkdocs_build(config)
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="session")
def repository_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own ``mkdocs.yml`` and cases built once, without results (the
    documented messages alone: see ``test_paste_browser``); returns the ``site`` folder."""
    folder = tmp_path_factory.mktemp("repository")
    result = mkdocs_build(repository_config(ROOT, NO_RESULTS, folder))
    assert result.returncode == 0, result.stderr
    return folder / "site"
