"""``fixbook audit`` end to end: pinned inputs, the installed environment, formats, exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from fixbook.cli import main
from fixbook.knowledge.case import find_case_folders, load_case
from tests.why_eval.evaluate import ROOT

from .conftest import MakeCase

CASES = ROOT / "cases"
#: Real cases copied into a sample folder where a test needs exact lists: the ranged case
#: of the issue and one open pitfall (the repository's case set keeps growing).
SAMPLE = ("numpyro/predictive-deterministic-shape", "numpyro/python-if-on-latent-mcmc")


@pytest.fixture
def sample_cases(tmp_path: Path) -> Path:
    """A cases folder holding only :data:`SAMPLE`, copied from the repository."""
    folder = tmp_path / "sample-cases"
    for case in SAMPLE:
        shutil.copytree(CASES / case, folder / case)
    return folder


def _audit(
    capsys: pytest.CaptureFixture[str], *args: str, cases: Path = CASES
) -> tuple[int, str, str]:
    status = main(["audit", "--cases", str(cases), *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_the_issue_end_to_end_numpyro_014_is_reported_022_is_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sample_cases: Path
) -> None:
    old = tmp_path / "requirements.txt"
    old.write_text("numpyro==0.14.0\njax==0.4.25\n")
    status, out, _ = _audit(capsys, "-r", str(old))
    assert status == 1
    assert (
        "numpyro/predictive-deterministic-shape: numpyro 0.14.0 (>=0.14.0,<0.15.0), fixed in 0.15.0"
    ) in out
    new = tmp_path / "new.txt"
    new.write_text("numpyro==0.22.0\njax==0.4.25\n")
    status, out, _ = _audit(capsys, "-r", str(new), "--format", "json")
    findings = [f["case"] for f in json.loads(out)["findings"]]
    # Other cases may hit jax 0.4.25; the exit status follows whatever findings there are.
    assert "numpyro/predictive-deterministic-shape" not in findings
    assert status == (1 if findings else 0)
    # With only the issue's case known, numpyro 0.22.0 has no finding at all and passes.
    status, out, _ = _audit(capsys, "-r", str(new), "--format", "json", cases=sample_cases)
    assert json.loads(out)["findings"] == [] and status == 0


def test_json_findings_carry_package_installed_range_fixed_in_fix_and_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sample_cases: Path
) -> None:
    pins = tmp_path / "freeze.txt"
    # pip freeze output: comments, editable lines, hashes and @ URLs are tolerated
    pins.write_text(
        "# pip freeze\n-e git+https://example.invalid/x.git#egg=x\n"
        "NumPyro==0.14.0 --hash=sha256:abc\njax==0.4.25\nsix @ file:///tmp/six.whl\n"
    )
    status, out, _ = _audit(
        capsys, "-r", str(pins), "--format", "json", "--site", "https://fb.dev", cases=sample_cases
    )
    document = json.loads(out)
    assert status == 1 and len(document["findings"]) == 1
    first = document["findings"][0]
    assert first == {
        "case": "numpyro/predictive-deterministic-shape",
        "title": "Predictive keeps deterministic sites at their training shape",
        "package": "numpyro",
        "installed": "0.14.0",
        "affected": ">=0.14.0,<0.15.0",
        "fixed_in": "0.15.0",
        "fix": first["fix"],
        "link": "https://fb.dev/cases/numpyro/predictive-deterministic-shape/",
        "range": {"numpyro": ">=0.14.0,<0.15.0"},
    }
    assert first["fix"].startswith("Drop the deterministic sites")
    assert document["pitfalls"] == []


def test_pitfalls_only_with_all_and_markdown_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sample_cases: Path
) -> None:
    pins = tmp_path / "r.txt"
    pins.write_text("numpyro==0.22.0\njax==0.4.25\n")
    _, plain, _ = _audit(capsys, "-r", str(pins), cases=sample_cases)
    assert "open pitfall" not in plain and "python-if-on-latent-mcmc" not in plain
    status, out, _ = _audit(
        capsys, "-r", str(pins), "--all", "--format", "markdown", cases=sample_cases
    )
    assert status == 0
    assert out.startswith("**0 known bug(s)**")
    assert "- [numpyro/python-if-on-latent-mcmc](" in out
    assert "predictive-deterministic-shape" not in out


def test_pyproject_and_uv_lock_pins(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\ndependencies = ["numpyro==0.14.0", "jax>=0.4"]\n')
    status, out, _ = _audit(capsys, "-r", str(pyproject))
    # jax is present but not pinned: the ranged numpyro case only needs numpyro's version
    assert status == 1 and "numpyro/predictive-deterministic-shape" in out
    lock = tmp_path / "uv.lock"
    lock.write_text(
        'version = 1\n[[package]]\nname = "numpyro"\nversion = "0.14.0"\n'
        '[[package]]\nname = "jax"\nversion = "0.4.25"\n'
    )
    assert _audit(capsys, "-r", str(lock))[0] == 1


def test_unpinned_ranged_distribution_is_a_note_not_a_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sample_cases: Path
) -> None:
    pins = tmp_path / "r.txt"
    pins.write_text("numpyro>=0.14\njax==0.4.25\n")
    status, out, _ = _audit(capsys, "-r", str(pins), cases=sample_cases)
    assert status == 0
    assert "note: numpyro/predictive-deterministic-shape: version of numpyro not pinned" in out


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "missing.txt: cannot be read"),
        (
            "bad.txt",
            "numpyro==0.14.0\nthis is not a requirement!\n",
            "bad.txt:2: not a requirement",
        ),
        ("pyproject.toml", "[project\n", "pyproject.toml: not valid TOML"),
        ("uv.lock", "package = 3\n", "uv.lock: [[package]] must be an array"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: str | None,
    message: str,
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    status, out, err = _audit(capsys, "-r", str(path))
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and message in err


def test_progress_on_big_inputs_and_quiet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pins = tmp_path / "big.txt"
    pins.write_text("".join(f"package-{i}==1.0\n" for i in range(150)))
    _, _, err = _audit(capsys, "-r", str(pins))
    assert "150 packages read from" in err and "checking" in err
    assert _audit(capsys, "-r", str(pins), "-q")[2] == ""


def test_installed_environment_by_default_without_importing_libraries(tmp_path: Path) -> None:
    code = (
        "import sys, json\n"
        "from fixbook.cli import main\n"
        f"status = main(['audit', '-q', '--format', 'json', '--cases', {str(CASES)!r}])\n"
        "heavy = [m for m in ('jax', 'tensorflow', 'numpyro', 'keras', 'torch')"
        " if m in sys.modules]\n"
        "print(json.dumps({'status': status, 'heavy': heavy}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    report, verdict = done.stdout.rsplit("\n", 2)[0], json.loads(done.stdout.splitlines()[-1])
    assert verdict["heavy"] == []
    document = json.loads(report)
    assert document["audited"]["sources"] == ["installed environment"]
    # fixbook's own test environment has the libraries installed: jax is read from metadata
    assert verdict["status"] in (0, 1) and (verdict["status"] == 1) == bool(document["findings"])


def test_a_case_needing_an_absent_distribution_does_not_apply(
    make_case: MakeCase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_case(
        "ranged",
        requires='["packaging", "not-installed-anywhere"]',
        repro_extra=('affected = { packaging = ">=1" }\n'),
    )
    make_case("also", repro_extra='affected = { packaging = ">=1" }\n')
    pins = tmp_path / "r.txt"
    pins.write_text("packaging==24.0\n")
    status = main(
        ["audit", "--cases", str(tmp_path / "cases"), "-r", str(pins), "--format", "json"]
    )
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert status == 1
    assert [f["case"] for f in findings] == ["samples/also"]
    assert findings[0]["fixed_in"] is None


def test_a_case_needing_a_newer_release_than_pinned_does_not_apply(
    make_case: MakeCase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_case(
        "newer", requires='["packaging>=25"]', repro_extra='affected = { packaging = ">=1" }\n'
    )
    make_case(
        "older", requires='["packaging>=20"]', repro_extra='affected = { packaging = ">=1" }\n'
    )
    pins = tmp_path / "r.txt"
    pins.write_text("packaging==24.0\n")
    status = main(
        ["audit", "--cases", str(tmp_path / "cases"), "-r", str(pins), "--format", "json"]
    )
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert status == 1
    assert [f["case"] for f in findings] == ["samples/older"]


def test_keras_2_pins_get_no_keras_3_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # keras 2.15 is Keras 2, another codebase under the same name: no Keras 3 case is
    # about it, and every case that requires keras requires keras>=3.0.
    pins = tmp_path / "requirements.txt"
    pins.write_text("keras==2.15.0\njax==0.4.30\ntensorflow==2.15.0\ntorch==2.2.0\n")
    status, out, _ = _audit(capsys, "-r", str(pins), "--format", "json")
    findings = [f["case"] for f in json.loads(out)["findings"]]
    assert not [case for case in findings if case.startswith("keras/")], findings
    keras_3 = pins.with_name("keras3.txt")
    keras_3.write_text("keras==3.0.0\njax==0.4.30\ntensorflow==2.15.0\ntorch==2.2.0\n")
    status, out, _ = _audit(capsys, "-r", str(keras_3), "--format", "json")
    assert [f for f in json.loads(out)["findings"] if f["case"].startswith("keras/")]


def test_every_case_that_requires_keras_requires_keras_3() -> None:
    cases = [load_case(folder) for folder in find_case_folders([CASES])]
    keras = {
        case.id: SpecifierSet(",".join(str(s) for n, s in case.needs.items() if n == "keras"))
        for case in cases
        if "keras" in map(canonicalize_name, case.requires)
    }
    assert len(keras) >= 30
    # nothing below 3.0 (Keras 1 and 2, pre-releases of Keras 3 too), and 3.0.x allowed
    loose = [
        case
        for case, spec in keras.items()
        if any(spec.contains(v, prereleases=True) for v in ("2.15.0", "2.16.0rc0", "3.0.0rc1"))
    ]
    assert not loose, f"require keras>=3.0 in: {loose}"


FINDING = "numpyro/predictive-deterministic-shape: numpyro 0.14.0"


@pytest.mark.parametrize(
    "content",
    [
        # pip-compile --generate-hashes: the hashes on continuation lines
        "numpyro==0.14.0 \\\n    --hash=sha256:aaaa \\\n    --hash=sha256:bbbb\njax==0.4.25\n",
        "numpyro==0.14.0\t--hash=sha256:aaaa\njax==0.4.25 --hash sha256:bbbb\n",
        "-e .\n--index-url https://example.org/simple\n-r other.txt\n"
        "numpyro==0.14.0\njax==0.4.25\n",
        "./vendored/thing\nhttps://example.org/x.whl\ngit+https://example.org/y\n"
        "numpyro[extra]==0.14.0\njax==0.4.25 ; python_version >= '3'\n",
    ],
    ids=["continued-hashes", "inline-hashes", "options", "locations-extras-markers"],
)
def test_requirements_files_as_pip_reads_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text(content)
    status, out, err = _audit(capsys, "-r", str(path))
    assert (status, err) == (1, "")
    assert FINDING in out


def test_a_requirement_whose_marker_is_false_here_is_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text('numpyro==0.14.0 ; python_version < "3"\njax==0.4.25\n')
    _, out, err = _audit(capsys, "-r", str(path))
    assert err == "" and "numpyro/predictive-deterministic-shape" not in out


@pytest.mark.parametrize("order", [("0.14.0", "0.22.0"), ("0.22.0", "0.14.0")])
def test_two_pins_of_one_distribution_are_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], order: tuple[str, str]
) -> None:
    """The last pin used to win silently, hiding (or inventing) a finding."""
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(f"numpyro=={order[0]}\njax==0.4.25\n")
    second.write_text(f"Numpyro=={order[1]}\n")
    status, out, err = _audit(capsys, "-r", str(first), "-r", str(second))
    assert status == 2 and out == ""
    assert err == (
        f"fixbook audit: {second}:1: pins numpyro=={order[1]}, but {first}:1 pins "
        f"numpyro=={order[0]}; audit one environment at a time\n"
    )
