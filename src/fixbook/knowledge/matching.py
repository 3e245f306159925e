"""The matching core: from a pasted error or traceback to the cases that explain it.

Pure functions over plain data: :func:`parse` reads a pasted text into its
exceptions (the whole ``__cause__``/``__context__`` chain), the libraries its
frames run through and the versions it shows; :func:`rank` orders
:class:`Pattern` records, one per case, best first. Nothing here reads a file
or imports a library the cases exercise; :mod:`fixbook.knowledge.index` builds
the patterns, and the site exports them as JSON for ``paste.js``, which
applies the same rules in the browser (keep both in step: the tests run both on
the same inputs).

Ranking, in this order:

1. **exact**: the exception's class is the case's ``raises`` (by its last name
   component, or as a subclass: through the MRO names stored in results, the
   builtin hierarchy, or :data:`ALIASES`), and the case's ``match`` or one of
   its ``messages`` regexes is found in the message (time-bounded with the
   ``regex`` package); or one of its ``messages`` regexes is found in the
   exception's last line as Python prints it (``Class: message``, the class as
   pasted). A traceback whose frames run through installed packages, none of
   which the case involves (its library and ``requires``), is never an exact
   match. Several exact matches of one error (cases that document the same
   message) are ordered by :func:`specificity`: the case whose own library the
   frames show, then the case needing fewest libraries the paste does not
   show, then the one sharing most libraries with it, then the case whose
   texts explain more of the message.
2. **near**: rapidfuzz's ``token_set_ratio`` between the normalised message
   (numbers, shapes, dtypes, quoted names, paths, addresses, tracers masked) and
   each text the case knows (its ``match`` as text, ``messages``, captured
   messages), with a bonus for the same class and the libraries involved.
   Below :data:`THRESHOLD` nothing is returned.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import regex
from rapidfuzz import fuzz

#: Below this score a near match is not returned.
THRESHOLD = 0.62
#: The score of an exact match of the last exception; earlier links of a chain score less.
EXACT_SCORE = 1.0
#: Seconds one ``match`` regex may run on one message.
REGEX_TIMEOUT = 0.05
#: The longest message the matcher reads; longer ones are cut.
MAX_MESSAGE = 4000
#: The most of a pasted text searched by ``crashes`` and ``stderr`` claims.
MAX_TEXT = 20000

#: Documented exception classes of the covered libraries and their bases, by
#: name (source: ``jax/_src/errors.py``, ``tensorflow/python/framework/errors_impl.py``,
#: ``keras/src/...``). Builtin classes are looked up in :mod:`builtins`.
ALIASES: Mapping[str, tuple[str, ...]] = {
    "ConcretizationTypeError": ("TypeError",),
    "TracerBoolConversionError": ("ConcretizationTypeError", "TypeError"),
    "TracerIntegerConversionError": ("TypeError",),
    "TracerArrayConversionError": ("TypeError",),
    "NonConcreteBooleanIndexError": ("IndexError",),
    "UnexpectedTracerError": ("Exception",),
    "KeyReuseError": ("Exception",),
    "JaxRuntimeError": ("RuntimeError",),
    "XlaRuntimeError": ("RuntimeError",),
    "InvalidArgumentError": ("OpError", "Exception"),
    "ResourceExhaustedError": ("OpError", "Exception"),
    "FailedPreconditionError": ("OpError", "Exception"),
    "NotFoundError": ("OpError", "Exception"),
    "UnimplementedError": ("OpError", "Exception"),
    "InternalError": ("OpError", "Exception"),
    "OpError": ("Exception",),
}

#: Distribution names of top-level modules that differ from them.
MODULE_DISTRIBUTIONS: Mapping[str, str] = {
    "tensorflow_probability": "tensorflow-probability",
    "tf_keras": "tf-keras",
    "jaxlib": "jax",
    "keras_core": "keras",
}

#: Modules of test runners and notebooks: their frames say nothing about the error.
RUNNER_MODULES = frozenset(
    ("_pytest", "pytest", "pluggy", "xdist", "execnet", "IPython", "ipykernel", "tornado")
)

_EXC_NAME = r"(?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*(?:Error|Exception|Warning|Exit|Interrupt|Iteration)"

#: The reader's regular expressions as source text, shared with the site's
#: ``paste.js``: only syntax Python and JavaScript read alike (numbered groups,
#: ASCII classes). ``version`` is case-insensitive.
RULES: Mapping[str, str] = {
    "exc_line": rf"^({_EXC_NAME}):(?:[ \t]+(.*))?$",
    "wrapper": r"^[\w.]*(?:StackTrace|Stacktrace):[ \t]*",
    "notebook_header": rf"^({_EXC_NAME})\s{{2,}}Traceback \(most recent call last\)",
    "chain_break": r"^(?:Traceback \(most recent call last\)|During handling of the above exception"
    r"|The above exception was the direct cause|-{10,}|={10,}|_{10,}|"
    rf"{_EXC_NAME}\s{{2,}}Traceback)",
    "frame_line": r"^\s*(?:File \"|[\w/\\.~:-]+\.py:\d+|<ipython-input|Cell In\["
    r"|\[\.\.\. skipping hidden)",
    "pytest_prefix": r"^E {1,}",
    "quote_prefix": r"^> ?(?=\S)",
    "frame_library": r"(?:site-packages|dist-packages)[/\\]([A-Za-z_]\w*)[/\\]",
    "version": r"\b([A-Za-z][\w.-]*?)(==|-(?=\d)| version:? |\s+v?(?=\d+\.\d+))"
    r"(\d+(?:\.\d+)+(?:(?:a|b|rc|\.post|\.dev)\d+)?)\b",
    "token": r"[a-z][a-z0-9_]*",
    "regex_wildcard": r"\.[*+?]|\\[dswb][*+?]?",
    "regex_escape": r"\\([^A-Za-z0-9])",
    "regex_anchor": r"[\^$|]",
}

#: Masks applied in order by :func:`normalise`: a regex and the word that replaces it.
MASKS: tuple[tuple[str, str], ...] = (
    (r"https?://\S+", "url"),
    (r"Traced<[^\n]*?>with<[^\n]*?>(?:\s*with\s*\w+\s*=[^\n]*)?", "tracer"),
    (r"(?:[A-Za-z]:)?(?:[~.\w-]*[/\\])+[\w.-]+", "path"),
    (r"\b0x[0-9a-fA-F]+\b", "addr"),
    (r"<[\w.]+ object at [^>]*>", "obj"),
    (r"\b(?:b?float|u?int|complex|bfloat)(?:8|16|32|64|128)\b|\bbool_?\b", "dtype"),
    (r"\b\w+\[[\d,\s]*\]", "dtype"),
    (r"[\[(](?:\s*(?:\d+|None|\?)\s*,?)+[\])]", "shape"),
    (r"'[^'\n]{1,80}'|\"[^\"\n]{1,80}\"", "name"),
    (r"\b\d+(?:\.\d+)?(?:e[-+]?\d+)?\b", "num"),
)
#: Words :func:`normalise` drops.
STOP_WORDS = frozenset(
    ("a", "an", "the", "of", "to", "in", "on", "is", "are", "be", "and", "or", "for", "with")
    + ("that", "this", "it", "as", "at", "by")
)
#: Placeholders and words too common in error messages to count as shared content.
GENERIC_WORDS = frozenset(
    ("url", "tracer", "path", "addr", "obj", "dtype", "shape", "name", "num", "expected")
    + ("got", "must", "not", "cannot", "type", "value", "object", "argument", "arguments")
    + ("error", "found", "only", "should", "when", "class", "use")
)

_EXC_LINE, _WRAPPER, _NOTEBOOK_HEADER, _CHAIN_BREAK, _FRAME_LINE = (
    re.compile(RULES[k], re.ASCII)
    for k in ("exc_line", "wrapper", "notebook_header", "chain_break", "frame_line")
)
_PYTEST_PREFIX, _QUOTE_PREFIX, _FRAME_LIBRARY, _TOKEN = (
    re.compile(RULES[k], re.ASCII)
    for k in ("pytest_prefix", "quote_prefix", "frame_library", "token")
)
_VERSION = re.compile(RULES["version"], re.ASCII | re.IGNORECASE)
_MASKS = tuple((re.compile(source, re.ASCII), f" {word} ") for source, word in MASKS)


@dataclass(frozen=True)
class PastedError:
    """One exception read from a pasted text."""

    cls: str
    message: str

    @property
    def name(self) -> str:
        """The class's last name component, e.g. ``ConcretizationTypeError``."""
        return self.cls.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Pasted:
    """A pasted text, read: its exceptions (chain order, the last one raised last),
    the distributions its frames run through, and the versions it shows."""

    errors: tuple[PastedError, ...]
    libraries: frozenset[str] = frozenset()
    versions: Mapping[str, str] = field(default_factory=dict)
    #: The text itself (its first :data:`MAX_TEXT` characters), for log-line claims.
    text: str = ""


