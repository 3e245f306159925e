"""The warm runner: per environment, a zygote imports once and forks a child per script.

Every script still runs in its own process, session and working directory; it
only skips re-importing the modules its own first lines import. Where forking
is not safe or not possible, scripts run cold (``runner.run_script``) and the
result says why.
"""

from __future__ import annotations

import ast
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from fixbook.runner import (
    HARNESS,
    BoundedReader,
    ScriptResult,
    child_environment,
    kill_group,
    read_report,
    run_script,
)

ZYGOTE = Path(__file__).with_name("zygote.py")
STARTUP_TIMEOUT = 600.0
_LONGEST_WAIT = 3600.0  # socket timeouts overflow past ~9.2e9 s; wait in slices
ZygoteKey = tuple[tuple[tuple[str, str], ...], tuple[str, ...]]


def leading_imports(script: Path) -> tuple[str, ...]:
    """The modules a script imports before its first other statement.

    Only these are safe to import ahead of time: anything after, say, an
    ``os.environ[...] = ...`` line might depend on it. ``from m import a``
    gives ``"m:a"`` (``a`` may be a submodule).
    """
    try:
        tree = ast.parse(script.read_bytes(), filename=str(script))
    except (SyntaxError, ValueError, OSError):
        return ()
    names: list[str] = []
    for index, node in enumerate(tree.body):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module != "__future__":
                names += [
                    f"{node.module}:{alias.name}" for alias in node.names if alias.name != "*"
                ]
                names += [node.module] if any(a.name == "*" for a in node.names) else []
        elif index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue
        else:
            break
    return tuple(dict.fromkeys(names))


def zygote_key(script: Path, env: Mapping[str, str]) -> ZygoteKey:
    """Scripts with the same key share a zygote: same env variables, same leading imports."""
    return tuple(sorted(env.items())), leading_imports(script)


class Zygote:
    """One pre-imported interpreter that forks a child per script."""

    def __init__(self, env: Mapping[str, str], preload: tuple[str, ...], python: str) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the zygote
        self._sock = ours
        self.proc = subprocess.Popen(
            [python, str(ZYGOTE), str(theirs.fileno()), str(HARNESS), json.dumps(preload)],
            pass_fds=(theirs.fileno(),),
            env=child_environment(env),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=self._log,
            start_new_session=True,
        )
        theirs.close()
        self.problem = ""
        self.startup = 0.0
        try:
            reply = self._receive(STARTUP_TIMEOUT)
        except ZygoteGone:
            reply = None
        if reply is None:
            self.problem = f"the zygote did not start: {self._log_tail()}"
        else:
            self.startup = float(reply.get("seconds", 0.0))
            self.problem = "" if reply.get("ready") else str(reply.get("reason", "not ready"))
        if self.problem:
            self.close()

    def run(self, script: Path, *, timeout: float, raises: str) -> ScriptResult:
        """Fork a child that runs ``script`` through the harness.

        Raises:
            ZygoteGone: the zygote died or broke the protocol; the script's own
                process group is killed first.
        """
        with tempfile.TemporaryDirectory(prefix="fixbook-") as tmp:
            workdir = Path(tmp, "work")
            workdir.mkdir()
            report = Path(tmp, "report.json")
            out_r, out_w = os.pipe()
            err_r, err_w = os.pipe()
            request = {
                "script": str(script.resolve()),
                "report": str(report),
                "cwd": str(workdir),
                "raises": raises,
            }
            started = time.perf_counter()
            try:
                socket.send_fds(self._sock, [json.dumps(request).encode()], [out_w, err_w])
            except OSError as exc:
                raise self._gone(f"the zygote took no request: {exc}") from None
            finally:
                os.close(out_w)
                os.close(err_w)
            stdout = BoundedReader(os.fdopen(out_r, "rb"))
            stderr = BoundedReader(os.fdopen(err_r, "rb"))
            pid = None
            try:
                pid = int(self._expect("pid", 30.0))
                status = self._expect("status", timeout)
                if status is None:
                    kill_group(pid)
                    self._expect("status", 30.0)
            except (KeyError, TypeError, ValueError) as exc:
                raise self._gone(f"the zygote broke the protocol: {exc!r}") from None
            finally:
                if pid is not None:
                    kill_group(pid)
            duration = time.perf_counter() - started
            out, err = stdout.text(), stderr.text()
            if status is None:
                return ScriptResult(
                    "timeout",
                    duration,
                    None,
                    stdout=out,
                    stderr=err,
                    detail=f"killed after {timeout:g} s",
                )
            returncode = os.waitstatus_to_exitcode(int(status))
            return read_report(report, returncode, duration, out, err)

    def close(self) -> None:
        """Stop the zygote; its children are already gone."""
        self._sock.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            kill_group(self.proc.pid)
            self.proc.wait()
        self._log.close()

    def _receive(self, timeout: float) -> dict[str, Any] | None:
        """The next message, or ``None`` when ``timeout`` seconds pass first.

        Raises:
            ZygoteGone: the zygote closed its end (it died).
        """
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            self._sock.settimeout(min(remaining, _LONGEST_WAIT))
            try:
                data = self._sock.recv(65536)
            except TimeoutError:
                continue
            except OSError as exc:
                raise self._gone(f"the zygote's socket failed: {exc}") from None
            if not data:
                raise self._gone("the zygote died")
            message: dict[str, Any] = json.loads(data)
            return message
        return None

    def _expect(self, key: str, timeout: float) -> Any:
        """The value of ``key`` in the next message; ``None`` on timeout."""
        message = self._receive(timeout)
        if message is None:
            if key == "pid":
                raise self._gone("the zygote did not fork within 30 s")
            return None
        return message[key]

    def _gone(self, why: str) -> ZygoteGone:
        self.problem = f"{why}: {self._log_tail()}"
        return ZygoteGone(self.problem)

    def _log_tail(self) -> str:
        self._log.seek(0)
        text = self._log.read().decode("utf-8", errors="replace").strip()
        return text[-2000:] or f"exit status {self.proc.poll()}"


