"""The journal: script records appended as each item finishes, so that they survive their run.

Each process that runs items (the pytest process, or each xdist worker)
appends to its own file, ``<results>/<env>.journal/<run>-<worker>.jsonl``,
created at its first record: a header line, then one JSON line per finished
script, each in a single ``write`` with ``O_APPEND``. Each line starts with a
newline too, so a line torn by a kill or a full disk ends at the next one's
start and costs only itself. The writing process holds an exclusive ``flock``
on its file while it lives; a file nobody holds belongs to a run that ended.
The run that writes its results document deletes its own files; the next run
folds the files of runs that ended without writing one (killed, or the disk was
full) into the document and deletes them, and ``fixbook report`` and the site
fold in every journal they find (:func:`fixbook.results.store.fold`).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import platform
import sys
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SUFFIX = ".journal"
#: A journal line longer than this is not a record Fixbook wrote (records are bounded).
LINE_LIMIT = 1024 * 1024


def journal_dir(results_dir: Path, env_name: str) -> Path:
    """The folder of one environment's journals."""
    return results_dir / f"{env_name}{SUFFIX}"


def new_run_id() -> str:
    """A name for one run's journal files: the start time, then random digits."""
    return f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:12]}"


@dataclass
class Journal:
    """One process's journal file of one run, created at the first record."""

    results_dir: Path
    env_name: str
    run_id: str
    worker: str
    fd: int = field(default=-1, repr=False)

    @property
    def path(self) -> Path:
        return journal_dir(self.results_dir, self.env_name) / f"{self.run_id}-{self.worker}.jsonl"

    def record(self, entry: dict[str, Any]) -> None:
        """Append one record, creating and locking the file first.

        Raises:
            OSError: the folder cannot be written (read-only, a full disk).
        """
        if self.fd < 0:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC
            fd = os.open(self.path, flags, 0o644)
            fcntl.flock(fd, fcntl.LOCK_EX)
            self.fd = fd
            header = {
                "journal": 1,
                "environment": self.env_name,
                "python": platform.python_version(),
                "platform": f"{sys.platform}-{platform.machine()}",
            }
            _write_line(self.fd, header)
        _write_line(self.fd, entry)

    def close(self) -> None:
        """Release the file (it stays on disk for the controller to fold or delete)."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def run_files(results_dir: Path, env_name: str, run_id: str) -> list[Path]:
    """Every journal file of one run (one per process that ran items)."""
    folder = journal_dir(results_dir, env_name)
    return sorted(folder.glob(f"{run_id}-*.jsonl")) if folder.is_dir() else []


def remove(paths: list[Path]) -> None:
    """Delete journal files whose records are in the document, and their folder once empty."""
    for path in paths:
        path.unlink(missing_ok=True)
    for folder in {path.parent for path in paths}:
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when empty; another run may be writing there


def _write_line(fd: int, entry: dict[str, Any]) -> None:
    """Append one JSON line in one write (a partial line, on a full disk, readers skip)."""
    data = b"\n" + json.dumps(entry, ensure_ascii=False).encode("utf-8", "backslashreplace")
    view = memoryview(data + b"\n")
    while view:
        view = view[os.write(fd, view) :]


def read_journal(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The header and the record lines of one journal; torn, foreign or oversized
    lines are skipped, an unreadable file reads as empty."""
    header: dict[str, Any] = {}
    entries = []
    try:
        with open(path, "rb") as handle:
            for line in handle:
                if len(line) > LINE_LIMIT or not line.strip():
                    continue
                with contextlib.suppress(ValueError, RecursionError):
                    entry = json.loads(line)
                    if isinstance(entry, dict) and "record" in entry:
                        entries.append(entry)
                    elif isinstance(entry, dict) and "journal" in entry:
                        header = entry
    except OSError:
        pass
    return header, entries


def journals(results_dir: Path, env_name: str) -> list[Path]:
    """The journal files of one environment, oldest first (their names start with the time)."""
    folder = journal_dir(results_dir, env_name)
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


def journal_environments(results_dir: Path) -> list[str]:
    """The environments that have a journal folder in ``results_dir``."""
    if not results_dir.is_dir():
        return []
    return sorted(p.name.removesuffix(SUFFIX) for p in results_dir.glob(f"*{SUFFIX}") if p.is_dir())


def ended(path: Path) -> bool:
    """Whether the run that wrote a journal has ended (nobody holds its lock)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True