@dataclass(frozen=True)
class Pattern:
    """What one case knows about its error, as plain data (exported to the site).

    ``kind`` is the claim kind of ``[repro]``; ``raises`` the class the claim
    names (the exception of ``raises``, the category of ``warns``; empty for the
    other kinds); ``match`` the claim's regex; ``stderr`` the log regex, if any.
    ``texts`` are the captured messages; ``mro`` the class names the results
    recorded for the case's own exception.
    """

    case: str
    library: str
    raises: str
    match: str
    messages: tuple[str, ...] = ()
    kind: str = "raises"
    stderr: str = ""
    libraries: tuple[str, ...] = ()
    mro: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    """A case matched to a pasted error, with its score in [0, 1]."""

    case: str
    score: float
    exact: bool
    error: PastedError
    #: How specifically an exact match's case fits the paste (see :func:`specificity`); 0 if near.
    specificity: int = 0


def parse(text: str) -> Pasted:
    """Read a pasted error, traceback, notebook or pytest output.

    Args:
        text: what the user pasted; any size (only the first lines that fit
            :data:`MAX_MESSAGE` per message are read).

    Returns:
        Its exceptions in chain order; a text with no ``Class: message`` line is
        read as one bare message of unknown class (``cls == ""``).
    """
    lines = [_clean(line) for line in text.replace("\r\n", "\n").split("\n")]
    errors: list[PastedError] = []
    index = 0
    while index < len(lines):
        found = _EXC_LINE.match(lines[index])
        if not found:
            index += 1
            continue
        cls, first = found.group(1), (found.group(2) or "").strip()
        body = [first] if first else []
        index += 1
        while index < len(lines) and not _ends_message(lines[index]):
            body.append(lines[index])
            index += 1
        message = "\n".join(body).strip()[:MAX_MESSAGE]
        inner = _EXC_LINE.match(message.split("\n", 1)[0])
        if inner:
            cls, message = inner.group(1), message[len(inner.group(1)) + 1 :].strip()
        if not errors or errors[-1] != PastedError(cls, message):
            errors.append(PastedError(cls, message))
    if not errors:
        bare = " ".join(line.strip() for line in lines if line.strip())[:MAX_MESSAGE]
        header = next(
            (_NOTEBOOK_HEADER.match(line) for line in lines if _NOTEBOOK_HEADER.match(line)), None
        )
        if bare:
            errors.append(PastedError(header.group(1) if header else "", bare))
    return Pasted(tuple(errors), libraries(text), shown_versions(text), text[:MAX_TEXT])


