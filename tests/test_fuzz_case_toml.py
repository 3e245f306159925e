"""Property-based fuzzing of ``case.toml``: every input is a valid Case or one CaseError.

Whatever a contributor writes (random keys, types, nesting, strings full of specials,
text that is not TOML or not UTF-8, scripts missing or empty), ``load_case`` either
returns a ``Case`` or raises one ``CaseError`` whose message starts with the path of
the file at fault, inside the case folder. Never another exception: one of those
would stop collection of every other case.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from packaging.specifiers import SpecifierSet

from fixbook.knowledge.case import CASE_FILES, Case, CaseError, load_case

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

VALID: dict[str, Any] = {
    "title": "Sample",
    "library": "numpyro",
    "summary": "One sentence.",
    "tags": ["shapes"],
    "upstream": ["https://github.com/pyro-ppl/numpyro/issues/1"],
    "requires": ["numpyro", "jax"],
    "env": {"KERAS_BACKEND": "jax"},
    "timeout": 30,
    "repro": {
        "raises": "ValueError",
        "match": "Incompatible shapes",
        "affected": {"numpyro": ">=0.14,<0.15"},
    },
    "fix": {"requires": {"keras": ">=3.6"}},
}

KNOWN_KEYS = [
    *VALID,
    *VALID["repro"],
    "requires",
    "titel",
    "Title",
    "mtach",
    "affeced",
    "raise",
    "upstreams",
    "timout",
    "enviroment",
    "repro.match",
    "",
    " ",
    "ключ",
    "a b",
    "a\nb",
]

#: Strings that have tripped parsers before: quotes, escapes, regex and specifier syntax,
#: markup, control and bidi characters, things that look like other TOML types.
SPECIAL_STRINGS = [
    "",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\\",
    '"',
    "'",
    "'''",
    '"""',
    "\x00",
    "\x7f",
    "\u202e",
    "\ufeff",
    "\U0001f600",
    "é",
    "(",
    ")",
    "[",
    "[a-",
    "*",
    "+?",
    "(?P<x",
    "\\d{2,1}",
    "(?<=a+)b",
    ">=banana",
    "==1.0.*",
    "~=1",
    ">=1,",
    "numpyro",
    "jax[cpu]",
    "foo; os_name",
    "foo @ https://x",
    "https://",
    "http://example.com",
    "ValueError",
    "jax.errors.X",
    "1ValueError",
    "a..b",
    "builtins.ValueError",
    "<script>alert(1)</script>",
    "{{ jinja }}",
    "**x**",
    "| a |",
    "nan",
    "inf",
    "true",
    "1979-05-27",
    "0x1F",
    "1e400",
    "-0",
]

text = st.one_of(
    st.sampled_from(SPECIAL_STRINGS),
    st.text(st.characters(codec="utf-8"), max_size=24),
    st.builds(
        lambda a, b: a + b,
        st.sampled_from(SPECIAL_STRINGS),
        st.text(st.characters(codec="utf-8"), max_size=8),
    ),
)
keys = st.one_of(st.sampled_from(KNOWN_KEYS), text)
scalars = st.one_of(
    text,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(),
    st.dates(),
    st.times(),
    st.datetimes(timezones=st.just(dt.UTC)),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=10,
)


@st.composite
def mutated_documents(draw: st.DrawFn) -> dict[str, Any]:
    """The valid document with a few keys added, removed or given other values."""
    doc = {k: (dict(v) if isinstance(v, dict) else v) for k, v in VALID.items()}
    doc["repro"] = dict(VALID["repro"])
    for _ in range(draw(st.integers(1, 4))):
        tables = [doc, *(doc.get(k) for k in ("repro", "fix", "env"))]
        table = draw(st.sampled_from([t for t in tables if isinstance(t, dict)]))
        action = draw(st.sampled_from(["set", "add", "delete"]))
        if action == "delete" and table:
            del table[draw(st.sampled_from(sorted(table)))]
        elif action == "set" and table:
            table[draw(st.sampled_from(sorted(table)))] = draw(values)
        else:
            table[draw(keys)] = draw(values)
    return doc


documents = st.one_of(
    mutated_documents(),
    st.dictionaries(keys, values, max_size=8),
    st.fixed_dictionaries({k: st.just(v) for k, v in VALID.items() if k != "repro"}).map(
        lambda d: {**d, "repro": {"raises": "ValueError"}}
    ),
)


def dump(document: dict[str, Any]) -> str:
    try:
        return tomli_w.dumps(document)
    except (TypeError, ValueError):
        assume(False)
        raise


_folders = itertools.count()


@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def write_folder(root: Path, toml: bytes, scripts: dict[str, bytes | None]) -> Path:
    """A fresh case folder; a script given as ``None`` is left out."""
    folder = root / "lib" / f"case-{next(_folders)}"
    folder.mkdir(parents=True)
    (folder / "case.toml").write_bytes(toml)
    for name, content in scripts.items():
        if content is not None:
            (folder / name).write_bytes(content)
    return folder


GOOD_SCRIPTS: dict[str, bytes | None] = {
    "repro.py": b"raise ValueError('x')\n",
    "fix.py": b"x = 1\n",
    "README.md": b"# x\n",
}
scripts = st.fixed_dictionaries(
    {name: st.sampled_from([GOOD_SCRIPTS[name], b"", None]) for name in CASE_FILES[1:]}
)


