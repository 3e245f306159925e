"""A documented error's ``match`` regex, as text a person reads.

``Cannot convert a symbolic tf\\.Tensor \\(.*\\) to a numpy array`` reads as
``Cannot convert a symbolic tf.Tensor (…) to a numpy array``: escapes are
undone, anything that stands for varying text (``.*``, ``\\d+``, ``[^)]*``) is an
ellipsis, an optional part is shown in parentheses (``shapes?`` reads
``shape(s)``), alternatives read ``a or b``, anchors and flags disappear.
The regex is parsed with Python's own parser (``re._parser``, the one
``re.compile`` uses), so what is shown is what the pattern means.
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
from typing import Any

ELLIPSIS = "…"
_VARYING = {sre.ANY, sre.IN, sre.NOT_LITERAL, sre.CATEGORY, sre.GROUPREF, sre.GROUPREF_EXISTS}
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT}


def readable(pattern: str) -> str:
    """The text a regex stands for, with an ellipsis where the text varies.

    Args:
        pattern: a regex that ``re.compile`` accepts (a case's ``match``).

    Returns:
        The readable form; ``pattern`` itself if it cannot be parsed.
    """
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, OverflowError, RecursionError):
        return pattern
    text = _render(list(parsed))
    return re.sub(f"{ELLIPSIS}+", ELLIPSIS, text)


def is_literal(pattern: str) -> bool:
    """Whether a regex matches one fixed text (escapes and anchors aside).

    Then :func:`readable` says all the pattern says, and showing the pattern
    itself does not help.
    """
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, OverflowError, RecursionError):
        return False
    return all(op in (sre.LITERAL, sre.AT) for op, _ in parsed)


def _render(items: list[tuple[Any, Any]]) -> str:
    return "".join(_item(op, arg) for op, arg in items)


def _item(op: Any, arg: Any) -> str:
    if op == sre.LITERAL:
        return chr(arg)
    if op == sre.ANY:
        return "."
    if op in _VARYING:
        return ELLIPSIS
    if op in _REPEATS:
        low, _high, sub = arg
        inner = list(sub)
        if len(inner) == 1 and inner[0][0] in _VARYING:
            return ELLIPSIS
        text = _render(inner)
        return f"({text})" if low == 0 else text
    if op == sre.SUBPATTERN:
        return _render(list(arg[-1]))
    if op == sre.ATOMIC_GROUP:
        return _render(list(arg))
    if op == sre.BRANCH:
        alternatives = [_render(list(alt)) for alt in arg[1]]
        return "(" + " or ".join(alternatives) + ")"
    return ""  # anchors, lookarounds, flags: no text of their own
