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
import select
import socket
import subprocess
import sys
import tempfile
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

from fixbook.runner.cold import (
    DEFAULT_MEMORY_LIMIT,
    GRACE,
    HARNESS,
    BoundedReader,
    ScriptResult,
    child_environment,
    finish,
    kill_group,
    run_script,
    stop,
)
from fixbook.runner.paths import Placeholders
from fixbook.runner.report import ReportReader

ZYGOTE = Path(__file__).with_name("zygote.py")
STARTUP_TIMEOUT = 600.0
_LONGEST_WAIT = 3600.0  # socket timeouts overflow past ~9.2e9 s; wait in slices
EnvKey = tuple[tuple[str, str], ...]
ZygoteKey = tuple[EnvKey, tuple[str, ...]]


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


def import_steps(names: tuple[str, ...], loaded: Mapping[str, bool]) -> tuple[str, ...]:
    """``names`` as the imports Python performs, in order, that a root zygote lacks.

    ``import a.b`` imports ``a`` then ``a.b``. A module imported already, by an
    earlier name or by the root zygote (``loaded`` maps its modules to whether
    each is a package), is not imported again; nor is ``from m import a`` where
    ``m`` is loaded and is not a package (``a`` is then an attribute). The
    steps of two scripts can share a prefix even when their import lines differ.
    """
    steps: list[str] = []
    for name in names:
        module, _, attribute = name.partition(":")
        parts = module.split(".")
        steps += [".".join(parts[: n + 1]) for n in range(len(parts))]
        submodule = f"{module}.{attribute}"
        if attribute and loaded.get(module, True) and submodule not in loaded:
            steps.append(name)
    return tuple(step for step in dict.fromkeys(steps) if step not in loaded)


def checkpoints(steps: tuple[str, ...], start: int) -> list[int]:
    """Where to keep a zygote on the way from ``steps[:start]`` to ``steps``: after each
    top-level package and at the end, so that scripts that begin alike share imports."""
    top_level = [n for n in range(start + 1, len(steps)) if steps[n - 1].isidentifier()]
    return [*top_level, len(steps)] if start < len(steps) else []


