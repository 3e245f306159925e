"""The journal: script records appended as each item finishes, so that they survive their run.

Every run of an environment appends to its own file,
``<results>/<env>.journal/<run>.jsonl``: a header line, then one JSON line per
finished script, written by the process that ran it (the pytest process, or
each xdist worker) in a single ``write`` with ``O_APPEND``. Each line starts
with a newline too, so a line torn by a kill or a full disk ends at the next
one's start and costs only itself. The controlling process holds an
exclusive ``flock`` on its run's file while the run lasts; a file nobody holds
belongs to a run that ended without writing its results document (killed, or
the disk was full). The next run, ``fixbook report`` and the site fold such
records into the document (:func:`fixbook.results.store.fold`); the run that
writes the document deletes the journals it has folded.
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


@dataclass
class Journal:
    """This run's journal file, created and held by the controlling process."""

    path: Path
    fd: int = field(default=-1, repr=False)

    @classmethod
    def start(cls, results_dir: Path, env_name: str) -> Journal:
        """Create and lock a new journal file, its first line a header.

        Raises:
            OSError: the results folder cannot be written.
        """
        folder = journal_dir(results_dir, env_name)
        folder.mkdir(parents=True, exist_ok=True)
        started = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        path = folder / f"{started}-{uuid.uuid4().hex[:12]}.jsonl"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | os.O_CLOEXEC, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX)
        journal = cls(path, fd)
        header = {
            "journal": 1,
            "environment": env_name,
            "python": platform.python_version(),
            "platform": f"{sys.platform}-{platform.machine()}",
        }
        append(path, header)
        return journal

    def close(self, delete: bool) -> None:
        """Release the lock; delete the file once its records are in the document."""
        if delete:
            self.path.unlink(missing_ok=True)
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def append(path: Path, entry: dict[str, Any]) -> None:
    """Append one JSON line to a journal in one write.

    Raises:
        OSError: the write failed (a full disk, a read-only folder); a partial
            line may be left, which readers skip.
    """
    data = b"\n" + json.dumps(entry, ensure_ascii=False).encode("utf-8", "backslashreplace")
    data += b"\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CLOEXEC)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


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
