"""Settings, resolved in one place: command line, environment variable, ini, default."""

from __future__ import annotations

import math
import os
import re
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from fixbook.knowledge.case import Case
from fixbook.plugin.schedule import parse_shard
from fixbook.runner.cold import DEFAULT_MEMORY_LIMIT, ColdRunner
from fixbook.runner.warm import WarmRunner

ENV_HELP = (
    "name of this environment's results file; the site publishes only the names it is "
    "configured with (default: where it ran, <host>-py<X.Y>)"
)
RESULTS_HELP = "folder for results files (default: .fixbook/results under the rootdir)"
TIMEOUT_HELP = "seconds a case script may run; a case's own `timeout` wins (default: 600)"
RUNNER_HELP = (
    "warm: fork each script from a zygote that imported its first imports once; "
    "cold: a fresh interpreter per script (default: warm)"
)
RUNNERS = ("warm", "cold")
MEMORY_HELP = (
    "MiB of resident memory a case script and the processes it starts may use together; "
    f"over it they are killed and the script is `crashed`; 0: no limit "
    f"(default: {DEFAULT_MEMORY_LIMIT // 2**20})"
)
REUSE_HELP = (
    "do not run a script whose stored result still holds: same case files, installed "
    "versions and env variables (for rebuilding the site; never the default)"
)

SHARD_HELP = "run only the K-th of N duration-balanced shards of the cases, e.g. 2/4"

DEFAULT_TIMEOUT = 600.0
_ENV_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class Settings:
    """Resolved fixbook settings for one pytest run."""

    env_name: str
    results_dir: Path
    timeout: float
    runner: str = "warm"
    reuse: bool = False
    shard: tuple[int, int] | None = None
    env_defaulted: bool = False  # no name given: named after where it ran
    memory_limit: int = DEFAULT_MEMORY_LIMIT

    def timeout_for(self, case: Case) -> float:
        """The case's own timeout, else the run's."""
        return case.timeout if case.timeout is not None else self.timeout


SETTINGS_KEY = pytest.StashKey[Settings]()
RUNNER_KEY = pytest.StashKey[ColdRunner | WarmRunner]()


def add_options(parser: pytest.Parser) -> None:
    """Declare each setting as an option and its ini twin, sharing one help text."""
    group = parser.getgroup("fixbook", "Fixbook cases")
    group.addoption("--fixbook-env", dest="fixbook_env", metavar="NAME", help=ENV_HELP)
    group.addoption("--fixbook-results", dest="fixbook_results", metavar="DIR", help=RESULTS_HELP)
    group.addoption(
        "--fixbook-timeout", dest="fixbook_timeout", metavar="SECONDS", help=TIMEOUT_HELP
    )
    group.addoption("--fixbook-runner", dest="fixbook_runner", choices=RUNNERS, help=RUNNER_HELP)
    group.addoption("--fixbook-reuse", dest="fixbook_reuse", action="store_true", help=REUSE_HELP)
    group.addoption("--fixbook-shard", dest="fixbook_shard", metavar="K/N", help=SHARD_HELP)
    group.addoption("--fixbook-memory", dest="fixbook_memory", metavar="MIB", help=MEMORY_HELP)
    parser.addini("fixbook_env", ENV_HELP)
    parser.addini("fixbook_runner", RUNNER_HELP)
    parser.addini("fixbook_results", RESULTS_HELP)
    parser.addini("fixbook_timeout", TIMEOUT_HELP)
    parser.addini("fixbook_shard", SHARD_HELP)
    parser.addini("fixbook_memory", MEMORY_HELP)


def resolve(config: pytest.Config) -> Settings:
    """Resolve every setting; a bad value raises ``pytest.UsageError`` naming its source."""
    env_name, source = _first(config, "fixbook_env", "FIXBOOK_ENV")
    env_defaulted = not env_name
    env_name = env_name or default_env_name()
    if not _ENV_NAME.match(env_name):
        raise pytest.UsageError(
            f"{source}: environment name {env_name!r} must be letters, digits, '.', '_' or '-'"
        )
    results, _ = _first(config, "fixbook_results", "FIXBOOK_RESULTS")
    results_dir = Path(results) if results else Path(".fixbook", "results")
    if not results_dir.is_absolute():
        results_dir = config.rootpath / results_dir
    timeout_text, source = _first(config, "fixbook_timeout", "FIXBOOK_TIMEOUT")
    timeout = DEFAULT_TIMEOUT
    if timeout_text:
        try:
            timeout = float(timeout_text)
        except ValueError:
            timeout = -1.0
        if not (timeout > 0 and math.isfinite(timeout)):
            raise pytest.UsageError(
                f"{source}: timeout {timeout_text!r} must be a positive, finite number"
            )
    runner, source = _first(config, "fixbook_runner", "FIXBOOK_RUNNER")
    runner = runner or "warm"
    if runner not in RUNNERS:
        raise pytest.UsageError(f"{source}: runner {runner!r} must be one of {', '.join(RUNNERS)}")
    shard_text, shard_source = _first(config, "fixbook_shard", "FIXBOOK_SHARD")
    memory_text, source = _first(config, "fixbook_memory", "FIXBOOK_MEMORY")
    memory_limit = DEFAULT_MEMORY_LIMIT
    if memory_text:
        if not memory_text.strip().isdigit():
            raise pytest.UsageError(
                f"{source}: memory limit {memory_text!r} must be a whole number of MiB (0: none)"
            )
        memory_limit = int(memory_text) * 2**20
    return Settings(
        shard=parse_shard(shard_text, shard_source) if shard_text else None,
        env_name=env_name,
        results_dir=results_dir,
        timeout=timeout,
        runner=runner,
        reuse=bool(config.getoption("fixbook_reuse")),
        env_defaulted=env_defaulted,
        memory_limit=memory_limit,
    )


def default_env_name() -> str:
    """Where an unnamed run ran: this machine's name and Python, e.g. ``buildbox-py3.11``.

    A run without ``--fixbook-env`` is an ad-hoc one; its results file says where
    it came from, and the site (which publishes only the environments it is
    configured with, ``latest`` and ``legacy`` by default) leaves it out.
    """
    host = re.sub(r"[^A-Za-z0-9_.-]+", "-", socket.gethostname()).lstrip("-_.")
    return f"{host or 'host'}-py{sys.version_info.major}.{sys.version_info.minor}"


def _first(config: pytest.Config, name: str, variable: str) -> tuple[str, str]:
    """The first value set for a setting, and where it came from."""
    option = config.getoption(name)
    if option:
        return str(option), f"--{name.replace('_', '-')}"
    if os.environ.get(variable):
        return os.environ[variable], f"environment variable {variable}"
    ini = config.getini(name)
    if ini:
        return str(ini), f"ini option {name}"
    return "", "default"