def libraries(text: str) -> frozenset[str]:
    """The distributions whose files appear in the frames of a traceback.

    Test runners and notebook kernels (:data:`RUNNER_MODULES`) are left out.
    """
    found = set()
    for hit in _FRAME_LIBRARY.finditer(text):
        module = hit.group(1)
        if module in RUNNER_MODULES:
            continue
        found.add(MODULE_DISTRIBUTIONS.get(module, module.replace("_", "-")).lower())
    return frozenset(found)


def shown_versions(text: str) -> dict[str, str]:
    """Versions a pasted text names, e.g. ``jax==0.4.25`` or ``numpyro version: 0.14.0``.

    A pin (``name==1.2``) counts for any distribution; the looser forms only
    for :data:`KNOWN_DISTRIBUTIONS` (names as :func:`normalise_name` spells
    them). The last mention wins.
    """
    versions: dict[str, str] = {}
    for hit in _VERSION.finditer(text):
        name = normalise_name(hit.group(1))
        if hit.group(2) == "==" or name in KNOWN_DISTRIBUTIONS:
            versions[name] = hit.group(3)
    return versions


#: Distributions whose versions :func:`shown_versions` reports.
KNOWN_DISTRIBUTIONS = frozenset(
    {
        "jax",
        "jaxlib",
        "numpyro",
        "keras",
        "tensorflow",
        "tensorflow-probability",
        "tf-keras",
        "funsor",
        "numpy",
        "torch",
    }
)


def normalise_name(name: str) -> str:
    """A distribution name in PEP 503 form, with ``tfp``/``tf`` spelled out."""
    name = re.sub(r"[-_.]+", "-", name).lower()
    return {"tf": "tensorflow", "tfp": "tensorflow-probability"}.get(name, name)


