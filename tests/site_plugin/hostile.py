"""A sample project with a payload in every field a case or a results file can hold.

Each payload would set ``window.fixbookOwned`` (:data:`OWNED_FLAG`) if it ran:
raw HTML, a closing ``</script>``, an already escaped tag, a Markdown link to
``javascript:``, a link whose target is an event handler (which, put inside an
HTML attribute, ends the attribute), an ``attr_list`` handler, and characters
that JSON and YAML spell differently (an emoji, a line separator, a lone
surrogate in the results file).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from fixbook.knowledge.case import load_case
from tests.site_plugin.samples import OWNED_FLAG, _toml, write_project

CASE_ID = "keras/hostile-fields"
PAYLOAD = (
    f"Q<img src=x onerror={OWNED_FLAG}=1></script><script>{OWNED_FLAG}=2</script>"
    f"&lt;i&gt;[l](javascript:{OWNED_FLAG}=3){{: onclick={OWNED_FLAG}=4 }}"
    f"[m](onmouseover={OWNED_FLAG}=5//) \u2028 🐛"
)
#: The payload as a regex that matches itself, for match, stderr and messages.
PATTERN = re.escape(PAYLOAD)
#: What every URL-like field tries: a quote ending the attribute, then a tag.
URL_PAYLOADS = [
    f'https://example.com/x?a="><img src=x onerror={OWNED_FLAG}=6>',
    f"https://github.com/<img src=x onerror={OWNED_FLAG}=7>/r/issues/1",
]


def write_hostile_project(root: Path) -> Path:
    """The sample project plus :data:`CASE_ID`, payloads everywhere; returns ``mkdocs.yml``."""
    config = write_project(root)
    folder = root / "cases" / CASE_ID
    folder.mkdir()
    (folder / "case.toml").write_text(
        f"""\
title = {_toml(PAYLOAD)}
library = "keras"
summary = {_toml(PAYLOAD)}
tags = [{_toml(PAYLOAD)}, "<b>t</b>"]
upstream = [{", ".join(_toml(url) for url in URL_PAYLOADS)}]
requires = ["keras"]
env = {{ "X<img_src_x>" = {_toml(PAYLOAD)} }}

[repro]
raises = "TypeError"
match = {_toml(PATTERN)}
stderr = {_toml(PATTERN)}
messages = [{_toml(PATTERN + " other")}]
affected = {{ keras = ">=3.5.0,<3.6.0" }}

[[repro.checked]]
versions = {{ keras = "3.4.0", {_toml(PAYLOAD.replace("=", "-"))} = "1.0" }}
outcome = "not-reproduced"
date = "2026-11-30"

[[repro.checked]]
versions = {{ keras = "3.5.0" }}
outcome = "reproduced"
date = "2026-11-30"

[[repro.checked]]
versions = {{ keras = "3.6.0" }}
outcome = "not-reproduced"
date = "2026-11-30"
""",
        encoding="utf-8",
    )
    (folder / "repro.py").write_text(f"# {PAYLOAD}\nraise TypeError('x')\n", encoding="utf-8")
    (folder / "fix.py").write_text(f"# </textarea>{PAYLOAD}\nprint(1)\n", encoding="utf-8")
    (folder / "README.md").write_text(
        f"# {PAYLOAD}\n\n## Symptom\n\n{PAYLOAD}\n\n## Cause\n\nc\n\n## Fix\n\nf\n",
        encoding="utf-8",
    )
    results = root / ".fixbook" / "results" / "latest.json"
    document = json.loads(results.read_text(encoding="utf-8"))
    environment = document["environment"]
    environment.update(python=PAYLOAD, platform=PAYLOAD, updated=PAYLOAD)
    environment["packages"][PAYLOAD] = PAYLOAD
    text = PAYLOAD + "\n" + PAYLOAD + "\ud800"
    script = {
        "outcome": "reproduced",
        "expected": "reproduced",
        "ok": True,
        "versions": PAYLOAD,
        "error_type": "builtins.TypeError",
        "error_mro": ["builtins.TypeError", PAYLOAD],
        "message": text,
        "traceback": text,
        "stdout": text,
        "stderr": text,
        "detail": text,
        "duration": 1.0,
        "recorded": PAYLOAD,
        "runner": PAYLOAD,
    }
    document["cases"][CASE_ID] = {
        "title": PAYLOAD,
        "library": "keras",
        "path": f"cases/{CASE_ID}",
        "hash": load_case(folder).content_hash(),
        "requires": {"keras": "3.5.0", PAYLOAD: PAYLOAD},
        "env": {PAYLOAD: PAYLOAD},
        "scripts": {
            "repro": script,
            "fix": {**script, "outcome": "failed", "expected": "passed", "ok": False},
        },
    }
    results.write_text(json.dumps(document), encoding="utf-8")
    return config


_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "srcdoc", "poster", "xlink:href"}
_SCHEME = re.compile(r"\s*(javascript|data|vbscript):", re.IGNORECASE)


class _LiveMarkup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = value or ""
            handler = name.startswith("on") or OWNED_FLAG.lower() in name
            if handler or (name in _URL_ATTRIBUTES and _SCHEME.match(value)):
                self.found.append(f"<{tag} {name}={value[:60]!r}>")
        if tag in ("img", "iframe", "object", "embed") and any(
            OWNED_FLAG in (value or "") for _, value in attrs
        ):
            self.found.append(f"<{tag}> from a payload")
        self._tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._tags:
            del self._tags[len(self._tags) - 1 - self._tags[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        if self._tags and self._tags[-1] == "script" and OWNED_FLAG in data:
            self.found.append(f"a script holding {data[:60]!r}")


def live_markup(html: str) -> list[str]:
    """What in ``html`` would run a payload: handlers, script URLs, payload scripts and tags."""
    parser = _LiveMarkup()
    parser.feed(html)
    parser.close()
    return parser.found
