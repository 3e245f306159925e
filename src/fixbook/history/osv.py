"""Affected ranges as OSV: events from PEP 440 specifiers, and one OSV record per ranged case.

OSV (https://ossf.github.io/osv-schema/) describes a range as ordered events on
the ecosystem's version order (PEP 440 for PyPI): ``introduced`` (the first
affected version), ``fixed`` (the first unaffected one after it) or
``last_affected``. :func:`events` turns a ``SpecifierSet`` into those events
only where they say exactly the same thing; anything else raises
:class:`InexactRange`, never an approximation.

PEP 440 details that matter here: ``<B`` excludes the pre-releases of ``B``
when ``B`` is a final release, so its exact OSV form is ``fixed: B.dev0`` (the
first pre-release of ``B`` in PEP 440 order); ``~=X.Y`` is ``>=X.Y, ==X.*``,
whose upper end is ``(X+1).dev0``. ``>``, ``!=``, ``===``, ``==`` with a
wildcard and more than one bound on a side have no exact event form.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.specifiers import Specifier, SpecifierSet
from packaging.version import Version

from fixbook.knowledge.case import Case
from fixbook.knowledge.index import load_knowledge
from fixbook.results.store import EnvironmentResults, ResultsError, read_results_dir

#: The prefix of every record id: ``FIXBOOK-<library>-<slug>``.
PREFIX = "FIXBOOK"
#: The OSV schema version the records follow.
SCHEMA_VERSION = "1.7.5"


class InexactRange(ValueError):
    """A specifier that OSV events cannot express exactly; the message names the case."""


@dataclass(frozen=True)
class Bounds:
    """One interval of versions: where it starts and where it ends, as OSV events say it."""

    introduced: str
    fixed: str | None = None
    last_affected: str | None = None
    #: The first final release outside the range, for people ("fixed in 0.15.0").
    fixed_release: str | None = None

    def events(self) -> list[dict[str, str]]:
        """The OSV ``events`` list of this interval."""
        out = [{"introduced": self.introduced}]
        if self.fixed is not None:
            out.append({"fixed": self.fixed})
        if self.last_affected is not None:
            out.append({"last_affected": self.last_affected})
        return out


def bounds(spec: SpecifierSet) -> Bounds:
    """The single interval a specifier set describes.

    Raises:
        InexactRange: the set is not one interval OSV events describe exactly.
    """
    lower: Specifier | None = None
    upper: Specifier | None = None
    for item in spec:
        op = item.operator
        if op in (">", "!=", "===") or item.version.endswith(".*"):
            raise InexactRange(f"{item} has no exact OSV event")
        if op == "==":
            if len(spec) != 1:
                raise InexactRange(f"{spec}: == with another bound")
            return Bounds(introduced=item.version, last_affected=item.version)
        if op in (">=", "~="):
            if lower is not None:
                raise InexactRange(f"{spec}: more than one lower bound")
            lower = item
        if op in ("<", "<=", "~="):
            if upper is not None:
                raise InexactRange(f"{spec}: more than one upper bound")
            upper = item
    introduced = str(Version(lower.version)) if lower is not None else "0"
    if upper is None:
        return Bounds(introduced=introduced)
    if upper.operator == "<=":
        return Bounds(introduced=introduced, last_affected=upper.version)
    version = Version(upper.version)
    if version.is_postrelease or version.is_devrelease or version.local:
        raise InexactRange(f"{upper}: PEP 440 excludes other releases than OSV would")
    if upper.operator == "~=":
        release = version.release[:-1]
        first_out = Version(".".join(map(str, (*release[:-1], release[-1] + 1))))
    else:
        first_out = version
    if first_out.is_prerelease:
        return Bounds(introduced, fixed=str(first_out), fixed_release=None)
    return Bounds(introduced, fixed=f"{first_out}.dev0", fixed_release=str(first_out))


_ORDER = {">=": 0, "~=": 0, ">": 0, "==": 1, "===": 1, "!=": 2, "<=": 3, "<": 3}


def spec_text(spec: SpecifierSet) -> str:
    """A specifier set as people write it, lower bound first: ``>=0.14.0,<0.15.0``."""
    return ",".join(str(s) for s in sorted(spec, key=lambda s: (_ORDER[s.operator], s.version)))


def events(spec: SpecifierSet) -> list[dict[str, str]]:
    """OSV ``events`` for a specifier set, e.g. ``>=0.14.0,<0.15.0`` ->
    ``[{"introduced": "0.14.0"}, {"fixed": "0.15.0.dev0"}]``.

    Raises:
        InexactRange: see :func:`bounds`.
    """
    return bounds(spec).events()


def _required_floor(case: Case, dist: str) -> str | None:
    """The oldest release of ``dist`` the case's scripts run on (``keras>=3.0`` in its
    ``requires``: ``"3.0"``), where it requires one; a range open below starts there,
    since the bug is not known on releases the case cannot run (Keras 1 and 2)."""
    need = case.need(dist)
    try:
        return bounds(need[1]).introduced if need else None
    except InexactRange:
        return None


def record_id(case: Case) -> str:
    """``FIXBOOK-<library folder>-<slug>``, stable across checkouts."""
    return f"{PREFIX}-{case.path.parent.name}-{case.slug}"


def osv_record(
    case: Case,
    readme: str,
    documents: Sequence[EnvironmentResults],
    modified: datetime.datetime,
    site: str = "",
) -> dict[str, Any]:
    """One OSV record for a case with ``[repro].affected``.

    Args:
        case: the case; its ``affected`` must be set.
        readme: the case's README, the record's ``details``.
        documents: results files; their runs of this case become the evidence
            under ``database_specific``.
        modified: the record's ``modified`` and ``published`` time (UTC).
        site: base URL of the site; when set, the case page is a reference.

    Raises:
        InexactRange: a specifier cannot be expressed exactly; the message names the case.
        ValueError: the case has no ``affected`` range.
    """
    if case.repro.affected is None:
        raise ValueError(f"{case.id}: no [repro].affected range to export")
    affected = []
    for dist, spec in case.repro.affected.items():
        try:
            interval = bounds(spec)
        except InexactRange as exc:
            raise InexactRange(f"{case.id}: [repro.affected.{dist}] {exc}") from None
        floor = _required_floor(case, dist)
        if interval.introduced == "0" and floor:
            interval = dataclasses.replace(interval, introduced=floor)
        affected.append(
            {
                "package": {"ecosystem": "PyPI", "name": dist},
                "ranges": [{"type": "ECOSYSTEM", "events": interval.events()}],
                "database_specific": {"specifier": spec_text(spec)},
            }
        )
    stamp = modified.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    references = [{"type": _reference_type(url), "url": url} for url in case.upstream]
    if site:
        references.append({"type": "WEB", "url": f"{site.rstrip('/')}/cases/{case.id}/"})
    return {
        "schema_version": SCHEMA_VERSION,
        "id": record_id(case),
        "modified": stamp,
        "published": stamp,
        "summary": case.title,
        "details": readme,
        "affected": affected,
        "references": references,
        "database_specific": {
            "case": case.id,
            "kind": "bug",
            "claim": case.repro.claim(),
            "match": case.repro.match,
            "evidence": evidence(case, documents),
        },
    }


def evidence(case: Case, documents: Sequence[EnvironmentResults]) -> list[dict[str, Any]]:
    """Each environment's run of the case: versions in play, outcome, expected outcome, date."""
    runs = []
    for document in documents:
        record = document.cases.get(case.id)
        repro = record.scripts.get("repro") if record else None
        if record is None or repro is None:
            continue
        runs.append(
            {
                "environment": document.name,
                "python": document.python,
                "platform": document.platform,
                "versions": {d: v for d, v in record.requires.items() if v is not None},
                "outcome": repro.outcome,
                "expected": repro.expected,
                "date": repro.recorded or document.updated,
            }
        )
    return runs


