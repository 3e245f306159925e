"""The results store: one JSON document per environment, written atomically."""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fixbook.results.journal import journal_environments, journals, read_journal

SCHEMA_VERSION = 1
TEXT_LIMIT = 8 * 1024
OUTPUT_LIMIT = 4 * 1024


class ResultsError(Exception):
    """A results file that cannot be read; the message names the file."""

    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True)
class ScriptRecord:
    """One script's run, as stored."""

    outcome: str
    expected: str
    ok: bool
    versions: str = ""
    error_type: str = ""
    error_mro: tuple[str, ...] = ()
    message: str = ""
    traceback: str = ""
    stdout: str = ""
    stderr: str = ""
    detail: str = ""
    duration: float = 0.0
    recorded: str = ""
    runner: str = ""

    def bounded(self) -> ScriptRecord:
        """This record with long texts cut to what a results file keeps."""
        return replace(
            self,
            message=_head(self.message, TEXT_LIMIT),
            traceback=_tail(self.traceback, TEXT_LIMIT),
            stdout=_tail(self.stdout, OUTPUT_LIMIT),
            stderr=_tail(self.stderr, OUTPUT_LIMIT),
            detail=_head(self.detail, TEXT_LIMIT),
        )


@dataclass(frozen=True)
class CaseRecord:
    """Both scripts of one case, with what identifies the case's files."""

    case_id: str
    title: str
    library: str
    path: str
    hash: str
    requires: dict[str, str | None] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    scripts: dict[str, ScriptRecord] = field(default_factory=dict)


@dataclass(frozen=True)
class CollectionError:
    """A case folder that could not be loaded."""

    path: str
    message: str


@dataclass(frozen=True)
class EnvironmentResults:
    """The whole results document of one environment."""

    name: str
    python: str
    platform: str
    packages: dict[str, str | None]
    updated: str
    cases: dict[str, CaseRecord]
    errors: tuple[CollectionError, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The document as plain JSON data."""
        return {
            "schema": SCHEMA_VERSION,
            "environment": {
                "name": self.name,
                "python": self.python,
                "platform": self.platform,
                "packages": dict(sorted(self.packages.items())),
                "updated": self.updated,
            },
            "cases": {
                case_id: {
                    **{k: v for k, v in asdict(record).items() if k not in ("case_id", "scripts")},
                    "scripts": {
                        name: asdict(script.bounded()) for name, script in record.scripts.items()
                    },
                }
                for case_id, record in sorted(self.cases.items())
            },
            "errors": [asdict(error) for error in self.errors],
        }


def now() -> str:
    """The current UTC time, ISO 8601, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def new_environment(
    name: str, cases: Mapping[str, CaseRecord], errors: tuple[CollectionError, ...]
) -> EnvironmentResults:
    """A document for this interpreter, listing the versions the cases required."""
    packages: dict[str, str | None] = {}
    for record in cases.values():
        packages.update(record.requires)
    return EnvironmentResults(
        name=name,
        python=platform.python_version(),
        platform=f"{sys.platform}-{platform.machine()}",
        packages=packages,
        updated=now(),
        cases=dict(cases),
        errors=errors,
    )


def merge(previous: EnvironmentResults | None, current: EnvironmentResults) -> EnvironmentResults:
    """``current`` on top of ``previous``: cases not run this time keep their records."""
    if previous is None:
        return current
    cases = {**previous.cases, **current.cases}
    packages = {**previous.packages, **current.packages}
    return replace(current, cases=cases, packages=packages)


def results_path(directory: Path, env_name: str) -> Path:
    return directory / f"{env_name}.json"


def fold(
    document: EnvironmentResults | None,
    entries: list[dict[str, Any]],
    name: str,
    header: Mapping[str, Any] | None = None,
) -> EnvironmentResults | None:
    """Journal records folded into ``document`` (``None``: a document of them alone).

    Args:
        document: the stored document, or ``None``.
        entries: journal lines (:mod:`fixbook.results.journal`), oldest first; one
            that is not a valid record is skipped.
        name: the environment's name.
        header: the journal's header, for the Python and platform of a new document.

    Returns:
        The document with each script's newest record (by ``recorded``), or ``None``
        when there is neither a document nor a valid record.
    """
    cases = dict(document.cases) if document else {}
    packages = dict(document.packages) if document else {}
    for entry in _storable_tree(entries):
        try:
            record = _script(entry["record"])
            case_id, script = _str(entry["case_id"], "case_id"), _str(entry["script"], "script")
            meta = {k: _str(entry[k], k) for k in ("title", "library", "path", "hash")}
            requires = _versions(entry.get("requires", {}), "requires")
            env = {k: _str(v, "env") for k, v in entry.get("env", {}).items()}
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
        old = cases.get(case_id)
        stored = old.scripts.get(script) if old else None
        if stored is not None and stored.recorded > record.recorded:
            continue
        cases[case_id] = CaseRecord(
            case_id=case_id,
            requires={**(old.requires if old else {}), **requires},
            env=env,
            scripts={**(old.scripts if old else {}), script: record},
            **meta,
        )
        packages.update(requires)
    if document is not None:
        return replace(document, cases=cases, packages=packages)
    if not cases:
        return None
    header = _storable_tree(dict(header or {}))
    return EnvironmentResults(
        name=name,
        python=str(header.get("python", "unknown")),
        platform=str(header.get("platform", "unknown")),
        packages=packages,
        updated=max(s.recorded for c in cases.values() for s in c.scripts.values()),
        cases=cases,
    )


def read_with_journals(path: Path) -> EnvironmentResults:
    """The document at ``path`` with the records of its environment's journals folded in
    (runs that were killed, or could not write the document, left them).

    Raises:
        ResultsError: the document is unreadable, or there is neither a document
            nor a journal record.
    """
    document = _with_journals(path)
    if document is None:
        raise ResultsError(path, "does not exist, and no journal holds a record of it")
    return document


def _with_journals(path: Path) -> EnvironmentResults | None:
    name = path.name.removesuffix(".json")
    document = read_results(path) if path.exists() else None
    for journal in journals(path.parent, name):
        header, entries = read_journal(journal)
        document = fold(document, entries, name, header)
    return document


def write_results(
    path: Path, results: EnvironmentResults, extra: Mapping[str, Any] | None = None
) -> None:
    """Write atomically: readers see the old document or the new one, never a mix.

    ``extra`` adds top-level entries (a shard's ``shard``), which readers ignore.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps({**results.to_json(), **(extra or {})}, indent=1, ensure_ascii=False)
    data += "\n"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_results(path: Path) -> EnvironmentResults:
    """Read and validate one results document.

    Raises:
        ResultsError: the file is unreadable, not JSON, or not a fixbook document.
    """
    try:
        data = _storable_tree(json.loads(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise ResultsError(path, f"cannot be read: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ResultsError(path, f"is not valid JSON: {exc}") from None
    except RecursionError:
        raise ResultsError(path, "is nested too deeply to be a results document") from None
    try:
        return _parse(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ResultsError(path, f"is not a fixbook results document ({_why(exc)})") from None


def storable(text: str) -> str:
    """``text`` with lone surrogates (undecodable bytes) escaped, so UTF-8 can store it."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _storable_tree(value: Any) -> Any:
    """Parsed JSON with every string :func:`storable`: JSON's ``\\ud800`` escapes can
    spell a lone surrogate, which no page, index or results file could then be written with."""
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, list):
        return [_storable_tree(item) for item in value]
    if isinstance(value, dict):
        return {storable(key): _storable_tree(item) for key, item in value.items()}
    return value


