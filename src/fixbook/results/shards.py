"""Partial results of shards (``--fixbook-shard K/N``) and their merge into one document.

A sharded run writes ``<results>/shards/<env>/<K>-of-<N>.json``: an ordinary
results document of the cases it ran, with a ``shard`` entry
(``{"index": K, "count": N}``). :func:`merge_shards` joins the partial
documents of each environment into ``<results>/<env>.json``, the document
``fixbook report`` and the site read; a shard without a partial document is
listed in its ``errors`` and reported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from fixbook.results.store import (
    CollectionError,
    EnvironmentResults,
    ResultsError,
    merge,
    read_results,
    results_path,
    write_results,
)

SHARDS_DIR = "shards"


def shard_path(results_dir: Path, env_name: str, shard: tuple[int, int]) -> Path:
    """Where shard ``K`` of ``N`` of an environment writes its partial document."""
    index, count = shard
    return results_dir / SHARDS_DIR / env_name / f"{index}-of-{count}.json"


def write_partial(path: Path, document: EnvironmentResults, shard: tuple[int, int]) -> None:
    """Write a shard's partial document (atomically, as every results document)."""
    write_results(path, document, extra={"shard": {"index": shard[0], "count": shard[1]}})


@dataclass(frozen=True)
class Merged:
    """One environment's merged document and the shards that had no partial document."""

    env_name: str
    path: Path
    count: int
    missing: tuple[int, ...]


def read_shard(path: Path) -> tuple[EnvironmentResults, tuple[int, int]]:
    """A partial document and its ``(K, N)``.

    Raises:
        ResultsError: unreadable, or without a valid ``shard`` entry.
    """
    document = read_results(path)
    try:
        shard = json.loads(path.read_text(encoding="utf-8"))["shard"]
        index, count = int(shard["index"]), int(shard["count"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ResultsError(path, f"is not a shard's partial results ({exc})") from None
    if not 1 <= index <= count:
        raise ResultsError(path, f"names shard {index} of {count}")
    return document, (index, count)


def merge_shards(results_dir: Path) -> list[Merged]:
    """Merge the partial documents of every environment under ``results_dir/shards``.

    Each environment's ``<env>.json`` is replaced by the union of its shards'
    cases; every shard ``1..N`` without a partial document is an entry of its
    ``errors`` (``shard K/N``) and is returned in ``missing``.

    Raises:
        ResultsError: a partial document is unreadable, or two disagree on ``N``.
    """
    merged = []
    folder = results_dir / SHARDS_DIR
    for env_dir in sorted(p for p in folder.glob("*") if p.is_dir()) if folder.is_dir() else []:
        parts = [read_shard(p) for p in sorted(env_dir.glob("*-of-*.json"))]
        if not parts:
            continue
        counts = {count for _, (_, count) in parts}
        if len(counts) != 1:
            raise ResultsError(env_dir, f"holds shards of different counts: {sorted(counts)}")
        count = counts.pop()
        document: EnvironmentResults | None = None
        for part, _ in sorted(parts, key=lambda p: p[1]):
            document = merge(document, part)
            document = replace(document, errors=_union(document.errors, part.errors))
        assert document is not None
        missing = tuple(sorted(set(range(1, count + 1)) - {index for _, (index, _) in parts}))
        errors = document.errors + tuple(
            CollectionError(
                f"shard {index}/{count}",
                f"no partial results of shard {index}/{count} of {env_dir.name}: "
                "its cases did not run",
            )
            for index in missing
        )
        path = results_path(results_dir, env_dir.name)
        write_results(path, replace(document, name=env_dir.name, errors=errors))
        merged.append(Merged(env_dir.name, path, count, missing))
    return merged


def _union(
    first: tuple[CollectionError, ...], second: tuple[CollectionError, ...]
) -> tuple[CollectionError, ...]:
    return tuple(dict.fromkeys(first + second))
