"""The case model: load and validate a case folder's ``case.toml``."""

from __future__ import annotations

import hashlib
import importlib.util
import math
import re
import signal
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from fixbook.knowledge.evidence import CheckedRun, EvidenceError, parse_checked
from fixbook.knowledge.layout import (
    CASE_FILE,
    CASE_FILES,
    CaseError,
    check_folder,
    read_case_bytes,
    read_case_text,
)
from fixbook.scaffold import placeholders

SCRIPTS = ("repro", "fix")

_TOP_KEYS = {
    "title": str,
    "library": str,
    "summary": str,
    "tags": list,
    "upstream": list,
    "requires": list,
    "env": dict,
    "timeout": (int, float),
    "repro": dict,
    "fix": dict,
}
_REQUIRED_TOP = ("title", "library", "summary", "upstream", "requires", "repro")
_REPRO_KEYS = {
    "raises": str,
    "warns": str,
    "crashes": str,
    "hangs": bool,
    "stderr": str,
    "match": str,
    "affected": dict,
    "messages": list,
    "checked": list,
}
#: The claim kinds of ``[repro]``; ``stderr`` alone is a kind too, or goes with one of these.
KINDS = ("raises", "warns", "crashes", "hangs")
CLAIM_KINDS = (*KINDS, "stderr")
#: Module aliases the libraries' own documentation writes (``tf.errors.InvalidArgumentError``,
#: https://www.tensorflow.org/api_docs/python/tf/errors), resolved to the module they stand for.
MODULE_ALIASES = {
    "tf": "tensorflow",
    "tfp": "tensorflow_probability",
    "tfd": "tensorflow_probability.distributions",
    "tfb": "tensorflow_probability.bijectors",
    "jnp": "jax.numpy",
    "np": "numpy",
}
#: Top-level modules a class name may start with even where they are not installed.
KNOWN_MODULES = frozenset(
    {
        "__main__",
        "tensorflow",
        "tensorflow_probability",
        "tf_keras",
        "keras",
        "jax",
        "jaxlib",
        "numpyro",
        "funsor",
        "numpy",
        "scipy",
        "optax",
        "flax",
        "torch",
        "absl",
        "google",
        "h5py",
        "ml_dtypes",
    }
)
_EXIT = re.compile(r"^exit:([0-9]{1,3})$")
_FIX_KEYS = {"requires": dict}
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


@dataclass(frozen=True)
class ReproSpec:
    """What ``repro.py`` must do (its claim), where the bug lives, and the runs that showed it.

    ``kind`` is one of ``CLAIM_KINDS``; ``target`` is what the kind names: the
    exception class (``raises``) or warning category (``warns``), with
    documented module aliases resolved, the signal name or ``exit:N``
    (``crashes``), empty for ``hangs`` and ``stderr`` alone. ``match`` is
    searched in the exception's or warning's message or, for ``crashes``, in
    the captured stderr; ``stderr`` is a regex the captured stderr must also match.
    """

    kind: str
    target: str = ""
    match: str = ""
    stderr: str | None = None
    affected: Mapping[str, SpecifierSet] | None = None
    #: Other wordings of the same error (older releases, other entry points), as
    #: regexes searched in ``Class: message``; only ``fixbook why`` and the
    #: site's matching read them, the run does not check them.
    messages: tuple[str, ...] = ()
    checked: tuple[CheckedRun, ...] = ()

    @property
    def raises(self) -> str:
        """The documented exception class, empty unless the claim is ``raises``."""
        return self.target if self.kind == "raises" else ""

    def claim(self) -> str:
        """The claim in words, for the site and the terminal: "raises ValueError",
        "warns UserWarning", "crashes with SIGABRT", "exits with status 3", "hangs",
        "logs to stderr", or one of these "and logs to stderr"."""
        if self.kind == "crashes" and self.target.startswith("exit:"):
            words = f"exits with status {self.target.partition(':')[2]}"
        elif self.kind == "crashes":
            words = f"crashes with {self.target}"
        elif self.kind in ("raises", "warns"):
            words = f"{self.kind} {self.target}"
        else:
            words = self.kind if self.kind == "hangs" else ""
        if self.stderr is not None:
            words = f"{words} and logs to stderr" if words else "logs to stderr"
        return words


