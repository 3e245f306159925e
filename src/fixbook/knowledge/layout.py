"""What a case folder may hold, and where: every file in one is untrusted input.

A case lives at ``cases/<library>/<slug>/`` and holds exactly ``case.toml``,
``repro.py``, ``fix.py`` and ``README.md``: regular files of their own (no
symlinks, no hard links to files elsewhere), UTF-8, of at most
:data:`MAX_FILE_BYTES` each (design.md, "What a case folder may hold"). This
module checks that without importing or running anything, for ``fixbook
check``, pytest collection and the site build alike.
"""

from __future__ import annotations

import codecs
import io
import os
import stat
import tokenize
from collections.abc import Iterable
from pathlib import Path

CASE_FILE = "case.toml"
CASE_FILES = (CASE_FILE, "repro.py", "fix.py", "README.md")
#: The folder every library folder sits in: ``cases/<library>/<slug>/``.
CASES_DIRNAME = "cases"
#: Bytes a case file may hold. The largest file of the 29 cases is a 3.7 KB README;
#: 256 KiB leaves room for a long pasted traceback while a hostile README can add at
#: most that much to every page's search index.
MAX_FILE_BYTES = 256 * 1024
#: Left by a local ``python repro.py`` of an older Python; never read, never published.
IGNORED = frozenset({"__pycache__"})


class CaseError(Exception):
    """A case folder that cannot be loaded; the message names the file and the key."""

    def __init__(self, path: Path, message: str, key: str | None = None) -> None:
        self.path = path
        self.key = key
        where = f"{path}: [{key}] " if key else f"{path}: "
        super().__init__(where + message)


_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


