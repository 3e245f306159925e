"""A small sample project for the site tests (cases, results, docs, mkdocs.yml) and a build helper.

The cases are written here rather than kept as folders in the tree, so that
pytest never collects them as real cases.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml

from fixbook.knowledge.case import load_case
from fixbook.results.store import CaseRecord, EnvironmentResults, ScriptRecord, write_results

#: An error message full of things that must stay text: HTML, Jinja, Markdown, backticks.
TRICKY_MESSAGE = (
    "Inputs to a layer should be tensors. Got: <KerasTensor shape=(None, 3)> and "
    "{{ jinja }} <script>alert('owned')</script> **not bold** `tick` ```` | pipe "
    "_under_ [link](http://example.com) &amp;"
)
#: A word only the captured error of the numpyro case holds: the search must find it.
CAPTURED_ONLY_WORD = "zebrafish"
NUMPYRO_MESSAGE = (
    "Incompatible shapes for broadcasting: shapes=[(3,), (4,)] at site " + CAPTURED_ONLY_WORD
)

MKDOCS_YML = """\
site_name: Fixbook sample
docs_dir: docs
site_dir: site
theme:
  name: material
  features:
    - content.code.copy
    - navigation.indexes
    - navigation.prune
    - search.highlight
plugins:
  - search
  - tags
  - fixbook:
      cases_dir: cases
      results_dir: .fixbook/results
nav:
  - Home: index.md
  - Status matrix: matrix.md
  - Cases: cases/index.md
  - Tags: tags.md
markdown_extensions:
  - admonition
  - attr_list
  - tables
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.highlight
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
"""

README = """\
# {title}

## Symptom

The error, with `code` and <em>inline HTML</em>.

## Cause

Why it happens.

## Fix

What fix.py changes.
"""

#: The window property each hostile README payload would set if it ran.
OWNED_FLAG = "fixbookOwned"

#: A README written to run script in a visitor's browser, one vector per payload
#: (issue 11), around the things a README legitimately holds: a table, highlighted
#: code, an admonition and an https link, which must all survive sanitising.
HOSTILE_README = """\
# {title}

## Symptom

<img src=x onerror="window.fixbookOwned='img onerror'">

<script>window.fixbookOwned = 'script'</script>

<iframe src="javascript:parent.fixbookOwned='iframe'"></iframe>

A [javascript link](javascript:window.fixbookOwned='markdown%20link') to click.

A paragraph to hover over.
{: onmouseover="window.fixbookOwned='attr_list'" }

<div markdown onclick="window.fixbookOwned='div markdown'">A *div* to click.</div>

## Cause

| Release | Behaviour |
| :--- | ---: |
| 3.5 | raises |

```python
layer = keras.layers.Dense(3)  # highlighted
```

