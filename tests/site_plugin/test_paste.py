"""paste.js (run in Node) ranks like the Python matching core, on the same inputs."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from fixbook.knowledge.matching import Pattern, match_text
from fixbook.site import paste
from fixbook.site.catalog import load_catalog
from tests.why_eval.evaluate import ROOT, load_reports

NODE = shutil.which("node")

EXTRA_INPUTS = [
    "",
    "KeyError: 'foo'",
    "E       ValueError: Incompatible shapes for broadcasting: shapes=[(50, 100), (30,)]",
    "ValueError                                Traceback (most recent call last)\n"
    "Cannot convert a partially known TensorShape to a Tensor: (None, 3)",
    "jax.errors.TracerBoolConversionError: Attempted boolean conversion of traced array",
    "ModuleNotFoundError: No module named 'tensorflow_probability.substrates'",
    "AttributeError: module 'jax.interpreters.xla' has no attribute 'pytype_aval_mappings'",
    "numpyro==0.14.0\nValueError: Incompatible shapes for broadcasting: shapes=[(3,), (4,)]",
    "TypeError: normal(): argument 'size' must be tuple of ints, but found element of type "
    "NoneType at pos 0",
]

RUNNER = """
globalThis.window = globalThis;
const fs = require("fs");
eval(fs.readFileSync(process.argv[2], "utf8"));
eval(fs.readFileSync(process.argv[3], "utf8"));
const inputs = JSON.parse(fs.readFileSync(process.argv[4], "utf8"));
const out = inputs.map((text) => {
  const matcher = new window.FixbookMatcher(window.FIXBOOK_MATCHING);
  const pasted = matcher.parse(text);
  return {
    errors: pasted.errors,
    libraries: [...pasted.libraries].sort(),
    versions: pasted.versions,
    matches: matcher.rank(pasted, 5).map((m) => [m.case, m.score, m.exact]),
  };
});
process.stdout.write(JSON.stringify(out));
"""


def _python_side(text: str, patterns: list[Pattern]) -> dict[str, object]:
    from fixbook.knowledge.matching import parse, rank

    pasted = parse(text)
    return {
        "errors": [{"cls": e.cls, "message": e.message} for e in pasted.errors],
        "libraries": sorted(pasted.libraries),
        "versions": dict(pasted.versions),
        "matches": [[m.case, m.score, m.exact] for m in rank(pasted, patterns, 5)],
    }


@pytest.mark.skipif(NODE is None, reason="the equivalence test runs paste.js in Node (node)")
def test_paste_js_matches_like_the_python_core(tmp_path: Path) -> None:
    catalog = load_catalog(ROOT / "cases", ROOT / "cases" / ".no-results")
    data = paste.matching_data(catalog)
    patterns = [
        Pattern(**{k: tuple(v) if isinstance(v, list) else v for k, v in p.items()})
        for p in data["patterns"]
    ]
    inputs = [r.text for r in load_reports()] + EXTRA_INPUTS
    (tmp_path / "data.js").write_text(paste.data_script(data), encoding="utf-8")
    (tmp_path / "paste.js").write_text(paste.asset("paste.js"), encoding="utf-8")
    (tmp_path / "inputs.json").write_text(json.dumps(inputs), encoding="utf-8")
    (tmp_path / "run.js").write_text(RUNNER, encoding="utf-8")
    done = subprocess.run(
        [NODE, "run.js", "data.js", "paste.js", "inputs.json"],  # type: ignore[list-item]
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    from_js = json.loads(done.stdout)
    assert len(from_js) == len(inputs)
    for text, js in zip(inputs, from_js, strict=True):
        py = _python_side(text, patterns)
        assert js["errors"] == py["errors"], text
        assert js["libraries"] == py["libraries"], text
        assert js["versions"] == py["versions"], text
        assert [m[0] for m in js["matches"]] == [m[0] for m in py["matches"]], text
        assert [m[2] for m in js["matches"]] == [m[2] for m in py["matches"]], text
        for (_, js_score, _), (_, py_score, _) in zip(js["matches"], py["matches"], strict=True):
            assert js_score == pytest.approx(py_score, abs=1e-4), text
    # the inputs exercise both tiers and the empty answer
    kinds = {bool(m[2]) for js in from_js for m in js["matches"]}
    assert kinds == {True, False}
    assert any(not js["matches"] for js in from_js)
    assert match_text("", patterns) == []


def test_data_script_cannot_end_the_script_or_start_markup() -> None:
    script = paste.data_script({"x": "</script><img src=x onerror=alert(1)> & \u2028"})
    assert "</script>" not in script and "<img" not in script and "&" not in script
    assert script.startswith("window.FIXBOOK_MATCHING = {")
    assert json.loads(script.split("= ", 1)[1].rstrip(";\n")) == {
        "x": "</script><img src=x onerror=alert(1)> & \u2028"
    }


def test_tune_search_index_weighs_the_error_headings_that_end_a_case_page(tmp_path: Path) -> None:
    page = "cases/lib/a/index.html"
    docs = [
        {"location": page, "title": "A"},
        # a README's heading with the same words as the plugin's comes before them
        {"location": f"{page}#error-messages-this-case-explains", "title": "Error messages"},
        {"location": f"{page}#valueerror-readme", "title": "ValueError: readme"},
        {"location": f"{page}#error-messages-this-case-explains_1", "title": "Error messages"},
        {"location": f"{page}#valueerror-bad", "title": "ValueError: bad"},
        {"location": f"{page}#typeerror-worse", "title": "TypeError: worse"},
        {"location": "cases/lib/b/index.html", "title": "B"},
        {"location": "cases/lib/b/index.html#the-error", "title": "The error"},
        {"location": "index.html#welcome", "title": "Welcome"},
    ]
    path = tmp_path / "search_index.json"
    path.write_text(json.dumps({"config": {"lang": ["en"]}, "docs": docs}), encoding="utf-8")
    assert paste.tune_search_index(path, {page: 2, "cases/lib/b/index.html": 0})
    data = json.loads(path.read_text(encoding="utf-8"))
    boosted = [d["location"] for d in data["docs"] if "boost" in d]
    assert boosted == [f"{page}#valueerror-bad", f"{page}#typeerror-worse"]
    assert {d["boost"] for d in data["docs"] if "boost" in d} == {paste.ERROR_HEADING_BOOST}
    assert data["config"]["fields"] == paste.SEARCH_FIELDS
    assert data["config"]["lang"] == ["en"]
    assert not paste.tune_search_index(tmp_path / "missing.json", {page: 2})
