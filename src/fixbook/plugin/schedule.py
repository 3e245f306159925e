"""Scheduling by measured durations: xdist work units longest first, and shards.

The durations are those stored for this environment (the results document with
its journals folded in), per case and script; a script never measured counts
:data:`DEFAULT_SECONDS`. Under pytest-xdist, :class:`DurationScheduling` keeps
the ``xdist_group`` units (scripts that share a zygote), hands them out longest
first, and gives a worker its next unit only when it holds at most one script
not yet started, so that a worker that runs dry takes the next unit rather than
waiting behind work queued on the other. A worker takes the longest unit whose
zygotes it already has or that no other worker has started, and a unit of
another worker's zygotes only when nothing else is left (work stealing), so
that an environment's imports are paid on as few workers as the balance allows.
``--fixbook-shard K/N`` splits the cases into N shards by the greedy
longest-processing-time rule (each case, the longest first, to the shard with
the least work so far), which is within 4/3 of the best split (Graham,
"Bounds on multiprocessing timing anomalies", 1969).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pytest

from fixbook.results.store import ResultsError, read_with_journals, results_path

#: Seconds assumed for a script with no stored duration (about the median of the
#: 54 scripts measured on a 2-core machine, importing included).
DEFAULT_SECONDS = 5.0
_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")

Durations = Mapping[tuple[str, str], float]


def parse_shard(text: str, source: str) -> tuple[int, int]:
    """``"K/N"`` as ``(K, N)`` with ``1 <= K <= N``.

    Raises:
        pytest.UsageError: naming ``source`` when the text is not such a pair.
    """
    match = _SHARD.match(text)
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise pytest.UsageError(f"{source}: shard {text!r} must be K/N with 1 <= K <= N, e.g. 2/4")
    return int(match[1]), int(match[2])


def stored_durations(results_dir: Any, env_name: str) -> dict[tuple[str, str], float]:
    """``(case id, script) -> seconds`` from this environment's stored results.

    A script stored as skipped keeps its (near zero) duration: it is skipped again
    in the same environment, so it costs nothing, not :data:`DEFAULT_SECONDS`.
    """
    try:
        document = read_with_journals(results_path(results_dir, env_name))
    except ResultsError:
        return {}
    return {
        (case_id, name): script.duration
        for case_id, record in document.cases.items()
        for name, script in record.scripts.items()
        if script.duration > 0 or script.outcome == "skipped"
    }


def seconds(durations: Durations, case_id: str, script: str) -> float:
    """The stored duration of one script, or :data:`DEFAULT_SECONDS`."""
    return durations.get((case_id, script), DEFAULT_SECONDS)


def shards(case_ids: Iterable[str], count: int, durations: Durations) -> list[list[str]]:
    """Split cases into ``count`` shards of about equal stored duration.

    Deterministic: it depends only on the case ids and the durations, so every
    machine that runs a shard computes the same split.

    Returns:
        ``count`` lists of case ids (some may be empty when there are few cases).
    """
    load = [0.0] * count
    split: list[list[str]] = [[] for _ in range(count)]
    work = {c: seconds(durations, c, "repro") + seconds(durations, c, "fix") for c in case_ids}
    for case_id in sorted(work, key=lambda c: (-work[c], c)):
        index = min(range(count), key=lambda i: (load[i], i))
        load[index] += work[case_id]
        split[index].append(case_id)
    return split


def node_script(nodeid: str) -> tuple[str, str]:
    """``(case id, script)`` of an item's node id (``cases/jax/x::repro@group``)."""
    path, _, name = nodeid.partition("@")[0].rpartition("::")
    parts = path.rstrip("/").split("/")
    return "/".join(parts[-2:]), name


def zygote_tree(scope: str) -> str:
    """The zygote tree of an xdist group: ``"env|package#2"`` -> ``"env|package"``
    (the groups cut from one tree, see :func:`fixbook.plugin.items.xdist_group`);
    a group name without ``#`` is its own tree."""
    return scope.rpartition("#")[0] or scope


try:
    from xdist.scheduler import LoadGroupScheduling
except ImportError:  # pragma: no cover - xdist is optional
    LoadGroupScheduling = object