def _reference_type(url: str) -> str:
    if "/issues/" in url:
        return "REPORT"
    if "/pull/" in url or "/commit/" in url:
        return "FIX"
    return "WEB"


def export_time() -> datetime.datetime:
    """``$SOURCE_DATE_EPOCH`` (reproducible builds) if set, else now; UTC, whole seconds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def build_records(
    cases: Sequence[Case], documents: Sequence[EnvironmentResults], site: str = ""
) -> tuple[list[dict[str, Any]], list[str]]:
    """One record per ranged case, and one error line per case that cannot be exported."""
    when = export_time()
    records: list[dict[str, Any]] = []
    errors: list[str] = []
    for case in sorted(cases, key=lambda c: c.id):
        if case.repro.affected is None:
            continue
        try:
            readme = (case.path / "README.md").read_text(encoding="utf-8")
            records.append(osv_record(case, readme, documents, when, site))
        except (InexactRange, OSError, UnicodeDecodeError) as exc:
            errors.append(str(exc) if isinstance(exc, InexactRange) else f"{case.id}: {exc}")
    return records, errors


def index_of(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """A short listing of the records: id, case, summary, packages and events."""
    return [
        {
            "id": r["id"],
            "case": r["database_specific"]["case"],
            "summary": r["summary"],
            "modified": r["modified"],
            "affected": [
                {"package": a["package"]["name"], "events": a["ranges"][0]["events"]}
                for a in r["affected"]
            ],
        }
        for r in records
    ]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``fixbook export``."""
    parser.add_argument(
        "--format", choices=("osv",), default="osv", help="record format (default: osv)"
    )
    parser.add_argument(
        "--output", type=Path, required=True, metavar="DIR", help="folder for the records"
    )
    parser.add_argument("--cases", type=Path, default=Path("cases"), help="cases folder")
    parser.add_argument(
        "--results", type=Path, default=Path(".fixbook/results"), help="results folder"
    )
    parser.add_argument("--site", default="", help="base URL of the site, for references")


def run_export(args: argparse.Namespace) -> int:
    """Write ``DIR/<id>.json`` per ranged case and ``DIR/index.json``; 2 on any error."""
    if not args.cases.is_dir():
        print(f"fixbook export: no cases folder at {args.cases}", file=sys.stderr)
        return 2
    knowledge = load_knowledge(args.cases)
    try:
        documents = read_results_dir(args.results)
    except ResultsError as exc:
        print(f"fixbook export: {exc}", file=sys.stderr)
        return 2
    records, errors = build_records(list(knowledge.cases.values()), documents, args.site)
    errors = list(knowledge.problems) + errors
    for error in errors:
        print(f"fixbook export: {error}", file=sys.stderr)
    if errors:
        return 2
    files: dict[str, Any] = {f"{record['id']}.json": record for record in records}
    files["index.json"] = index_of(records)
    try:
        args.output.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
            (args.output / name).write_text(text, encoding="utf-8")
    except OSError as exc:
        where = exc.filename or args.output
        print(f"fixbook export: cannot write {where}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"{len(records)} OSV record(s) written to {args.output}")
    return 0
