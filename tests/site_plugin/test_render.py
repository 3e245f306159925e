"""Unit tests of the renderer: the generated Markdown, converted as mkdocs would."""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown
import pytest
from mkdocs.utils.meta import get_data

from fixbook.site.case_extras import documented_line, error_texts, extras
from fixbook.site.catalog import Catalog, load_catalog
from fixbook.site.render import render_case, render_matrix, render_pages, render_summary
from tests.conftest import write_case
from tests.site_plugin.samples import (
    CASES,
    NUMPYRO_MESSAGE,
    TRICKY_MESSAGE,
    write_cases,
    write_sample_results,
)

EXTENSIONS = [
    "admonition",
    "attr_list",
    "tables",
    "toc",
    "pymdownx.details",
    "pymdownx.highlight",
    "pymdownx.superfences",
    "pymdownx.tabbed",
]


def to_html(source: str) -> tuple[dict, str]:
    body, meta = get_data(source)
    converted = markdown.markdown(
        body,
        extensions=EXTENSIONS,
        extension_configs={"pymdownx.tabbed": {"alternate_style": True}},
    )
    return meta, converted


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    write_cases(tmp_path)
    write_sample_results(tmp_path)
    return load_catalog(tmp_path / "cases", tmp_path / ".fixbook" / "results")


