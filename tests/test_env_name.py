"""An unnamed run's environment says where it ran, and the summary says so."""

from __future__ import annotations

import json
import socket
import sys

import pytest

from fixbook.plugin.settings import default_env_name

from .conftest import MakeCase


def test_default_name_is_the_host_and_python() -> None:
    name = default_env_name()
    assert name.endswith(f"-py{sys.version_info.major}.{sys.version_info.minor}")
    host = socket.gethostname()
    assert name.startswith(host[:1]) or not host[:1].isalnum()
    assert name != "local"


def test_an_unnamed_run_writes_where_it_ran_and_says_so(
    pytester: pytest.Pytester, pytester_case: MakeCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FIXBOOK_ENV")
    pytester_case("named")
    result = pytester.runpytest("cases", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
    name = default_env_name()
    path = pytester.path / ".fixbook" / "results" / f"{name}.json"
    assert json.loads(path.read_text())["environment"]["name"] == name
    assert not (pytester.path / ".fixbook" / "results" / "local.json").exists()
    result.stdout.fnmatch_lines(
        [f"*results: {path}", f"environment '{name}' is named after where it ran; the site*"]
    )
