"""Claim kinds (issue 13): raises, warns, crashes, hangs and stderr, judged alike by both runners.

One pytest run per runner holds every sample of ``claim_cases``; each test
checks one sample's record. The case model's validation of the new keys and
the words of each claim are plain unit tests below.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from fixbook.knowledge.case import CaseError, load_case
from fixbook.runner.cold import run_script
from fixbook.runner.paths import Placeholders
from fixbook.runner.warm import WarmRunner

from .claim_cases import ABORT_AT_EXIT, CLAIM_CASES, ClaimCase
from .conftest import MakeCase, write_case
from .fault_cases import RUNNERS, clean_environment, run_pytest, write_project


@dataclass(frozen=True)
class ClaimRun:
    """One pytest run over every claim sample."""

    runner: str
    output: str
    doc: dict[str, Any]

    def script(self, slug: str, name: str) -> dict[str, Any]:
        return self.doc["cases"][f"claims/{slug}"]["scripts"][name]


@pytest.fixture(scope="module", params=RUNNERS)
def claim_run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> ClaimRun:
    runner = request.param
    root = tmp_path_factory.mktemp(f"claims-{runner}")
    write_project(root)
    for sample in CLAIM_CASES:
        write_case(
            root / "cases",
            sample.slug,
            library="claims",
            repro=sample.repro,
            fix=sample.fix,
            claim=sample.claim,
            extra=sample.extra,
            requires='["numpy"]' if "numpy" in sample.repro else '["packaging"]',
        )
    proc = run_pytest(root, "cases", "--fixbook-runner", runner, "-q", timeout=600)
    doc = json.loads((root / ".fixbook" / "results" / "local.json").read_text())
    return ClaimRun(runner, proc.stdout + proc.stderr, doc)


@pytest.mark.parametrize("sample", CLAIM_CASES, ids=[c.slug for c in CLAIM_CASES])
def test_each_claim_kind_is_judged_alike_by_both_runners(
    claim_run: ClaimRun, sample: ClaimCase
) -> None:
    repro = claim_run.script(sample.slug, "repro")
    fix = claim_run.script(sample.slug, "fix")
    assert repro["outcome"] == sample.repro_outcome, (repro, claim_run.runner)
    assert fix["outcome"] == sample.fix_outcome, (fix, claim_run.runner)
    for words in sample.repro_words:
        assert words in repro["detail"], repro["detail"]
    for words in sample.fix_words:
        assert words in fix["detail"], fix["detail"]
    assert repro["expected"] == "reproduced"


def test_a_hang_costs_only_the_cases_timeout(claim_run: ClaimRun) -> None:
    repro = claim_run.script("hangs-reproduced", "repro")
    assert repro["detail"] == "killed after 6 s"
    assert 6 <= repro["duration"] < 20


def test_the_failure_says_what_drifted_and_shows_the_fatal_lines(claim_run: ClaimRun) -> None:
    out = claim_run.output
    assert "the class matches (ValueError) but the message does not match" in out
    assert "fix.py crashed instead of passing" in out
    drifted = claim_run.script("crashes-wrong-message", "repro")
    assert (
        "fatal lines on stderr:\nF0000 00:00:1.000 123 shape_util.cc:42] Check failed"
        in (drifted["detail"])
    )
    assert "xla::Frame29" not in drifted["detail"]


def test_shutdown_output_is_kept(claim_run: ClaimRun) -> None:
    fix = claim_run.script("crashes-fix-crashes-at-exit", "fix")
    assert fix["stdout"] == "training done\n"
    assert "flushing queues at exit" in fix["stderr"]


# --- a plain `python script.py` gives the same exit status and output --------------------


PARITY_SCRIPTS = {
    "chained": "import json\n\ntry:\n    json.loads('{')\nexcept ValueError as exc:\n"
    "    raise RuntimeError('config unreadable') from exc\n",
    "warning": "import warnings\n\nwarnings.warn('slow path')\nprint('done')\n",
    "abort-at-exit": ABORT_AT_EXIT,
    "exit-status": "import sys\n\nsys.exit('fatal: no config')\n",
    "syntax-error": "import sys\n\nprint(1 +)\n",
}


@pytest.mark.parametrize("name", sorted(PARITY_SCRIPTS))
def test_runners_match_plain_python(tmp_path: Path, name: str) -> None:
    script = tmp_path / "case" / f"{name}.py"
    script.parent.mkdir()
    script.write_text(PARITY_SCRIPTS[name])
    workdir = tmp_path / "work"
    workdir.mkdir()
    plain = subprocess.run(
        [sys.executable, str(script)],
        cwd=workdir,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    placeholders = Placeholders(script.parent, workdir)
    warm_runner = WarmRunner()
    try:
        warm = warm_runner.run(script, env={}, timeout=60)
    finally:
        warm_runner.close()
    cold = run_script(script, env={}, timeout=60)
    assert warm.runner in ("warm", "cold: the script imports nothing first")
    for result in (warm, cold):
        assert result.returncode == plain.returncode
        assert result.stdout == placeholders(plain.stdout)
        assert result.stderr == placeholders(plain.stderr)


# --- the case model -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claim", "extra", "kind", "target", "words"),
    [
        ('raises = "ValueError"\nmatch = "x"', "", "raises", "ValueError", "raises ValueError"),
        ('warns = "UserWarning"', "", "warns", "UserWarning", "warns UserWarning"),
        ('crashes = "SIGABRT"', "", "crashes", "SIGABRT", "crashes with SIGABRT"),
        ('crashes = "exit:3"', "", "crashes", "exit:3", "exits with status 3"),
        ("hangs = true", "timeout = 5\n", "hangs", "", "hangs"),
        ('stderr = "E0000"', "", "stderr", "", "logs to stderr"),
        (
            'crashes = "SIGSEGV"\nstderr = "Fatal"',
            "",
            "crashes",
            "SIGSEGV",
            "crashes with SIGSEGV and logs to stderr",
        ),
        (
            'raises = "tf.errors.InvalidArgumentError"\nmatch = "x"',
            "",
            "raises",
            "tensorflow.errors.InvalidArgumentError",
            "raises tensorflow.errors.InvalidArgumentError",
        ),
    ],
)
def test_claims_load_and_read_in_words(
    make_case: MakeCase, claim: str, extra: str, kind: str, target: str, words: str
) -> None:
    case = load_case(make_case("c", claim=claim, extra=extra))
    assert (case.repro.kind, case.repro.target) == (kind, target)
    assert case.repro.claim() == words
    assert case.repro.raises == (target if kind == "raises" else "")


@pytest.mark.parametrize(
    ("claim", "extra", "key", "words"),
    [
        ('raises = "ValueError"\nwarns = "UserWarning"\nmatch = "x"', "", "repro", "2 claims"),
        ('match = "x"', "", "repro", "needs a claim"),
        ("hangs = true", "", "timeout", "required by hangs = true"),
        ("hangs = false", "timeout = 5\n", "repro.hangs", "must be true"),
        ('hangs = true\nmatch = "x"', "timeout = 5\n", "repro.match", "cannot go with hangs"),
        ('hangs = "yes"', "timeout = 5\n", "repro.hangs", "must be a boolean, not a string"),
        ('crashes = "SIGNOPE"', "", "repro.crashes", "must be a signal name"),
        ('crashes = "exit:0"', "", "repro.crashes", "0 is a clean run"),
        ('crashes = "exit:300"', "", "repro.crashes", "1 to 255"),
        ('crashes = "abort"', "", "repro.crashes", "must be a signal name"),
        ("warns = 3", "", "repro.warns", "must be a string, not a number"),
        ('warns = "User Warning"', "", "repro.warns", "not a warning category name"),
        ('stderr = "(unclosed"', "", "repro.stderr", "not a valid regular expression"),
        ('stderr = "x"\nmatch = "y"', "", "repro.match", "put the regex in stderr"),
        ('raises = "ValueError"', "", "repro.match", "required but missing"),
        ('raises = "tfx.errors.Whatever"\nmatch = "x"', "", "repro.raises", "can never match"),
        ('raises = "ValueError"\nmatch = "x"\nlogs = "y"', "", "repro.logs", "unknown key"),
    ],
)
def test_bad_claims_name_the_file_and_key(
    make_case: MakeCase, claim: str, extra: str, key: str, words: str
) -> None:
    folder = make_case("bad", claim=claim, extra=extra)
    with pytest.raises(CaseError) as info:
        load_case(folder)
    assert str(info.value).startswith(f"{folder / 'case.toml'}: [{key}] ")
    assert words in str(info.value)


def test_fixbook_check_validates_claims(make_case: MakeCase, tmp_path: Path) -> None:
    make_case("good", claim='warns = "UserWarning"')
    make_case("bad", claim='crashes = "SIGNOPE"')
    proc = subprocess.run(
        [sys.executable, "-m", "fixbook.cli", "check", str(tmp_path / "cases")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode != 0
    assert "[repro.crashes] must be a signal name" in proc.stdout + proc.stderr