def read_case_bytes(path: Path) -> bytes:
    """The bytes of one case file, refusing anything that is not a plain file of its own.

    The file is opened without following a symlink and without blocking (a FIFO
    named ``repro.py`` is refused, not waited on), then checked on the open
    descriptor, so what is checked is what is read.

    Raises:
        CaseError: a symlink, not a regular file, a hard link, larger than
            :data:`MAX_FILE_BYTES`, or unreadable; the message names the file.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise CaseError(
            path, "is missing: a case folder holds case.toml, repro.py, fix.py and README.md"
        ) from None
    except OSError as exc:
        if path.is_symlink():
            raise CaseError(path, _SYMLINK) from None
        raise CaseError(path, f"cannot be read: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise CaseError(path, "is not a regular file; a case holds plain files only")
        if info.st_nlink > 1:
            raise CaseError(
                path, "is a hard link shared with another file; a case file must be its own copy"
            )
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise CaseError(
            path, f"is larger than {MAX_FILE_BYTES // 1024} KiB, the limit of a case file"
        )
    return data


def read_case_text(path: Path) -> str:
    """The text of one case file: :func:`read_case_bytes`, decoded as strict UTF-8.

    A Python file must also not declare another encoding in a coding cookie,
    since Python would then run other text than the site shows.

    Raises:
        CaseError: as :func:`read_case_bytes`, or not UTF-8 (with the line), or a
            cookie naming another encoding.
    """
    data = read_case_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CaseError(
            path, f"is not valid UTF-8 (byte {data[exc.start]:#04x} on line {line})"
        ) from None
    if path.suffix == ".py":
        try:
            declared, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        except SyntaxError as exc:
            raise CaseError(path, f"has a bad coding cookie: {exc}") from None
        if codecs.lookup(declared).name != "utf-8":
            raise CaseError(path, f"declares the encoding {declared!r}; case files are UTF-8 only")
    return text


def check_folder(folder: Path) -> None:
    """Check that ``folder`` holds exactly the four case files, each readable as text.

    Raises:
        CaseError: the first problem, naming the file: a symlinked folder, an
            extra file or folder (a ``conftest.py``, another module, a nested
            case), a missing, empty, non-UTF-8, oversized or non-regular file.
    """
    for where in (folder, folder.parent):
        if where.is_symlink():
            raise CaseError(where, _SYMLINK)
    with os.scandir(folder) as entries:
        extra = sorted(
            e.name for e in entries if e.name not in CASE_FILES and e.name not in IGNORED
        )
    for name in extra:
        raise CaseError(folder / name, _extra_message(folder / name))
    for name in CASE_FILES:
        if not read_case_text(folder / name).strip() and name != CASE_FILE:
            raise CaseError(folder / name, "is empty")


def location_problem(folder: Path) -> str:
    """Why a folder holding ``case.toml`` is not at ``cases/<library>/<slug>/``; "" if it is.

    A case folder outside any folder named ``cases`` (a scratch copy, a test's
    temporary folder) is only checked for nesting.
    """
    if folder.name == CASES_DIRNAME:
        return "sits directly in the cases folder; a case lives at cases/<library>/<slug>/"
    placed = folder.parent.parent.name == CASES_DIRNAME and folder.parent.name != CASES_DIRNAME
    if placed:
        return ""
    if any((parent / CASE_FILE).exists() for parent in folder.parents):
        return "is a case nested inside another case folder"
    if CASES_DIRNAME not in folder.parts[:-1]:
        return ""
    return "is not at cases/<library>/<slug>/ (a case folder sits two levels below cases/)"


def is_cases_root(folder: Path) -> bool:
    """A folder named ``cases`` that holds a case (or a stray ``case.toml``)."""
    return folder.name == CASES_DIRNAME and (
        (folder / CASE_FILE).exists() or any(folder.glob(f"*/*/{CASE_FILE}"))
    )


def in_case_tree(folder: Path) -> bool:
    """Whether a contributor's pull request controls ``folder`` (or the folder of a
    file): the cases folder, a library folder, a case folder, anything inside one."""
    if not folder.is_dir():
        folder = folder.parent
    if (folder / CASE_FILE).exists() or is_cases_root(folder) or is_cases_root(folder.parent):
        return True
    return any((parent / CASE_FILE).exists() for parent in folder.parents)


def tree_problems(root: Path) -> list[CaseError]:
    """Everything in a cases folder that is not a case folder, and duplicate case ids.

    Args:
        root: a ``cases`` folder (``cases/<library>/<slug>/``).

    Returns:
        One error per stray file or folder (``cases/case.toml``, a file or a
        ``conftest.py`` in a library folder, a folder without ``case.toml``) and
        per case id that two folders share (ids are compared case-insensitively,
        as the site's URLs are on a case-insensitive file system). The contents of
        each case folder are :func:`check_folder`'s business.
    """
    problems: list[CaseError] = []
    seen: dict[str, Path] = {}
    for entry in _entries(root):
        if entry.name == CASE_FILE:
            problems.append(CaseError(entry, location_problem(root)))
        elif not entry.is_dir() or entry.is_symlink():
            problems.append(CaseError(entry, _stray_message(entry, "the cases folder")))
            continue
        for child in _entries(entry) if entry.is_dir() and not entry.is_symlink() else ():
            if not child.is_dir() or child.is_symlink() or not (child / CASE_FILE).exists():
                problems.append(CaseError(child, _stray_message(child, "a library folder")))
                continue
            key = f"{entry.name}/{child.name}".casefold()
            if key in seen:
                problems.append(CaseError(child, duplicate_message(key, seen[key])))
            seen.setdefault(key, child)
    return problems


def duplicate_message(case_id: str, other: Path) -> str:
    """The error for a second folder with an existing case id."""
    return f"has the same case id {case_id!r} as {other}; case ids must be unique"


def _entries(folder: Path) -> Iterable[Path]:
    with os.scandir(folder) as entries:
        names = sorted(
            e.name for e in entries if not e.name.startswith(".") and e.name not in IGNORED
        )
    return [folder / name for name in names]


_SYMLINK = "is a symlink; case files and folders must be regular files and folders inside cases/"


def _extra_message(path: Path) -> str:
    allowed = ", ".join(CASE_FILES)
    if path.name == "conftest.py":
        return (
            "a conftest.py would be imported into pytest itself; a case folder may not hold "
            f"one (it holds exactly {allowed})"
        )
    if (path / CASE_FILE).exists():
        return f"is a case nested inside a case folder; a case folder holds exactly {allowed}"
    if path.is_symlink():
        return f"{_SYMLINK} (a case folder holds exactly {allowed})"
    return f"is not allowed here: a case folder holds exactly {allowed}"


def _stray_message(path: Path, where: str) -> str:
    if path.name == "conftest.py":
        return f"a conftest.py in {where} would be imported into pytest itself; remove it"
    if path.is_symlink():
        return _SYMLINK
    if path.is_dir():
        return f"is a folder without {CASE_FILE} in {where}; only case folders belong there"
    return f"is a file in {where}; only case folders (cases/<library>/<slug>/) belong there"
