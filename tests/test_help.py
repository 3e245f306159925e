"""`fixbook --help` and every command's help: plain text, a purpose, options, an example."""

from __future__ import annotations

import re

import pytest

from fixbook.cli import COMMANDS, main

REST_MARKUP = re.compile(r"``|:[a-z]+:`|\.\. [a-z-]+::")


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--help"])
    assert exit_info.value.code == 0
    return capsys.readouterr().out


def test_top_level_help_is_plain_text_listing_every_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = _help(capsys)
    assert not REST_MARKUP.search(out), out
    for name, (purpose, _example) in COMMANDS.items():
        assert re.search(rf"^\s+{name}\s+{re.escape(purpose.split()[0])}", out, re.M), name
    assert "examples:" in out


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_has_purpose_options_and_example(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    out = _help(capsys, name)
    purpose, example = COMMANDS[name]
    assert not REST_MARKUP.search(out), out
    usage, description = out.split("\n\n")[:2]
    assert usage.startswith(f"usage: fixbook {name}")
    assert description.strip() == purpose[0].upper() + purpose[1:] + "."
    assert "\noptions:\n" in out and "-h, --help" in out
    assert out.rstrip().endswith(f"example:\n  {example}")
    assert example.startswith(f"fixbook {name} ")