def check(folder: Path) -> Case | CaseError:
    """Load ``folder``: a valid Case, or one CaseError naming a file of the folder first."""
    try:
        case = load_case(folder)
    except CaseError as exc:
        message = str(exc)
        assert message.startswith(f"{exc.path}: "), message
        assert exc.path.parent == folder and exc.path.name in CASE_FILES, exc.path
        assert message.strip() != f"{exc.path}:"
        return exc
    assert_valid(case, folder)
    return case


def assert_valid(case: Case, folder: Path) -> None:
    """What a loaded case promises the rest of fixbook."""
    assert case.path == folder
    for name in ("title", "library", "summary"):
        assert isinstance(getattr(case, name), str) and getattr(case, name).strip()
    assert case.upstream and all(u.startswith("https://") for u in case.upstream)
    assert all(isinstance(x, str) and x for x in (*case.requires, *case.tags))
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in case.env.items())
    assert case.timeout is None or (
        isinstance(case.timeout, int | float)
        and not isinstance(case.timeout, bool)
        and case.timeout > 0
    )
    re.compile(case.repro.match)
    assert re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*", case.repro.raises)
    for specs in (case.repro.affected or {}, case.fix.requires):
        assert all(isinstance(s, SpecifierSet) for s in specs.values())
    assert len(case.content_hash()) == 64


@FUZZ
@given(document=documents, files=scripts)
@example(document=VALID, files=GOOD_SCRIPTS)
@example(document={}, files=GOOD_SCRIPTS)
@example(document={**VALID, "timeout": math.nan}, files=GOOD_SCRIPTS)
@example(document={**VALID, "tags": [[["deep"]]]}, files=GOOD_SCRIPTS)
@example(document={**VALID, "env": {"A=B": "x"}}, files=GOOD_SCRIPTS)
@example(document={**VALID, "env": {"A": "\x00"}}, files=GOOD_SCRIPTS)
@example(
    document={**VALID, "repro": {**VALID["repro"], "affected": {"jax[cpu]": ">=1"}}},
    files=GOOD_SCRIPTS,
)
@example(document={**VALID, "fix": {"requires": {"keras": 3}}}, files=GOOD_SCRIPTS)
def test_any_document_gives_a_case_or_one_case_error(
    fuzz_root: Path, document: dict[str, Any], files: dict[str, bytes | None]
) -> None:
    check(write_folder(fuzz_root, dump(document).encode("utf-8"), files))


@FUZZ
@given(
    document=mutated_documents(),
    cuts=st.lists(
        st.tuples(st.integers(0, 2000), st.integers(0, 40), st.binary(max_size=6)),
        min_size=1,
        max_size=4,
    ),
)
def test_damaged_text_gives_a_case_or_one_case_error(
    fuzz_root: Path, document: dict[str, Any], cuts: list[tuple[int, int, bytes]]
) -> None:
    """Bytes cut out of a document and others pasted in: broken TOML, broken UTF-8."""
    raw = bytearray(dump(document).encode("utf-8"))
    for start, length, paste in cuts:
        start = start % (len(raw) + 1)
        raw[start : start + length] = paste
    check(write_folder(fuzz_root, bytes(raw), GOOD_SCRIPTS))


@FUZZ
@given(
    raw=st.binary(max_size=200)
    | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass"))
)
def test_arbitrary_bytes_give_one_case_error(fuzz_root: Path, raw: bytes) -> None:
    result = check(write_folder(fuzz_root, raw, GOOD_SCRIPTS))
    assert isinstance(result, CaseError)


def test_valid_document_loads(fuzz_root: Path) -> None:
    """The seed every mutation starts from is itself a valid case."""
    case = check(write_folder(fuzz_root, dump(VALID).encode("utf-8"), GOOD_SCRIPTS))
    assert isinstance(case, Case)
    assert case.repro.affected == {"numpyro": SpecifierSet(">=0.14,<0.15")}


@pytest.mark.parametrize(
    ("patch", "key"),
    [
        pytest.param(
            {"tags": [[[[["x"]]]]]},
            "[tags[0]]",
            id="nested-arrays-in-a-string-list",
        ),
        pytest.param(
            "deep",
            "case.toml",
            id="toml-nested-2000-deep",
        ),
        pytest.param(
            {"repro": {"raises": "ValueError", "match": "x{4294967296}"}},
            "[repro.match]",
            id="regex-repeat-overflow",
        ),
        pytest.param(
            {"repro": {"raises": "ValueError", "match": "(" * 1500 + ")" * 1500}},
            "[repro.match]",
            id="regex-nested-groups",
        ),
    ],
)
def test_inputs_at_the_parsers_limits(fuzz_root: Path, patch: Any, key: str) -> None:
    if patch == "deep":
        toml = dump(VALID) + "\n[more]\nx = " + "[" * 2000 + "]" * 2000 + "\n"
    else:
        toml = dump({**VALID, **patch})
    result = check(write_folder(fuzz_root, toml.encode("utf-8"), GOOD_SCRIPTS))
    assert isinstance(result, CaseError)
    assert key in str(result)
