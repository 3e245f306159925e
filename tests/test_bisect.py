"""fixbook bisect: the search over releases, the specifier, --write, the index parser.

The search is tested with a probe function over made-up version lists; the
environments with a stand-in ``uv`` script. Nothing here reaches the network
except the one test marked by ``FIXBOOK_NETWORK=1``, skipped by default.
"""

from __future__ import annotations

import fcntl
import json
import os
import stat
import sys
import textwrap
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from fixbook.cli import main
from fixbook.history import bisect as bisect_module
from fixbook.history import envs as envs_module
from fixbook.history.affected import set_affected, write_affected
from fixbook.history.envs import EnvBuilder, Environment
from fixbook.history.index import (
    Release,
    parse_project_page,
    parse_simple_html,
    parse_simple_json,
)
from fixbook.history.search import (
    NOT_REPRODUCED,
    REPRODUCED,
    UNINSTALLABLE,
    Search,
    affected_runs,
    format_specifier,
    scan_points,
    search,
)
from fixbook.knowledge.case import CaseError, load_case

from .conftest import MakeCase

R, N = REPRODUCED, NOT_REPRODUCED


def versions_of(text: str) -> list[Version]:
    return [Version(t) for t in text.split()]


# numpyro's release history, oldest first
NUMPYRO = versions_of(
    "0.1.0 0.2.0 0.2.1 0.2.2 0.2.3 0.2.4 0.3.0 0.4.0 0.4.1 0.5.0 0.6.0 0.7.0 0.7.1 0.7.2 "
    "0.8.0 0.9.0 0.9.1 0.9.2 0.10.0 0.10.1 0.11.0 0.12.0 0.12.1 0.13.0 0.13.1 0.13.2 "
    "0.14.0 0.15.0 0.15.1 0.15.2 0.15.3 0.16.0 0.16.1 0.17.0 0.18.0 0.19.0 0.20.0 0.20.1 "
    "0.21.0 0.22.0"
)


class Recorder:
    """A probe from a rule, remembering what it was asked."""

    def __init__(self, rule: Callable[[Version], str]) -> None:
        self.rule = rule
        self.asked: list[Version] = []

    def __call__(self, version: Version) -> str:
        self.asked.append(version)
        return self.rule(version)


def inside(spec: str) -> Callable[[Version], str]:
    specifiers = SpecifierSet(spec)
    return lambda v: R if v in specifiers else N


def found_spec(found: Search) -> str | None:
    return format_specifier(found.versions, found.classes())


# -- the scan ------------------------------------------------------------------


def test_scan_takes_endpoints_and_series_starts_newest_first() -> None:
    versions = versions_of("1.0.0 1.0.1 1.1.0 1.1.1 1.1.2 2.0 2.0.1")
    points = scan_points(versions, max_gap=8)
    assert [str(versions[i]) for i in points] == ["2.0.1", "2.0", "1.1.0", "1.0.0"]


def test_scan_fills_long_series_so_no_gap_exceeds_max_gap() -> None:
    versions = [Version(f"0.4.{n}") for n in range(1, 39)]
    points = sorted(scan_points(versions, max_gap=8))
    assert points[0] == 0 and points[-1] == len(versions) - 1
    assert max(b - a for a, b in zip(points, points[1:], strict=False)) <= 8
    assert len(points) < len(versions) // 3
    assert sorted(scan_points(versions, max_gap=1)) == list(range(len(versions)))


# -- the search ----------------------------------------------------------------


def test_finds_a_single_release_island_from_the_release_list() -> None:
    probe = Recorder(inside(">=0.14.0,<0.15.0"))
    found = search(NUMPYRO, probe)
    assert found_spec(found) == ">=0.14.0,<0.15.0"
    assert len(probe.asked) == len(set(probe.asked)) < len(NUMPYRO)
    assert {Version("0.13.2"), Version("0.14.0"), Version("0.15.0")} <= set(probe.asked)


def test_open_bug_has_no_upper_bound() -> None:
    found = search(NUMPYRO, inside(">=0.16.1"))
    assert found_spec(found) == ">=0.16.1"


def test_bug_inside_a_long_series_is_pinned_to_the_patch_release() -> None:
    versions = [Version(f"0.4.{n}") for n in range(1, 39)]
    probe = Recorder(inside(">=0.4.17,<0.4.30"))
    found = search(versions, probe)
    assert found_spec(found) == ">=0.4.17,<0.4.30"
    assert len(probe.asked) <= 14


def test_drifted_release_at_a_boundary_is_skipped_and_kept() -> None:
    def rule(version: Version) -> str:
        return "drifted" if version == Version("0.13.2") else inside(">=0.14.0,<0.15.0")(version)

    found = search(NUMPYRO, rule)
    assert found.outcomes[NUMPYRO.index(Version("0.13.2"))] == "drifted"
    assert found_spec(found) == ">=0.14.0,<0.15.0"


