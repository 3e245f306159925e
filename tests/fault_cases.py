"""Sample cases that misbehave, for the fault-injection tests (issue 7).

Every script here starts with an import statement, so the warm runner forks it
from a zygote; ``--fixbook-runner cold`` runs the same scripts in a fresh
interpreter. The cases are written into temporary folders by the tests, never
kept in the tree, so a normal ``pytest`` run never collects them.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from .conftest import write_case

RUNNERS = ("warm", "cold")
each_runner = pytest.mark.parametrize("runner", RUNNERS)

#: Markup that must stay text wherever it is stored: HTML, Jinja, Markdown specials.
MARKUP = (
    "<script>alert('x')</script> <img src=x onerror=alert(1)> {{ jinja }} {% raw %} "
    "**bold** _under_ `tick` | pipe | [link](javascript:alert(1)) &amp; "
    "Got: <KerasTensor shape=(None, 3), dtype=float32>"
)
MARKUP_TITLE = "A <b>title</b> with {{ braces }}, *stars*, `ticks` & <KerasTensor shape=(None, 3)>"
MARKUP_SUMMARY = "<img src=x onerror=alert(1)> | pipes | {% if x %} [x](y)"

FLOOD_STDOUT = 32 * 1024 * 1024
FLOOD_STDERR = 16 * 1024 * 1024

HANG_REPRO = """\
import os, subprocess, sys, time

sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
with open({pids!r} + "/hang-repro.json.tmp", "w") as handle:
    handle.write('{{"script": %d, "grandchild": %d}}' % (os.getpid(), sleeper.pid))
os.replace({pids!r} + "/hang-repro.json.tmp", {pids!r} + "/hang-repro.json")
print("hanging now", flush=True)
time.sleep(300)
"""

# The fix leaves a background grandchild behind and ends normally: it passes, and the
# grandchild is killed with the rest of its process group.
HANG_FIX = """\
import os, subprocess, sys

sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
with open({pids!r} + "/hang-fix.json", "w") as handle:
    handle.write('{{"script": %d, "grandchild": %d}}' % (os.getpid(), sleeper.pid))
"""

BAD_STR = """\
import sys


class Nasty(ValueError):
    def __str__(self):
        raise RuntimeError("no str for you")


raise Nasty("bad thing 1")
"""

NOT_STR = """\
import sys


class Weird(Exception):
    def __str__(self):
        return 42


raise Weird()
"""

NOT_UTF8 = """\
import sys

sys.stdout.buffer.write(b"out \\xff\\xfe\\xc3 not utf-8 \\x80\\n")
sys.stdout.flush()
sys.stderr.buffer.write(b"err \\xe2\\x82 cut \\xff\\n")
sys.stderr.flush()
raise ValueError("bad thing 5")
"""

FLOOD = f"""\
import sys

