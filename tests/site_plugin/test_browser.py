"""The built site in headless Chromium, used as a person would: read a case, search an error.

Skips, saying why, when the ``playwright`` package or a Chromium binary is absent
(CI installs Debian's ``chromium``). Leaves a screenshot of a case page at
``site/screenshots/case.png`` in the build folder and copies it to
``.fixbook/screenshots/case.png`` under the rootdir.
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

from tests.site_plugin.samples import CASES

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
