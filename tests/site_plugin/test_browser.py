"""The built site in headless Chromium, used as a person would: read a case, search an error.

Skips, saying why, when the ``playwright`` package or a Chromium binary is absent
(CI installs Debian's ``chromium``). Leaves screenshots in ``.fixbook/screenshots/``
under the rootdir (CI keeps them as artefacts): ``case.png``, and each page the
layout test checks at each width, e.g. ``case-390.png``.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.site_plugin.samples import (
    CASES,
    JAX_MATCH,
    JAX_READABLE,
    LONG_TITLE,
    OWNED_FLAG,
)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CASE_PAGE = "cases/numpyro/predictive-shape/"


def chromium_path() -> str | None:
    """``$FIXBOOK_CHROMIUM``, else ``/usr/bin/chromium``, else ``chromium`` on the PATH."""
    for candidate in (os.environ.get("FIXBOOK_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return shutil.which("chromium")


sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="the browser test needs the playwright package (pip install playwright)",
)
CHROMIUM = chromium_path()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="the browser test needs Chromium at /usr/bin/chromium "
    "(apt-get install chromium chromium-driver) or $FIXBOOK_CHROMIUM",
)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server(built_site: Path) -> Iterator[str]:
    """The built site served on localhost from a thread; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[sync_api.Browser]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: sync_api.Browser) -> Iterator[sync_api.Page]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()
    assert dialogs == [], f"a script in the page opened a dialog: {dialogs}"


def test_case_page_shows_tabs_copy_button_badges_and_error(
    page: sync_api.Page, server: str, built_site: Path, request: pytest.FixtureRequest
) -> None:
    page.goto(server + CASE_PAGE)
    expect = sync_api.expect
    expect(page.locator("h1")).to_contain_text(
        "Predictive keeps deterministic sites at their training shape"
    )
    badges = page.locator(".fixbook-badge")
    expect(badges).to_have_count(2)
    expect(badges.nth(0)).to_have_text("latestnot affected (fixed in numpyro 0.15.0)")
    expect(badges.nth(1)).to_have_text("legacyreproduces")

    labels = page.locator(".tabbed-labels > label")
    expect(labels).to_have_text(["fix.py", "repro.py", "Diff: repro.py → fix.py"])
    active = page.locator(".tabbed-block").nth(0)
    expect(active.locator("code")).to_contain_text("assert x.shape == (4,)")
    active.hover()
    copy = active.get_by_role("button", name="Copy to clipboard")
    expect(copy).to_be_visible()
    copy.click()
    assert page.evaluate("navigator.clipboard.readText()") == CASES["numpyro/predictive-shape"][
        "fix"
    ].rstrip("\n")
    expect(page.get_by_role("link", name="Download fix.py")).to_have_attribute("download", "fix.py")

    labels.nth(1).click()
    repro = page.locator(".tabbed-block").nth(1)
    expect(repro).to_be_visible()
    expect(repro.locator("code")).to_contain_text('raise ValueError("Incompatible shapes")')
    expect(repro.get_by_role("button", name="Copy to clipboard")).to_be_visible()
    labels.nth(2).click()
    expect(page.locator(".fixbook-diff")).to_contain_text("+x = np.zeros(4)")

    expect(page.locator(".fixbook-error").nth(1)).to_contain_text(
        "ValueError: Incompatible shapes for broadcasting: shapes=[(3,), (4,)] at site zebrafish"
    )
    page.goto(server + CASE_PAGE)
    shot = built_site / "screenshots" / "case.png"
    shot.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    keep = request.config.rootpath / ".fixbook" / "screenshots" / "case.png"
    keep.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, keep)