chunk = "x" * (1024 * 1024)
for _ in range({FLOOD_STDOUT // (1024 * 1024)}):
    sys.stdout.write(chunk)
for _ in range({FLOOD_STDERR // (1024 * 1024)}):
    sys.stderr.write(chunk)
sys.stdout.write("\\nlast line of stdout\\n")
sys.stderr.write("\\nlast line of stderr\\n")
raise ValueError("bad thing 7 " + "y" * 5_000_000)
"""

WORKDIR_REPRO = """\
import sys

input("name? ")
"""

WORKDIR_FIX = """\
import os, sys

assert sys.stdin.read() == ""
assert sys.stdin.readline() == ""
start = os.getcwd()
with open("litter.txt", "w") as handle:
    handle.write("written into the working directory")
os.mkdir("sub")
os.chdir("sub")
with open("deeper.txt", "w") as handle:
    handle.write("x")
os.chdir("..")
os.chdir("..")
with open(os.path.join(start, "sub", "deeper.txt")) as handle:
    assert handle.read() == "x"
print("cwd changed to", os.getcwd())
"""

MARKUP_REPRO = f"""\
import sys

print({MARKUP!r})
print({MARKUP!r}, file=sys.stderr)
raise ValueError({MARKUP!r})
"""

MARKUP_FIX = f"""\
import sys

raise RuntimeError({MARKUP!r})
"""

GOOD_REPRO = 'import os\n\nraise ValueError("bad thing 42")\n'
GOOD_FIX = "import os\n\nassert os.sep\n"


@dataclass(frozen=True)
class Expected:
    """What one script of a fault case must be recorded as."""

    outcome: str
    expected: str
    error_type: str = ""
    message: str | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome == self.expected


REPRODUCED = Expected("reproduced", "reproduced", "builtins.ValueError")
PASSED = Expected("passed", "passed")


@dataclass(frozen=True)
class FaultCase:
    """A sample case: how to write it and what each script must be recorded as."""

    slug: str
    repro: Expected
    fix: Expected
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def case_id(self) -> str:
        return f"faults/{self.slug}"


def fault_cases(pids: Path) -> list[FaultCase]:
    """The runtime faults, with a good neighbour on either side (in collection order)."""
    p = str(pids)
    return [
        FaultCase("aa-good", REPRODUCED, PASSED, dict(repro=GOOD_REPRO, fix=GOOD_FIX)),
        FaultCase(
            "hang",
            Expected("timeout", "reproduced", detail="killed after 5 s"),
            PASSED,
            dict(
                repro=HANG_REPRO.format(pids=p),
                fix=HANG_FIX.format(pids=p),
                extra=f"timeout = 5\n{mark_env(p)}",
            ),
        ),
        FaultCase(
            "segfault",
            Expected("crashed", "reproduced", detail="died from SIGSEGV before reporting"),
            Expected("crashed", "passed", detail="died from SIGSEGV before reporting"),
            dict(
                repro="import ctypes\n\nctypes.string_at(0)\n",
                fix="import os, signal\n\nos.kill(os.getpid(), signal.SIGSEGV)\n",
            ),
        ),
        FaultCase(
            "abort",
            Expected("crashed", "reproduced", detail="died from SIGABRT before reporting"),
            PASSED,
            dict(repro="import os\n\nos.abort()\n", fix=GOOD_FIX),
        ),
        FaultCase(
            "hard-exit",
            REPRODUCED,
            Expected("crashed", "passed", detail="exited with status 0 before the script finished"),
            dict(
                repro=GOOD_REPRO,
                fix='import os\n\nprint("half way", flush=True)\nos._exit(0)\n'
                'raise AssertionError("never reached")\n',
            ),
        ),
        FaultCase(
            "sys-exit",
            Expected("reproduced", "reproduced", "builtins.SystemExit", "3"),
            Expected("failed", "passed", "builtins.SystemExit", "3"),
            dict(
                repro="import sys\n\nsys.exit(3)\n",
                fix='import sys\n\nprint("partial")\nsys.exit(3)\n',
                raises="SystemExit",
                match="^3$",
            ),
        ),
        FaultCase(
            "keyboard-interrupt",
            Expected(
                "reproduced", "reproduced", "builtins.KeyboardInterrupt", "pressed by the script"
            ),
            Expected("failed", "passed", "builtins.KeyboardInterrupt", ""),
            dict(
                repro='import os\n\nraise KeyboardInterrupt("pressed by the script")\n',
                fix="import os, signal, time\n\n"
                "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
                "os.kill(os.getpid(), signal.SIGINT)\ntime.sleep(5)\n",
                raises="KeyboardInterrupt",
                match="pressed",
            ),
        ),
        FaultCase(
            "bad-str",
            Expected(
                "reproduced",
                "reproduced",
                "__main__.Nasty",
                "<str() of Nasty failed: RuntimeError>",
            ),
            Expected("failed", "passed", "__main__.Weird", "<str() of Weird failed: TypeError>"),
            dict(repro=BAD_STR, fix=NOT_STR, match=r"str\\(\\) of Nasty failed"),
        ),
        FaultCase(
            "not-utf8",
            Expected("reproduced", "reproduced", "builtins.ValueError", "bad thing 5"),
            PASSED,
            dict(repro=NOT_UTF8, fix=GOOD_FIX),
        ),
        FaultCase(
            "flood",
            Expected("reproduced", "reproduced", "builtins.ValueError"),
            PASSED,
            dict(repro=FLOOD, fix=GOOD_FIX),
        ),
        FaultCase(
            "workdir",
            Expected("reproduced", "reproduced", "builtins.EOFError", "EOF when reading a line"),
            PASSED,
            dict(repro=WORKDIR_REPRO, fix=WORKDIR_FIX, raises="EOFError", match="EOF"),
        ),
        FaultCase(
            "markup",
            Expected("reproduced", "reproduced", "builtins.ValueError", MARKUP),
            Expected("failed", "passed", "builtins.RuntimeError", MARKUP),
            dict(repro=MARKUP_REPRO, fix=MARKUP_FIX, match=r"<KerasTensor shape=\\(None, 3\\)"),
        ),
        FaultCase("zz-good", REPRODUCED, PASSED, dict(repro=GOOD_REPRO, fix=GOOD_FIX)),
    ]


@dataclass(frozen=True)
class BrokenCase:
    """A malformed case folder and the words its collection error must hold."""

    slug: str
    words: tuple[str, ...]
    file: str = "case.toml"


BROKEN_CASES = [
    BrokenCase("broken-toml", ("is not valid TOML",)),
    BrokenCase("unknown-key", ("[titel] unknown key",)),
    BrokenCase("misspelt-fix-key", ("[fix.require] unknown key",)),
    BrokenCase("wrong-type", ("[tags] must be an array, not a string",)),
    BrokenCase("bool-timeout", ("[timeout] must be a number, not a boolean",)),
    BrokenCase("bad-regex", ("[repro.match] is not a valid regular expression",)),
    BrokenCase("bad-specifier", ("[repro.affected.packaging] is not a valid PEP 440 specifier",)),
    BrokenCase("missing-repro", ("is missing",), "repro.py"),
    BrokenCase("missing-fix", ("is missing",), "fix.py"),
    BrokenCase("missing-readme", ("is missing",), "README.md"),
    BrokenCase("empty-fix", ("is empty",), "fix.py"),
    BrokenCase("empty-toml", ("[title] is required but missing",)),
    BrokenCase("not-utf8-toml", ("is not valid UTF-8",)),
]


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string (JSON's escapes are a subset of TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def write_fault_cases(cases_dir: Path, pids: Path) -> list[FaultCase]:
    """Write every runtime fault case under ``cases_dir/faults``."""
    cases = fault_cases(pids)
    for case in cases:
        folder = write_case(cases_dir, case.slug, library="faults", **case.options)
        if case.slug == "markup":
            toml = folder / "case.toml"
            text = toml.read_text(encoding="utf-8")
            text = text.replace('title = "Sample markup"', f"title = {toml_string(MARKUP_TITLE)}")
            text = text.replace(
                'summary = "A sample case for fixbook\'s own tests."',
                f"summary = {toml_string(MARKUP_SUMMARY)}\n"
                f"tags = [{toml_string('<odd tag>')}, {toml_string('{{ t }}')}]",
            )
            toml.write_text(text, encoding="utf-8")
    return cases


def write_broken_cases(cases_dir: Path) -> list[BrokenCase]:
    """Write every malformed case folder under ``cases_dir/broken``."""
    good = dict(repro=GOOD_REPRO, fix=GOOD_FIX, library="broken")
    extras: dict[str, dict[str, str]] = {
        "unknown-key": dict(extra='titel = "typo"\n'),
        "misspelt-fix-key": dict(repro_extra='[fix]\nrequire = { packaging = ">=1" }\n'),
        "wrong-type": dict(extra='tags = "not-a-list"\n'),
        "bool-timeout": dict(extra="timeout = true\n"),
        "bad-regex": dict(match="(unclosed"),
        "bad-specifier": dict(repro_extra='affected = { packaging = ">=banana" }\n'),
    }
    for broken in BROKEN_CASES:
        folder = write_case(cases_dir, broken.slug, **good, **extras.get(broken.slug, {}))
        if broken.slug == "broken-toml":
            (folder / "case.toml").write_text('title = "unterminated\nlibrary = "x"\n')
        elif broken.slug.startswith("missing-"):
            (folder / broken.file).unlink()
        elif broken.slug == "empty-fix":
            (folder / "fix.py").write_text("")
        elif broken.slug == "empty-toml":
            (folder / "case.toml").write_text("")
        elif broken.slug == "not-utf8-toml":
            (folder / "case.toml").write_bytes(b'title = "caf\xe9"\n')
    return BROKEN_CASES


def clean_environment() -> dict[str, str]:
    """This environment without the outer run's pytest and fixbook variables."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST_", "FIXBOOK_", "COV_", "HYPOTHESIS"))
    }


def write_project(root: Path) -> None:
    """Make ``root`` its own pytest rootdir, apart from the repository's settings.

    Its runs write ``local.json``, whichever machine runs them.
    """
    (root / "pytest.ini").write_text("[pytest]\nfixbook_env = local\n", encoding="utf-8")


def run_pytest(root: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run pytest on ``root`` in its own process, as a person would."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=root,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def alive(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie waiting to be reaped counts as dead)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as handle:
            state = handle.read().rpartition(")")[2].split()[0]
        return state not in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError):
        return False
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


#: What the command line of a process these samples started holds.
OURS = (b"time.sleep(300)", b"fixbook/harness.py", b"fixbook/zygote.py")


def kill_if_alive(pid: int) -> None:
    """Tidy up after a failed assertion, so a leaked sleeper does not outlive the test.

    Only a live process whose command line shows it is one of ours is killed, never
    another that happens to have been given the same pid since.
    """
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return
    if alive(pid) and any(mark in cmdline for mark in OURS):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


MARK = "FIXBOOK_SAMPLE_MARK"


def mark_env(mark: str) -> str:
    """A case.toml ``env`` line that marks every process of a case's scripts with ``mark``.

    Scripts may run in a PID namespace of their own, where the pids they see are not
    this test's; the environment variable, which every process they start inherits,
    finds them from outside (``marked``).
    """
    return f"env = {{ {MARK} = {json.dumps(mark)} }}\n"


def marked(mark: str) -> list[int]:
    """The live processes (seen from here) whose environment holds ``mark_env(mark)``."""
    wanted = f"{MARK}={mark}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if wanted in environ.split(b"\0") and alive(int(entry.name)):
            found.append(int(entry.name))
    return found


def kill_marked(mark: str) -> None:
    """Tidy up after a failed assertion: kill every process still marked with ``mark``."""
    for pid in marked(mark):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def read_pids(path: Path) -> dict[str, int]:
    """The pids a sample script wrote, as JSON."""
    return {k: int(v) for k, v in json.loads(path.read_text(encoding="utf-8")).items()}
