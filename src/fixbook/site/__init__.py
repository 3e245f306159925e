"""The Fixbook site: an mkdocs plugin that renders cases and results as pages."""

from fixbook.site.catalog import CaseEntry, Catalog, Cell, Library, load_catalog

__all__ = ["Catalog", "CaseEntry", "Cell", "Library", "load_catalog"]
