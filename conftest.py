"""Repo-root conftest: enables pytester for fixbook's own tests (it must be declared here)."""

pytest_plugins = ("pytester",)

collect_ignore = ["benchmarks", "site", "docs"]
