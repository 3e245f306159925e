"""The repository's own site in headless Chromium: search ranks an error's own case first,
the paste page matches from disk, and search says how to serve the site when it cannot work.

Uses the real ``mkdocs.yml`` and the real cases, built once (``repository_site``
in ``conftest.py``, shared with ``test_search_rank``) with no results: the
messages typed are the documented ones. Results would make the test depend on
the run it is part of: in ``pytest tests cases`` the cases of the same run write
journals into ``.fixbook/results`` all along, so the site would show whichever
captured messages had been written by then. Skips, saying why, without
playwright or Chromium.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fixbook.site.catalog import CaseEntry
from tests.site_plugin.test_browser import CHROMIUM, CHROMIUM_ARGS, sync_api
from tests.why_eval.evaluate import load_reports
from tests.why_eval.site_search import CASE_LINK, ENTRIES, sharing, typed_message

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (see test_browser.py)")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def handle(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()


@pytest.fixture(scope="module")
def server(repository_site: Path) -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(repository_site))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def page() -> Iterator[sync_api.Page]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(30_000)
        yield page
        browser.close()


def _first_result_is(page: sync_api.Page, case_id: str) -> None:
    first = page.locator(".md-search-result__item > a").first
    pattern = re.compile(f"cases/{re.escape(case_id)}/")
    sync_api.expect(first).to_have_attribute("href", pattern, timeout=20_000)


def _first_cases(page: sync_api.Page, count: int, timeout: float = 20.0) -> list[str]:
    """The first ``count`` distinct cases the search results link to, once there are that many."""
    deadline = time.monotonic() + timeout
    found: list[str] = []
    while time.monotonic() < deadline:
        hrefs = page.eval_on_selector_all(
            ".md-search-result__item > a", "els => els.map(e => e.getAttribute('href'))"
        )
        found = list(dict.fromkeys(m.group(1) for h in hrefs if (m := CASE_LINK.search(h))))
        if len(found) >= count:
            break
        page.wait_for_timeout(250)
    return found[:count]


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_typing_a_cases_message_ranks_that_case_first(
    page: sync_api.Page, server: str, entry: CaseEntry
) -> None:
    page.goto(server)
    search = page.locator("input.md-search__input")
    search.click()
    message = typed_message(entry)
    # Typed as a person would end it: the box holds the message, the last key is pressed.
    search.fill(message[:-1])
    search.press_sequentially(message[-1])
    group = sharing(entry)
    if len(group) == 1:
        _first_result_is(page, entry.id)
    else:
        assert set(_first_cases(page, len(group))) == group, message


@pytest.mark.parametrize(
    ("url", "word"),
    [
        # tracers, paths and the traceback's frames left out; the message's words kept
        ("https://github.com/google/jaxonnxruntime/issues/29", "nonzero"),
        # the quoted name, which search keeps because a documented error holds it
        ("https://github.com/pyro-ppl/numpyro/issues/2051", "pjit_p"),
        # a known name amid the common words of a long deprecation message
        ("https://github.com/google-deepmind/distrax/issues/295", "pytype_aval_mappings"),
    ],
)
def test_pasting_a_whole_traceback_into_search_ranks_its_case_first(
    page: sync_api.Page, server: str, url: str, word: str
) -> None:
    report = next(r for r in load_reports() if r.url == url)
    page.goto(server)
    page.locator("input.md-search__input").click()
    page.evaluate(
        """(text) => {
            const data = new DataTransfer();
            data.setData("text", text);
            const paste = new ClipboardEvent(
                "paste", {clipboardData: data, bubbles: true, cancelable: true});
            document.querySelector("input.md-search__input").dispatchEvent(paste);
        }""",
        report.text,
    )
    value = page.locator("input.md-search__input").input_value()
    assert "Traced" not in value and "/" not in value and word in value.split(), value
    _first_result_is(page, report.case)


def test_paste_page_matches_from_disk_and_says_search_needs_a_server(
    page: sync_api.Page, repository_site: Path
) -> None:
    report = next(r for r in load_reports() if "onnx-tensorflow" in r.url)
    page.goto((repository_site / "paste.html").as_uri())
    page.locator(".fixbook-paste textarea").fill(report.text)
    page.locator(".fixbook-paste button").click()
    first = page.locator(".fixbook-paste-results li").first
    sync_api.expect(first.locator("a")).to_have_attribute("href", re.compile(report.case))
    sync_api.expect(first).to_contain_text("exact match")
    sync_api.expect(page.locator(".fixbook-paste-note")).to_contain_text("known case(s) match")
    notice = page.locator(".fixbook-search-notice")
    sync_api.expect(notice).to_contain_text("python3 -m http.server --directory site 8000")
    page.locator(".fixbook-paste textarea").fill("KeyError: 'nothing like this'")
    page.locator(".fixbook-paste button").click()
    sync_api.expect(page.locator(".fixbook-paste-note")).to_contain_text("No known case")


def test_case_page_shows_versions_and_the_osv_downloads_exist(
    page: sync_api.Page, server: str, repository_site: Path
) -> None:
    page.goto(server + "cases/numpyro/predictive-deterministic-shape/index.html")
    versions = page.locator(".fixbook-versions")
    sync_api.expect(versions).to_contain_text(
        "Introduced in numpyro 0.14.0 · fixed in numpyro 0.15.0"
    )
    versions.get_by_role("link").click()
    assert page.url.endswith("osv/FIXBOOK-numpyro-predictive-deterministic-shape.json")
    assert (repository_site / "osv" / "index.json").is_file() and (
        repository_site / "osv" / "fixbook-osv.zip"
    ).is_file()