!!! note "An admonition"
    Kept, with its [https link](https://example.com/thread).

## Fix

What fix.py changes.

## Alternatives

None.

## References

- <https://github.com/example/keras/issues/1>
"""

#: A title long enough to wrap in the navigation and in tables.
LONG_TITLE = (
    "jnp.nonzero inside jit needs a static size, because the output shape of a traced "
    "function cannot depend on the data"
)
#: A documented error that is a pattern: the page shows it readable, the pattern apart.
JAX_MATCH = r"The size argument of jnp\.nonzero must be statically specified \(got .*\)"
JAX_READABLE = "The size argument of jnp.nonzero must be statically specified (got …)"
#: A code line far wider than a phone, and than the text column at 1400 px.
LONG_LINE = (
    "result = " + " + ".join(f"jax.numpy.nonzero(values_{i}, size=3)[0]" for i in range(8)) + "\n"
)

CASES = {
    "numpyro/predictive-shape": dict(
        title="Predictive keeps deterministic sites at their training shape",
        summary="Predictive with new data broadcasts against the old shape.",
        tags=["predictive", "shapes"],
        raises="ValueError",
        match="Incompatible shapes for broadcasting",
        affected='affected = { numpyro = ">=0.14.0,<0.15.0" }',
        repro='import numpy as np\n\nx = np.zeros(3)\nraise ValueError("Incompatible shapes")\n',
        fix="import numpy as np\n\nx = np.zeros(4)\nassert x.shape == (4,)\n",
    ),
    "keras/tricky-escaping": dict(
        title="A <KerasTensor> title with *stars*, `ticks` and {{ braces }}",
        summary="Summary with <b>tags</b> & | pipes and [brackets](x).",
        tags=["escaping", "<odd tag>"],
        raises="TypeError",
        match="Inputs to a layer should be tensors",
        affected="",
        repro=(
            "# </code></pre><script>window.fixbookOwned = 'repro tab'</script>\n"
            'raise TypeError("Inputs to a layer should be tensors")\n'
        ),
        fix='print("fine")\n',
        readme=HOSTILE_README,
    ),
    "jax/nonzero-size": dict(
        title=LONG_TITLE,
        summary="Data-dependent shapes cannot be traced.",
        tags=["jit"],
        raises="jax.errors.ConcretizationTypeError",
        match=JAX_MATCH,
        affected="",
        repro="import jax\n\nprint(jax.numpy.nonzero)\n",
        fix="import jax\n\nprint(jax.numpy.nonzero, 'size=3')\n" + LONG_LINE,
    ),
}


def write_cases(root: Path) -> list[Path]:
    """Write the sample case folders under ``root/cases``; return them."""
    folders = []
    for case_id, spec in CASES.items():
        library = case_id.split("/")[0]
        folder = root / "cases" / case_id
        folder.mkdir(parents=True)
        toml = textwrap.dedent(
            f"""\
            title = {_toml(spec["title"])}
            library = "{library}"
            summary = {_toml(spec["summary"])}
            tags = [{", ".join(_toml(t) for t in spec["tags"])}]
            upstream = ["https://github.com/example/{library}/issues/1"]
            requires = ["{library}"]

            [repro]
            raises = "{spec["raises"]}"
            match = {_toml(spec["match"])}
            {spec["affected"]}
            """
        )
        (folder / "case.toml").write_text(toml, encoding="utf-8")
        (folder / "repro.py").write_text(spec["repro"], encoding="utf-8")
        (folder / "fix.py").write_text(spec["fix"], encoding="utf-8")
        readme = spec.get("readme", README)
        (folder / "README.md").write_text(
            readme.replace("{title}", spec["title"]), encoding="utf-8"
        )
        folders.append(folder)
    return folders


def _toml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _script(
    outcome: str,
    expected: str,
    versions: str,
    error: tuple[str, str] | None = None,
    recorded: str = "2026-11-20T10:00:00+00:00",
) -> ScriptRecord:
    error_type, message = error or ("", "")
    traceback = (
        f'  File "repro.py", line 4, in <module>\n{error_type}: {message}\n' if error else ""
    )
    return ScriptRecord(
        outcome=outcome,
        expected=expected,
        ok=outcome == expected,
        versions=versions,
        error_type=error_type,
        message=message,
        traceback=traceback,
        duration=0.5,
        recorded=recorded,
    )


def write_sample_results(root: Path) -> dict[str, Path]:
    """Write ``latest`` and ``legacy`` results files for the sample cases.

    latest: numpyro not affected (fixed in 0.15.0), keras reproduces with the tricky
    message, jax fix broken and stale. legacy: numpyro reproduces with the
    ``zebrafish`` message, keras error changed, jax not run.
    """
    cases = {c.id: c for c in (load_case(f) for f in sorted((root / "cases").glob("*/*")))}
    digest = {case_id: case.content_hash() for case_id, case in cases.items()}

    def record(
        case_id: str,
        repro: ScriptRecord,
        fix: ScriptRecord,
        versions: dict[str, str],
        stale: bool = False,
    ) -> CaseRecord:
        case = cases[case_id]
        return CaseRecord(
            case_id=case_id,
            title=case.title,
            library=case.library,
            path=f"cases/{case_id}",
            hash="0" * 64 if stale else digest[case_id],
            requires=dict(versions),
            scripts={"repro": repro, "fix": fix},
        )

    latest = {
        "numpyro/predictive-shape": record(
            "numpyro/predictive-shape",
            _script("not-reproduced", "not-reproduced", "numpyro 0.22.0"),
            _script("passed", "passed", "numpyro 0.22.0"),
            {"numpyro": "0.22.0", "jax": "0.10.2"},
        ),
        "keras/tricky-escaping": record(
            "keras/tricky-escaping",
            _script(
                "reproduced", "reproduced", "keras 3.15.1", ("builtins.TypeError", TRICKY_MESSAGE)
            ),
            _script("passed", "passed", "keras 3.15.1"),
            {"keras": "3.15.1"},
        ),
        "jax/nonzero-size": record(
            "jax/nonzero-size",
            _script(
                "reproduced",
                "reproduced",
                "jax 0.10.2",
                ("jax.errors.ConcretizationTypeError", "size must be statically specified"),
            ),
            _script("failed", "passed", "jax 0.10.2", ("builtins.AssertionError", "wrong")),
            {"jax": "0.10.2"},
            stale=True,
        ),
    }
    legacy = {
        "numpyro/predictive-shape": record(
            "numpyro/predictive-shape",
            _script(
                "reproduced",
                "reproduced",
                "numpyro 0.14.0",
                ("builtins.ValueError", NUMPYRO_MESSAGE),
            ),
            _script("passed", "passed", "numpyro 0.14.0"),
            {"numpyro": "0.14.0", "jax": "0.4.25"},
        ),
        "keras/tricky-escaping": record(
            "keras/tricky-escaping",
            _script(
                "drifted",
                "reproduced",
                "keras 3.5.0",
                ("builtins.KeyError", "'a key' <b>changed</b>"),
            ),
            _script("passed", "passed", "keras 3.5.0"),
            {"keras": "3.5.0"},
        ),
    }
    paths = {}
    for name, records in (("latest", latest), ("legacy", legacy)):
        packages: dict[str, str | None] = {}
        for rec in records.values():
            packages.update(rec.requires)
        document = EnvironmentResults(
            name=name,
            python="3.11.7",
            platform="linux-x86_64",
            packages=packages,
            updated="2026-11-20T10:00:00+00:00",
            cases=records,
        )
        paths[name] = root / ".fixbook" / "results" / f"{name}.json"
        write_results(paths[name], document)
    return paths


def write_project(root: Path, *, results: bool = True) -> Path:
    """Write a whole sample project (cases, results, docs, mkdocs.yml); return mkdocs.yml."""
    write_cases(root)
    if results:
        write_sample_results(root)
    docs = root / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(
        "# Sample\n\nWhat this is.\n\n<!-- fixbook:summary -->\n", encoding="utf-8"
    )
    (docs / "tags.md").write_text("# Tags\n\n<!-- material/tags -->\n", encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(MKDOCS_YML, encoding="utf-8")
    return config


def mkdocs_build(config: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` on ``config`` in its own process, as a person would."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), *extra],
        cwd=config.parent,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def repository_config(repo: Path, results: Path, folder: Path) -> Path:
    """A copy of the repository's ``mkdocs.yml`` in ``folder`` that builds the
    repository's docs and cases with the results in ``results`` into ``folder/site``."""
    config = yaml.safe_load((repo / "mkdocs.yml").read_text())
    config["docs_dir"] = str(repo / "docs")
    config["site_dir"] = str(folder / "site")
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "fixbook" in plugin:
            plugin["fixbook"]["cases_dir"] = str(repo / "cases")
            plugin["fixbook"]["results_dir"] = str(results)
    copy = folder / "mkdocs.yml"
    copy.write_text(yaml.safe_dump(config, sort_keys=False))
    return copy
