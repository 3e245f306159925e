"""One throwaway environment per probed release, for ``fixbook bisect``.

Each environment is a ``uv venv`` holding the probed release pinned, plus the
case's other requirements resolved as of that release's date (``uv pip install
--exclude-newer``), so companions such as jax, jaxlib and numpy are what a user
installing that release got at the time.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from packaging.specifiers import SpecifierSet
from packaging.utils import (
    canonicalize_name,
)
from packaging.version import Version

from fixbook.history.index import IndexUnavailable, Release, list_releases

# Distributions a release needs at run time but does not declare: jax before
# 0.4.31 names jaxlib only under its extras (``jax[cpu]``), so an environment
# with ``jax`` alone fails to import it (seen with jax 0.4.24, 0.4.16, 0.4.8);
# keras 3.0 to 3.3 import packaging, which keras declares only from 3.4.0.
IMPLIED_COMPANIONS: dict[str, tuple[str, ...]] = {"jax": ("jaxlib",), "keras": ("packaging",)}
# Companions no newer than the release that implies them: jax refuses a jaxlib
# newer than itself ("jaxlib version ... is newer than and incompatible with jax
# version"), and a jaxlib found by date can be newer (jax 0.4.22 got jaxlib 0.4.23;
# the index has no jaxlib 0.4.14 at all).
BOUNDED_COMPANIONS = frozenset({"jaxlib"})

# How far past a release's date its companions may be, tried in turn: a companion
# that has no release on the index before the first cutoff (e.g. no jaxlib wheel
# for this Python yet) is looked for a little later instead.
WIDEN_DAYS = (1, 30, 90, 180, 365)
MARKER = "fixbook-bisect.json"
CACHE_FORMAT = 9
_FILTERED_HINT = "exclude-newer"
_NO_SOLUTION = "No solution found"
# uv's hint naming the package its --exclude-newer left without a usable file.
_FILTERED = re.compile(r"`([A-Za-z0-9._-]+)` was filtered by `exclude-newer`")
# Most companion releases tried past the cutoff for one environment.
MAX_LATE_TRIES = 8


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/fixbook/bisect``, by default ``~/.cache/fixbook/bisect``."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base, "fixbook", "bisect")


def uv_time(stamp: datetime) -> str:
    """A timestamp as uv's ``--exclude-newer`` takes it (RFC 3339, UTC)."""
    return stamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def find_uv() -> str | None:
    """The uv executable: beside this interpreter, from the ``uv`` package, or on PATH."""
    beside = Path(sys.executable).with_name("uv.exe" if os.name == "nt" else "uv")
    if beside.is_file():
        return str(beside)
    try:
        from uv import find_uv_bin  # type: ignore[import-not-found]

        return str(find_uv_bin())
    except (ImportError, FileNotFoundError):
        return shutil.which("uv")


@dataclass(frozen=True)
class Environment:
    """A probed release's environment, or why there is none.

    Attributes:
        python: the environment's interpreter; ``None`` when it could not be built.
        cutoff: the ``--exclude-newer`` date its companions were resolved at ('' if none).
        days: how many days after the release date that cutoff is (0 if none).
        packages: installed distributions and versions.
        built: built during this run, rather than reused from the cache.
        seconds: how long building (or reusing) it took.
        error: why it could not be installed.
        late: companions pinned to a release past the cutoff, because the index
            had no file of them for this Python by then.
        final: the failure is the index's answer (cached), not e.g. a network error.
    """

    python: Path | None
    cutoff: str = ""
    days: int = 0
    packages: dict[str, str] = field(default_factory=dict)
    late: dict[str, str] = field(default_factory=dict)
    built: bool = False
    seconds: float = 0.0
    error: str = ""
    final: bool = True


