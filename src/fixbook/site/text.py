"""Text helpers for generated Markdown: escaping, code fences, diffs.

Everything a case or a results file holds is untrusted text as far as the page
is concerned: an error message may contain ``<script>``, ``<KerasTensor ...>``,
``{{ jinja }}`` or Markdown syntax. Inline text is turned into character
references (:func:`inline`); longer text goes into a fenced code block whose
fence is longer than any backtick run inside it (:func:`fence`).
"""

from __future__ import annotations

import difflib
import html
import re
from urllib.parse import quote, urlsplit

from markupsafe import Markup
from packaging.specifiers import SpecifierSet

# Characters with a meaning to Markdown or one of its common extensions, written
# as numeric character references so that no inline pattern can match them.
_SPECIAL = frozenset("\\`*_{}[]()#+-.!|~^=:$@<>&\"'")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BACKTICKS = re.compile(r"`+")
_GITHUB = re.compile(r"^/([^/]+)/([^/]+)/(?:issues|pull|discussions)/(\d+)")


def clean(text: str) -> str:
    """``text`` with Windows newlines unified and control characters made visible.

    Python-Markdown uses STX/ETX characters as placeholders for stashed HTML;
    a message that carried them could smuggle markup back in, so every control
    character but tab and newline is shown as ``\\xNN``.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def inline(text: str) -> Markup:
    """``text`` as inert inline Markdown: one line, every special character escaped.

    The result is also safe inside a quoted HTML attribute value: quotes, ``<``,
    ``>`` and ``&`` are character references like the Markdown syntax.
    """
    flat = " ".join(clean(text).split())
    return Markup("".join(f"&#{ord(ch)};" if ch in _SPECIAL else ch for ch in flat))


def meta(text: str) -> Markup:
    """A YAML front-matter value: a double-quoted YAML string of HTML-escaped text.

    MkDocs themes print page titles and descriptions without escaping them, so
    the value is escaped for HTML here. Characters YAML does not allow in a
    document are written as escapes, and lone surrogates as U+FFFD: a value
    that failed to parse would make MkDocs read the whole front matter as
    Markdown of the page (an emoji, as JSON's surrogate pair, did).
    """
    flat = html.escape(" ".join(clean(text).split()), quote=True)
    return Markup('"' + "".join(_yaml_char(ch) for ch in flat) + '"')


def _yaml_char(ch: str) -> str:
    """One character inside a double-quoted YAML scalar (YAML 1.1, 5.1: the printable set)."""
    code = ord(ch)
    if ch == "\\":
        return "\\\\"
    if 0xD800 <= code <= 0xDFFF:
        return "\\ufffd"
    if 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xFFFD or code > 0xFFFF:
        return ch
    return f"\\u{code:04x}"


def attr(text: str) -> Markup:
    """``text`` for an HTML attribute value inside Markdown: see :func:`inline`.

    A tag inside a table cell or paragraph is Markdown before it is HTML: links,
    emphasis and ``{: attr_list }`` are recognised inside its attribute values,
    and a link there ends the attribute and starts markup. So every character
    with a meaning to Markdown, ``|`` included, is a character reference.
    """
    return inline(str(text))


def href(url: str) -> Markup:
    """A URL for a Markdown ``(<...>)`` link destination."""
    return Markup(quote(clean(url).strip(), safe=":/?#[]@!$&'()*+,;=%~"))


def code(text: str) -> Markup:
    """``text`` as an inline code span, delimited by more backticks than it holds."""
    flat = " ".join(clean(text).split())
    longest = max((len(run) for run in _BACKTICKS.findall(flat)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return Markup(f"{ticks}{pad}{flat}{pad}{ticks}")


def fence(text: str, lang: str = "text", indent: int = 0, css: str = "") -> Markup:
    """``text`` as a fenced code block, safe whatever it holds.

    Args:
        text: the code or message, shown verbatim.
        lang: the Pygments lexer name.
        indent: spaces before every line, to nest the block in a tab or admonition.
        css: an extra CSS class for the block, e.g. ``fixbook-error``.

    Returns:
        The block, ending with a newline.
    """
    body = clean(text)
    if not body.endswith("\n"):
        body += "\n"
    longest = max((len(run) for run in _BACKTICKS.findall(body)), default=0)
    ticks = "`" * max(3, longest + 1)
    header = f"{ticks} {{ .{lang} .{css} }}" if css else f"{ticks} {lang}"
    lines = [header, *body.splitlines(), ticks]
    pad = " " * indent
    return Markup("".join((pad + line if line.strip() else "") + "\n" for line in lines))


def excerpt(message: str, head: int = 2, tail: int = 4) -> str:
    """The first and last lines of a long message, with a mark for what was left out.

    Returns ``""`` when the message is short enough to show whole.
    """
    lines = clean(message).rstrip("\n").splitlines()
    if len(lines) <= head + tail + 2:
        return ""
    left_out = len(lines) - head - tail
    return "\n".join([*lines[:head], f"[... {left_out} more lines ...]", *lines[-tail:]])


def unified_diff(before: str, after: str, before_name: str, after_name: str) -> str:
    """A unified diff of two texts; empty when they are the same."""
    lines = difflib.unified_diff(
        clean(before).splitlines(),
        clean(after).splitlines(),
        fromfile=before_name,
        tofile=after_name,
        lineterm="",
    )
    return "\n".join(lines)


def link_label(url: str) -> str:
    """A short label for an upstream link: ``owner/repo#123`` for GitHub threads."""
    parts = urlsplit(url)
    if parts.netloc in ("github.com", "www.github.com"):
        match = _GITHUB.match(parts.path)
        if match:
            owner, repo, number = match.groups()
            return f"{owner}/{repo}#{number}"
    return f"{parts.netloc}{parts.path}".rstrip("/") or url


def uri(path: str) -> str:
    """A docs-relative path, percent-encoded for a Markdown link."""
    return quote(path, safe="/#")


_LOWER_FIRST = {">=": 0, ">": 0, "<": 2, "<=": 2}


def specifier(spec: SpecifierSet) -> str:
    """A PEP 440 specifier set, lower bounds first: ``>=0.14.0,<0.15.0``."""
    items = sorted(spec, key=lambda item: (_LOWER_FIRST.get(item.operator, 1), item.version))
    return ",".join(str(item) for item in items)


def short_type(error_type: str) -> str:
    """An exception's qualified name, without the ``builtins.`` prefix."""
    return error_type.removeprefix("builtins.")
