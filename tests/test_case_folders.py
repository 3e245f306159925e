"""Hostile case folders (issue 11, items 2, 4, 5): what a folder may hold, everywhere.

Every input here is refused with one error naming the file by ``fixbook check``,
by pytest collection (under both runners, with and without xdist) and by the
site build, and the good cases beside it still run. Nothing in a case folder
is ever imported into the pytest process: the hostile ``conftest.py`` files
below would leave a marker file if they were.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fixbook.cli import main
from fixbook.knowledge.case import CaseError, load_case
from fixbook.knowledge.layout import MAX_FILE_BYTES
from fixbook.site.catalog import load_catalog

from .conftest import write_case
from .fault_cases import GOOD_FIX, GOOD_REPRO, each_runner, run_pytest, write_project
from .site_plugin.samples import mkdocs_build
from .site_plugin.samples import write_project as write_site_project

SECRET = "root:x:0:0:the secret of the machine"
#: A conftest that would record that it ran, and patch fixbook to pass every fix.
HOSTILE_CONFTEST = """\
import pathlib
pathlib.Path({marker!r}).write_text("imported")
import fixbook.knowledge.outcomes as outcomes
outcomes.verdict = lambda *args, **kwargs: ""
"""
LATIN1_REPRO = b"# -*- coding: latin-1 -*-\nimport os\n\nraise ValueError('caf\xe9 bad thing 1')\n"


def good(root: Path, slug: str, library: str = "samples") -> Path:
    return write_case(root, slug, repro=GOOD_REPRO, fix=GOOD_FIX, library=library)


def hostile(root: Path, marker: Path) -> dict[str, str]:
    """Write every hostile folder under ``root/cases`` between good ones; return the
    words each one's error must hold, by the path it names."""
    cases = root / "cases"
    good(cases, "aa-good")
    secret = root / "secret.txt"
    secret.write_text(SECRET)
    expected: dict[str, str] = {}

    folder = good(cases, "symlinked-readme")
    (folder / "README.md").unlink()
    (folder / "README.md").symlink_to(secret)
    expected[str(folder / "README.md")] = "is a symlink"

    folder = good(cases, "symlinked-repro")
    (folder / "repro.py").unlink()
    (folder / "repro.py").symlink_to(secret)
    expected[str(folder / "repro.py")] = "is a symlink"

    folder = good(cases, "hard-linked-readme")
    (folder / "README.md").unlink()
    os.link(secret, folder / "README.md")
    expected[str(folder / "README.md")] = "hard link"

    outside = good(root / "elsewhere", "outside")
    (cases / "samples" / "symlinked-folder").symlink_to(outside, target_is_directory=True)
    expected[str(cases / "samples" / "symlinked-folder")] = "is a symlink"

    folder = good(cases, "with-conftest")
    (folder / "conftest.py").write_text(HOSTILE_CONFTEST.format(marker=str(marker)))
    expected[str(folder / "conftest.py")] = "conftest.py would be imported into pytest"

    (cases / "samples" / "conftest.py").write_text(HOSTILE_CONFTEST.format(marker=str(marker)))
    expected[str(cases / "samples" / "conftest.py")] = "conftest.py in a library folder"

    (cases / "samples" / "test_sneaky.py").write_text(
        f"import pathlib\npathlib.Path({str(marker)!r}).write_text('imported')\n"
    )
    expected[str(cases / "samples" / "test_sneaky.py")] = "is a file in a library folder"

    folder = good(cases, "with-module")
    (folder / "numpy.py").write_text("raise ValueError('bad thing 42')\n")
    expected[str(folder / "numpy.py")] = "a case folder holds exactly"

    folder = good(cases, "with-nested")
    good(folder, "inner", library="sub")
    expected[str(folder / "sub")] = "is not allowed here"

    folder = good(cases, "latin1")
    (folder / "repro.py").write_bytes(LATIN1_REPRO)
    expected[str(folder / "repro.py")] = "is not valid UTF-8 (byte 0xe9 on line 4)"

    folder = good(cases, "cookie")
    (folder / "fix.py").write_bytes(b"# coding: latin-1\nimport os\n")
    expected[str(folder / "fix.py")] = "declares the encoding 'iso-8859-1'"

    folder = good(cases, "huge-readme")
    (folder / "README.md").write_text("# Huge\n" + "x" * MAX_FILE_BYTES)
    expected[str(folder / "README.md")] = "is larger than 256 KiB"

    folder = good(cases, "fifo")
    (folder / "repro.py").unlink()
    os.mkfifo(folder / "repro.py")
    expected[str(folder / "repro.py")] = "is not a regular file"

    good(cases, "Dup-Id")
    good(cases, "dup-id")
    expected[str(cases / "samples" / "dup-id")] = "has the same case id 'samples/dup-id'"

    good(cases, "zz-good")
    return expected