class Zygote:
    """One pre-imported interpreter that forks a child per script, or a zygote that imports
    more. Use ``Zygote.start`` for a fresh one and ``zygote.spawn`` for one forked from it."""

    def __init__(self, sock: socket.socket, log: BinaryIO) -> None:
        self._sock = sock
        self._log = log
        self.proc: subprocess.Popen[bytes] | None = None
        self.pid = 0
        self._pidfd = -1
        self.problem = ""
        self.modules: dict[str, bool] = {}

    @classmethod
    def start(cls, env: Mapping[str, str], python: str) -> Zygote:
        """A root zygote: a new interpreter that imports nothing of its own; ``problem``
        says if it is not ready, ``modules`` what it has loaded."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the zygote
        zygote = cls(ours, log)
        zygote.proc = subprocess.Popen(
            [python, str(ZYGOTE), str(theirs.fileno()), str(HARNESS)],
            pass_fds=(theirs.fileno(),),
            env=child_environment(env),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        theirs.close()
        zygote._wait_until_ready()
        return zygote

    def spawn(self, preload: tuple[str, ...]) -> Zygote:
        """A zygote forked from this one that also imports ``preload``.

        Raises:
            ZygoteGone: this zygote took no request.
        """
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        request = json.dumps({"spawn": preload}).encode()
        try:
            socket.send_fds(self._sock, [request], [theirs.fileno()])
        except OSError as exc:
            ours.close()
            raise self._gone(f"the zygote took no request: {exc}") from None
        finally:
            theirs.close()
        child = Zygote(ours, os.fdopen(os.dup(self._log.fileno()), "rb"))
        child._wait_until_ready()
        return child

    def _wait_until_ready(self) -> None:
        try:
            reply = self._receive(STARTUP_TIMEOUT)
        except ZygoteGone:
            reply = None
        if reply is None:
            self.problem = f"the zygote did not start: {self._log_tail()}"
        else:
            self.pid = int(reply.get("pid", 0))
            self.modules = dict(reply.get("modules", {}))
            self.problem = "" if reply.get("ready") else str(reply.get("reason", "not ready"))
            if not self.problem and self.proc is None:
                self._pidfd = _pidfd(self.pid)
        if self.problem:
            self.close()

    def run(self, script: Path, *, timeout: float, raises: str, memory_limit: int) -> ScriptResult:
        """Fork a child that runs ``script`` through the harness.

        Raises:
            ZygoteGone: the zygote died or broke the protocol; the script's own
                process group is killed first.
        """
        with tempfile.TemporaryDirectory(prefix="fixbook-") as tmp:
            workdir = Path(tmp, "work")
            workdir.mkdir()
            out_r, out_w = os.pipe()
            err_r, err_w = os.pipe()
            report_r, report_w = os.pipe()
            request = {
                "script": str(script.resolve()),
                "cwd": str(workdir),
                "raises": raises,
                "memory": memory_limit,
            }
            started = time.perf_counter()
            try:
                socket.send_fds(
                    self._sock, [json.dumps(request).encode()], [out_w, err_w, report_w]
                )
            except OSError as exc:
                for fd in (out_r, err_r, report_r):
                    os.close(fd)
                raise self._gone(f"the zygote took no request: {exc}") from None
            finally:
                for fd in (out_w, err_w, report_w):
                    os.close(fd)
            report = ReportReader(report_r)
            stdout = BoundedReader(os.fdopen(out_r, "rb"))
            stderr = BoundedReader(os.fdopen(err_r, "rb"))
            pid = None
            try:
                pid = int(self._expect("pid", 30.0))
                status = self._expect("status", timeout)
                if status is None:
                    stop(pid)
                    if self._expect("status", GRACE) is None:
                        kill_group(pid)
                        self._expect("status", 30.0)
            except (KeyError, TypeError, ValueError) as exc:
                raise self._gone(f"the zygote broke the protocol: {exc!r}") from None
            finally:
                if pid is not None:
                    kill_group(pid)
            duration = time.perf_counter() - started
            timed_out = status is None
            returncode = 0 if timed_out else os.waitstatus_to_exitcode(int(status))
            result = finish(report, returncode, timed_out, timeout, duration, stdout, stderr)
            return Placeholders(script.resolve().parent, workdir).result(result)

    def close(self) -> None:
        """Stop the zygote (it exits when its socket closes); its children are already gone."""
        self._sock.close()
        if self.proc is not None:
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                kill_group(self.proc.pid)
                self.proc.wait()
        elif self._pidfd >= 0:
            exited, _, _ = select.select([self._pidfd], [], [], 5)
            if not exited:
                kill_group(self.pid)
            os.close(self._pidfd)
            self._pidfd = -1
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
        """The end of what the zygotes of this tree wrote (they share one log)."""
        self._log.seek(0)
        text = self._log.read().decode("utf-8", errors="replace").strip()
        status = f"exit status {self.proc.poll()}" if self.proc else "no output"
        return text[-2000:] or status


def _pidfd(pid: int) -> int:
    """A handle on a forked zygote (not our child, so no ``wait``); -1 where there is none.

    The zygote is waiting for our next request, so ``pid`` is still its own.
    """
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return -1


class ZygoteGone(Exception):
    """The zygote died or stopped answering in the middle of a run."""


class WarmRunner:
    """Runs scripts through trees of zygotes, one tree per set of env variables.

    The root of a tree imports nothing; a script's zygote is forked from the
    zygote whose imports are the longest prefix of the script's own, importing
    the rest, with a zygote kept after each top-level package on the way. At
    most ``max_zygotes`` stay alive; the least recently used is stopped first,
    so memory is bounded by the zygotes, not by the number of cases.
    """

    def __init__(
        self,
        python: str = sys.executable,
        max_zygotes: int = 16,
        memory_limit: int = DEFAULT_MEMORY_LIMIT,
    ) -> None:
        if max_zygotes < 1:
            raise ValueError(f"max_zygotes must be at least 1, not {max_zygotes}")
        self.python = python
        self.memory_limit = memory_limit
        self.max_zygotes = max_zygotes
        self._zygotes: OrderedDict[ZygoteKey, Zygote] = OrderedDict()
        self._loaded: dict[EnvKey, dict[str, bool]] = {}
        self._cold: dict[ZygoteKey, str] = {}

    def run(
        self, script: Path, *, env: Mapping[str, str], timeout: float, raises: str = ""
    ) -> ScriptResult:
        """Run ``script`` in a forked child, or cold where that is not possible."""
        key, reason = self._zygote_for(script, env)
        if not reason:
            try:
                result = self._zygotes[key].run(
                    script, timeout=timeout, raises=raises, memory_limit=self.memory_limit
                )
                return replace(result, runner="warm")
            except (ZygoteGone, OSError) as exc:
                reason = self._cold[key] = f"zygote failed, ran again cold: {exc}"
                self._stop(key)
        result = run_script(
            script,
            env=env,
            timeout=timeout,
            raises=raises,
            python=self.python,
            memory_limit=self.memory_limit,
        )
        return replace(result, runner=f"cold: {reason}")

    def _zygote_for(self, script: Path, env: Mapping[str, str]) -> tuple[ZygoteKey, str]:
        """The key of a live zygote for ``script``, or why there is none."""
        env_key: EnvKey = tuple(sorted(env.items()))
        if not hasattr(os, "fork") or not hasattr(socket, "send_fds"):
            return (env_key, ()), "this platform cannot fork"
        names = leading_imports(script)
        if not names:
            return (env_key, ()), "the script imports nothing first"
        root_key: ZygoteKey = (env_key, ())
        if env_key not in self._loaded and (
            root_key in self._cold or not self._start_root(env_key, env)
        ):
            return root_key, self._cold[root_key]
        steps = import_steps(names, self._loaded[env_key])
        key: ZygoteKey = (env_key, steps)
        if key in self._cold:
            return key, self._cold[key]
        live = (n for n in range(len(steps) + 1) if (env_key, steps[:n]) in self._zygotes)
        prefix = max(live, default=0)
        stopped_since = prefix == 0 and root_key not in self._zygotes
        if stopped_since and not self._start_root(env_key, env):
            return key, self._cold.setdefault(key, self._cold[root_key])
        for end in checkpoints(steps, prefix):
            parent_key, child_key = (env_key, steps[:prefix]), (env_key, steps[:end])
            if child_key not in self._cold:
                self._zygotes.move_to_end(parent_key)
                try:
                    self._add(child_key, self._zygotes[parent_key].spawn(steps[:end]))
                except ZygoteGone as exc:
                    self._cold[child_key] = f"zygote failed: {exc}"
                    self._stop(parent_key)
            if child_key not in self._zygotes:
                return key, self._cold.setdefault(key, self._cold[child_key])
            prefix = end
        self._zygotes.move_to_end(key)
        return key, ""

    def _start_root(self, env_key: EnvKey, env: Mapping[str, str]) -> bool:
        """Start the root zygote of ``env``; whether it is ready."""
        root_key: ZygoteKey = (env_key, ())
        self._add(root_key, Zygote.start(env, self.python))
        if root_key not in self._zygotes:
            return False
        self._loaded[env_key] = self._zygotes[root_key].modules
        return True

    def _add(self, key: ZygoteKey, zygote: Zygote) -> None:
        """Keep a ready zygote (stopping the least recently used), or remember its problem."""
        if zygote.problem:
            self._cold[key] = zygote.problem
            return
        self._zygotes[key] = zygote
        while len(self._zygotes) > self.max_zygotes:
            self._stop(next(iter(self._zygotes)))

    def _stop(self, key: ZygoteKey) -> None:
        zygote = self._zygotes.pop(key, None)
        if zygote is not None:
            zygote.close()

    def close(self) -> None:
        """Stop every zygote."""
        for key in list(self._zygotes):
            self._stop(key)