@dataclass(frozen=True)
class FixSpec:
    """Where ``fix.py`` applies; empty means everywhere."""

    requires: Mapping[str, SpecifierSet] = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    """One validated case folder."""

    path: Path
    title: str
    library: str
    summary: str
    upstream: tuple[str, ...]
    requires: tuple[str, ...]
    repro: ReproSpec
    fix: FixSpec
    tags: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    timeout: float | None = None
    #: The releases both scripts need to run at all (``requires = ["jax>=0.4.30"]``: the
    #: API they call appeared there), by distribution; elsewhere both items are skipped.
    needs: Mapping[str, SpecifierSet] = field(default_factory=dict)

    def need(self, dist: str) -> tuple[str, SpecifierSet] | None:
        """The case's ``requires`` entry for ``dist`` (any spelling of the name), as
        ``(name as written, specifier)``, when it limits the version; else ``None``."""
        name = canonicalize_name(dist)
        return next(((n, s) for n, s in self.needs.items() if canonicalize_name(n) == name), None)

    @property
    def id(self) -> str:
        """``<library folder>/<slug>``, stable across checkouts."""
        return f"{self.path.parent.name}/{self.path.name}"

    @property
    def slug(self) -> str:
        return self.path.name

    def script(self, name: str) -> Path:
        """The path of ``repro.py`` or ``fix.py``."""
        return self.path / f"{name}.py"

    def content_hash(self) -> str:
        """A sha256 over the case's files, to tell when a stored result is stale."""
        digest = hashlib.sha256()
        for name in CASE_FILES:
            digest.update(name.encode() + b"\0")
            digest.update(read_case_bytes(self.path / name) + b"\0")
        return digest.hexdigest()


def load_case(folder: Path) -> Case:
    """Load and validate the case in ``folder``.

    Raises:
        CaseError: the first problem found, naming the file and the key; first
            what the folder holds (:func:`fixbook.knowledge.layout.check_folder`).
    """
    toml_path = folder / CASE_FILE
    check_folder(folder)
    try:
        raw = tomllib.loads(read_case_text(toml_path))
    except tomllib.TOMLDecodeError as exc:
        raise CaseError(toml_path, f"is not valid TOML: {exc}") from None
    except RecursionError:
        raise CaseError(toml_path, "is nested too deeply to be a case.toml") from None

    _check_keys(toml_path, raw, _TOP_KEYS, prefix="")
    for key in _REQUIRED_TOP:
        if key not in raw:
            raise CaseError(toml_path, "is required but missing", key)
    _check_filled_in(folder)

    repro_raw = raw["repro"]
    _check_keys(toml_path, repro_raw, _REPRO_KEYS, prefix="repro.")
    timeout = _timeout(toml_path, raw.get("timeout"))
    fix_raw = raw.get("fix", {})
    _check_keys(toml_path, fix_raw, _FIX_KEYS, prefix="fix.")
    requirements = _requirements(toml_path, raw["requires"])

    return Case(
        path=folder,
        title=_text(toml_path, raw, "title"),
        library=_distribution(toml_path, raw["library"], "library"),
        summary=_text(toml_path, raw, "summary"),
        upstream=_urls(toml_path, raw["upstream"]),
        requires=tuple(requirements),
        repro=_repro(toml_path, repro_raw, timeout),
        fix=FixSpec(requires=_specifiers(toml_path, fix_raw.get("requires", {}), "fix.requires")),
        tags=_strings(toml_path, raw.get("tags", []), "tags"),
        env=_env(toml_path, raw.get("env", {})),
        timeout=timeout,
        needs={name: spec for name, spec in requirements.items() if spec},
    )


def _check_filled_in(folder: Path) -> None:
    """Refuse a case whose files still hold what ``fixbook new`` wrote to be filled in."""
    left = placeholders(folder)
    if left:
        path, number, line = left[0]
        more = f" (and {len(left) - 1} more placeholders)" if len(left) > 1 else ""
        raise CaseError(
            path,
            f"is an unfilled scaffold: line {number} still holds the placeholder "
            f"{line!r} that `fixbook new` wrote{more}; fill in the case",
        )


def find_case_folders(paths: list[Path]) -> list[Path]:
    """Every folder at or under ``paths`` that holds a ``case.toml``, sorted."""
    found: set[Path] = set()
    for path in paths:
        if path.is_file() and path.name == CASE_FILE:
            found.add(path.parent)
        elif path.is_dir():
            found.update(p.parent for p in path.rglob(CASE_FILE) if not _hidden(p, path))
    return sorted(found)


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _check_keys(path: Path, table: dict[str, Any], schema: dict[str, Any], prefix: str) -> None:
    for key, value in table.items():
        if key not in schema:
            known = ", ".join(sorted(schema))
            raise CaseError(path, f"unknown key (known keys: {known})", prefix + key)
        expected = schema[key]
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            raise CaseError(
                path,
                f"must be {_type_name(expected)}, not {_type_name(type(value))}",
                prefix + key,
            )