def normalise(message: str) -> str:
    """A message with what varies between users masked, lower-cased, as tokens.

    Paths, URLs, addresses, tracer reprs, dtypes, shapes, quoted names and
    numbers become one placeholder word each; stop words are dropped.
    """
    text = message[:MAX_MESSAGE]
    for pattern, placeholder in _MASKS:
        text = pattern.sub(placeholder, text)
    return " ".join(t for t in _TOKEN.findall(text.lower()) if t not in STOP_WORDS)


def regex_text(pattern: str) -> str:
    """The literal words of a regex, for fuzzy comparison (``\\.`` -> ``.``, ``.*`` dropped)."""
    text = re.sub(RULES["regex_wildcard"], " ", pattern)
    text = re.sub(RULES["regex_escape"], r"\1", text)
    return re.sub(RULES["regex_anchor"], " ", text)


def class_matches(error: PastedError, pattern: Pattern) -> bool:
    """Whether the pasted class is the case's ``raises`` or a subclass of it.

    A bare message (no class shown) does not contradict any class.
    """
    wanted = pattern.raises.rsplit(".", 1)[-1]
    if not error.name:
        return True
    if not wanted:
        return False
    return wanted == error.name or wanted in _bases(error.name, pattern)


def _bases(name: str, pattern: Pattern) -> tuple[str, ...]:
    if pattern.mro and pattern.mro[0].rsplit(".", 1)[-1] == name:
        return tuple(m.rsplit(".", 1)[-1] for m in pattern.mro)
    if name in ALIASES:
        known = ALIASES[name]
        return known + tuple(b for base in known for b in _builtin_mro(base))
    return _builtin_mro(name)


def _builtin_mro(name: str) -> tuple[str, ...]:
    cls = getattr(builtins, name, None)
    if isinstance(cls, type) and issubclass(cls, BaseException):
        return tuple(c.__name__ for c in cls.__mro__)
    return ()


def regex_search(pattern: str, message: str) -> bool:
    """``re.search`` semantics, bounded by :data:`REGEX_TIMEOUT`; a bad or slow regex is False."""
    try:
        return regex.search(pattern, message, timeout=REGEX_TIMEOUT) is not None
    except (regex.error, TimeoutError, OverflowError, RecursionError):
        return False


def score(error: PastedError, pattern: Pattern, pasted: Pasted) -> tuple[float, bool]:
    """The score of one pasted exception against one case, and whether it is exact.

    ``raises`` and ``warns`` claims are exact when the class matches and ``match``
    is found in the message; ``crashes`` and ``stderr`` claims when their
    regexes are found anywhere in the pasted text (a log); any claim when one of
    ``messages`` is found in ``Class: message``.
    """
    involved = pasted.libraries
    foreign = bool(involved) and not involved.intersection(pattern.libraries)
    same_class = class_matches(error, pattern)
    if not foreign:
        if pattern.kind in ("raises", "warns"):
            if same_class and pattern.match and regex_search(pattern.match, error.message):
                return EXACT_SCORE, True
        elif any(rx and regex_search(rx, pasted.text) for rx in (pattern.match, pattern.stderr)):
            return EXACT_SCORE, True
        line = f"{error.cls}: {error.message}" if error.cls else error.message
        if any(regex_search(other, line) for other in pattern.messages):
            return EXACT_SCORE, True
    words = normalise(error.message)
    if not words:
        return 0.0, False
    best = 0.0
    known = (pattern.match, pattern.stderr, *pattern.messages)
    for text in (*map(regex_text, known), *pattern.texts):
        best = max(best, similarity(words, normalise(text)))
    bonus = 0.0 if not error.name else (0.08 if same_class else -0.08)
    if involved:
        bonus += -0.1 if foreign else 0.04
    return max(0.0, min(0.99, best + bonus)), False


def similarity(words: str, known: str) -> float:
    """rapidfuzz ``token_set_ratio`` in [0, 1], damped when few words are shared.

    A known text whose every word appears in the message scores 1 (a fragment of
    a longer message); sharing fewer than three content words (placeholders and
    :data:`GENERIC_WORDS` do not count) counts for less.
    """
    if not words or not known:
        return 0.0
    shared = len((set(words.split()) & set(known.split())) - GENERIC_WORDS)
    ratio = fuzz.token_set_ratio(words, known) / 100
    return ratio * min(1.0, (shared + 1) / 4)


