"""Releases from the package index, and one throwaway environment per probed release.

Used by ``fixbook bisect``. The index is the one pip is configured with (or
``--index-url``); releases and their upload dates come from its JSON simple API
(PEP 691, upload times per PEP 700), with the HTML page as a date-less fallback.
Each environment is a ``uv venv`` holding the probed release pinned, plus the
case's other requirements resolved as of that release's date (``uv pip install
--exclude-newer``), so companions such as jax, jaxlib and numpy are what a user
installing that release got at the time.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"
# How far past a release's date its companions may be, tried in turn: a companion
# that has no release on the index before the first cutoff (e.g. no jaxlib wheel
# for this Python yet) is looked for a little later instead.
WIDEN_DAYS = (1, 30, 90, 180, 365)
MARKER = "fixbook-bisect.json"
CACHE_FORMAT = 1
_INDEX_ENV_VARS = ("UV_DEFAULT_INDEX", "UV_INDEX_URL", "PIP_INDEX_URL")
_FILTERED_HINT = "exclude-newer"
_NO_SOLUTION = "No solution found"


class IndexUnavailable(Exception):
    """The index could not be read or named no release."""


@dataclass(frozen=True)
class Release:
    """One release of a distribution on the index.

    Attributes:
        version: the release's version.
        uploaded: when its first file was uploaded (its release date), if known.
        last_upload: when its last file was uploaded, if known.
    """

    version: Version
    uploaded: datetime | None = None
    last_upload: datetime | None = None


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/fixbook/bisect``, by default ``~/.cache/fixbook/bisect``."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base, "fixbook", "bisect")


def index_url(explicit: str | None = None) -> str:
    """The simple index to read: ``explicit``, uv's or pip's setting, else pip's default.

    Raises:
        IndexUnavailable: no index is set and pip, which knows the default, is missing.
    """
    if explicit:
        return explicit.rstrip("/")
    for variable in _INDEX_ENV_VARS:
        if os.environ.get(variable):
            return os.environ[variable].split()[0].rstrip("/")
    configured = _pip_config_index()
    if configured:
        return configured.rstrip("/")
    try:
        from pip._internal.models.index import PyPI
    except ImportError:
        raise IndexUnavailable("no package index is configured; pass --index-url") from None
    return str(PyPI.simple_url).rstrip("/")


def _pip_config_index() -> str | None:
    """``index-url`` from pip's configuration files, if any."""
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "pip", "config", "list"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    for line in proc.stdout.splitlines():
        key, _, value = line.partition("=")
        if key.strip().endswith(".index-url"):
            return value.strip().strip("'\"").split()[0]
    return None


