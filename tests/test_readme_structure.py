"""README structure: one `# title`, then Symptom, Cause, Fix, Alternatives, References."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixbook.cli import main
from fixbook.knowledge.case import find_case_folders
from fixbook.site.readme import SECTIONS, structure_problems

from .conftest import README, MakeCase

ROOT = Path(__file__).resolve().parents[1]


def _readme(*sections: str, body: str = "Text.") -> str:
    return "# Title\n\n" + "".join(f"## {name}\n\n{body}\n\n" for name in sections)


def test_the_five_sections_in_order_pass() -> None:
    assert structure_problems(_readme(*SECTIONS)) == []
    assert structure_problems(README) == []


@pytest.mark.parametrize(
    ("readme", "problem"),
    [
        pytest.param(
            _readme(*SECTIONS).replace("## Cause\n\nText.", "## Cause\n\nSee (#1 and\n#19895)."),
            "has a second level-1 heading '19895).'",
            id="wrapped line starting with #",
        ),
        pytest.param(
            _readme(*SECTIONS).replace("## Fix\n\n", "## Fix\n\n### Details\n\n"),
            "has a heading 'Details' that is not one of the sections",
            id="a sub-heading",
        ),
        pytest.param(
            _readme("Symptom", "Cause", "Alternatives", "References"),
            "has no '## Fix' section",
            id="missing section",
        ),
        pytest.param(
            _readme("Symptom", "Fix", "Cause", "Alternatives", "References"),
            "has its sections in the order Symptom, Fix, Cause, Alternatives, References",
            id="out of order",
        ),
        pytest.param(
            "## Symptom\n\n" + _readme(*SECTIONS).split("\n", 2)[2],
            "does not start with a '# title' heading",
            id="no title",
        ),
        pytest.param(
            _readme(*SECTIONS).replace("## Fix\n\nText.", "## Fix\n\nA rule under text\n---"),
            "has a heading 'A rule under text' that is not one of the sections",
            id="a rule right under a paragraph makes a setext heading",
        ),
    ],
)
def test_structure_problems(readme: str, problem: str) -> None:
    assert any(found.startswith(problem) for found in structure_problems(readme)), (
        structure_problems(readme)
    )


def test_lines_inside_fenced_code_do_not_count() -> None:
    body = "```text\n# not a heading\n## Neither\n```\n\n~~~\n#include <x>\n~~~"
    assert structure_problems(_readme(*SECTIONS, body=body)) == []


def test_check_reports_readme_structure_and_names_the_file(
    tmp_path: Path, make_case: MakeCase, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = make_case("wrapped", readme=_readme(*SECTIONS).replace("Text.", "(and\n#123).", 1))
    assert main(["check", str(tmp_path / "cases")]) == 1
    out = capsys.readouterr().out
    assert f"error: {bad / 'README.md'}: has a second level-1 heading '123).'" in out
    assert "1 case(s) checked, 1 invalid" in out


def test_every_case_in_the_repository_passes_check(capsys: pytest.CaptureFixture[str]) -> None:
    folders = find_case_folders([ROOT / "cases"])
    assert folders
    code = main(["check", str(ROOT / "cases")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"{len(folders)} case(s) checked, 0 invalid" in out
