"""Shared helpers: write small, stdlib-only sample cases into a temporary folder."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

BASE_TOML = """\
title = "Sample {slug}"
library = "{library}"
summary = "A sample case for fixbook's own tests."
upstream = ["https://github.com/example/example/issues/1"]
requires = {requires}
"""

README = "# Sample\n\n" + "".join(
    f"## {section}\n\n" for section in ("Symptom", "Cause", "Fix", "Alternatives", "References")
)

MakeCase = Callable[..., Path]


@pytest.fixture(autouse=True, scope="session")
def _named_environment() -> Iterator[None]:
    """Runs inside fixbook's own tests write ``local.json``, whichever machine runs them."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FIXBOOK_ENV", "local")
        yield


def write_case(
    root: Path,
    slug: str,
    *,
    repro: str = 'raise ValueError("bad thing 42")\n',
    fix: str = "assert 1 + 1 == 2\n",
    raises: str = "ValueError",
    match: str = r"bad thing \\d+",
    library: str = "samples",
    requires: str = '["packaging"]',
    extra: str = "",
    repro_extra: str = "",
    readme: str = README,
    claim: str | None = None,
) -> Path:
    """Write one case folder under ``root/<library>/<slug>`` and return it.

    ``claim``, when given, is the ``[repro]`` claim lines written instead of
    ``raises``/``match`` (e.g. ``'warns = "UserWarning"'``).
    """
    folder = root / library / slug
    folder.mkdir(parents=True)
    toml = BASE_TOML.format(slug=slug, library=library, requires=requires)
    toml += textwrap.dedent(extra)
    lines = claim if claim is not None else f'raises = "{raises}"\nmatch = "{match}"'
    toml += f"\n[repro]\n{textwrap.dedent(lines).strip()}\n" + textwrap.dedent(repro_extra)
    (folder / "case.toml").write_text(toml, encoding="utf-8")
    (folder / "repro.py").write_text(textwrap.dedent(repro), encoding="utf-8")
    (folder / "fix.py").write_text(textwrap.dedent(fix), encoding="utf-8")
    (folder / "README.md").write_text(readme, encoding="utf-8")
    return folder


@pytest.fixture
def make_case(tmp_path: Path) -> MakeCase:
    """Write a sample case under ``tmp_path/cases``."""

    def make(slug: str, **kwargs: object) -> Path:
        return write_case(tmp_path / "cases", slug, **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture
def pytester_case(pytester: pytest.Pytester) -> MakeCase:
    """Write a sample case under the pytester folder's ``cases``."""

    def make(slug: str, **kwargs: object) -> Path:
        return write_case(pytester.path / "cases", slug, **kwargs)  # type: ignore[arg-type]

    return make
