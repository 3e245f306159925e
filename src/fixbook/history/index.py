"""Releases of a distribution on the package index, with their upload dates.

Used by ``fixbook bisect``. The index is the one pip is configured with (or
``--index-url``); releases and their upload dates come from its JSON simple API
(PEP 691, upload times per PEP 700), with the HTML page as a date-less fallback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
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
_INDEX_ENV_VARS = ("UV_DEFAULT_INDEX", "UV_INDEX_URL", "PIP_INDEX_URL")


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
