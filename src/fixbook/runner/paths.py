"""Machine paths out of what a script printed: the same text whichever machine ran it.

Tracebacks, messages and captured output name the machine's folders: the
virtual environment's ``site-packages``, the checkout, the temporary working
folder, the home folder. Results are published, so the runner replaces them
with stable placeholders before anything is judged or stored:
``<site-packages>/jax/_src/...``, ``<stdlib>/runpy.py``, ``<case>/repro.py``,
``<workdir>/out.txt``, ``~/...``.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

from fixbook.runner.report import ScriptResult

_PART = r"[^\s/\\\"'<>|:*?]+"
#: Any absolute path ending in a site-packages or dist-packages folder.
SITE_PACKAGES = re.compile(
    rf"(?<![\w.~>])(?:[A-Za-z]:)?[/\\](?:{_PART}[/\\])*?(?:site|dist)-packages(?=[/\\])"
)
#: Any absolute path of a standard library folder: ``.../lib/python3.11``.
STDLIB = re.compile(
    rf"(?<![\w.~>])(?:[A-Za-z]:)?[/\\](?:{_PART}[/\\])*?lib[/\\]python3\.\d+(?=[/\\])"
)


class Placeholders:
    """Replaces the case folder, the working folder, library folders and home in text."""

    def __init__(self, case: Path, workdir: Path) -> None:
        pairs = [(workdir, "<workdir>"), (case, "<case>")]
        home = Path.home()
        folders: list[tuple[str, str]] = []
        for path, mark in pairs:
            for form in {str(path), os.path.realpath(path)}:
                folders.append((form, mark))
        self._folders = sorted(folders, key=lambda pair: -len(pair[0]))
        self._home = str(home) if len(home.parts) > 1 else ""

    def __call__(self, text: str) -> str:
        """``text`` with every machine path replaced by its placeholder."""
        if not text:
            return text
        for folder, mark in self._folders:
            text = text.replace(folder + os.sep, mark + "/").replace(folder, mark)
        text = SITE_PACKAGES.sub("<site-packages>", text)
        text = STDLIB.sub("<stdlib>", text)
        if self._home:
            text = re.sub(rf"{re.escape(self._home)}(?=[/\\\s\"']|$)", "~", text)
        return text

    def result(self, result: ScriptResult) -> ScriptResult:
        """``result`` with every text in it passed through the placeholders."""
        error = result.error
        if error is not None:
            error = replace(error, message=self(error.message), traceback=self(error.traceback))
        return replace(
            result,
            error=error,
            stdout=self(result.stdout),
            stderr=self(result.stderr),
            detail=self(result.detail),
            warnings=tuple(replace(w, message=self(w.message)) for w in result.warnings),
        )