class ZygoteGone(Exception):
    """The zygote died or stopped answering in the middle of a run."""


class WarmRunner:
    """Runs scripts through zygotes keyed by environment and leading imports.

    At most ``max_zygotes`` stay alive; the least recently used is stopped first,
    so memory is bounded by the zygotes, not by the number of cases.
    """

    def __init__(self, python: str = sys.executable, max_zygotes: int = 4) -> None:
        self.python = python
        self.max_zygotes = max_zygotes
        self._zygotes: OrderedDict[ZygoteKey, Zygote] = OrderedDict()
        self._cold: dict[ZygoteKey, str] = {}

    def run(
        self, script: Path, *, env: Mapping[str, str], timeout: float, raises: str = ""
    ) -> ScriptResult:
        """Run ``script`` in a forked child, or cold where that is not possible."""
        key = zygote_key(script, env)
        preload = key[1]
        reason = self._cold_reason(key, env, preload)
        if not reason:
            try:
                result = self._zygotes[key].run(script, timeout=timeout, raises=raises)
                return replace(result, runner="warm")
            except (ZygoteGone, OSError) as exc:
                reason = self._cold[key] = f"zygote failed, ran again cold: {exc}"
                self._stop(key)
        result = run_script(script, env=env, timeout=timeout, raises=raises, python=self.python)
        return replace(result, runner=f"cold: {reason}")

    def _cold_reason(self, key: ZygoteKey, env: Mapping[str, str], preload: tuple[str, ...]) -> str:
        if not hasattr(os, "fork") or not hasattr(socket, "send_fds"):
            return "this platform cannot fork"
        if not preload:
            return "the script imports nothing first"
        if key in self._cold:
            return self._cold[key]
        if key in self._zygotes:
            self._zygotes.move_to_end(key)
            return ""
        while len(self._zygotes) >= self.max_zygotes:
            self._stop(next(iter(self._zygotes)))
        zygote = Zygote(env, preload, self.python)
        if zygote.problem:
            self._cold[key] = zygote.problem
            return zygote.problem
        self._zygotes[key] = zygote
        return ""

    def _stop(self, key: ZygoteKey) -> None:
        zygote = self._zygotes.pop(key, None)
        if zygote is not None:
            zygote.close()

    def close(self) -> None:
        """Stop every zygote."""
        for key in list(self._zygotes):
            self._stop(key)