def test_uninstallable_old_releases_stop_the_scan() -> None:
    def rule(version: Version) -> str:
        return UNINSTALLABLE if version < Version("0.10.0") else inside(">=0.14.0,<0.15.0")(version)

    probe = Recorder(rule)
    notes: list[str] = []
    found = search(NUMPYRO, probe, note=notes.append)
    assert found_spec(found) == ">=0.14.0,<0.15.0"
    assert found.stopped is not None and found.versions[found.stopped] < Version("0.10.0")
    assert sum(v < Version("0.9.0") for v in probe.asked) <= 1
    assert any(line.startswith("scan stopped") for line in notes)


def test_the_floor_is_found_and_a_range_reproducing_there_is_open_below() -> None:
    def rule(version: Version) -> str:
        return UNINSTALLABLE if version < Version("0.11.0") else inside("<0.15.3")(version)

    probe = Recorder(rule)
    notes: list[str] = []
    found = search(NUMPYRO, probe, note=notes.append)
    assert found.floor is not None and found.versions[found.floor] == Version("0.11.0")
    assert Version("0.10.1") in probe.asked  # the release just below the floor was tried
    assert found_spec(found) == "<0.15.3" and found.open_below()
    assert any(line.startswith("floor:") for line in notes)


def test_newest_releases_that_need_a_newer_python_do_not_stop_the_scan() -> None:
    def rule(version: Version) -> str:
        return UNINSTALLABLE if version >= Version("0.20.0") else inside("<0.15.3")(version)

    probe = Recorder(rule)
    found = search(NUMPYRO, probe)
    assert found.stopped is None
    assert found_spec(found) == "<0.15.3"
    assert found.ceiling is not None and found.versions[found.ceiling] == Version("0.19.0")
    assert Version("0.19.0") in probe.asked


def test_never_reproducing_gives_no_specifier() -> None:
    found = search(NUMPYRO, lambda v: N)
    assert found_spec(found) is None
    assert set(found.outcomes.values()) == {N}


@settings(max_examples=200, deadline=None)
@given(
    count=st.integers(min_value=1, max_value=60),
    bounds=st.tuples(st.integers(0, 60), st.integers(0, 61)),
    max_gap=st.integers(1, 10),
)
def test_any_range_holding_a_scanned_release_is_found_exactly(
    count: int, bounds: tuple[int, int], max_gap: int
) -> None:
    versions = [Version(f"{n // 6}.0.{n % 6}") for n in range(count)]
    low, high = sorted(bounds)
    high = min(high, count)
    scanned = scan_points(versions, max_gap)
    if not any(low <= i < high for i in scanned):
        return  # the documented blind spot: an island between two scanned releases
    probe = Recorder(lambda v: R if low <= versions.index(v) < high else N)
    found = search(versions, probe, max_gap=max_gap)
    lower = [f">={versions[low]}"] if low > 0 else []  # open below: nothing ran clean there
    expected = lower + ([f"<{versions[high]}"] if high < count else [])
    assert found_spec(found) == ",".join(expected)
    assert found.open_below() == (low == 0)
    assert len(probe.asked) == len(set(probe.asked))


# -- the specifier -------------------------------------------------------------


def test_specifier_of_one_range_and_of_several() -> None:
    versions = versions_of("1.0 1.1 1.2 1.3 1.4 1.5")
    assert format_specifier(versions, [N, R, R, N, N, N]) == ">=1.1,<1.3"
    assert format_specifier(versions, [R, R, N, N, N, N]) == "<1.2"
    assert format_specifier(versions, [None, R, N, N, N, N]) == "<1.2"
    assert format_specifier(versions, [R, R, R, R, R, R]) == ""
    assert format_specifier(versions, [N, N, N, N, R, R]) == ">=1.4"
    several = format_specifier(versions, [N, R, N, N, R, N])
    assert several == ">=1.1,<1.5,!=1.2,!=1.3"
    assert [v for v in versions if v in SpecifierSet(several)] == versions_of("1.1 1.4")


def test_unknown_releases_neither_start_nor_end_a_range() -> None:
    assert affected_runs([N, R, None, R, None, N]) == [(1, 5)]
    assert affected_runs([None, None]) == []


def test_assumed_outcomes_only_between_agreeing_probes() -> None:
    found = Search(tuple(versions_of("1 2 3 4 5 6")), {0: N, 2: N, 4: "crashed", 5: R})
    assert found.assumed() == [N, N, N, None, "crashed", R]
    assert found.classes() == [N, N, N, None, None, R]


# -- --write -------------------------------------------------------------------

