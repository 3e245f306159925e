"""The fixbook mkdocs plugin: case pages, a status matrix and counts, generated at build time.

The plugin reads ``cases/`` and the results files, never runs a case, and adds
its pages as generated files; nothing is written into ``docs/``.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from fixbook.history.osv import record_id
from fixbook.knowledge.case import CaseError
from fixbook.results.store import ResultsError
from fixbook.site import case_extras, downloads, navigation, paste, render
from fixbook.site.catalog import CaseEntry, Catalog, load_catalog
from fixbook.site.config import FixbookConfig
from fixbook.site.readme import Heading, render_readme

log = logging.getLogger("mkdocs.plugins.fixbook")

#: The id of the case page heading the README goes under.
EXPLANATION_ID = "explanation"

#: Markdown extensions the generated pages use, with the option some of them need.
REQUIRED_EXTENSIONS = {
    "admonition": None,
    "attr_list": None,
    "tables": None,
    "pymdownx.details": None,
    "pymdownx.superfences": None,
    "pymdownx.tabbed": ("alternate_style", True),
}


class FixbookPlugin(BasePlugin[FixbookConfig]):
    """Generates a page per case, library indexes, the matrix, and the home page counts."""

    def __init__(self) -> None:
        self.catalog: Catalog | None = None
        self.pages: dict[str, CaseEntry] = {}
        self.records: set[str] = set()
        #: How many error-message headings end each case page, by page URL.
        self.error_headings: dict[str, int] = {}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        _check_extensions(config)
        root = Path(config.config_file_path or ".").resolve().parent
        cases_dir = root / self.config.cases_dir
        results_dir = root / self.config.results_dir
        try:
            self.catalog = load_catalog(cases_dir, results_dir, self.config.environments)
        except (CaseError, ResultsError) as exc:
            raise PluginError(f"fixbook: {exc}") from None
        published = [env.name for env in self.catalog.environments]
        left_out = sorted(p.stem for p in results_dir.glob("*.json") if p.stem not in published)
        if left_out:
            log.info(
                "fixbook: publishing the environments %s; not publishing %s (set the plugin's "
                "`environments` in mkdocs.yml to publish them)",
                ", ".join(published) or "(none)",
                ", ".join(left_out),
            )
        self.pages = {entry.page_uri: entry for entry in self.catalog.cases}
        if not self.catalog.cases:
            log.warning("fixbook: no case folders (with a case.toml) under %s", cases_dir)
        section = navigation.cases_section(self.catalog, self.config.nav_group_size)
        config.nav = navigation.place(config.nav, section)
        if render.STYLESHEET not in config.extra_css:
            config.extra_css.append(render.STYLESHEET)
        for script in (paste.DATA, paste.SCRIPT, paste.SEARCH):
            if script not in config.extra_javascript:
                config.extra_javascript.append(script)
        for folder in (cases_dir, results_dir):
            if folder.is_dir() and str(folder) not in config.watch:
                config.watch.append(str(folder))
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.catalog is None:
            return files
        generated: dict[str, str | bytes] = dict(render.render_pages(self.catalog))
        generated[render.STYLESHEET] = render.stylesheet()
        generated.update(paste.generated(self.catalog))
        osv, problems = downloads.osv_files(self.catalog)
        for problem in problems:
            log.warning("fixbook: OSV record left out: %s", problem)
        generated.update(osv)
        self.records = set(osv)
        for uri, content in generated.items():
            _add(files, File.generated(config, uri, content=content))
        for entry in self.catalog.cases:
            for script in ("repro", "fix"):
                path = str(entry.case.script(script))
                _add(files, File.generated(config, entry.download_uri(script), abs_src_path=path))
        return files

    def on_page_markdown(
        self, markdown: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if self.catalog is None:
            return markdown
        entry = next(
            (
                e
                for lib in self.catalog.libraries
                for e in lib.cases
                if e.page_uri == page.file.src_uri
            ),
            None,
        )
        if entry is not None:
            record = f"{downloads.FOLDER}/{record_id(entry.case)}.json"
            href = render._rel(record, entry.page_uri) if record in self.records else None
            texts = case_extras.error_texts(entry)
            paste_href = render._rel(paste.PAGE, entry.page_uri)
            markdown += case_extras.extras(entry, href, paste_href, texts)
            self.error_headings[page.url] = len(texts)
        if render.SUMMARY_MARKER not in markdown:
            return markdown
        summary = render.render_summary(self.catalog, page.file.src_uri)
        return markdown.replace(render.SUMMARY_MARKER, summary)

    def on_page_content(
        self, html: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Put the case's README, rendered apart and sanitised, into its case page."""
        entry = self.pages.get(page.file.src_uri)
        if entry is None or render.EXPLANATION_MARKER not in html:
            return html
        readme = render_readme(entry.readme, base_level=2, drop_title=True)
        _extend_toc(page.toc.items, readme.headings)
        before, _, after = html.partition(render.EXPLANATION_MARKER)
        return before + readme.html + after

    @event_priority(-50)  # after the search plugin writes its index, before offline inlines it
    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.config.enabled:
            index = Path(config.site_dir) / "search" / "search_index.json"
            paste.tune_search_index(index, self.error_headings)


def _extend_toc(items: list[AnchorLink], headings: tuple[Heading, ...]) -> None:
    """Nest the README's headings under the page's "Explanation" entry."""
    parent = next((item for item in _walk(items) if item.id == EXPLANATION_ID), None)
    if parent is None:
        return
    stack = [parent]
    for heading in headings:
        link = AnchorLink(html.escape(heading.text, quote=False), heading.id, heading.level)
        while len(stack) > 1 and stack[-1].level >= heading.level:
            stack.pop()
        stack[-1].children.append(link)
        stack.append(link)


def _walk(items: list[AnchorLink]) -> Iterator[AnchorLink]:
    for item in items:
        yield item
        yield from _walk(item.children)


def _add(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None and existing.generated_by is None:
        raise PluginError(
            f"fixbook: {existing.src_uri} in the docs folder has the path of a page the "
            "fixbook plugin generates; rename or remove it"
        )
    if existing is not None:
        files.remove(existing)
    files.append(file)


def _check_extensions(config: MkDocsConfig) -> None:
    enabled = {name.removeprefix("markdown.extensions.") for name in config.markdown_extensions}
    missing = [name for name in REQUIRED_EXTENSIONS if name not in enabled]
    if missing:
        raise ConfigurationError(
            "fixbook: the case pages need these markdown_extensions in mkdocs.yml: "
            + ", ".join(missing)
        )
    for name, needed in REQUIRED_EXTENSIONS.items():
        if needed is None:
            continue
        option, value = needed
        if config.mdx_configs.get(name, {}).get(option) != value:
            raise ConfigurationError(
                f"fixbook: markdown extension {name} needs `{option}: {str(value).lower()}` "
                "in mkdocs.yml"
            )
