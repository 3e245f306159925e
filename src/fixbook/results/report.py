"""``fixbook report``: summarise results files and compare two of them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from fixbook.knowledge.outcomes import case_status
from fixbook.knowledge.vocabulary import CaseStatus, change_heading
from fixbook.results.store import CaseRecord, EnvironmentResults, ScriptRecord


def scripts_status(scripts: Mapping[str, ScriptRecord]) -> CaseStatus:
    """The status of a case from its stored script records."""
    pairs = {name: (s.outcome, s.expected) for name, s in scripts.items()}
    return case_status(pairs.get("repro"), pairs.get("fix"))


def status_of(record: CaseRecord | None) -> CaseStatus:
    """The status of one case record (``not yet verified`` when absent)."""
    if record is None:
        return CaseStatus.NOT_VERIFIED
    return scripts_status(record.scripts)


@dataclass(frozen=True)
class Change:
    """A case whose status differs between two results documents."""

    case_id: str
    before: CaseStatus
    after: CaseStatus


def compare(before: EnvironmentResults, after: EnvironmentResults) -> list[Change]:
    """Every case whose status differs, in case order."""
    changes = []
    for case_id in sorted(set(before.cases) | set(after.cases)):
        old, new = status_of(before.cases.get(case_id)), status_of(after.cases.get(case_id))
        if old != new:
            changes.append(Change(case_id, old, new))
    return changes


def format_changes(changes: list[Change], before: str, after: str) -> list[str]:
    """Lines listing the changes grouped by the status each case is in now."""
    if not changes:
        return [f"no status changed between {before} and {after}"]
    lines = [f"changes from {before} to {after}:"]
    groups: dict[CaseStatus, list[Change]] = {}
    for change in changes:
        groups.setdefault(change.after, []).append(change)
    for status in CaseStatus:
        items = groups.get(status, [])
        if not items:
            continue
        lines.append(f"  {change_heading(status)} ({len(items)}):")
        lines += [f"    {c.case_id}: {c.before.value} -> {c.after.value}" for c in items]
    return lines


def format_summary(document: EnvironmentResults) -> list[str]:
    """Lines summarising one environment: versions, then cases grouped by status."""
    packages = ", ".join(f"{k} {v or 'missing'}" for k, v in sorted(document.packages.items()))
    lines = [f"{document.name}: python {document.python}, {document.updated}", f"  {packages}"]
    groups: dict[CaseStatus, list[str]] = {}
    for case_id, record in sorted(document.cases.items()):
        groups.setdefault(status_of(record), []).append(case_id)
    counts = Counter({status: len(ids) for status, ids in groups.items()})
    for status in CaseStatus:
        if counts[status]:
            lines.append(f"  {status.value} ({counts[status]}):")
            lines += [f"    {case_id}" for case_id in groups[status]]
    for error in document.errors:
        if error.path.startswith("shard "):
            lines.append(f"  missing {error.path}: {error.message}")
        else:
            lines.append(f"  invalid case folder: {error.path}")
    return lines


def slowest(document: EnvironmentResults, count: int) -> list[tuple[float, str, str]]:
    """The ``count`` longest scripts of one environment: ``(seconds, case id, script)``."""
    runs = [
        (script.duration, case_id, name)
        for case_id, record in document.cases.items()
        for name, script in record.scripts.items()
        if script.outcome != "skipped"
    ]
    return sorted(runs, key=lambda run: (-run[0], run[1], run[2]))[: max(count, 0)]


def format_slowest(document: EnvironmentResults, count: int) -> list[str]:
    """Lines listing the slowest scripts of one environment, with their share of the total."""
    total = sum(s.duration for r in document.cases.values() for s in r.scripts.values())
    lines = [f"{document.name}: the {count} slowest scripts (of {total:.1f} s in all)"]
    for seconds, case_id, name in slowest(document, count):
        lines.append(f"  {seconds:8.1f} s  {case_id}::{name}")
    return lines


def over_budget(
    documents: list[EnvironmentResults],
    case_ids: set[str],
    budget: float,
    waived: Collection[tuple[str, str]] = (),
) -> list[str]:
    """A warning for every script of ``case_ids`` whose stored duration exceeds ``budget``.

    ``waived`` holds the ``(case id, script)`` pairs that run for their whole
    timeout by design (the repro of a ``hangs`` case), which no budget can make
    cheaper.
    """
    return [
        f"{case_id}::{name} took {script.duration:.1f} s in {document.name}, "
        f"over the budget of {budget:g} s: make the case cheaper (smaller data, fewer steps)"
        for document in documents
        for case_id, record in sorted(document.cases.items())
        if case_id in case_ids
        for name, script in sorted(record.scripts.items())
        if script.duration > budget and (case_id, name) not in waived
    ]