CASE_TOML = """\
title    = "Predictive keeps deterministic sites at their training shape"
library  = "numpyro"   # the distribution
summary  = "One sentence."
upstream = ["https://github.com/pyro-ppl/numpyro/issues/1772"]
requires = ["numpyro", "jax"]

[repro]
raises   = "ValueError"               # exception class
match    = "Incompatible shapes for broadcasting"

# Where the fix applies
[fix]
requires = { keras = ">=3.6" }
"""


def test_write_adds_affected_at_the_end_of_repro_and_nothing_else() -> None:
    new = set_affected(CASE_TOML, "numpyro", ">=0.14.0,<0.15.0")
    added = 'affected = { numpyro = ">=0.14.0,<0.15.0" }\n'
    old_lines, new_lines = CASE_TOML.splitlines(keepends=True), new.splitlines(keepends=True)
    at = old_lines.index('match    = "Incompatible shapes for broadcasting"\n') + 1
    assert new_lines == old_lines[:at] + [added] + old_lines[at:]


def test_write_replaces_an_existing_entry_keeping_others_and_the_comment() -> None:
    text = CASE_TOML.replace(
        'match    = "Incompatible shapes for broadcasting"\n',
        'match    = "Incompatible shapes for broadcasting"\n'
        'affected = { jax = "<0.5", numpyro = ">=0.14" }  # keep me\n',
    )
    new = set_affected(text, "NumPyro", ">=0.14.0,<0.15.0")
    assert new == text.replace('numpyro = ">=0.14" }', 'numpyro = ">=0.14.0,<0.15.0" }')


def test_write_into_a_repro_affected_table_and_crlf() -> None:
    text = CASE_TOML.replace("\n[fix]", '\n[repro.affected]\njax = "<1"\n\n[fix]')
    new = set_affected(text, "numpyro", ">=0.14.0")
    assert '[repro.affected]\njax = "<1"\nnumpyro = ">=0.14.0"\n\n[fix]' in new
    replaced = set_affected(new, "jax", "<0.5")
    assert 'jax = "<0.5"\nnumpyro = ">=0.14.0"\n' in replaced
    crlf = CASE_TOML.replace("\n", "\r\n")
    assert set_affected(crlf, "numpyro", ">=1").count("\n") == crlf.count("\n") + 1
    assert "\n" not in set_affected(crlf, "numpyro", ">=1").replace("\r\n", "")


def test_write_refuses_what_it_cannot_edit_safely() -> None:
    with pytest.raises(ValueError, match="no \\[repro\\] table"):
        set_affected('title = "x"\nrepro = { raises = "E", match = "m" }\n', "numpyro", ">=1")
    dotted = CASE_TOML.replace("[fix]", "").replace(
        'match    = "Incompatible', 'affected.numpyro = ">=1"\nmatch    = "Incompatible'
    )
    with pytest.raises(ValueError, match="would not parse"):
        set_affected(dotted, "numpyro", ">=2")


def test_write_affected_revalidates_and_restores(make_case: MakeCase) -> None:
    folder = make_case("shape", repro_extra="# trailing comment\n")
    before = (folder / "case.toml").read_text()
    write_affected(folder, "packaging", ">=20,<99")
    affected = load_case(folder).repro.affected or {}
    assert affected == {"packaging": SpecifierSet(">=20,<99")}
    written = (folder / "case.toml").read_text()
    head, tail = before.split("# trailing comment\n")
    assert written == head + 'affected = { packaging = ">=20,<99" }\n# trailing comment\n' + tail
    with pytest.raises(CaseError, match="not a valid PEP 440 specifier"):
        write_affected(folder, "packaging", "not a specifier")
    assert (folder / "case.toml").read_text() == written


# -- the index -----------------------------------------------------------------


def test_json_page_gives_final_releases_with_first_and_last_upload() -> None:
    page = {
        "meta": {"api-version": "1.1"},
        "name": "numpyro",
        "files": [
            {"filename": "numpyro-0.14.0.tar.gz", "upload-time": "2024-03-03T20:01:00.1Z"},
            {"filename": "numpyro-0.14.0-py3-none-any.whl", "upload-time": "2024-03-04T08:00:00Z"},
            {"filename": "numpyro-0.13.2-py3-none-any.whl", "upload-time": "2023-09-24T01:00:00Z"},
            {
                "filename": "numpyro-0.15.0rc1-py3-none-any.whl",
                "upload-time": "2024-05-01T00:00:00Z",
            },
            {
                "filename": "numpyro-0.15.0.tar.gz",
                "upload-time": "2024-05-13T00:00:00Z",
                "yanked": "broken",
            },
            {"filename": "numpyro_extras-9.0.tar.gz", "upload-time": "2024-05-13T00:00:00Z"},
            {"filename": "numpyro-0.12.0.win32.exe", "upload-time": "2023-01-01T00:00:00Z"},
        ],
    }
    releases = parse_simple_json("NumPyro", page)
    assert [str(r.version) for r in releases] == ["0.13.2", "0.14.0"]
    first = releases[1]
    assert first.uploaded == datetime(2024, 3, 3, 20, 1, 0, 100000, tzinfo=UTC)
    assert first.last_upload == datetime(2024, 3, 4, 8, tzinfo=UTC)
    body = json.dumps(page).encode()
    assert parse_project_page("numpyro", "application/vnd.pypi.simple.v1+json", body) == releases


