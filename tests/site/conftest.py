"""Fixtures for the site tests: a sample project and its built site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.site.samples import write_project


def mkdocs_build(config: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` on ``config`` in its own process, as a person would."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), *extra],
        cwd=config.parent,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


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