def _type_name(kind: Any) -> str:
    names = {str: "a string", list: "an array", dict: "a table", int: "a number", bool: "a boolean"}
    if isinstance(kind, tuple):
        return names.get(kind[0], kind[0].__name__)
    return names.get(kind, kind.__name__)


def _text(path: Path, raw: dict[str, Any], key: str) -> str:
    value = raw[key].strip()
    if not value:
        raise CaseError(path, "must not be empty", key)
    return value


def _strings(path: Path, items: list[Any], key: str) -> tuple[str, ...]:
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            raise CaseError(path, "must be a non-empty string", f"{key}[{i}]")
    return tuple(items)


def _urls(path: Path, items: list[Any]) -> tuple[str, ...]:
    urls = _strings(path, items, "upstream")
    if not urls:
        raise CaseError(path, "must list at least one upstream link", "upstream")
    for i, url in enumerate(urls):
        if not url.startswith("https://"):
            raise CaseError(path, f"must be an https:// link, got {url!r}", f"upstream[{i}]")
    return urls


def _distribution(path: Path, name: Any, key: str) -> str:
    if not isinstance(name, str):
        raise CaseError(path, "must be a string", key)
    try:
        requirement = Requirement(name)
    except InvalidRequirement:
        raise CaseError(path, f"is not a distribution name: {name!r}", key) from None
    if str(requirement) != requirement.name:
        raise CaseError(path, f"must be a bare distribution name, got {name!r}", key)
    return requirement.name


def _requirements(path: Path, value: Any) -> dict[str, SpecifierSet]:
    """The top-level ``requires`` list: a bare name, or a name with a version specifier
    (``"jax>=0.4.30"``) where the scripts call an API that appeared in that release."""
    requirements: dict[str, SpecifierSet] = {}
    for i, item in enumerate(_strings(path, value, "requires")):
        key = f"requires[{i}]"
        try:
            requirement = Requirement(item)
        except InvalidRequirement:
            raise CaseError(path, f"is not a distribution requirement: {item!r}", key) from None
        if requirement.extras or requirement.url or requirement.marker:
            raise CaseError(
                path, f"must be a name with at most a version specifier, got {item!r}", key
            )
        if any(
            canonicalize_name(name) == canonicalize_name(requirement.name) for name in requirements
        ):
            raise CaseError(
                path, f"names {requirement.name} a second time; join the specifiers", key
            )
        requirements[requirement.name] = requirement.specifier
    return requirements


def _repro(path: Path, raw: dict[str, Any], timeout: float | None) -> ReproSpec:
    """The ``[repro]`` table: exactly one claim kind (``stderr`` may join any)."""
    kinds = [kind for kind in KINDS if kind in raw]
    if len(kinds) > 1:
        raise CaseError(
            path,
            f"states {len(kinds)} claims ({', '.join(kinds)}); keep one "
            "(only stderr may be added to another)",
            "repro",
        )
    if not kinds and "stderr" not in raw:
        raise CaseError(
            path, "needs a claim: one of raises, warns, crashes, hangs or stderr", "repro"
        )
    kind = kinds[0] if kinds else "stderr"
    target = ""
    if kind in ("raises", "warns"):
        what = "an exception class" if kind == "raises" else "a warning category"
        target = class_name(path, raw[kind], f"repro.{kind}", what)
    elif kind == "crashes":
        target = _crash(path, raw["crashes"])
    elif kind == "hangs":
        if raw["hangs"] is not True:
            raise CaseError(path, "must be true (leave it out otherwise)", "repro.hangs")
        if "match" in raw:
            raise CaseError(
                path, "cannot go with hangs = true: a hang has no message", "repro.match"
            )
        if timeout is None:
            raise CaseError(
                path, "is required by hangs = true: the hang is shown by a short timeout", "timeout"
            )
    if kind == "raises" and "match" not in raw:
        raise CaseError(path, "is required but missing", "repro.match")
    if kind == "stderr" and "match" in raw:
        raise CaseError(
            path, "has nothing to search with stderr alone: put the regex in stderr", "repro.match"
        )
    return ReproSpec(
        kind=kind,
        target=target,
        match=_regex(path, raw["match"], "repro.match") if "match" in raw else "",
        stderr=_regex(path, raw["stderr"], "repro.stderr") if "stderr" in raw else None,
        affected=(
            _specifiers(path, raw["affected"], "repro.affected") if "affected" in raw else None
        ),
        messages=tuple(
            _regex(path, item, f"repro.messages[{i}]")
            for i, item in enumerate(_strings(path, raw.get("messages", []), "repro.messages"))
        ),
        checked=_checked(path, raw.get("checked", [])),
    )


