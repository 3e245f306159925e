"""The fixbook mkdocs plugin: case pages, a status matrix and counts, generated at build time.

The plugin reads ``cases/`` and the results files, never runs a case, and adds
its pages as generated files; nothing is written into ``docs/``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from fixbook.knowledge.case import CaseError
from fixbook.results.store import ResultsError
from fixbook.site import navigation, render
from fixbook.site.catalog import Catalog, load_catalog
from fixbook.site.config import FixbookConfig

log = logging.getLogger("mkdocs.plugins.fixbook")

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

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        _check_extensions(config)
        root = Path(config.config_file_path or ".").resolve().parent
        cases_dir = root / self.config.cases_dir
        results_dir = root / self.config.results_dir
        try:
            self.catalog = load_catalog(cases_dir, results_dir)
        except (CaseError, ResultsError) as exc:
            raise PluginError(f"fixbook: {exc}") from None
        if not self.catalog.cases:
            log.warning("fixbook: no case folders (with a case.toml) under %s", cases_dir)
        section = navigation.cases_section(self.catalog, self.config.nav_group_size)
        config.nav = navigation.place(config.nav, section)
        if render.STYLESHEET not in config.extra_css:
            config.extra_css.append(render.STYLESHEET)
        for folder in (cases_dir, results_dir):
            if folder.is_dir() and str(folder) not in config.watch:
                config.watch.append(str(folder))
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.catalog is None:
            return files
        generated = render.render_pages(self.catalog)
        generated[render.STYLESHEET] = render.stylesheet()
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
        if self.catalog is None or render.SUMMARY_MARKER not in markdown:
            return markdown
        summary = render.render_summary(self.catalog, page.file.src_uri)
        return markdown.replace(render.SUMMARY_MARKER, summary)


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