def test_hostile_error_text_stays_text(page: sync_api.Page, server: str) -> None:
    page.goto(server + "cases/keras/tricky-escaping/")
    expect = sync_api.expect
    expect(page.locator("h1")).to_contain_text(
        "A <KerasTensor> title with *stars*, `ticks` and {{ braces }}"
    )
    expect(page.locator(".fixbook-error").nth(1)).to_contain_text(
        "<KerasTensor shape=(None, 3)> and {{ jinja }} <script>alert('owned')</script>"
    )
    assert page.locator("script", has_text="owned").count() == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zebrafish", CASE_PAGE),  # only in the captured error of the last run
        ("Incompatible shapes for broad", CASE_PAGE),  # the documented match, typed in part
        ("KerasTensor shape", "cases/keras/tricky-escaping/"),
    ],
)
def test_search_finds_a_case_by_its_error_text(
    page: sync_api.Page, server: str, query: str, expected: str
) -> None:
    page.goto(server)
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially(query, delay=20)
    result = page.locator(f'.md-search-result__item a[href*="{expected}"]').first
    sync_api.expect(result).to_be_visible()
    result.click()
    page.wait_for_url(f"**/{expected}**")


HOSTILE_PAGE = "cases/keras/tricky-escaping/"
JAX_PAGE = "cases/jax/nonzero-size/"


def _owned(page: sync_api.Page) -> object:
    return page.evaluate(f"window.{OWNED_FLAG}")


def test_readme_vectors_run_nothing(page: sync_api.Page, server: str) -> None:
    """Each README payload of issue 11 would set the flag; none does, whatever one does."""
    page.goto(server + HOSTILE_PAGE)
    expect = sync_api.expect
    article = page.locator("article")
    expect(article.locator("#symptom")).to_have_text("Symptom¶")

    article.get_by_text("A paragraph to hover over.").hover()
    article.get_by_text("A div to click.").click()
    article.get_by_text("javascript link").click()
    page.locator(".tabbed-labels > label").nth(1).click()
    expect(page.locator(".tabbed-block").nth(1)).to_contain_text("window.fixbookOwned")
    page.wait_for_timeout(300)
    assert page.url.startswith(server + HOSTILE_PAGE)  # the javascript: link went nowhere
    assert _owned(page) is None

    content = page.locator(".md-content")
    dangerous = content.evaluate(
        """(root) => [...root.querySelectorAll('*')].flatMap(el =>
            [...el.attributes]
              .filter(a => a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value))
              .map(a => el.tagName + ' ' + a.name + '=' + a.value))"""
    )
    assert dangerous == []
    assert content.locator("iframe, img, script, object, embed, form").count() == 0
    # What a README legitimately holds survives: a table, highlighted code, an
    # admonition, https links.
    expect(content.locator("table th", has_text="Behaviour")).to_have_count(1)
    expect(content.locator(".highlight .n", has_text="keras").first).to_be_visible()
    expect(content.locator(".admonition.note .admonition-title")).to_have_text("An admonition")
    expect(content.get_by_role("link", name="https link")).to_have_attribute(
        "href", "https://example.com/thread"
    )

    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("onerror fixbookOwned", delay=20)
    page.wait_for_timeout(500)
    assert _owned(page) is None


def test_case_page_lists_every_readme_section_once(page: sync_api.Page, server: str) -> None:
    page.goto(server + HOSTILE_PAGE)
    assert page.locator("article h1").count() == 1
    toc = page.locator(".md-sidebar--secondary nav.md-nav--secondary")
    explanation = toc.locator("li", has=page.locator('a[href="#explanation"]')).first
    sync_api.expect(explanation.locator("li > a")).to_have_text(
        ["Symptom", "Cause", "Fix", "Alternatives", "References"]
    )