class EnvBuilder:
    """Builds (or reuses from its cache) one environment per probed release.

    An environment is kept under the cache folder, keyed by the release, the
    Python version and a hash of the companions, held releases, index and
    interpreter; its marker file is written last, so a half-built one is
    rebuilt. Each environment is built and read under an exclusive lock on a
    file beside it, so bisects running at once (several engineers sharing one
    cache) wait for each other's build instead of clobbering it.

    Args:
        dist: the distribution probed.
        requires: the case's distributions; all but ``dist`` and the held ones are
            companions, resolved as of each probed release's date.
        cache_dir: where environments are kept.
        python: the interpreter the environments use.
        index: the simple index to install from.
        uv: the uv executable.
        held: distributions pinned to one release in every environment (a bug that
            needs a combination, probed one distribution at a time).
        needs: the case's version limits (``keras>=3.0``); each companion is resolved
            within its own, so a release older than Keras 3 never brings Keras 2.
    """

    def __init__(
        self,
        *,
        dist: str,
        requires: Sequence[str],
        cache_dir: Path,
        python: str,
        index: str,
        uv: str,
        held: Mapping[str, Release] | None = None,
        needs: Mapping[str, SpecifierSet] | None = None,
    ) -> None:
        self.dist = dist
        self.held = dict(held or {})
        fixed = {canonicalize_name(name) for name in (dist, *self.held)}
        wanted = set(requires)
        held_names = {canonicalize_name(name) for name in self.held}
        for name in (dist, *requires):
            if canonicalize_name(name) not in held_names:  # a held release brings its own
                wanted.update(IMPLIED_COMPANIONS.get(canonicalize_name(name), ()))
        self.companions = sorted({name for name in wanted if canonicalize_name(name) not in fixed})
        companions = {canonicalize_name(name) for name in self.companions}
        self.limits = {
            name: str(spec)
            for name, spec in (needs or {}).items()
            if spec and canonicalize_name(name) in companions
        }
        self._index_releases: dict[str, list[Release]] = {}
        self.cache_dir = cache_dir
        self.python = python
        self.index = index
        self.uv = uv
        self.python_version = _python_version(python)
        parts: list[Any] = [CACHE_FORMAT, self.companions, self.index, str(Path(python).resolve())]
        if self.held:
            parts.append(sorted(f"{name}=={r.version}" for name, r in self.held.items()))
        if self.limits:
            parts.append(sorted(f"{name}{spec}" for name, spec in self.limits.items()))
        key = json.dumps(parts)
        self._suffix = f"py{self.python_version}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"

    def folder(self, release: Release) -> Path:
        """Where the environment of ``release`` lives in the cache."""
        name = f"{canonicalize_name(self.dist)}-{release.version}-{self._suffix}"
        return self.cache_dir / name

    def get(self, release: Release) -> Environment:
        """The environment of ``release``: from the cache, or built now (under its lock)."""
        started = time.perf_counter()
        folder = self.folder(release)
        with self._locked(folder):
            return self._get(release, folder, started)

    @contextlib.contextmanager
    def _locked(self, folder: Path) -> Iterator[None]:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        with open(folder.with_name(folder.name + ".lock"), "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _get(self, release: Release, folder: Path, started: float) -> Environment:
        cached = _read_marker(folder)
        if cached is not None:
            python = _env_python(folder) if cached.get("status") == "ok" else None
            if python is None or python.exists():
                return Environment(
                    python=python,
                    cutoff=cached.get("cutoff", ""),
                    days=cached.get("days", 0),
                    packages=cached.get("packages", {}),
                    late=cached.get("late", {}),
                    seconds=time.perf_counter() - started,
                    error=cached.get("error", ""),
                )
        env = self._build(release, folder)
        return replace(env, seconds=time.perf_counter() - started)

    def _build(self, release: Release, folder: Path) -> Environment:
        shutil.rmtree(folder, ignore_errors=True)
        venv = self._uv("venv", "--quiet", "--python", self.python, str(folder))
        if venv.returncode != 0:
            return Environment(None, built=True, error=_first_error(venv.stderr), final=False)
        python = _env_python(folder)
        pinned = {self.dist: release, **self.held}
        bounds = self._bounds(pinned)
        attempts = WIDEN_DAYS if release.uploaded else (None,)
        error, cutoff_text, final = "", "", True
        for days in attempts:
            base = None
            if days is not None and release.uploaded is not None:
                base = release.uploaded + timedelta(days=days)
            late: dict[str, Release] = {}
            tries = 0
            while True:
                # held releases and late pins bring their own dependencies (jax its jaxlib);
                # a bounded pin does not move the cutoff: it is no newer than the probed
                # release, so a late upload of it is the index's, not its release date
                unbounded = {n: r for n, r in late.items() if n not in bounds}
                cutoff = _with_late(base, {**self.held, **unbounded})
                cutoff_text = uv_time(cutoff) if cutoff else ""
                install = self._install(python, {**pinned, **late}, cutoff)
                if install.returncode == 0:
                    packages = self._packages(python)
                    late_versions = {name: str(r.version) for name, r in late.items()}
                    used = _days_after(release, cutoff)
                    marker = {"cutoff": cutoff_text, "days": used, "late": late_versions}
                    _write_marker(folder, {"status": "ok", **marker, "packages": packages})
                    return Environment(
                        python, cutoff_text, used, packages, late_versions, built=True
                    )
                error = _first_error(install.stderr)
                final = _NO_SOLUTION in install.stderr
                missing = _filtered_package(install.stderr) or _unusable_pin(install.stderr, late)
                if base is None or not final or missing is None or missing in pinned:
                    break
                after = self._late_release(missing, base, late.get(missing), bounds.get(missing))
                tries += 1
                if after is None or tries > MAX_LATE_TRIES:
                    break
                late[missing] = after
            if not final or _FILTERED_HINT not in install.stderr:
                break  # a later cutoff cannot help
        shutil.rmtree(folder, ignore_errors=True)
        if final:
            _write_marker(
                folder, {"status": "uninstallable", "cutoff": cutoff_text, "error": error}
            )
        return Environment(None, cutoff_text, built=True, error=error, final=final)

    def _install(
        self, python: Path, pinned: Mapping[str, Release], cutoff: datetime | None
    ) -> subprocess.CompletedProcess[str]:
        """``uv pip install`` the pinned releases and the companions as of ``cutoff``."""
        options = ["--python", str(python), "--default-index", self.index]
        if cutoff is not None:
            options += ["--exclude-newer", uv_time(cutoff)]
            for name, pin in pinned.items():
                if pin.last_upload and pin.last_upload >= cutoff:
                    # a pinned release itself: let all of its files through
                    later = uv_time(pin.last_upload + timedelta(minutes=1))
                    options += ["--exclude-newer-package", f"{name}={later}"]
        requirements = [f"{name}=={r.version}" for name, r in pinned.items()]
        bounds = self._bounds(pinned)
        companions = [self._companion(name, bounds.get(name)) for name in self.companions]
        return self._uv("pip", "install", "--quiet", *options, *requirements, *companions)

    def _companion(self, name: str, bound: Version | None) -> str:
        """A companion's requirement: within the case's limit on it, no newer than ``bound``."""
        limit = next(
            (s for n, s in self.limits.items() if canonicalize_name(n) == canonicalize_name(name)),
            "",
        )
        return name + ",".join(part for part in (limit, f"<={bound}" if bound else "") if part)

    def _bounds(self, pinned: Mapping[str, Release]) -> dict[str, Version]:
        """The companions bounded by the pinned release that implies them (jaxlib <=
        the pinned jax), see :data:`BOUNDED_COMPANIONS`."""
        return {
            companion: release.version
            for name, release in pinned.items()
            for companion in IMPLIED_COMPANIONS.get(canonicalize_name(name), ())
            if companion in self.companions and companion in BOUNDED_COMPANIONS
        }

    def _late_release(
        self, name: str, cutoff: datetime, tried: Release | None, bound: Version | None = None
    ) -> Release | None:
        """The release of ``name`` to pin when the index had no usable file of it at ``cutoff``.

        The index may lack a companion at a release's date (jaxlib wheels for a
        Python were uploaded to it long after their release, or never): first
        the release of ``name`` that was newest at ``cutoff`` (its late files let
        through), then each later release in version order that the index had
        within a year of ``cutoff``. The other companions are then resolved as
        of that release's upload (see :func:`_with_late`), so that they fit it.

        A companion bounded by the probed release (jaxlib by jax) is taken newest
        first at or below ``bound``, whenever the index got it: the index lists
        jaxlib 0.4.13 as uploaded in 2025 and has no 0.4.14 to 0.4.17, so jax
        0.4.14 runs with jaxlib 0.4.13.
        """
        if name not in self._index_releases:
            try:
                self._index_releases[name] = list_releases(name, self.index)
            except IndexUnavailable:
                self._index_releases[name] = []
        if bound is not None:
            fitting = sorted(
                (r for r in self._index_releases[name] if r.version <= bound),
                key=lambda r: r.version,
            )
            below = [r for r in fitting if tried is None or r.version < tried.version]
            return below[-1] if below else None
        horizon = cutoff + timedelta(days=WIDEN_DAYS[-1])
        releases = [
            r
            for r in self._index_releases[name]
            if r.uploaded is not None and r.uploaded <= horizon
        ]
        if tried is not None:
            return next((r for r in releases if r.version > tried.version), None)
        before = [r for r in releases if r.uploaded is not None and r.uploaded <= cutoff]
        return before[-1] if before else next(iter(releases), None)

    def _packages(self, python: Path) -> dict[str, str]:
        listing = self._uv("pip", "list", "--format", "json", "--python", str(python))
        try:
            rows = json.loads(listing.stdout or "[]")
        except ValueError:
            return {}
        return {str(row["name"]): str(row["version"]) for row in rows}

    def _uv(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run uv outside any project (no ``[tool.uv]`` of the current folder applies)."""
        env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "UV_EXCLUDE_NEWER")}
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        return subprocess.run(
            [self.uv, *args],
            cwd=self.cache_dir,
            capture_output=True,
            text=True,
            check=False,
            env=env,
            stdin=subprocess.DEVNULL,
        )


def _python_version(python: str) -> str:
    proc = subprocess.run(
        [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise OSError(f"cannot run {python}: {proc.stderr.strip()}")
    return proc.stdout.strip()


def _env_python(folder: Path) -> Path:
    if os.name == "nt":
        return folder / "Scripts" / "python.exe"
    return folder / "bin" / "python"


def _read_marker(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == CACHE_FORMAT else None


def _write_marker(folder: Path, data: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (MARKER + ".tmp")
    tmp.write_text(json.dumps({"format": CACHE_FORMAT, **data}, indent=1), encoding="utf-8")
    os.replace(tmp, folder / MARKER)


def _first_error(stderr: str) -> str:
    """The most telling line of uv's error output, shortened."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        text = re.sub(r"^(cause|error|╰─▶|×)\s*:?\s*", "", line)
        if text.startswith("Because"):
            return _shorten(text)
    for line in lines:
        if line.startswith(("error", "×")):
            return _shorten(line)
    return _shorten(lines[-1]) if lines else "uv failed without a message"


def _filtered_package(stderr: str) -> str | None:
    """The package uv says its ``--exclude-newer`` filtered out, if it says so."""
    match = _FILTERED.search(stderr)
    return str(canonicalize_name(match.group(1))) if match else None


def _with_late(base: datetime | None, late: Mapping[str, Release]) -> datetime | None:
    """The cutoff for the companions: ``base``, moved past the first upload of every pin."""
    if base is None:
        return None
    stamps = [r.uploaded + timedelta(minutes=1) for r in late.values() if r.uploaded is not None]
    return max([base, *stamps])


def _days_after(release: Release, cutoff: datetime | None) -> int:
    """Whole days from ``release``'s upload to ``cutoff`` (0 when either is unknown)."""
    if cutoff is None or release.uploaded is None:
        return 0
    return max(1, (cutoff - release.uploaded).days)


def _unusable_pin(stderr: str, late: Mapping[str, Release]) -> str | None:
    """The late-pinned package uv could not install (no file of it for this Python), if any."""
    return next((name for name, r in late.items() if f"{name}=={r.version}" in stderr), None)


def _shorten(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