def case_html(catalog: Catalog, case_id: str) -> tuple[dict, str]:
    entry = next(e for e in catalog.cases if e.id == case_id)
    return to_html(render_case(entry, catalog))


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_untrusted_text_never_becomes_markup(catalog: Catalog) -> None:
    meta, page = case_html(catalog, "keras/tricky-escaping")
    assert "<script" not in page
    assert "<KerasTensor" not in page and "<b>" not in page and "<strong>not bold" not in page
    title = CASES["keras/tricky-escaping"]["title"]
    assert meta["title"] == html.escape(title)
    (h1,) = re.findall(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert text_of(h1) == title
    blocks = [text_of(b) for b in re.findall(r"<pre[^>]*>(.*?)</pre>", page, re.S)]
    assert f"TypeError: {TRICKY_MESSAGE}\n" in blocks
    assert "Inputs to a layer should be tensors\n" in blocks  # the documented match


def test_case_page_has_badges_tabs_downloads_and_diff(catalog: Catalog) -> None:
    _, page = case_html(catalog, "numpyro/predictive-shape")
    badges = re.findall(r'class="fixbook-badge (fixbook-status--[a-z-]+)', page)
    assert badges == ["fixbook-status--not-affected", "fixbook-status--reproduces"]
    assert "not affected (fixed in numpyro 0.15.0)" in html.unescape(page)
    labels = [text_of(lab) for lab in re.findall(r"<label[^>]*>(.*?)</label>", page)]
    assert labels == ["fix.py", "repro.py", "Diff: repro.py → fix.py"]
    downloads = re.findall(r'<a class="md-button" download="([a-z]+\.py)" href="([^"]+)">', page)
    assert downloads == [("fix.py", "fix.py"), ("repro.py", "repro.py")]
    assert '<div class="fixbook-diff highlight">' in page
    assert "+x = np.zeros(4)" in text_of(page)
    assert "https://github.com/example/numpyro/issues/1" in page
    assert "Verified with" in page and "numpyro 0.14.0, jax 0.4.25" in text_of(page)


def test_case_page_shows_the_releases_it_was_checked_on(tmp_path: Path) -> None:
    write_cases(tmp_path)
    toml = tmp_path / "cases" / "numpyro" / "predictive-shape" / "case.toml"
    runs = [("0.13.2", "not-reproduced"), ("0.14.0", "reproduced")]
    toml.write_text(
        toml.read_text()
        + "".join(
            f'\n[[repro.checked]]\nversions = {{ numpyro = "{v}", jax = "0.4.25" }}\n'
            f'outcome = "{outcome}"\ndate = "2026-11-30"\n'
            for v, outcome in runs
        )
    )
    _, page = case_html(
        load_catalog(tmp_path / "cases", tmp_path / "none"), "numpyro/predictive-shape"
    )
    text = text_of(page)
    assert "Checked on:" in text
    assert "numpyro 0.13.2 + jax 0.4.25: not-reproduced (2026-11-30)" in text
    assert "numpyro 0.14.0 + jax 0.4.25: reproduced (2026-11-30)" in text


def test_stale_and_broken_fix_are_shown(catalog: Catalog) -> None:
    _, page = case_html(catalog, "jax/nonzero-size")
    assert "fixbook-badge--stale" in page
    assert "verified on an older version of this case" in page
    assert "fix.py failed" in text_of(page)
    assert "AssertionError: wrong" in text_of(page)


def test_matrix_colours_and_links_every_cell(catalog: Catalog) -> None:
    _, page = to_html(render_matrix(catalog))
    cells = re.findall(r'<a class="fixbook-cell (fixbook-status--[a-z-]+)" href="([^"]+)"', page)
    assert len(cells) == 6
    assert (
        "fixbook-status--not-yet-verified",
        "cases/jax/nonzero-size/index.md#verified-with",
    ) in cells
    assert "fix broken (stale)" in text_of(page)


def test_summary_counts_per_library_and_status(catalog: Catalog) -> None:
    _, page = to_html(str(render_summary(catalog, "index.md")))
    rows = [text_of(r).split() for r in re.findall(r"<tr>(.*?)</tr>", page, re.S)]
    assert ["Keras", "1"] in rows and ["Total", "3"] in rows
    assert ["fix", "broken", "1", "0"] in rows
    assert ["raises", "an", "exception", "3"] in rows  # per claim kind


def test_case_page_states_its_claim_in_words(catalog: Catalog) -> None:
    _, page = case_html(catalog, "numpyro/predictive-shape")
    assert "The repro <strong>raises ValueError</strong>, with a message like:" in page
    _, page = case_html(catalog, "jax/nonzero-size")
    assert "The repro raises jax.errors.ConcretizationTypeError, with" in text_of(page)


def test_summary_links_are_relative_to_the_page(catalog: Catalog) -> None:
    assert "(cases/jax/index.md)" in render_summary(catalog, "index.md")
    assert "(../cases/jax/index.md)" in render_summary(catalog, "guide/page.md")


def test_every_generated_page(catalog: Catalog) -> None:
    assert sorted(render_pages(catalog)) == [
        "cases/index.md",
        "cases/jax/index.md",
        "cases/jax/nonzero-size/index.md",
        "cases/keras/index.md",
        "cases/keras/tricky-escaping/index.md",
        "cases/numpyro/index.md",
        "cases/numpyro/predictive-shape/index.md",
        "matrix.md",
    ]


def test_without_results_pages_say_not_yet_verified(tmp_path: Path) -> None:
    write_cases(tmp_path)
    catalog = load_catalog(tmp_path / "cases", tmp_path / "missing")
    _, page = case_html(catalog, "numpyro/predictive-shape")
    assert "not yet verified" in page
    assert "no results file was found" in page
    _, matrix = to_html(render_matrix(catalog))
    assert "not yet verified" in matrix


def test_a_long_message_shows_head_and_tail_and_keeps_the_whole_text(tmp_path: Path) -> None:
    write_cases(tmp_path)
    write_sample_results(tmp_path)
    catalog = load_catalog(tmp_path / "cases", tmp_path / ".fixbook" / "results")
    entry = next(e for e in catalog.cases if e.id == "numpyro/predictive-shape")
    cell = entry.cells[1]
    run = cell.script("repro")
    assert run is not None
    frames = "".join(f"    File line {i}\n" for i in range(30))
    long = "in user code:\n" + frames + "ValueError: end"
    object.__setattr__(run, "message", long)
    _, page = to_html(render_case(entry, catalog))
    blocks = [text_of(b) for b in re.findall(r"<pre[^>]*>(.*?)</pre>", page, re.S)]
    assert any("[... 26 more lines ...]" in b and b.endswith("ValueError: end\n") for b in blocks)
    assert f"ValueError: {long}\n" in blocks
    assert "The whole message (32 lines)" in page


def test_a_case_fixed_everywhere_says_no_error_was_captured(tmp_path: Path) -> None:
    write_cases(tmp_path)
    paths = write_sample_results(tmp_path)
    paths["legacy"].unlink()
    catalog = load_catalog(tmp_path / "cases", tmp_path / ".fixbook" / "results")
    _, page = case_html(catalog, "numpyro/predictive-shape")
    assert "the repro ran clean wherever it ran" in page
    assert "not yet verified" not in page


CLAIMS = {
    "raising": ('raises = "ValueError"\nmatch = "bad thing"', "raises ValueError"),
    "warning": ('warns = "UserWarning"\nmatch = "deprecated"', "warns UserWarning"),
    "crashing": ('crashes = "SIGABRT"\nmatch = "Check failed"', "crashes with SIGABRT"),
    "hanging": ("hangs = true", "hangs"),
    "logging": ('stderr = "W0000 .* slow path"', "logs to stderr"),
}


def test_every_claim_kind_is_stated_in_words_and_counted(tmp_path: Path) -> None:
    for slug, (claim, _) in CLAIMS.items():
        write_case(tmp_path / "cases", slug, claim=claim, extra="timeout = 5\n")
    catalog = load_catalog(tmp_path / "cases", tmp_path / "results")
    for slug, (_, words) in CLAIMS.items():
        _, page = case_html(catalog, f"samples/{slug}")
        assert f"The repro <strong>{words}</strong>" in page, slug
    _, page = case_html(catalog, "samples/crashing")
    assert "its stderr holding:" in text_of(page) and "Check failed" in page
    _, page = case_html(catalog, "samples/logging")
    assert "What it logs to stderr reads like:" in text_of(page)
    assert "W0000 … slow path" in text_of(page)  # readable, the pattern apart
    _, summary = to_html(str(render_summary(catalog, "index.md")))
    rows = [text_of(r).split() for r in re.findall(r"<tr>(.*?)</tr>", summary, re.S)]
    for kind in (["raises", "an", "exception"], ["emits", "a", "warning"], ["hangs"]):
        assert [*kind, "1"] in rows, rows
    assert ["crashes", "the", "process", "1"] in rows and [
        "only",
        "logs",
        "to",
        "stderr",
        "1",
    ] in rows


@pytest.mark.parametrize(
    ("message", "match", "line"),
    [
        # TensorFlow wraps errors raised in a tf.function under "in user code:"
        (
            'in user code:\n\n    File "x.py", line 5, in f  *\n        y = g(x)\n\n'
            "    ValueError: 'scale' must also be initialized in the else branch\n",
            "must also be initialized in the else branch",
            "ValueError: 'scale' must also be initialized in the else branch",
        ),
        # Keras wraps an error raised in a layer's call()
        (
            "Exception encountered when calling Jitter.call().\n\n"
            "[JAX RNG] When tracing a JAX function, use seeded random ops\n",
            r"\[JAX RNG\] When tracing",
            "[JAX RNG] When tracing a JAX function, use seeded random ops",
        ),
        # the words also in a line of user source that the wrapper quotes
        (
            "in user code:\n    scale = g(x)\n    ValueError: 'scale' is undefined\n",
            "scale",
            "ValueError: 'scale' is undefined",
        ),
        # a qualified class
        ("in user code:\n  y\n  jax.errors.ValueError: bad", "bad", "jax.errors.ValueError: bad"),
        ("one line", "no such words", "one line"),  # not found on one line: the first
        ("a\nb c", r"a\nb", "a"),  # a match across lines: the first line
        ("in user code:\nValueError: x", r"code:\nV", "ValueError: x"),  # ... or the class
        ("\n  first\nsecond", None, "first"),  # a class-only claim: the first line
        ("in user code:\n    ValueError: boom", None, "ValueError: boom"),  # ... or the class
        (" \n\t\n", "x", ""),  # blank
    ],
)
def test_the_line_shown_of_a_captured_message_is_the_documented_one(
    message: str, match: str | None, line: str
) -> None:
    assert documented_line(message, match, "ValueError") == line


def test_a_wrapped_captured_message_gives_its_error_line_as_a_heading(tmp_path: Path) -> None:
    write_cases(tmp_path)
    write_sample_results(tmp_path)
    catalog = load_catalog(tmp_path / "cases", tmp_path / ".fixbook" / "results")
    entry = next(e for e in catalog.cases if e.id == "numpyro/predictive-shape")
    wrapped = 0
    for cell in entry.cells:
        run = cell.script("repro")
        if run is not None and run.message:
            # TensorFlow's wrapper quotes the user's source line, which holds the same words
            message = (
                "in user code:\n\n    File x.py, line 3\n"
                "        check('Incompatible shapes for broadcasting')\n\n"
                f"    jax.errors.ValueError: {run.message}"
            )
            object.__setattr__(run, "message", message)
            wrapped += 1
    assert wrapped
    _, page = to_html(extras(entry, None, "../../paste/", error_texts(entry)))
    headings = [text_of(h) for h in re.findall(r"<h3[^>]*>(.*?)</h3>", page, re.S)]
    assert all("in user code" not in h and "check(" not in h for h in headings), headings
    assert "ValueError: " + NUMPYRO_MESSAGE in headings, headings
    assert not any("ValueError: jax" in h or "ValueError: ValueError" in h for h in headings)