def list_releases(dist: str, index: str, *, timeout: float = 60.0) -> list[Release]:
    """Every non-yanked final release of ``dist`` on ``index``, oldest first.

    Raises:
        IndexUnavailable: the project page cannot be fetched or lists no release.
    """
    url = f"{index}/{canonicalize_name(dist)}/"
    request = urllib.request.Request(url, headers={"Accept": f"{SIMPLE_JSON}, text/html;q=0.1"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            content_type = response.headers.get("Content-Type", "")
            body = response.read()
    except (urllib.error.URLError, OSError) as exc:
        raise IndexUnavailable(f"cannot read {url}: {exc}") from None
    releases = parse_project_page(dist, content_type, body)
    if not releases:
        raise IndexUnavailable(f"{url} lists no release of {dist}")
    return releases


def parse_project_page(dist: str, content_type: str, body: bytes) -> list[Release]:
    """Releases from a project page of the simple API, JSON or HTML."""
    text = body.decode("utf-8", errors="replace")
    if "json" in content_type or text.lstrip().startswith("{"):
        return parse_simple_json(dist, json.loads(text))
    return parse_simple_html(dist, text)


def parse_simple_json(dist: str, data: dict[str, Any]) -> list[Release]:
    """Releases from a PEP 691 JSON project page, dated by its files' ``upload-time``."""
    files = [
        (entry["filename"], entry.get("upload-time"))
        for entry in data.get("files", [])
        if not entry.get("yanked")
    ]
    return _releases(dist, files)


def parse_simple_html(dist: str, text: str) -> list[Release]:
    """Releases from a PEP 503 HTML project page (no upload dates there)."""
    parser = _AnchorParser()
    parser.feed(text)
    return _releases(dist, [(name, None) for name in parser.files])


class _AnchorParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.files: list[str] = []
        self._yanked = False
        self._in_anchor = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._in_anchor = True
            self._yanked = any(name == "data-yanked" for name, _ in attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._in_anchor = False

    def handle_data(self, data: str) -> None:
        if self._in_anchor and not self._yanked and data.strip():
            self.files.append(data.strip())


def _releases(dist: str, files: Sequence[tuple[str, str | None]]) -> list[Release]:
    wanted = canonicalize_name(dist)
    times: dict[Version, list[datetime]] = {}
    for filename, uploaded in files:
        parsed = _file_version(filename)
        if parsed is None or parsed[0] != wanted:
            continue
        version = parsed[1]
        if version.is_prerelease or version.is_devrelease:
            continue
        stamps = times.setdefault(version, [])
        if uploaded:
            stamps.append(_parse_time(uploaded))
    return [
        Release(version, min(stamps) if stamps else None, max(stamps) if stamps else None)
        for version, stamps in sorted(times.items())
    ]


def _file_version(filename: str) -> tuple[str, Version] | None:
    """The (canonical name, version) a distribution file is for, if it can be told."""
    try:
        if filename.endswith(".whl"):
            name, version, _, _ = parse_wheel_filename(filename)
            return str(name), version
        if filename.endswith((".tar.gz", ".zip")):
            name, version = parse_sdist_filename(filename)
            return str(name), version
    except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion):
        return None
    return None


def _parse_time(text: str) -> datetime:
    stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


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
        final: the failure is the index's answer (cached), not e.g. a network error.
    """

    python: Path | None
    cutoff: str = ""
    days: int = 0
    packages: dict[str, str] = field(default_factory=dict)
    built: bool = False
    seconds: float = 0.0
    error: str = ""
    final: bool = True


class EnvBuilder:
    """Builds (or reuses from its cache) one environment per probed release.

    An environment is kept under the cache folder, keyed by the release, the
    Python version and a hash of the companions, index and interpreter; its
    marker file is written last, so a half-built one is rebuilt. Two bisects
    building the same environment at the same time are not guarded against.
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
    ) -> None:
        self.dist = dist
        self.companions = sorted(
            {name for name in requires if canonicalize_name(name) != canonicalize_name(dist)}
        )
        self.cache_dir = cache_dir
        self.python = python
        self.index = index
        self.uv = uv
        self.python_version = _python_version(python)
        key = json.dumps([CACHE_FORMAT, self.companions, self.index, str(Path(python).resolve())])
        self._suffix = f"py{self.python_version}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"

    def folder(self, release: Release) -> Path:
        """Where the environment of ``release`` lives in the cache."""
        name = f"{canonicalize_name(self.dist)}-{release.version}-{self._suffix}"
        return self.cache_dir / name

    def get(self, release: Release) -> Environment:
        """The environment of ``release``: from the cache, or built now."""
        started = time.perf_counter()
        folder = self.folder(release)
        cached = _read_marker(folder)
        if cached is not None:
            python = _env_python(folder) if cached.get("status") == "ok" else None
            if python is None or python.exists():
                return Environment(
                    python=python,
                    cutoff=cached.get("cutoff", ""),
                    days=cached.get("days", 0),
                    packages=cached.get("packages", {}),
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
        requirements = [f"{self.dist}=={release.version}", *self.companions]
        attempts = WIDEN_DAYS if release.uploaded else (None,)
        error, cutoff_text, final = "", "", True
        for days in attempts:
            options = ["--python", str(python), "--default-index", self.index]
            if days is not None and release.uploaded is not None:
                cutoff = release.uploaded + timedelta(days=days)
                cutoff_text = uv_time(cutoff)
                options += ["--exclude-newer", cutoff_text]
                if release.last_upload and release.last_upload >= cutoff:
                    # the pinned release itself: let all of its files through
                    pin = release.last_upload + timedelta(minutes=1)
                    options += ["--exclude-newer-package", f"{self.dist}={uv_time(pin)}"]
            install = self._uv("pip", "install", "--quiet", *options, *requirements)
            if install.returncode == 0:
                packages = self._packages(python)
                _write_marker(
                    folder,
                    {
                        "status": "ok",
                        "cutoff": cutoff_text,
                        "days": days or 0,
                        "packages": packages,
                    },
                )
                return Environment(python, cutoff_text, days or 0, packages, built=True)
            error = _first_error(install.stderr)
            final = _NO_SOLUTION in install.stderr
            if not final or _FILTERED_HINT not in install.stderr:
                break  # a later cutoff cannot help
        shutil.rmtree(folder, ignore_errors=True)
        if final:
            _write_marker(
                folder, {"status": "uninstallable", "cutoff": cutoff_text, "error": error}
            )
        return Environment(None, cutoff_text, built=True, error=error, final=final)

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


def _shorten(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