class DurationScheduling(LoadGroupScheduling):  # type: ignore[misc,valid-type]
    """xdist's ``loadgroup`` scheduling, with units handed out longest first.

    It also mends three faults of xdist 3.8's ``LoadScopeScheduling`` after a
    worker crash (pytest-dev/pytest-xdist#1323, #1327, #1371): completed units
    are queued again and sent as empty work, a replacement worker given one
    script waits for a second that never comes, and the script that crashed the
    worker is run again.
    """

    def __init__(self, config: pytest.Config, log: Any, durations: Durations) -> None:
        super().__init__(config, log)
        self.durations = durations

    def _unit_seconds(self, unit: Mapping[str, bool]) -> float:
        return sum(seconds(self.durations, *node_script(nodeid)) for nodeid in unit)

    def schedule(self) -> None:
        """Order the work units longest first, then hand them out."""
        if self.collection is not None:  # type: ignore[has-type]
            super().schedule()  # a node added later: reschedule every node
            return
        if not self._check_nodes_have_same_collection():
            self.log("**Different tests collected, aborting run**")
            return
        collection = list(next(iter(self.registered_collections.values())))
        units: dict[str, dict[str, bool]] = {}
        for nodeid in collection:
            units.setdefault(self._split_scope(nodeid), {})[nodeid] = False
        order = sorted(units, key=lambda scope: -self._unit_seconds(units[scope]))
        self.collection = collection
        self.workqueue = OrderedDict((scope, units[scope]) for scope in order)
        if not self.collection:
            return
        for node in self.nodes[len(self.workqueue) :]:
            self.assigned_work.pop(node)
            node.shutdown()
        for node in self.nodes:
            self._reschedule(node)

    def _reschedule(self, node: Any) -> None:
        """Keep each worker at two scripts not yet done (the running one and the next:
        an xdist worker runs an item only once it knows the next one, or is told to
        shut down), and shut it down once nothing is left to hand out."""
        if node.shutting_down:
            return
        while self.workqueue and self._pending_of(self.assigned_work[node]) < 2:
            self._assign_work_unit(node)
        if not self.workqueue:
            node.shutdown()

    def _assign_work_unit(self, node: Any) -> None:
        scope = self._next_scope(node)
        unit = self.workqueue.pop(scope)
        self.assigned_work[node][scope] = unit
        collection = self.registered_collections[node]
        pending = [collection.index(nodeid) for nodeid, done in unit.items() if not done]
        if pending:
            node.send_runtest_some(pending)

    def _next_scope(self, node: Any) -> str:
        """The unit to give ``node`` next: of the queue (longest first), the first
        whose zygote tree ``node`` already has or no other worker has started;
        failing that, the longest (it pays one more import, but no worker idles)."""
        others = {
            zygote_tree(scope)
            for other, work in self.assigned_work.items()
            if other is not node
            for scope in work
        }
        mine = {zygote_tree(scope) for scope in self.assigned_work[node]}
        for scope in self.workqueue:
            tree = zygote_tree(scope)
            if tree in mine or tree not in others:
                return scope
        return next(iter(self.workqueue))

    def remove_node(self, node: Any) -> str | None:
        """Forget a finished worker; for a crashed one, queue its unfinished scripts
        again, except the one it crashed on (reported as failed by xdist)."""
        workload = self.assigned_work.pop(node)
        pending = [
            nodeid for unit in workload.values() for nodeid, done in unit.items() if not done
        ]
        if not pending:
            return None
        crashed = pending[0]
        for scope, unit in reversed(workload.items()):
            unit.pop(crashed, None)
            if not all(unit.values()):  # back at the front: it was among the longest
                self.workqueue[scope] = unit
                self.workqueue.move_to_end(scope, last=False)
        for other in self.nodes:
            self._reschedule(other)
        return crashed


def make_scheduler(config: pytest.Config, log: Any, durations: Durations) -> Any:
    """The scheduler for ``--dist loadgroup`` runs of Fixbook cases."""
    return DurationScheduling(config, log, durations)


def select_shard(
    items: Sequence[pytest.Item], shard: tuple[int, int], durations: Durations
) -> tuple[list[pytest.Item], list[pytest.Item]]:
    """The items of the cases in shard ``K`` of ``N``, and the others (deselected).

    Items that are not Fixbook cases (fixbook's own tests) run in shard 1 only.
    """
    index, count = shard
    case_ids = sorted({case.id for item in items if (case := getattr(item, "case", None))})
    mine = set(shards(case_ids, count, durations)[index - 1])
    selected: list[pytest.Item] = []
    deselected: list[pytest.Item] = []
    for item in items:
        case = getattr(item, "case", None)
        keep = case.id in mine if case is not None else index == 1
        (selected if keep else deselected).append(item)
    return selected, deselected
