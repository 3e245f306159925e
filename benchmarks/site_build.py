"""Benchmark: build the site for N synthetic cases, against plain mkdocs-material.

For each case count, in a temporary folder, this writes N synthetic case
folders (five libraries, realistic script and README sizes) and two results
files, then times two builds, one after the other in this run:

- ``fixbook``: ``mkdocs build`` with the fixbook plugin generating the pages;
- ``plain``: the same pages' Markdown (and the same downloads, stylesheet and
  navigation) written as ordinary files, built by mkdocs-material without it.

Both use the same theme features (``navigation.prune`` included), search and
tags. It prints build times, the ratio, and the size of each built site, with
bytes per case to show the growth is linear. Not a test; run it by hand::

    python benchmarks/site_build.py                 # 10 100 1000
    python benchmarks/site_build.py --counts 10 100 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from fixbook.results.store import CaseRecord, EnvironmentResults, ScriptRecord, write_results
from fixbook.site import navigation, render
from fixbook.site.catalog import load_catalog

LIBRARIES = ("jax", "keras", "numpyro", "tensorflow", "tensorflow-probability")
TAGS = ("shapes", "jit", "dtypes", "random", "training", "sampling", "serialization", "gradients")
WORDS = [
    "tensor",
    "shape",
    "batch",
    "axis",
    "broadcast",
    "tracer",
    "kernel",
    "dtype",
    "float32",
    "gradient",
    "sample",
    "posterior",
    "layer",
    "model",
    "step",
    "seed",
    "vector",
    "matrix",
    "rank",
    "static",
    "dynamic",
]

THEME = {
    "name": "material",
    "features": [
        "content.code.copy",
        "content.tabs.link",
        "navigation.indexes",
        "navigation.prune",
        "search.highlight",
    ],
}
EXTENSIONS = [
    "admonition",
    "attr_list",
    "tables",
    {"toc": {"permalink": True}},
    "pymdownx.details",
    "pymdownx.highlight",
    "pymdownx.superfences",
    {"pymdownx.tabbed": {"alternate_style": True}},
]
BASE_NAV = [
    {"Home": "index.md"},
    {"Status matrix": "matrix.md"},
    {"Cases": "cases/index.md"},
    {"Tags": "tags.md"},
]


def _words(i: int, n: int) -> str:
    return " ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(n))


def _script(i: int, fixed: bool) -> str:
    lines = [f'"""Case {i}: {_words(i, 8)}."""', "import numpy as np", ""]
    for k in range(20):
        lines.append(
            f"x{k} = np.arange({k + 3}).reshape(-1, 1) * {i % 7 + 1}  # {_words(i + k, 4)}"
        )
    lines.append("assert x0.shape == (3, 1)" if fixed else f'raise ValueError("broken {i}")')
    return "\n".join(lines) + "\n"


def _readme(i: int) -> str:
    parts = [f"# Case {i}"]
    for section in ("Symptom", "Cause", "Fix", "Alternatives", "References"):
        body = "\n".join(_words(i + k, 12) for k in range(5))
        parts.append(f"## {section}\n\n{body}")
    return "\n\n".join(parts) + "\n"


def write_cases(root: Path, count: int) -> None:
    """``count`` synthetic case folders under ``root/cases``."""
    for i in range(count):
        library = LIBRARIES[i % len(LIBRARIES)]
        folder = root / "cases" / library / f"case-{i:05d}"
        folder.mkdir(parents=True)
        tags = f'["{TAGS[i % len(TAGS)]}", "{TAGS[(i * 3 + 1) % len(TAGS)]}"]'
        (folder / "case.toml").write_text(
            f'title = "{_words(i, 5).capitalize()} case {i}"\nlibrary = "{library}"\n'
            f'summary = "{_words(i + 1, 14)}."\ntags = {tags}\n'
            f'upstream = ["https://github.com/example/{library}/issues/{i + 1}"]\n'
            f'requires = ["{library}"]\n\n[repro]\nraises = "ValueError"\n'
            f'match = "broken {i}"\naffected = {{ {library} = "<2.0" }}\n',
            encoding="utf-8",
        )
        (folder / "repro.py").write_text(_script(i, fixed=False), encoding="utf-8")
        (folder / "fix.py").write_text(_script(i, fixed=True), encoding="utf-8")
        (folder / "README.md").write_text(_readme(i), encoding="utf-8")


def write_results_files(root: Path) -> None:
    """``latest`` and ``legacy`` results for every case: fixed upstream / reproduces."""
    catalog = load_catalog(root / "cases", root / "none")
    for name, version, outcome in (
        ("latest", "2.1.0", "not-reproduced"),
        ("legacy", "1.5.0", "reproduced"),
    ):
        records = {}
        for entry in catalog.cases:
            case, i = entry.case, int(entry.slug.split("-")[1])
            error = (
                ("builtins.ValueError", f"broken {i}: {_words(i, 10)}")
                if (outcome == "reproduced")
                else ("", "")
            )
            repro = ScriptRecord(
                outcome,
                outcome,
                True,
                f"{case.library} {version}",
                error[0],
                message=error[1],
                traceback=f"line 24\n{error[1]}\n" * 3,
                recorded="2026-01-01T00:00:00+00:00",
            )
            fix = ScriptRecord(
                "passed",
                "passed",
                True,
                f"{case.library} {version}",
                recorded="2026-01-01T00:00:00+00:00",
            )
            records[case.id] = CaseRecord(
                case.id,
                case.title,
                case.library,
                f"cases/{case.id}",
                case.content_hash(),
                {case.library: version},
                {},
                {"repro": repro, "fix": fix},
            )
        document = EnvironmentResults(
            name,
            "3.11.7",
            "linux-x86_64",
            {lib: version for lib in LIBRARIES},
            "2026-01-01T00:00:00+00:00",
            records,
        )
        write_results(root / ".fixbook" / "results" / f"{name}.json", document)


def write_docs(docs: Path, summary: str) -> None:
    docs.mkdir(parents=True)
    (docs / "index.md").write_text(f"# Benchmark\n\n{summary}\n", encoding="utf-8")
    (docs / "tags.md").write_text("# Tags\n\n<!-- material/tags -->\n", encoding="utf-8")


def write_fixbook_project(root: Path) -> Path:
    write_docs(root / "docs", render.SUMMARY_MARKER)
    config = {
        "site_name": "bench",
        "theme": THEME,
        "markdown_extensions": EXTENSIONS,
        "nav": BASE_NAV,
        "plugins": [
            "search",
            "tags",
            {"fixbook": {"cases_dir": "cases", "results_dir": ".fixbook/results"}},
        ],
    }
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def write_plain_project(source: Path, root: Path) -> Path:
    """The fixbook project's generated pages as ordinary files, for plain mkdocs-material."""
    catalog = load_catalog(source / "cases", source / ".fixbook" / "results")
    docs = root / "docs"
    write_docs(docs, render.render_summary(catalog, "index.md"))
    files = render.render_pages(catalog)
    files[render.STYLESHEET] = render.stylesheet()
    for entry in catalog.cases:
        # The plugin places each README apart, rendered and sanitised; a plain site
        # would have its Markdown in the page.
        body = entry.readme.split("\n", 1)[1]
        files[entry.page_uri] = files[entry.page_uri].replace(render.EXPLANATION_MARKER, body)
        for script in ("repro", "fix"):
            files[entry.download_uri(script)] = entry.sources[script]
    for uri, content in files.items():
        path = docs / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    section = navigation.cases_section(catalog, group_size=50)
    config = {
        "site_name": "bench",
        "theme": THEME,
        "markdown_extensions": EXTENSIONS,
        "nav": navigation.place(list(BASE_NAV), section),
        "plugins": ["search", "tags"],
        "extra_css": [render.STYLESHEET],
    }
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def build(config: Path, pycache: Path) -> tuple[float, float]:
    """Wall and CPU seconds of ``mkdocs build --strict`` of ``config`` in its own process.

    The CPU time (user + system of the child) is the steadier figure on a shared
    machine; the wall time is what a person waits. Bytecode is cached under
    ``pycache`` (even where ``PYTHONDONTWRITEBYTECODE`` is set), as in a normal
    install, so that neither build pays for compiling its imports.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPYCACHEPREFIX": str(pycache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config)],
        cwd=config.parent,
        capture_output=True,
        text=True,
        env=env,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"build of {config} failed:\n{result.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def site_size(site: Path) -> tuple[int, int]:
    """Total bytes and number of files under ``site``."""
    sizes = [p.stat().st_size for p in site.rglob("*") if p.is_file()]
    return sum(sizes), len(sizes)


def measure(tmp: Path, count: int, repeat: int, pycache: Path) -> str:
    """Build ``count`` cases both ways ``repeat`` times; one line of figures (best runs)."""
    fixbook_root, plain_root = tmp / str(count) / "fixbook", tmp / str(count) / "plain"
    write_cases(fixbook_root, count)
    write_results_files(fixbook_root)
    fixbook_config = write_fixbook_project(fixbook_root)
    plain_config = write_plain_project(fixbook_root, plain_root)
    fixbook_runs, plain_runs = [], []
    for _ in range(repeat):
        plain_runs.append(build(plain_config, pycache))
        fixbook_runs.append(build(fixbook_config, pycache))
    fixbook_bytes, files = site_size(fixbook_root / "site")
    plain_bytes, _ = site_size(plain_root / "site")
    shutil.rmtree(tmp / str(count))
    fw, pw = min(r[0] for r in fixbook_runs), min(r[0] for r in plain_runs)
    fc, pc = min(r[1] for r in fixbook_runs), min(r[1] for r in plain_runs)
    return (
        f"{count:>6} | {fw:>15.2f} {pw:>7.2f} {fw / pw:>6.2f} | "
        f"{fc:>14.2f} {pc:>7.2f} {fc / pc:>6.2f} | "
        f"{fixbook_bytes / 1e6:>11.1f} {plain_bytes / 1e6:>7.1f} "
        f"{fixbook_bytes / count / 1e3:>8.1f} {files:>7}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--repeat", type=int, default=1, help="builds per variant; the best counts")
    args = parser.parse_args(argv)
    print(
        f"{'cases':>6} | {'wall s: fixbook':>15} {'plain':>7} {'ratio':>6} | "
        f"{'cpu s: fixbook':>14} {'plain':>7} {'ratio':>6} | "
        f"{'MB: fixbook':>11} {'plain':>7} {'KB/case':>8} {'files':>7}"
    )
    with tempfile.TemporaryDirectory(prefix="fixbook-bench-") as name:
        tmp = Path(name)
        pycache = tmp / "pycache"
        measure(tmp / "warm-up", 3, 1, pycache)  # fills the bytecode cache; not reported
        for count in args.counts:
            print(measure(tmp, count, args.repeat, pycache), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