def test_documented_error_is_readable_and_the_pattern_labelled(
    page: sync_api.Page, server: str
) -> None:
    expect = sync_api.expect
    page.goto(server + JAX_PAGE)
    documented = page.locator(".fixbook-error").first
    expect(documented).to_have_text(JAX_READABLE)
    pattern = page.locator("details", has_text="The pattern it is checked against")
    expect(pattern.locator("summary")).to_have_text(
        "The pattern it is checked against (a regular expression)"
    )
    pattern.locator("summary").click()
    expect(pattern.locator("code")).to_have_text(JAX_MATCH)

    page.goto(server + CASE_PAGE)  # a literal message: no pattern to show
    expect(page.locator(".fixbook-error").first).to_have_text(
        "Incompatible shapes for broadcasting"
    )
    expect(page.locator("details", has_text="The pattern it is checked against")).to_have_count(0)


LAYOUT_PAGES = {
    "case": JAX_PAGE,
    "hostile-case": HOSTILE_PAGE,
    "library-jax": "cases/jax/",
    "library-keras": "cases/keras/",
    "library-numpyro": "cases/numpyro/",
    "matrix": "matrix/",
}
#: Elements whose own content is wider than their box (cut off or scrolling).
OVERFLOWING = """(selector) => [...document.querySelectorAll(selector)]
    .filter(el => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
    .map(el => el.className + ': ' + el.textContent.trim().slice(0, 60))"""
OUTSIDE = """([selector, columnSelector]) => {
    const column = document.querySelector(columnSelector).getBoundingClientRect();
    return [...document.querySelectorAll(selector)]
      .filter(el => el.offsetParent !== null)
      .filter(el => {
        const box = el.getBoundingClientRect();
        return box.left < column.left - 1 || box.right > column.right + 1;
      })
      .map(el => el.tagName + '.' + el.className + ': ' + el.textContent.trim().slice(0, 60));
}"""


@pytest.mark.parametrize("width", [1400, 390])
def test_layout_at_desktop_and_phone_width(
    browser: sync_api.Browser, server: str, request: pytest.FixtureRequest, width: int
) -> None:
    """Nothing cut off or wider than the text column; screenshots of every page checked."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    keep = request.config.rootpath / ".fixbook" / "screenshots"
    keep.mkdir(parents=True, exist_ok=True)
    table_widths: dict[str, list[float]] = {}
    try:
        for name, path in LAYOUT_PAGES.items():
            page.goto(server + path)
            page.screenshot(path=str(keep / f"{name}-{width}.png"), full_page=True)
            where = f"{name} at {width} px"
            assert page.evaluate("document.documentElement.scrollWidth") <= width, where
            assert page.evaluate(OVERFLOWING, ".fixbook-badge, .fixbook-badge > span") == []
            assert page.evaluate(OUTSIDE, [".fixbook-badge", ".md-content__inner"]) == [], where
            assert page.evaluate(OVERFLOWING, ".md-typeset pre > code") == [], where
            wrappers = ".md-typeset__scrollwrap"
            assert page.evaluate(OUTSIDE, [wrappers, ".md-content"]) == [], where
            if width == 1400:
                assert page.evaluate(OVERFLOWING, wrappers) == [], where
                assert page.evaluate(OUTSIDE, ["article table", ".md-content__inner"]) == [], where
                table_widths[name] = page.evaluate(
                    "[...document.querySelectorAll('article table')]"
                    ".map(t => t.getBoundingClientRect().width)"
                )
            if width == 390:
                page.locator('.md-header label[for="__drawer"]').click()
                page.wait_for_timeout(400)
            nav = ".md-sidebar--primary .md-nav__link .md-ellipsis"
            assert page.evaluate(OVERFLOWING, nav) == [], where
            if name == "case":  # its own long title is in the navigation, whole
                entry = page.locator(".md-sidebar--primary .md-ellipsis", has_text=LONG_TITLE)
                sync_api.expect(entry.locator("visible=true")).to_have_count(1)
                page.screenshot(path=str(keep / f"navigation-{width}.png"))
        if width == 1400:
            everything = {round(w) for widths in table_widths.values() for w in widths}
            assert len(everything) == 1, table_widths  # one width for every table
    finally:
        context.close()
