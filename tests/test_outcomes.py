"""Expectations from installed versions, classification, verdicts and case status."""

from __future__ import annotations

import pytest

from fixbook.knowledge.case import load_case
from fixbook.knowledge.outcomes import CaseStatus, Outcome, case_status, expect, observe, verdict
from fixbook.runner.cold import RaisedError, ScriptResult

from .conftest import MakeCase


def raised(name: str, mro: tuple[str, ...], message: str) -> ScriptResult:
    error = RaisedError(type=name, mro_names=mro, message=message, traceback="")
    return ScriptResult("raised", 0.1, 1, error=error)


@pytest.mark.parametrize(
    ("affected", "installed", "expected"),
    [
        (None, "0.22.0", Outcome.REPRODUCED),
        ('{ numpyro = ">=0.14.0,<0.15.0" }', "0.14.0", Outcome.REPRODUCED),
        ('{ numpyro = ">=0.14.0,<0.15.0" }', "0.15.0", Outcome.NOT_REPRODUCED),
        ('{ numpyro = ">=0.14.0,<0.15.0" }', "0.13.2", Outcome.NOT_REPRODUCED),
        ('{ numpyro = ">=0.14.0" }', "0.23.0.dev1", Outcome.REPRODUCED),
        ('{ numpyro = ">=0.14", jax = "<0.5" }', "0.14.0", Outcome.REPRODUCED),
    ],
)
def test_affected_decides_the_repro_expectation(
    make_case: MakeCase, affected: str | None, installed: str, expected: Outcome
) -> None:
    extra = f"affected = {affected}\n" if affected else ""
    case = load_case(
        make_case("x", library="numpyro", requires='["numpyro", "jax"]', repro_extra=extra)
    )
    expectation = expect(case, "repro", {"numpyro": installed, "jax": "0.4.25"})
    assert expectation.outcome == expected
    assert f"numpyro {installed}" in expectation.versions


def test_missing_requirements_are_named(make_case: MakeCase) -> None:
    case = load_case(make_case("x", requires='["jax", "numpyro"]'))
    expectation = expect(case, "fix", {"jax": None, "numpyro": None})
    assert expectation.outcome == Outcome.SKIPPED
    assert expectation.skip_reason == "requires jax, numpyro, not installed"


@pytest.mark.parametrize("script", ["repro", "fix"])
@pytest.mark.parametrize(
    ("installed", "expected"),
    [("0.4.25", Outcome.SKIPPED), ("0.4.30", None), ("0.10.2", None)],
)
def test_a_versioned_requirement_skips_both_scripts_below_it(
    make_case: MakeCase, script: str, installed: str, expected: Outcome | None
) -> None:
    case = load_case(make_case("x", library="jax", requires='["jax>=0.4.30"]'))
    expectation = expect(case, script, {"jax": installed})
    if expected is None:
        assert expectation.outcome != Outcome.SKIPPED
        return
    assert expectation.outcome == expected
    assert expectation.skip_reason == (f"the scripts need jax>=0.4.30; installed: jax {installed}")


def test_names_are_compared_canonically(make_case: MakeCase) -> None:
    case = load_case(make_case("x", requires='["tf_keras"]'))
    assert expect(case, "fix", {"tf-keras": "2.21.0"}).outcome == Outcome.PASSED


def test_observe(make_case: MakeCase) -> None:
    case = load_case(make_case("x"))
    mro = ("pkg.SubError", "builtins.ValueError", "builtins.Exception")
    assert observe(case, "repro", raised("pkg.SubError", mro, "bad thing 7")) == Outcome.REPRODUCED
    assert observe(case, "repro", raised("pkg.SubError", mro, "bad")) == Outcome.DRIFTED
    other = raised("builtins.KeyError", ("builtins.KeyError",), "bad thing 7")
    assert observe(case, "repro", other) == Outcome.DRIFTED
    clean = ScriptResult("finished", 0.1, 0)
    assert observe(case, "repro", clean) == Outcome.NOT_REPRODUCED
    assert observe(case, "fix", clean) == Outcome.PASSED
    assert observe(case, "fix", other) == Outcome.FAILED
    assert observe(case, "fix", ScriptResult("timeout", 9, None)) == Outcome.TIMEOUT
    assert observe(case, "repro", ScriptResult("crashed", 1, -11)) == Outcome.CRASHED


def test_verdict_is_empty_when_expected(make_case: MakeCase) -> None:
    case = load_case(make_case("x"))
    expectation = expect(case, "repro", {"packaging": "24.0"})
    assert verdict(case, "repro", expectation, Outcome.REPRODUCED) == ""
    assert "narrow" not in verdict(case, "repro", expectation, Outcome.NOT_REPRODUCED)
    assert "record [repro].affected" in verdict(case, "repro", expectation, Outcome.NOT_REPRODUCED)


@pytest.mark.parametrize(
    ("repro", "fix", "status"),
    [
        (None, None, CaseStatus.NOT_VERIFIED),
        (("reproduced", "reproduced"), ("passed", "passed"), CaseStatus.REPRODUCES),
        (("not-reproduced", "not-reproduced"), ("passed", "passed"), CaseStatus.NOT_AFFECTED),
        (("not-reproduced", "reproduced"), ("passed", "passed"), CaseStatus.NO_LONGER_REPRODUCES),
        (("reproduced", "not-reproduced"), ("passed", "passed"), CaseStatus.REPRODUCES_OUTSIDE),
        (("drifted", "reproduced"), ("passed", "passed"), CaseStatus.ERROR_CHANGED),
        (("reproduced", "reproduced"), ("failed", "passed"), CaseStatus.FIX_BROKEN),
        (("reproduced", "reproduced"), ("skipped", "skipped"), CaseStatus.REPRODUCES),
        (("timeout", "reproduced"), ("passed", "passed"), CaseStatus.BROKEN),
        (("skipped", "skipped"), ("skipped", "skipped"), CaseStatus.SKIPPED),
    ],
)
def test_case_status(
    repro: tuple[str, str] | None, fix: tuple[str, str] | None, status: CaseStatus
) -> None:
    assert case_status(repro, fix) == status
