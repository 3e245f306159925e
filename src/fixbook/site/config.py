"""The fixbook mkdocs plugin's configuration."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class FixbookConfig(base.Config):
    """Options of the ``fixbook`` plugin in ``mkdocs.yml``.

    Relative folders are taken from the folder of ``mkdocs.yml``.
    """

    enabled = c.Type(bool, default=True)
    """Generate the case pages; when false the plugin does nothing."""

    cases_dir = c.Type(str, default="cases")
    """The folder of case folders, ``<library>/<slug>/case.toml``."""

    results_dir = c.Type(str, default=".fixbook/results")
    """The folder of results files, one ``<environment>.json`` each; may not exist yet."""

    environments = c.ListOfItems(c.Type(str), default=["latest", "legacy"])
    """The environments the site publishes, in this order: the names of their results
    files. Any other results file (an ad-hoc run, a half-finished experiment) is left out."""

    nav_group_size = c.Type(int, default=50)
    """The most cases a navigation section lists; larger libraries are split in groups."""
