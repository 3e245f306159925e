"""The words for a case's status, defined once for every place that shows one.

The site (badges, matrix, legend, home page counts), the terminal summary at
the end of a pytest run, ``fixbook report`` and ``fixbook report --compare``
all name a status with :class:`CaseStatus`'s value, explain it with
:func:`meaning`, and add details with the phrases below; none has words of
its own.
"""

from __future__ import annotations

from enum import StrEnum


class CaseStatus(StrEnum):
    """A whole case in one environment, in a few words; listed in this order everywhere."""

    REPRODUCES = "reproduces"
    NOT_AFFECTED = "not affected"
    ERROR_CHANGED = "error changed"
    FIX_BROKEN = "fix broken"
    NO_LONGER_REPRODUCES = "no longer reproduces"
    REPRODUCES_OUTSIDE = "reproduces outside affected"
    BROKEN = "broken"
    SKIPPED = "skipped"
    NOT_VERIFIED = "not yet verified"


_MEANINGS = {
    CaseStatus.REPRODUCES: "the repro shows the documented behaviour and the fix runs clean",
    CaseStatus.NOT_AFFECTED: (
        "the installed versions are outside the affected range (fixed upstream, or from "
        "before the bug) and the repro runs clean there, as the case states"
    ),
    CaseStatus.ERROR_CHANGED: "the repro fails with another error or message than documented",
    CaseStatus.FIX_BROKEN: "the repro behaves as documented but fix.py fails",
    CaseStatus.NO_LONGER_REPRODUCES: "the repro runs clean where the case says the bug exists",
    CaseStatus.REPRODUCES_OUTSIDE: "the bug shows outside the affected versions",
    CaseStatus.BROKEN: "a script timed out or crashed",
    CaseStatus.SKIPPED: "a required distribution is not installed",
    CaseStatus.NOT_VERIFIED: "no results for this case in this environment yet",
}


def meaning(status: CaseStatus) -> str:
    """One sentence saying what a status means, for legends and help."""
    return _MEANINGS[status]


def fixed_in(dist: str, version: str) -> str:
    """Why a case is not affected above its range: ``fixed in numpyro 0.15.0``."""
    return f"fixed in {dist} {version}"


def introduced_in(dist: str, version: str) -> str:
    """Why a case is not affected below its range: ``introduced in jax 0.4.26``."""
    return f"introduced in {dist} {version}"


def with_detail(status: CaseStatus, detail: str) -> str:
    """A status with what makes it so: ``not affected (fixed in numpyro 0.15.0)``."""
    return f"{status.value} ({detail})" if detail else status.value


def change_heading(after: CaseStatus) -> str:
    """The heading ``--compare`` lists a case under when its status became ``after``."""
    return f"now {after.value}"
