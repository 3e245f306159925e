"""``fixbook new``: scaffold a complete case folder that fails until it is filled in."""

from __future__ import annotations

import re
from pathlib import Path

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*$")

CASE_TOML = """\
# What this case claims. Every key is checked by `fixbook check` and by pytest.
title    = "TODO: one line naming the bug, as a user would search for it"
library  = "{library}"                 # the distribution the bug lives in
summary  = "TODO: one sentence a search result can show."
tags     = []                          # e.g. ["shapes", "jit"]
upstream = ["https://github.com/OWNER/REPO/issues/NUMBER"]   # the upstream thread(s)
requires = ["{requirement}"]               # distributions the scripts import; missing -> skipped
env      = {{ }}                        # for both scripts: {{ KERAS_BACKEND = "jax" }}
# timeout = 300                        # seconds per script (default: the run's fixbook_timeout)

[repro]
raises = "AssertionError"              # exception class, bare or qualified (module.Class)
match  = "TODO"                        # regex, re.search on str(exception)
# affected = {{ {library} = ">=1.0,<1.2" }}  # PEP 440 specifiers: where the bug lives;
#                                       # absent: expected everywhere (still open upstream)

[fix]
# requires = {{ {library} = ">=1.2" }}   # where the fix applies; elsewhere the fix is skipped
"""

REPRO_PY = '''\
"""TODO: what this minimal program shows, in one line.

Run: python repro.py  -> raises the documented error (see case.toml [repro]).
"""

raise NotImplementedError("fill in repro.py: the smallest program that shows the bug")
'''

FIX_PY = '''\
"""TODO: the same program as repro.py, fixed.

Run: python fix.py  -> runs clean and asserts the correct result.
"""

raise NotImplementedError("fill in fix.py: the repro fixed, asserting the correct result")
'''

README_MD = """\
# TODO: the title from case.toml

## Symptom

TODO: what the user sees, with the exact error:

```text
TODO: ExceptionClass: the message
```

## Cause

TODO: why it happens, checked against the upstream thread and the source.

## Fix

TODO: what fix.py changes, and why that is correct.

## Alternatives

TODO: other ways out, and their trade-offs.

## References

- TODO: the upstream issue or pull request
"""


#: What a new case of a library requires where the name alone is too wide: the
#: keras name also holds Keras 1 and 2 (up to 2.15.0), and Fixbook covers Keras 3.
REQUIREMENTS = {"keras": "keras>=3.0"}

_TEMPLATES = {
    "case.toml": CASE_TOML,
    "repro.py": REPRO_PY,
    "fix.py": FIX_PY,
    "README.md": README_MD,
}


def scaffold(root: Path, name: str) -> Path:
    """Create ``root/<library>/<slug>`` with the four case files.

    Raises:
        ValueError: the name is not ``library/slug`` or the folder exists.
    """
    if not _SLUG.match(name):
        raise ValueError(f"{name!r}: expected <library>/<slug>, lowercase, digits and '-'")
    folder = root / name
    if folder.exists():
        raise ValueError(f"{folder}: already exists")
    library = name.split("/")[0]
    folder.mkdir(parents=True)
    for file, template in _TEMPLATES.items():
        (folder / file).write_text(_fill(template, library), encoding="utf-8")
    return folder


def placeholders(folder: Path) -> list[tuple[Path, int, str]]:
    """The lines of a case folder that still hold a placeholder this scaffold wrote.

    A placeholder is a line of a template holding ``TODO``, found unchanged
    (surrounding spaces aside) in the same file; text a contributor wrote is
    never one, even when it mentions a TODO.

    Args:
        folder: a case folder, ``<cases>/<library>/<slug>``.

    Returns:
        ``(file, line number, line)`` for each placeholder left, in file order.
    """
    library = folder.parent.name
    found = []
    for name, template in _TEMPLATES.items():
        path = folder / name
        marks = {line.strip() for line in _fill(template, library).splitlines() if "TODO" in line}
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the case model reports unreadable files
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip() in marks:
                found.append((path, number, line.strip()))
    return found


def _fill(template: str, library: str) -> str:
    return template.format(library=library, requirement=REQUIREMENTS.get(library, library))
