"""Fixtures for the site tests: a sample project and its built site."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.site_plugin.samples import mkdocs_build, write_project


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