def specificity(error: PastedError, pattern: Pattern, pasted: Pasted) -> int:
    """How specifically a case explains a pasted error it matches exactly, as one integer.

    Cases that document the same message (a JAX error raised by JAX alone and
    inside NumPyro's MCMC, a Keras error with and without TFP) all match it
    exactly; the order between them is, most significant first:

    1. the frames show the case's own library (``numpyro`` frames for a NumPyro case);
    2. fewer of the libraries the case needs (its library and ``requires``) are
       missing from the frames: with nothing pointing to NumPyro, the case
       that needs JAX alone is the likelier explanation;
    3. more of them are shown: NumPyro and JAX frames point to the case that
       needs both rather than to the case that needs JAX alone;
    4. more content words of the message (not placeholders, not
       :data:`GENERIC_WORDS`) appear in the case's texts (claim regexes as
       text, ``messages``, captured messages): the case that explains more of
       the message.

    Returns:
        ``1000000 * agrees + 10000 * (99 - missing) + 100 * common + covered``,
        each count capped at 99.
    """
    shown = pasted.libraries
    agrees = 1 if pattern.library in shown else 0
    missing = min(99, sum(1 for library in pattern.libraries if library not in shown))
    common = min(99, len(pattern.libraries) - missing)
    words = set(normalise(error.message).split()) - GENERIC_WORDS
    known: set[str] = set()
    for text in (
        *map(regex_text, (pattern.match, pattern.stderr, *pattern.messages)),
        *pattern.texts,
    ):
        known.update(normalise(text).split())
    covered = min(99, len(words & known))
    return 1000000 * agrees + 10000 * (99 - missing) + 100 * common + covered


def rank(pasted: Pasted, patterns: Iterable[Pattern], limit: int = 5) -> list[Match]:
    """The cases matching a pasted text, best first, at most ``limit``.

    Each case scores its best against any exception of the chain; an earlier
    link (a cause) counts 0.95 of the last one. Exact matches come first (equal
    scores by :func:`specificity`); near ones below :data:`THRESHOLD` are dropped.
    """
    chain = pasted.errors
    found: list[Match] = []
    for pattern in patterns:
        best: Match | None = None
        for position, error in enumerate(reversed(chain)):
            value, exact = score(error, pattern, pasted)
            value *= 0.95 if position else 1.0
            if best is None or (exact, value) > (best.exact, best.score):
                best = Match(pattern.case, round(value, 4), exact, error)
        if best is not None and best.exact:
            best = replace(best, specificity=specificity(best.error, pattern, pasted))
        if best is not None and (best.exact or best.score >= THRESHOLD):
            found.append(best)
    found.sort(key=lambda m: (not m.exact, -m.score, -m.specificity, m.case))
    return found[:limit]


def export_rules() -> dict[str, object]:
    """Everything ``paste.js`` needs besides the patterns, as JSON-ready data.

    The regex sources, masks, word lists, thresholds, :data:`ALIASES`,
    :data:`MODULE_DISTRIBUTIONS` and the builtin exception hierarchy (class
    name to its MRO names), so that the browser applies the same rules.
    """
    hierarchy = {
        name: [c.__name__ for c in cls.__mro__]
        for name, cls in vars(builtins).items()
        if isinstance(cls, type) and issubclass(cls, BaseException)
    }
    return {
        "rules": dict(RULES),
        "masks": [list(mask) for mask in MASKS],
        "stop_words": sorted(STOP_WORDS),
        "generic_words": sorted(GENERIC_WORDS),
        "threshold": THRESHOLD,
        "exact_score": EXACT_SCORE,
        "max_message": MAX_MESSAGE,
        "max_text": MAX_TEXT,
        "aliases": {name: list(bases) for name, bases in ALIASES.items()},
        "module_distributions": dict(MODULE_DISTRIBUTIONS),
        "runner_modules": sorted(RUNNER_MODULES),
        "builtin_mro": hierarchy,
    }


def match_text(text: str, patterns: Sequence[Pattern], limit: int = 5) -> list[Match]:
    """:func:`parse` then :func:`rank`."""
    return rank(parse(text), patterns, limit)


def _clean(line: str) -> str:
    line = _QUOTE_PREFIX.sub("", _PYTEST_PREFIX.sub("", line.rstrip()))
    stripped = _WRAPPER.sub("", line.lstrip())
    return stripped if _EXC_LINE.match(stripped) else line


def _ends_message(line: str) -> bool:
    return bool(
        _CHAIN_BREAK.match(line.strip()) or _FRAME_LINE.match(line) or _EXC_LINE.match(line)
    )
