"""Child-side harness: run one script as ``__main__`` and report one JSON document.

Runs inside the child process as ``python harness.py SCRIPT REPORT [RAISES]``.
Standard library only; it imports nothing of fixbook, so the script sees the
same interpreter state as ``python SCRIPT`` would.
"""

import os
import sys

# Python put this file's folder first on sys.path; it is not the script's, and it
# holds modules (bisect.py, ...) that would shadow the standard library.
if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(__file__)):
    del sys.path[0]

import importlib
import json
import runpy
import traceback

MESSAGE_LIMIT = 100_000
TRACEBACK_FRAMES = 30


def main() -> None:
    script, report_path = sys.argv[1], sys.argv[2]
    raises = sys.argv[3] if len(sys.argv) > 3 else ""
    script = os.path.abspath(script)
    sys.argv = [script]
    sys.path.insert(0, os.path.dirname(script))
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as exc:
        report = {"status": "finished"} if exc.code in (None, 0) else describe(exc, raises)
    except BaseException as exc:  # noqa: BLE001 - the script's own exception is the result
        report = describe(exc, raises)
    else:
        report = {"status": "finished"}
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:  # noqa: BLE001 - a closed stream must not lose the report
        pass
    with open(report_path + ".tmp", "w", encoding="utf-8") as handle:
        json.dump(report, handle)
    os.replace(report_path + ".tmp", report_path)


def describe(exc: BaseException, raises: str) -> dict:
    """The exception as JSON: class names along the MRO, message, traceback tail."""
    kind = type(exc)
    return {
        "status": "raised",
        "type": qualified_name(kind),
        "mro": [qualified_name(cls) for cls in kind.__mro__],
        "message": safe_str(exc)[:MESSAGE_LIMIT],
        "traceback": script_traceback(exc),
        "is_documented": is_instance_of(exc, raises) if "." in raises else None,
    }


def qualified_name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def safe_str(exc: BaseException) -> str:
    """``str(exc)``, even when the exception's own ``__str__`` raises."""
    try:
        return str(exc)
    except BaseException as inner:  # noqa: BLE001
        return f"<str() of {type(exc).__name__} failed: {type(inner).__name__}>"


def script_traceback(exc: BaseException) -> str:
    """The traceback from the script's first frame on, without this harness."""
    frames = traceback.extract_tb(exc.__traceback__)
    while frames and not _is_script_frame(frames[0].filename):
        frames.pop(0)
    folder = os.path.dirname(sys.argv[0]) + os.sep
    for frame in frames:
        if frame.filename.startswith(folder):
            frame.filename = frame.filename[len(folder) :]
    try:
        tail = traceback.format_list(frames[-TRACEBACK_FRAMES:])
        tail += traceback.format_exception_only(type(exc), exc)
    except BaseException:  # noqa: BLE001 - an unprintable exception still reports
        tail = [f"{type(exc).__name__}: {safe_str(exc)}\n"]
    return "".join(tail)[-MESSAGE_LIMIT:]


def _is_script_frame(filename: str) -> bool:
    return filename == sys.argv[0]


def is_instance_of(exc: BaseException, dotted: str) -> bool:
    """Whether ``exc`` is an instance of the class named by its public dotted path."""
    module_name, _, attr = dotted.rpartition(".")
    while module_name:
        try:
            target = importlib.import_module(module_name)
            for part in attr.split("."):
                target = getattr(target, part)
            return isinstance(target, type) and isinstance(exc, target)
        except (ImportError, AttributeError):
            module_name, _, head = module_name.rpartition(".")
            attr = f"{head}.{attr}"
        except Exception:  # noqa: BLE001 - a broken import is "not the documented class"
            return False
    return False


if __name__ == "__main__":
    main()