def test_html_page_gives_releases_without_dates() -> None:
    wheel = "jaxlib-0.4.25-cp311-cp311-manylinux2014_x86_64.whl"
    html = textwrap.dedent(f"""\
        <!DOCTYPE html><html><body>
        <a href="../../p/{wheel}#sha256=1">{wheel}</a><br/>
        <a href="x" data-yanked="">jaxlib-0.4.26-cp311-cp311-manylinux2014_x86_64.whl</a>
        <a href="y">jaxlib-0.4.3.tar.gz</a>
        </body></html>""")
    releases = parse_simple_html("jaxlib", html)
    assert releases == [Release(Version("0.4.3")), Release(Version("0.4.25"))]
    assert parse_project_page("jaxlib", "text/html", html.encode()) == releases


@pytest.mark.skipif(
    not os.environ.get("FIXBOOK_NETWORK"), reason="reads the package index; set FIXBOOK_NETWORK=1"
)
def test_the_configured_index_lists_numpyro_with_dates() -> None:  # pragma: no cover
    from fixbook.history.index import index_url, list_releases

    releases = {str(r.version): r for r in list_releases("numpyro", index_url())}
    assert releases["0.14.0"].uploaded is not None
    assert releases["0.14.0"].uploaded.year == 2024


# -- environments, with a stand-in uv --------------------------------------------

FAKE_UV = """\
#!{python}
# Stands in for uv: `venv` links this interpreter; `pip install` finds no
# solution while --exclude-newer is before {available} ("jaxlib" filtered).
import json, os, sys
args = sys.argv[1:]
with open(os.environ["FAKE_UV_LOG"], "a") as log:
    log.write(json.dumps(args) + "\\n")
if args[0] == "venv":
    os.makedirs(os.path.join(args[-1], "bin"))
    os.symlink(sys.executable, os.path.join(args[-1], "bin", "python"))
elif args[:2] == ["pip", "install"]:
    if "never==1" in args:
        sys.exit("error: No solution found when resolving dependencies: never")
    cutoff = args[args.index("--exclude-newer") + 1] if "--exclude-newer" in args else "9"
    if cutoff < "{available}":
        sys.exit("error: No solution found\\nhint: `jaxlib` was filtered by `exclude-newer`")
elif args[:2] == ["pip", "list"]:
    print(json.dumps([{{"name": "jaxlib", "version": "0.4.18"}}]))
"""