def class_name(path: Path, name: str, key: str, what: str = "an exception class") -> str:
    """A bare or dotted class name, with a documented module alias resolved.

    ``tf.errors.InvalidArgumentError`` becomes ``tensorflow.errors.InvalidArgumentError``
    (``MODULE_ALIASES``). A dotted name must start with a module that can exist:
    the standard library, ``KNOWN_MODULES``, or one installed here.

    Raises:
        CaseError: the name is not a class name, or its module cannot be imported.
    """
    if not _IDENTIFIER.match(name):
        raise CaseError(path, f"is not {what} name: {name!r}", key)
    top, dot, rest = name.partition(".")
    if not dot:
        return name
    if top in MODULE_ALIASES:
        name = f"{MODULE_ALIASES[top]}.{rest}"
        top = name.partition(".")[0]
    if top in sys.stdlib_module_names or top in KNOWN_MODULES or _importable(top):
        return name
    raise CaseError(
        path,
        f"names module {top!r}, which no installed or known library provides, so it can "
        f"never match; write the class's module path (e.g. tensorflow.errors.X) or its bare name",
        key,
    )


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _crash(path: Path, value: str) -> str:
    """``SIGABRT`` (any signal name of this platform) or ``exit:N`` with 1 <= N <= 255."""
    exit_code = _EXIT.match(value)
    if exit_code:
        if not 1 <= int(exit_code.group(1)) <= 255:
            raise CaseError(
                path,
                f"exit status must be 1 to 255 (0 is a clean run), got {value!r}",
                "repro.crashes",
            )
        return f"exit:{int(exit_code.group(1))}"
    if value in signal.Signals.__members__ and value.startswith("SIG"):
        return value
    known = ", ".join(sorted(n for n in signal.Signals.__members__ if n.startswith("SIG")))
    raise CaseError(
        path,
        f"must be a signal name ({known}) or exit:N, got {value!r}",
        "repro.crashes",
    )


def _regex(path: Path, pattern: str, key: str) -> str:
    """A regex as the ``regex`` package (which matches with a timeout) compiles it.

    A regex that matches the empty string is found in every text: it would make
    its case the exact match of every error pasted into ``fixbook why``, the
    site's paste page and ``pytest --fixbook-known``, and a claim that nothing
    can contradict. It is refused.
    """
    try:
        compiled = regex.compile(pattern)
        empty = compiled.search("", timeout=0.1) is not None
    except (regex.error, OverflowError, RecursionError, ValueError) as exc:
        why = str(exc) or type(exc).__name__
        raise CaseError(path, f"is not a valid regular expression: {why}", key) from None
    except TimeoutError:
        empty = False
    if empty:
        raise CaseError(
            path,
            f"matches every text (it matches the empty string): {pattern!r}; "
            "write the words of the error",
            key,
        )
    return pattern


def _specifiers(path: Path, table: dict[str, Any], key: str) -> dict[str, SpecifierSet]:
    specs: dict[str, SpecifierSet] = {}
    for dist, spec in table.items():
        name = _distribution(path, dist, f"{key}.{dist}")
        if not isinstance(spec, str):
            raise CaseError(path, "must be a version specifier string", f"{key}.{dist}")
        try:
            specs[name] = SpecifierSet(spec)
        except InvalidSpecifier:
            raise CaseError(
                path, f"is not a valid PEP 440 specifier: {spec!r}", f"{key}.{dist}"
            ) from None
    return specs


def _checked(path: Path, items: list[Any]) -> tuple[CheckedRun, ...]:
    try:
        return parse_checked(items)
    except EvidenceError as exc:
        raise CaseError(path, str(exc), exc.key) from None


def _env(path: Path, table: dict[str, Any]) -> dict[str, str]:
    for name, value in table.items():
        if not isinstance(value, str):
            raise CaseError(path, "environment values must be strings", f"env.{name}")
        if not name or "=" in name or "\0" in name or "\0" in value:
            raise CaseError(path, "is not a valid environment variable", f"env.{name}")
    return dict(table)


def _timeout(path: Path, value: float | None) -> float | None:
    if value is not None and not (value > 0 and math.isfinite(value)):
        raise CaseError(path, "must be a positive, finite number of seconds", "timeout")
    return value
