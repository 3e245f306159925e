"""Sample cases for every claim kind (issue 13), each a natural, stdlib-only program.

Each sample says what ``repro.py`` and ``fix.py`` must be recorded as, under
the warm and the cold runner alike, and words the recorded detail must hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CLEAN = 'print("all good")\n'
HANG_TIMEOUT = "timeout = 6\n"

DEADLOCK = """\
import threading

lock = threading.Lock()
with lock:
    with lock:  # not an RLock: the second acquire waits for ever
        print("never")
"""

ABORT_AT_EXIT = """\
import atexit
import os
import sys


def flush_device_queues():
    print("flushing queues at exit", file=sys.stderr, flush=True)
    os.abort()


atexit.register(flush_device_queues)
print("training done")
"""

CHECK_FAILED = """\
import os
import sys

for n in range(30):
    print(f"    @     0x7f00000{n:04x}  (unknown)", file=sys.stderr)
print("F0000 00:00:1.000 123 shape_util.cc:42] Check failed: rank == 2 (3 vs. 2)",
      file=sys.stderr)
for n in range(30):
    print(f"    @     0x7f10000{n:04x}  xla::Frame{n}()", file=sys.stderr)
sys.stderr.flush()
os.abort()
"""


@dataclass(frozen=True)
class ClaimCase:
    """One sample: its case.toml claim, scripts, and the outcomes both runners must record."""

    slug: str
    claim: str
    repro: str
    repro_outcome: str
    fix: str = CLEAN
    fix_outcome: str = "passed"
    extra: str = ""
    repro_words: tuple[str, ...] = ()
    fix_words: tuple[str, ...] = ()
    options: dict[str, str] = field(default_factory=dict)


CLAIM_CASES = [
    # raises
    ClaimCase(
        "raises-reproduced",
        'raises = "ValueError"\nmatch = "bad thing \\\\d+"',
        'raise ValueError("bad thing 42")\n',
        "reproduced",
    ),
    ClaimCase(
        "raises-wrong-class",
        'raises = "ValueError"\nmatch = "bad thing"',
        'raise KeyError("bad thing")\n',
        "drifted",
        repro_words=("the class does not match: it raised KeyError, not ValueError",),
    ),
    ClaimCase(
        "raises-wrong-message",
        'raises = "ValueError"\nmatch = "first line.*second line"',
        'raise ValueError("first line\\nsecond line")\n',
        "drifted",
        repro_words=("the class matches (ValueError) but the message does not match", "(?s)"),
    ),
    ClaimCase(
        "raises-not-reproduced",
        'raises = "ValueError"\nmatch = "bad"',
        CLEAN,
        "not-reproduced",
    ),
    ClaimCase(
        "raises-numpy-alias",
        'raises = "np.linalg.LinAlgError"\nmatch = "Singular matrix"',
        "import numpy as np\n\nnp.linalg.inv(np.zeros((2, 2)))\n",
        "reproduced",
    ),
    ClaimCase(
        "raises-fix-raises",
        'raises = "ValueError"\nmatch = "bad"',
        'raise ValueError("bad")\n',
        "reproduced",
        fix='raise RuntimeError("the fix broke")\n',
        fix_outcome="failed",
    ),
    # warns
    ClaimCase(
        "warns-reproduced",
        'warns = "UserWarning"\nmatch = "slow path"',
        'import warnings\n\nwarnings.warn("taking the slow path", UserWarning)\nprint("done")\n',
        "reproduced",
    ),
    ClaimCase(
        "warns-subclass",
        'warns = "Warning"\nmatch = "renamed"',
        'import warnings\n\nwarnings.warn("f() was renamed to g()", DeprecationWarning)\n',
        "reproduced",
    ),
    ClaimCase(
        "warns-not-reproduced",
        'warns = "UserWarning"',
        CLEAN,
        "not-reproduced",
    ),
    ClaimCase(
        "warns-swallowed",
        'warns = "UserWarning"',
        "import warnings\n\nwith warnings.catch_warnings(record=True):\n"
        '    warnings.warn("nobody sees this")\n',
        "not-reproduced",
    ),
    ClaimCase(
        "warns-wrong-message",
        'warns = "UserWarning"\nmatch = "slow path"',
        'import warnings\n\nwarnings.warn("something else entirely")\n',
        "drifted",
        repro_words=("the class matches (UserWarning) but the message does not match",),
    ),
    ClaimCase(
        "warns-wrong-class",
        'warns = "UserWarning"\nmatch = "slow path"',
        'import warnings\n\nwarnings.warn("the slow path", FutureWarning)\n',
        "drifted",
        repro_words=("the class does not match: it warns FutureWarning, not UserWarning",),
    ),
    ClaimCase(
        "warns-raised",
        'warns = "UserWarning"',
        'raise ValueError("no warning, an error")\n',
        "drifted",
        repro_words=("it raised ValueError where the claim is that it warns UserWarning",),
    ),
    ClaimCase(
        "warns-at-exit",
        'warns = "RuntimeWarning"\nmatch = "unclosed"',
        "import atexit\nimport warnings\n\n"
        'atexit.register(lambda: warnings.warn("unclosed pool", RuntimeWarning))\n',
        "reproduced",
    ),
    ClaimCase(
        "warns-fix-still-warns",
        'warns = "UserWarning"\nmatch = "slow path"',
        'import warnings\n\nwarnings.warn("the slow path")\n',
        "reproduced",
        fix='import warnings\n\nwarnings.warn("still the slow path")\nassert 1 + 1 == 2\n',
        fix_outcome="failed",
        fix_words=("fix.py still warns UserWarning",),
    ),
    # crashes
    ClaimCase(
        "crashes-abort",
        'crashes = "SIGABRT"\nmatch = "Check failed: rank == 2"',
        CHECK_FAILED,
        "reproduced",
        repro_words=("died from SIGABRT", "Check failed: rank == 2"),
    ),
    ClaimCase(
        "crashes-other-signal",
        'crashes = "SIGABRT"',
        "import os\nimport signal\n\nos.kill(os.getpid(), signal.SIGSEGV)\n",
        "drifted",
        repro_words=("it died from SIGSEGV; the claim is that it crashes with SIGABRT",),
    ),
    ClaimCase(
        "crashes-wrong-message",
        'crashes = "SIGABRT"\nmatch = "Check failed: rank == 3"',
        CHECK_FAILED,
        "drifted",
        repro_words=("does not match",),
    ),
    ClaimCase(
        "crashes-not-reproduced",
        'crashes = "SIGABRT"',
        CLEAN,
        "not-reproduced",
    ),
    ClaimCase(
        "crashes-at-shutdown",
        'crashes = "SIGABRT"\nstderr = "flushing queues at exit"',
        ABORT_AT_EXIT,
        "reproduced",
    ),
    ClaimCase(
        "crashes-exit-status",
        'crashes = "exit:3"',
        'import sys\n\nprint("giving up", file=sys.stderr)\nsys.exit(3)\n',
        "reproduced",
    ),
    ClaimCase(
        "crashes-hard-exit",
        'crashes = "exit:4"',
        "import os\n\nos._exit(4)\n",
        "reproduced",
    ),
    ClaimCase(
        "crashes-fix-crashes-at-exit",
        'crashes = "SIGABRT"',
        "import os\n\nos.abort()\n",
        "reproduced",
        fix=ABORT_AT_EXIT,
        fix_outcome="crashed",
        fix_words=("finished, then died from SIGABRT",),
    ),
    # hangs
    ClaimCase("hangs-reproduced", "hangs = true", DEADLOCK, "reproduced", extra=HANG_TIMEOUT),
    ClaimCase("hangs-not-reproduced", "hangs = true", CLEAN, "not-reproduced", extra=HANG_TIMEOUT),
    ClaimCase(
        "hangs-raised",
        "hangs = true",
        'raise RuntimeError("deadlock detected")\n',
        "drifted",
        extra=HANG_TIMEOUT,
        repro_words=("it raised RuntimeError where the claim is that it hangs",),
    ),
    ClaimCase(
        "hangs-fix-hangs",
        "hangs = true",
        DEADLOCK,
        "reproduced",
        fix=DEADLOCK,
        fix_outcome="timeout",
        extra=HANG_TIMEOUT,
    ),
    # stderr, alone and with another kind
    ClaimCase(
        "stderr-reproduced",
        'stderr = "WARNING:root:retrying in \\\\d+ s"',
        'import logging\n\nlogging.warning("retrying in %d s", 5)\n',
        "reproduced",
    ),
    ClaimCase(
        "stderr-at-exit",
        'stderr = "pool not closed"',
        "import atexit\nimport sys\n\n"
        'atexit.register(lambda: print("pool not closed", file=sys.stderr))\n',
        "reproduced",
    ),
    ClaimCase("stderr-not-reproduced", 'stderr = "retrying"', CLEAN, "not-reproduced"),
    ClaimCase(
        "stderr-raised",
        'stderr = "retrying"',
        'raise OSError("no retry at all")\n',
        "drifted",
        repro_words=("it raised OSError where the claim is that it logs to stderr",),
    ),
    ClaimCase(
        "stderr-fix-still-logs",
        'stderr = "retrying"',
        'import logging\n\nlogging.warning("retrying")\n',
        "reproduced",
        fix='import logging\n\nlogging.warning("retrying")\n',
        fix_outcome="failed",
        fix_words=("fix.py still logs what [repro].stderr matches",),
    ),
    ClaimCase(
        "raises-and-stderr",
        'raises = "ValueError"\nmatch = "bad"\nstderr = "loading weights"',
        'import sys\n\nprint("loading weights", file=sys.stderr)\nraise ValueError("bad")\n',
        "reproduced",
    ),
    ClaimCase(
        "raises-without-its-stderr",
        'raises = "ValueError"\nmatch = "bad"\nstderr = "loading weights"',
        'raise ValueError("bad")\n',
        "drifted",
        repro_words=("as claimed, but its stderr does not match 'loading weights'",),
    ),
]