@pytest.fixture
def fake_uv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    uv = tmp_path / "uv"
    uv.write_text(FAKE_UV.format(python=sys.executable, available="2023-10-10"))
    uv.chmod(uv.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("FAKE_UV_LOG", str(tmp_path / "uv.log"))
    return uv


def uv_calls(tmp_path: Path) -> list[list[str]]:
    return [json.loads(line) for line in (tmp_path / "uv.log").read_text().splitlines()]


def _builder(dist: str, requires: list[str], tmp_path: Path, uv: Path) -> EnvBuilder:
    """An EnvBuilder on a stand-in uv, caching under ``tmp_path/c``."""
    return EnvBuilder(
        dist=dist,
        requires=requires,
        cache_dir=tmp_path / "c",
        python=sys.executable,
        index="https://index.invalid/simple",
        uv=str(uv),
    )


def test_builder_widens_the_cutoff_then_caches(tmp_path: Path, fake_uv: Path) -> None:
    builder = _builder("numpyro", ["numpyro", "jax"], tmp_path, fake_uv)
    release = Release(
        Version("0.13.2"), datetime(2023, 9, 24, tzinfo=UTC), datetime(2023, 9, 24, tzinfo=UTC)
    )
    env = builder.get(release)
    assert env.python is not None and env.built
    assert (env.cutoff, env.days, env.packages) == (
        "2023-10-24T00:00:00Z",
        30,
        {"jaxlib": "0.4.18"},
    )
    installs = [c for c in uv_calls(tmp_path) if c[:2] == ["pip", "install"]]
    assert [c[c.index("--exclude-newer") + 1] for c in installs] == [
        "2023-09-25T00:00:00Z",
        "2023-10-24T00:00:00Z",
    ]
    assert installs[-1][-3:] == ["numpyro==0.13.2", "jax", "jaxlib"]
    again = builder.get(release)
    assert not again.built and again.python == env.python and again.days == 30
    assert len(uv_calls(tmp_path)) == len(installs) + 2  # venv, list: nothing new


def test_builder_reports_and_caches_an_uninstallable_release(tmp_path: Path, fake_uv: Path) -> None:
    builder = _builder("never", [], tmp_path, fake_uv)
    env = builder.get(Release(Version("1")))
    assert env.python is None and env.final and "No solution found" in env.error
    assert builder.get(Release(Version("1"))).error == env.error
    assert not builder.get(Release(Version("1"))).built


def test_a_companion_missing_at_the_date_is_pinned_to_its_next_release(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uv = tmp_path / "uv"
    pins = (
        'pin = [a for a in args if a.startswith("jaxlib==")]\n'
        "    if pin and pin[0] != 'jaxlib==0.4.13':\n"
        '        sys.exit("error: No solution found\\n  cause: there is no version of " + pin[0])\n'
        '    if "jaxlib==0.4.13" not in args:'
    )
    uv.write_text(FAKE_UV.replace('if cutoff < "{available}":', pins))
    uv.write_text(uv.read_text().format(python=sys.executable, available=""))
    uv.chmod(0o755)
    monkeypatch.setenv("FAKE_UV_LOG", str(tmp_path / "uv.log"))
    day = lambda d: datetime(2023, 6, d, tzinfo=UTC)  # noqa: E731
    jaxlib = [
        Release(Version("0.4.11"), day(1), day(1)),
        Release(Version("0.4.12"), day(10), day(10)),
        Release(Version("0.4.13"), day(22), datetime(2025, 12, 5, tzinfo=UTC)),
    ]
    monkeypatch.setattr(envs_module, "list_releases", lambda name, index: jaxlib)
    builder = _builder("numpyro", ["numpyro", "jax"], tmp_path, uv)
    env = builder.get(Release(Version("0.12.0"), day(5), day(5)))
    assert env.python is not None and env.late == {"jaxlib": "0.4.13"}
    # the other companions are resolved as of the late release's upload, not a widened guess
    assert (env.cutoff, env.days) == ("2023-06-22T00:01:00Z", 17)
    last = [c for c in uv_calls(tmp_path) if c[:2] == ["pip", "install"]][-1]
    assert "jaxlib==0.4.13" in last and "jaxlib=2025-12-05T00:01:00Z" in last
    tried = [c for c in uv_calls(tmp_path) if c[:2] == ["pip", "install"]]
    assert [next((a for a in c if a.startswith("jaxlib==")), None) for c in tried] == [
        None,
        "jaxlib==0.4.11",
        "jaxlib==0.4.12",
        "jaxlib==0.4.13",
    ]
    assert builder.get(Release(Version("0.12.0"), day(5), day(5))).late == env.late


def test_environments_are_built_under_a_lock(tmp_path: Path, fake_uv: Path) -> None:
    builder = _builder("numpyro", ["numpyro"], tmp_path, fake_uv)
    release = Release(Version("1.0"))
    lock = builder.folder(release).with_name(builder.folder(release).name + ".lock")
    builder.cache_dir.mkdir(parents=True)
    result: list[Environment] = []
    with open(lock, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        thread = threading.Thread(target=lambda: result.append(builder.get(release)))
        thread.start()
        thread.join(timeout=1.0)
        assert thread.is_alive() and not result  # waits for the other bisect's build
        fcntl.flock(handle, fcntl.LOCK_UN)
    thread.join(timeout=30)
    assert result and result[0].python is not None


def test_held_releases_are_pinned_and_let_through_the_cutoff(tmp_path: Path, fake_uv: Path) -> None:
    tfp = Release(
        Version("0.25.0"), datetime(2024, 11, 8, tzinfo=UTC), datetime(2024, 11, 9, tzinfo=UTC)
    )
    builder = EnvBuilder(
        dist="jax",
        requires=["tensorflow-probability", "jax"],
        cache_dir=tmp_path / "c",
        python=sys.executable,
        index="https://index.invalid/simple",
        uv=str(fake_uv),
        held={"tensorflow-probability": tfp},
    )
    assert builder.companions == ["jaxlib"]
    env = builder.get(Release(Version("0.4.35"), datetime(2023, 11, 1, tzinfo=UTC)))
    assert env.python is not None
    install = [c for c in uv_calls(tmp_path) if c[:2] == ["pip", "install"]][-1]
    assert install[-3:] == ["jax==0.4.35", "tensorflow-probability==0.25.0", "jaxlib<=0.4.35"]
    # the other packages (jaxlib, numpy) as of the held release, so that it can install
    assert install[install.index("--exclude-newer") + 1] == "2024-11-08T00:01:00Z"
    assert "tensorflow-probability=2024-11-09T00:01:00Z" in install


# -- the command, end to end over a made-up index ----------------------------------


class VersionedPython:
    """An EnvBuilder stand-in: each release's "environment" is this interpreter
    with FAKE_VERSION set, through a small wrapper script."""

    def __init__(
        self,
        *,
        dist: str,
        requires: Iterable[str],
        cache_dir: Path,
        python: str,
        index: str,
        uv: str,
        held: dict[str, Release],
        needs: dict[str, SpecifierSet],
    ) -> None:
        self.cache_dir, self.companions, self.python_version = cache_dir, ["lib"], "3.x"
        self.held = held

    def get(self, release: Release) -> Environment:
        wrapper = self.cache_dir / f"python-{release.version}"
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        wrapper.write_text(
            f'#!/bin/sh\nFAKE_VERSION={release.version} exec {sys.executable} "$@"\n'
        )
        wrapper.chmod(0o755)
        packages = {"packaging": "24", "lib": "3", "unrelated": "1"}
        return Environment(wrapper, "2024-01-01T00:00:00Z", 1, packages, built=True)


@pytest.mark.skipif(os.name == "nt", reason="uses a shell wrapper")
def test_bisect_command_finds_and_writes_the_range(
    make_case: MakeCase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = make_case(
        "island",
        repro="""\
        import os
        if os.environ["FAKE_VERSION"] in ("1.0.1", "1.1.0", "1.1.1"):
            raise ValueError("bad thing 42")
        """,
    )
    versions = versions_of("1.0.0 1.0.1 1.1.0 1.1.1 1.1.2 1.1.3 1.2.0")
    monkeypatch.setattr(bisect_module, "list_releases", lambda d, i: [Release(v) for v in versions])
    monkeypatch.setattr(bisect_module, "EnvBuilder", VersionedPython)
    monkeypatch.setattr(bisect_module, "find_uv", lambda: "uv")
    args = [
        "bisect",
        str(folder),
        "--package",
        "samples",
        "--index-url",
        "https://x.invalid",
        "--cache-dir",
        str(tmp_path / "envs"),
        "--write",
    ]
    code = main(args)
    out = capsys.readouterr().out
    assert code == 0, out
    assert "affected: samples>=1.0.1,<1.1.2" in out
    assert "probed 6 of 7 releases of samples:" in out
    assert "  1.1.1      reproduced\n  1.1.2      not-reproduced\n" in out
    assert "; built 6 environments, reused 0 from the cache" in out
    case = load_case(folder)
    assert (case.repro.affected or {}) == {"samples": SpecifierSet(">=1.0.1,<1.1.2")}
    ran = [(str(run.versions["samples"]), run.outcome) for run in case.repro.checked]
    assert ran == [("1.0.0", N), ("1.0.1", R), ("1.1.1", R), ("1.1.2", N), ("1.2.0", N)]
    # each run records the companions it ran with (jaxlib beside jax), not everything
    assert all(
        run.versions
        == {"samples": run.versions["samples"], "packaging": Version("24"), "lib": Version("3")}
        for run in case.repro.checked
    )
    assert main(["check", str(folder)]) == 0

    # Progress as it goes: what is probed next and how many releases are left.
    lines = out.splitlines()
    first = lines.index("probing 1.2.0 (scan 1 of 3, 2 left)")
    assert lines[first + 1].startswith("  samples 1.2.0      not-reproduced")
    assert any(
        line.startswith("probing ") and "(bisect: " in line and "releases left between" in line
        for line in lines
    ), out

    code = main([*args[:-1], "-q"])
    quiet = capsys.readouterr().out
    assert code == 0 and "affected: samples>=1.0.1,<1.1.2" in quiet
    assert "probing" not in quiet and "  samples 1.2.0" not in quiet and "scan:" not in quiet


@pytest.mark.skipif(os.name == "nt", reason="uses a shell wrapper")
def test_bisect_writes_no_lower_bound_when_the_oldest_release_reproduces(
    make_case: MakeCase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = make_case(
        "old",
        repro="""        import os
        if os.environ["FAKE_VERSION"] in ("1.0.0", "1.0.1"):
            raise ValueError("bad thing 42")
        """,
    )
    versions = versions_of("1.0.0 1.0.1 1.1.0")
    monkeypatch.setattr(bisect_module, "list_releases", lambda d, i: [Release(v) for v in versions])
    monkeypatch.setattr(bisect_module, "EnvBuilder", VersionedPython)
    monkeypatch.setattr(bisect_module, "find_uv", lambda: "uv")
    args = ["bisect", str(folder), "--package", "samples", "--index-url", "https://x.invalid"]
    assert main([*args, "--cache-dir", str(tmp_path / "envs"), "--write"]) == 0
    out = capsys.readouterr().out
    assert "affected: samples<1.1.0" in out
    assert "open below: the oldest release run, 1.0.0, reproduces" in out
    case = load_case(folder)
    ran = [str(run.versions["samples"]) for run in case.repro.checked]
    assert ran == ["1.0.0", "1.0.1", "1.1.0"]


@pytest.mark.skipif(os.name == "nt", reason="uses a shell wrapper")
@pytest.mark.parametrize(
    ("requires", "start", "probed", "note"),
    [
        # keras 0.2.0 to 2.15.0 are Keras 1 and 2: a Keras 3 case requires keras>=3.0
        ('["keras>=3.0"]', None, "3.0.0 to 3.1.0", " (the case requires keras>=3.0)"),
        ('["keras>=3.0"]', "1.1.0", "3.0.0 to 3.1.0", " (the case requires keras>=3.0)"),
        ('["keras"]', "1.1.0", "1.1.0 to 3.1.0", ""),
        ('["keras"]', None, "0.2.0 to 3.1.0", ""),
    ],
)
def test_bisect_probes_only_the_releases_the_case_requires(
    make_case: MakeCase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    requires: str,
    start: str | None,
    probed: str,
    note: str,
) -> None:
    folder = make_case("scoped", library="keras", requires=requires)
    versions = versions_of("0.2.0 1.1.0 2.15.0 3.0.0 3.1.0")
    monkeypatch.setattr(bisect_module, "list_releases", lambda d, i: [Release(v) for v in versions])
    monkeypatch.setattr(bisect_module, "EnvBuilder", VersionedPython)
    monkeypatch.setattr(bisect_module, "find_uv", lambda: "uv")
    args = ["bisect", str(folder), "--index-url", "https://x.invalid"]
    args += ["--cache-dir", str(tmp_path / "envs"), *(["--from", start] if start else [])]
    main(args)
    out = capsys.readouterr().out
    first, low = out.splitlines()[0], probed.split()[0]
    kept = [v for v in versions if v >= Version(low)]
    assert first == (
        f"bisect keras for keras/scoped: {len(kept)} releases on https://x.invalid, {probed}{note}"
    ), first
    ran = [Version(line.split()[1]) for line in out.splitlines() if line.startswith("probing ")]
    assert ran and min(ran) == Version(low), out


def test_bisect_says_when_the_requirement_leaves_no_release(
    make_case: MakeCase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = make_case("scoped", library="keras", requires='["keras>=3.0"]')
    versions = versions_of("2.14.0 2.15.0 3.0.0")
    monkeypatch.setattr(bisect_module, "list_releases", lambda d, i: [Release(v) for v in versions])
    monkeypatch.setattr(bisect_module, "find_uv", lambda: "uv")
    args = ["bisect", str(folder), "--index-url", "https://x.invalid", "--to", "2.15.0"]
    assert main([*args, "--cache-dir", str(tmp_path / "envs")]) == 2
    err = capsys.readouterr().err
    assert "no release of keras between --from and --to (the case requires keras>=3.0)" in err


def test_hold_takes_dist_equals_version_and_rejects_the_probed_one(
    make_case: MakeCase, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = make_case("held")
    monkeypatch.setattr(bisect_module, "list_releases", lambda d, i: [Release(Version("0.25.0"))])
    monkeypatch.setattr(bisect_module, "find_uv", lambda: "uv")
    base = ["bisect", str(folder), "--package", "jax", "--index-url", "https://x.invalid"]
    for pin, message in [
        ("tfp>=0.25", "write DIST==VERSION"),
        ("jax==0.25.0", "jax is the distribution being probed"),
        ("tfp==0.24.0", "the index has no release 0.24.0 of tfp"),
    ]:
        assert main([*base, "--hold", pin]) == 2
        assert message in capsys.readouterr().err


def test_bisect_command_rejects_a_bad_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["bisect", str(tmp_path)]) == 2
    assert "case.toml" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("dist", "requires", "held"),
    [("jax", ["jax"], set()), ("keras", ["keras", "jax"], set())],
)
def test_jax_brings_jaxlib_as_a_companion(
    tmp_path: Path, dist: str, requires: list[str], held: set[str]
) -> None:
    # jax before 0.4.31 declares jaxlib only under its extras; without it every probe
    # fails to import jax and bisect would report a false boundary.
    release = Release(Version("0.4.25"), datetime(2024, 2, 24, tzinfo=UTC), None)
    builder = EnvBuilder(
        dist=dist,
        requires=requires,
        cache_dir=tmp_path,
        python=sys.executable,
        index="https://index.invalid/simple",
        uv="uv",
        held={name: release for name in held},
    )
    assert "jaxlib" in builder.companions


def test_keras_brings_packaging_unbounded(tmp_path: Path, fake_uv: Path) -> None:
    # keras 3.0 to 3.3 import packaging without declaring it (ModuleNotFoundError in
    # every probe); packaging is resolved by date, not bounded by the keras version.
    builder = _builder("keras", ["keras"], tmp_path, fake_uv)
    assert builder.companions == ["packaging"]
    builder.get(Release(Version("3.0.0"), datetime(2023, 11, 28, tzinfo=UTC)))
    install = [c for c in uv_calls(tmp_path) if c[:2] == ["pip", "install"]][-1]
    assert install[-2:] == ["keras==3.0.0", "packaging"]


def test_companions_are_resolved_within_the_cases_requires(tmp_path: Path, fake_uv: Path) -> None:
    # bisecting tensorflow for a Keras 3 case: an old tensorflow must not bring Keras 2
    needs = {"keras": SpecifierSet(">=3.0"), "jax": SpecifierSet()}
    limited = EnvBuilder(
        dist="tensorflow",
        requires=["keras", "tensorflow", "jax"],
        cache_dir=tmp_path / "c",
        python=sys.executable,
        index="https://index.invalid/simple",
        uv=str(fake_uv),
        needs=needs,
    )
    limited.get(Release(Version("2.16.1"), datetime(2024, 3, 8, tzinfo=UTC)))
    install = [c for c in uv_calls(tmp_path) if c[:2] == ["pip", "install"]][-1]
    assert install[-5:] == ["tensorflow==2.16.1", "jax", "jaxlib", "keras>=3.0", "packaging"]
    plain = _builder("tensorflow", ["keras", "tensorflow", "jax"], tmp_path, fake_uv)
    assert limited.folder(Release(Version("2.16.1"))) != plain.folder(Release(Version("2.16.1")))


def test_a_probed_jaxlib_or_a_held_jax_brings_no_jaxlib_companion(tmp_path: Path) -> None:
    # A held jax installs past the cutoff with its own jaxlib; a jaxlib resolved as of
    # an older probe's date would conflict with it.
    release = Release(Version("0.7.0"), datetime(2025, 7, 22, tzinfo=UTC), None)
    held = EnvBuilder(
        dist="tensorflow-probability",
        requires=["tensorflow-probability", "jax"],
        cache_dir=tmp_path,
        python=sys.executable,
        index="https://index.invalid/simple",
        uv="uv",
        held={"jax": release},
    )
    assert held.companions == []
    builder = EnvBuilder(
        dist="jaxlib",
        requires=["jax", "jaxlib"],
        cache_dir=tmp_path,
        python=sys.executable,
        index="https://index.invalid/simple",
        uv="uv",
    )
    assert builder.companions == ["jax"]


def test_jaxlib_is_never_newer_than_the_jax_it_goes_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uv = tmp_path / "uv"
    uv.write_text(FAKE_UV.format(python=sys.executable, available=""))
    uv.chmod(0o755)
    monkeypatch.setenv("FAKE_UV_LOG", str(tmp_path / "uv.log"))
    day = lambda d: datetime(2023, 7, d, tzinfo=UTC)  # noqa: E731
    builder = _builder("jax", ["jax"], tmp_path, uv)
    assert builder.get(Release(Version("0.4.14"), day(27), day(27))).python is not None
    install = [c for c in uv_calls(tmp_path) if c[:2] == ["pip", "install"]][-1]
    assert install[-2:] == ["jax==0.4.14", "jaxlib<=0.4.14"]
    # A companion pinned late (none usable at the date) stays within the bound too,
    # newest first, whenever the index got it: the index lists jaxlib 0.4.13 as
    # uploaded in 2025 and has no 0.4.14; 0.4.18 would make jax 0.4.14 refuse to load.
    late = datetime(2025, 12, 5, tzinfo=UTC)
    jaxlib = [
        Release(Version("0.4.12"), day(1), day(1)),
        Release(Version("0.4.18"), datetime(2023, 10, 7, tzinfo=UTC)),
        Release(Version("0.4.13"), late, late),
    ]
    monkeypatch.setattr(envs_module, "list_releases", lambda name, index: jaxlib)
    cutoff = day(28)
    assert builder._late_release("jaxlib", cutoff, None, Version("0.4.14")) == jaxlib[2]
    assert builder._late_release("jaxlib", cutoff, jaxlib[2], Version("0.4.14")) == jaxlib[0]
    assert builder._late_release("jaxlib", cutoff, jaxlib[0], Version("0.4.14")) is None
    assert builder._late_release("jaxlib", cutoff, jaxlib[0]) == jaxlib[1]  # unbounded: later