def read_results_dir(directory: Path) -> list[EnvironmentResults]:
    """Every environment's document in ``directory``, journals folded in, by name."""
    if not directory.is_dir():
        return []
    names = {p.name.removesuffix(".json") for p in directory.glob("*.json")}
    names.update(journal_environments(directory))
    documents = [_with_journals(results_path(directory, n)) for n in sorted(names)]
    return sorted((d for d in documents if d is not None), key=lambda d: d.name)


def _parse(data: Any) -> EnvironmentResults:
    if not isinstance(data, dict) or "schema" not in data:
        raise ValueError("no 'schema' key")
    if data["schema"] != SCHEMA_VERSION:
        raise ValueError(f"schema {data['schema']!r}, expected {SCHEMA_VERSION}")
    env = data["environment"]
    cases = {}
    for case_id, raw in data["cases"].items():
        scripts = {name: _script(s) for name, s in raw["scripts"].items()}
        texts = {k: raw[k] for k in ("title", "library", "path", "hash")}
        cases[case_id] = CaseRecord(
            case_id=case_id,
            requires=_versions(raw.get("requires", {}), f"{case_id}.requires"),
            env={k: _str(v, f"{case_id}.env") for k, v in raw.get("env", {}).items()},
            scripts=scripts,
            **{k: _str(v, k) for k, v in texts.items()},
        )
    return EnvironmentResults(
        name=_str(env["name"], "environment.name"),
        python=_str(env["python"], "environment.python"),
        platform=_str(env["platform"], "environment.platform"),
        packages=_versions(env["packages"], "environment.packages"),
        updated=_str(env["updated"], "environment.updated"),
        cases=cases,
        errors=tuple(
            CollectionError(_str(e["path"], "errors[].path"), _str(e["message"], "errors[]"))
            for e in data.get("errors", [])
        ),
    )


_SCRIPT_TYPES: dict[str, type | tuple[type, ...]] = {
    field.name: (
        (int, float)
        if field.type == "float"
        else bool
        if field.type == "bool"
        else list
        if field.name == "error_mro"
        else str
    )
    for field in fields(ScriptRecord)
}


def _script(raw: dict[str, Any]) -> ScriptRecord:
    for name, value in raw.items():
        expected = _SCRIPT_TYPES.get(name)
        if expected is None:
            raise ValueError(f"unknown script field {name!r}")
        if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
            raise TypeError(f"script field {name!r} has the wrong type")
    for item in raw.get("error_mro", []):
        _str(item, "error_mro[]")
    return ScriptRecord(**{**raw, "error_mro": tuple(raw.get("error_mro", ()))})


def _versions(table: Any, key: str) -> dict[str, str | None]:
    if not isinstance(table, dict):
        raise TypeError(f"{key} must be a table")
    for name, version in table.items():
        if version is not None and not isinstance(version, str):
            raise TypeError(f"{key}.{name} must be a version string or null")
    return dict(table)


def _str(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{key} must be a string")
    return value


def _why(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing key {exc.args[0]!r}"
    return str(exc)


def _head(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "\n[... cut ...]"


def _tail(text: str, limit: int) -> str:
    return text if len(text) <= limit else "[... cut ...]\n" + text[-limit:]