@pytest.fixture
def hostile_root(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    marker = tmp_path / "IMPORTED"
    root = tmp_path / "project"
    root.mkdir()
    write_project(root)
    return root, marker, hostile(root, marker)


@each_runner
@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_pytest_refuses_each_hostile_folder_and_runs_the_others(
    hostile_root: tuple[Path, Path, dict[str, str]], runner: str, workers: list[str]
) -> None:
    root, marker, expected = hostile_root
    done = run_pytest(root, "cases", "--fixbook-runner", runner, "-p", "no:randomly", *workers)
    output = done.stdout + done.stderr
    assert not marker.exists(), "a file from the cases tree was imported into pytest"
    assert SECRET not in output
    for path, words in expected.items():
        assert f"{path}: " in output and words in output, (path, words, output[-3000:])
    assert done.returncode == 1, output[-3000:]
    assert "6 passed" in output, output[-3000:]  # aa-good, zz-good and Dup-Id: both scripts
    results = (root / ".fixbook" / "results" / "local.json").read_text()
    assert SECRET not in results
    for slug in ("aa-good", "zz-good", "Dup-Id"):
        assert f'"samples/{slug}"' in results


def test_initial_conftest_of_a_case_is_not_imported(tmp_path: Path) -> None:
    """``pytest cases/<library>/<slug>`` loads that folder's conftest before collection."""
    marker = tmp_path / "IMPORTED"
    root = tmp_path / "project"
    root.mkdir()
    write_project(root)
    folder = good(root / "cases", "evil")
    (folder / "conftest.py").write_text(HOSTILE_CONFTEST.format(marker=str(marker)))
    inner = folder / "testdata"
    inner.mkdir()
    (inner / "conftest.py").write_text(HOSTILE_CONFTEST.format(marker=str(marker)))
    for target in (
        "cases/samples/evil",
        "cases/samples/evil/repro.py",
        "cases/samples/evil/testdata",
    ):
        done = run_pytest(root, target)
        assert not marker.exists(), (target, done.stdout[-2000:])
        assert done.returncode != 0
    assert "conftest.py would be imported into pytest" in run_pytest(root, "cases").stdout


def test_a_stray_case_toml_in_cases_is_an_error_and_every_case_still_runs(
    tmp_path: Path,
) -> None:
    root = tmp_path / "project"
    root.mkdir()
    write_project(root)
    for slug in ("one", "two"):
        good(root / "cases", slug)
    stray = good(root / "stray", "x")
    for name in ("case.toml", "repro.py"):
        (root / "cases" / name).write_bytes((stray / name).read_bytes())
    done = run_pytest(root, "cases")
    assert "4 passed" in done.stdout, done.stdout[-2000:]
    assert f"{root / 'cases' / 'case.toml'}: sits directly in the cases folder" in done.stdout
    assert f"{root / 'cases' / 'repro.py'}: is a file in the cases folder" in done.stdout
    assert done.returncode == 1


def test_two_cases_folders_with_one_case_id(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    write_project(root)
    first = good(root / "cases", "same")
    second = good(root / "more" / "cases", "same")
    done = run_pytest(root, "cases", "more/cases")
    assert f"{second}: has the same case id 'samples/same' as {first}" in done.stdout
    assert "2 passed" in done.stdout and done.returncode == 1


def test_fixbook_check_names_every_hostile_file(
    hostile_root: tuple[Path, Path, dict[str, str]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    root, marker, expected = hostile_root
    assert main(["check", str(root / "cases")]) == 1
    out = capsys.readouterr().out
    for path, words in expected.items():
        line = next((line for line in out.splitlines() if f"{path}: " in line), "")
        assert words in line, (path, words, out)
    assert SECRET not in out
    assert not marker.exists()
    # One case folder at a time names the same file.
    assert main(["check", str(root / "cases" / "samples" / "with-conftest")]) == 1
    assert "conftest.py would be imported" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("slug", "words"),
    [
        ("symlinked-readme", "README.md: is a symlink"),
        ("latin1", "repro.py: is not valid UTF-8"),
        ("huge-readme", "README.md: is larger than"),
        ("with-conftest", "conftest.py: a conftest.py would be imported"),
    ],
)
def test_the_case_model_refuses_them(
    hostile_root: tuple[Path, Path, dict[str, str]], slug: str, words: str
) -> None:
    root, _, _ = hostile_root
    with pytest.raises(CaseError, match=words.replace(".", r"\.")):
        load_case(root / "cases" / "samples" / slug)


@pytest.mark.parametrize(
    "damage",
    ["symlink", "latin1", "conftest", "stray-toml"],
)
def test_the_site_build_refuses_them(tmp_path: Path, damage: str) -> None:
    config = write_site_project(tmp_path)
    folder = next(p for p in sorted((tmp_path / "cases").glob("*/*")) if p.is_dir())
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    if damage == "symlink":
        (folder / "README.md").unlink()
        (folder / "README.md").symlink_to(secret)
        named = folder / "README.md"
    elif damage == "latin1":
        (folder / "repro.py").write_bytes(LATIN1_REPRO)
        named = folder / "repro.py"
    elif damage == "conftest":
        (folder / "conftest.py").write_text("x = 1\n")
        named = folder / "conftest.py"
    else:
        (tmp_path / "cases" / "case.toml").write_bytes((folder / "case.toml").read_bytes())
        named = tmp_path / "cases" / "case.toml"
    with pytest.raises(CaseError) as excinfo:
        load_catalog(tmp_path / "cases", tmp_path / ".fixbook" / "results")
    assert str(excinfo.value).startswith(f"{named}: ")
    if damage == "latin1":  # one whole build, as a person runs it
        done = mkdocs_build(config)
        assert done.returncode == 1
        assert f"fixbook: {named}: is not valid UTF-8" in done.stderr
        assert "Traceback" not in done.stderr
        assert not (tmp_path / "site" / "index.html").exists()
