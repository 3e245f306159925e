"""The case model: valid cases load; every kind of bad input is one clear error."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from fixbook.knowledge.case import CaseError, find_case_folders, load_case

from .conftest import MakeCase


def test_valid_case_loads_into_frozen_dataclasses(make_case: MakeCase) -> None:
    folder = make_case(
        "ok",
        extra='tags = ["shapes"]\nenv = { KERAS_BACKEND = "jax" }\ntimeout = 30\n',
        repro_extra=(
            'affected = { packaging = ">=20,<99" }\n[fix]\nrequires = { packaging = ">=20" }\n'
        ),
    )
    case = load_case(folder)
    assert case.id == "samples/ok"
    assert case.requires == ("packaging",)
    assert case.env == {"KERAS_BACKEND": "jax"}
    assert case.timeout == 30
    assert case.tags == ("shapes",)
    assert case.repro.affected == {"packaging": SpecifierSet(">=20,<99")}
    assert case.fix.requires == {"packaging": SpecifierSet(">=20")}
    with pytest.raises(AttributeError):
        case.title = "changed"  # type: ignore[misc]


def test_requires_may_name_the_release_the_scripts_need(make_case: MakeCase) -> None:
    case = load_case(make_case("needs", requires='["packaging>=20", "tomli_w"]'))
    assert case.requires == ("packaging", "tomli_w")
    assert case.needs == {"packaging": SpecifierSet(">=20")}


def test_content_hash_changes_with_any_file(make_case: MakeCase) -> None:
    folder = make_case("hashed")
    before = load_case(folder).content_hash()
    (folder / "fix.py").write_text("assert 2 + 2 == 4\n")
    assert load_case(folder).content_hash() != before


def _replace(folder: Path, old: str, new: str) -> None:
    toml = folder / "case.toml"
    text = toml.read_text()
    assert old in text
    toml.write_text(text.replace(old, new))


@pytest.mark.parametrize(
    ("old", "new", "key", "words"),
    [
        ('title = "Sample bad"', 'titel = "x"', "titel", "unknown key"),
        ('title = "Sample bad"', "", "title", "required but missing"),
        ('title = "Sample bad"', "title = 3", "title", "must be a string, not a number"),
        ('title = "Sample bad"', 'title = "  "', "title", "must not be empty"),
        ('requires = ["packaging"]', 'requires = "packaging"', "requires", "must be an array"),
        (
            'requires = ["packaging"]',
            'requires = ["packaging[x]>=1"]',
            "requires[0]",
            "at most a version specifier",
        ),
        ('requires = ["packaging"]', 'requires = ["pack aging"]', "requires[0]", "requirement"),
        (
            'requires = ["packaging"]',
            'requires = ["Keras>=3.0", "jax", "keras<4"]',
            "requires[2]",
            "names keras a second time",
        ),
        (
            'upstream = ["https://github.com/example/example/issues/1"]',
            "upstream = []",
            "upstream",
            "at least one",
        ),
        (
            'upstream = ["https://github.com/example/example/issues/1"]',
            'upstream = ["github.com/x"]',
            "upstream[0]",
            "https://",
        ),
        ('raises = "ValueError"', 'raises = "Value Error"', "repro.raises", "exception class"),
        ('raises = "ValueError"', 'raiser = "ValueError"', "repro.raiser", "unknown key"),
        ('match = "bad thing \\\\d+"', 'match = "bad ("', "repro.match", "regular expression"),
        ('match = "bad thing \\\\d+"', 'match = ""', "repro.match", "matches every text"),
        ('match = "bad thing \\\\d+"', 'match = ".*"', "repro.match", "matches every text"),
        (
            'match = "bad thing \\\\d+"',
            'match = "x"\nstderr = "(warning)?"',
            "repro.stderr",
            "matches every text",
        ),
        (
            'match = "bad thing \\\\d+"',
            'match = "x"\nmessages = ["ok", "(a|a)*$"]',
            "repro.messages[1]",
            "matches every text",
        ),
        (
            'match = "bad thing \\\\d+"',
            'match = "x"\naffected = { packaging = "~~1" }',
            "repro.affected.packaging",
            "PEP 440",
        ),
        (
            'match = "bad thing \\\\d+"',
            'match = "x"\naffected = { packaging = 1 }',
            "repro.affected.packaging",
            "specifier string",
        ),
        (
            'match = "bad thing \\\\d+"',
            'match = "x"\n[fix]\nrequires = ["keras"]',
            "fix.requires",
            "must be a table",
        ),
        (
            'match = "bad thing \\\\d+"',
            'match = "x"\n[fix]\nskip = true',
            "fix.skip",
            "unknown key",
        ),
        (
            'requires = ["packaging"]',
            'requires = ["packaging"]\ntimeout = -1',
            "timeout",
            "positive",
        ),
        (
            'requires = ["packaging"]',
            'requires = ["packaging"]\ntimeout = true',
            "timeout",
            "must be a number",
        ),
        (
            'requires = ["packaging"]',
            'requires = ["packaging"]\nenv = { A = 1 }',
            "env.A",
            "strings",
        ),
    ],
)
def test_bad_field_names_file_and_key(
    make_case: MakeCase, old: str, new: str, key: str, words: str
) -> None:
    folder = make_case("bad")
    _replace(folder, old, new)
    with pytest.raises(CaseError) as excinfo:
        load_case(folder)
    message = str(excinfo.value)
    assert message.startswith(str(folder / "case.toml"))
    assert f"[{key}]" in message
    assert words in message


def test_broken_toml_names_the_file(make_case: MakeCase) -> None:
    folder = make_case("broken")
    (folder / "case.toml").write_text('title = "unterminated\n')
    with pytest.raises(CaseError, match=r"case\.toml: is not valid TOML"):
        load_case(folder)


def test_not_utf8_toml(make_case: MakeCase) -> None:
    folder = make_case("latin")
    (folder / "case.toml").write_bytes(b'title = "caf\xe9"\n')
    with pytest.raises(CaseError, match="not valid UTF-8"):
        load_case(folder)


@pytest.mark.parametrize("name", ["repro.py", "fix.py", "README.md"])
def test_missing_file(make_case: MakeCase, name: str) -> None:
    folder = make_case("missing")
    (folder / name).unlink()
    with pytest.raises(CaseError, match=rf"{name}: is missing"):
        load_case(folder)


def test_empty_file(make_case: MakeCase) -> None:
    folder = make_case("empty")
    (folder / "fix.py").write_text("")
    with pytest.raises(CaseError, match=r"fix\.py: is empty"):
        load_case(folder)


def test_missing_repro_table(make_case: MakeCase) -> None:
    folder = make_case("norepro")
    toml = folder / "case.toml"
    toml.write_text(toml.read_text().split("[repro]")[0])
    with pytest.raises(CaseError, match=r"\[repro\] is required but missing"):
        load_case(folder)


def test_find_case_folders_skips_hidden(tmp_path: Path, make_case: MakeCase) -> None:
    one = make_case("one")
    (tmp_path / "cases" / ".trash" / "x").mkdir(parents=True)
    (tmp_path / "cases" / ".trash" / "x" / "case.toml").write_text("")
    assert find_case_folders([tmp_path / "cases"]) == [one]
    assert find_case_folders([one / "case.toml"]) == [one]
