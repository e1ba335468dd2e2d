"""Parts of a roster solved on a real Dask cluster of worker processes (``roster solve --cluster``):
the same roster as in this process (with a published history too, each part given its own
people's), progress while a part runs, a worker's death, an interrupt told in the client's
language, and the user's errors."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import dask
import distributed
import pytest
from click.testing import CliRunner, Result

from benchmarks.city import history_bytes
from benchmarks.district import write_district
from cli import main
from roster.errors import InfeasibleError, SolveInterrupted
from roster.history import History
from roster.i18n import current, speaking
from roster.load import Roster, load_roster
from roster.schedule import Schedule, read_schedule
from roster.slots import Period, make_period
from solver import cluster as cluster_module
from solver.cluster import (
    Cluster,
    ClusterError,
    ClusterSpec,
    ProgressRelay,
    parse_cluster,
    part_history,
    reach,
    solve_part,
)
from solver.components import find_parts, sub_roster
from solver.search import Progress, SolveOptions, Stop
from solver.solve import solve_one

DAY = "2020-02-03"
#: The roster's solve as the tests run it: repeatable, one CP-SAT worker, a few work units.
SOLVE = ("--from", DAY, "--to", DAY, "--repeatable", "--work-units", "2", "--workers", "1")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated district of two communities (two independent parts), Chinese names."""
    return write_district(tmp_path_factory.mktemp("cluster") / "城区", 1, 2, 40)


@pytest.fixture(scope="module")
def roster(folder: Path) -> Roster:
    return load_roster(folder)


@pytest.fixture(scope="module")
def period(roster: Roster) -> Period:
    return make_period(roster.config.timezone, None, date(2020, 2, 3), date(2020, 2, 3))


@pytest.fixture(scope="module")
def local() -> Iterator[Cluster]:
    """One local cluster of two worker processes for the module (a start costs seconds). Its
    workers speak Chinese (ROSTER_LANG=zh in their environment) whatever this process speaks, so
    that a test can tell the client's language from theirs."""
    with (
        dask.config.set({"distributed.nanny.environ": {"ROSTER_LANG": "zh"}}),
        Cluster(ClusterSpec(processes=2)) as cluster,
    ):
        yield cluster


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def schedule_without_clock(out: Path) -> dict[str, object]:
    """schedule.json of ``out`` without what the clock says (when and how long)."""
    return without_clock((out / "schedule.json").read_text(encoding="utf-8"))


def without_clock(text: str) -> dict[str, object]:
    """A schedule's JSON without what the clock says."""
    data = json.loads(text)
    data.pop("generated_at", None)
    data["solver"].pop("wall_seconds")
    return data  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def in_process(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The roster `roster solve` writes without a cluster."""
    out = tmp_path_factory.mktemp("here")
    result = run("--lang", "en", "solve", folder, *SOLVE, "--out", out)
    assert result.exit_code == 0, result.output
    return schedule_without_clock(out)


# --- the same roster ---------------------------------------------------------------------------


def test_the_district_has_parts_to_send(roster: Roster) -> None:
    assert len(find_parts(roster)) == 2


def test_local_cluster_of_processes_gives_the_in_process_roster(
    folder: Path, in_process: dict[str, object], tmp_path: Path
) -> None:
    result = run("--lang", "en", "solve", folder, *SOLVE, "--cluster", "local:2", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert "cluster local:2 (tcp://127.0.0.1:" in result.output
    assert "2 Dask workers, 2 parts at a time, 1 CP-SAT worker(s) per part" in result.output
    assert schedule_without_clock(tmp_path) == in_process


def test_a_running_scheduler_gives_the_in_process_roster(
    local: Cluster, folder: Path, in_process: dict[str, object], tmp_path: Path
) -> None:
    address = local.client.scheduler.address
    result = run("--lang", "en", "solve", folder, *SOLVE, "--cluster", address, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert f"cluster {address}: 2 Dask workers" in result.output
    assert schedule_without_clock(tmp_path) == in_process


def test_the_workers_are_processes_of_their_own(local: Cluster) -> None:
    pids = local.client.run(os.getpid)
    assert len(set(pids.values())) == 2 and os.getpid() not in pids.values()
    assert local.threads and set(local.threads.values()) == {1}
    memory = local.worker_memory()
    assert set(memory) == set(pids) and all(mib > 0 for mib in memory.values())


def test_library_solve_on_the_cluster_counts_one_cp_sat_worker_per_part(
    local: Cluster, roster: Roster, period: Period, in_process: dict[str, object]
) -> None:
    """``solver.cluster.solve`` without workers asked for: one per part, as `roster solve` in
    this process gives its parts when they run side by side."""
    options = SolveOptions(repeatable=True, work_units=2, seed=0)
    schedule = cluster_module.solve(roster, period, options, local)
    assert schedule.solver.workers == 1
    data = json.loads(schedule.to_json())
    data.pop("generated_at", None)
    data["solver"].pop("wall_seconds")
    assert data == in_process


# --- a published history: each part gets its own people's ------------------------------------

#: The four days before DAY, solved as the published roster the history comes from.
PUBLISHED = ("--from", "2020-01-30", "--to", "2020-02-02", "--repeatable", "--work-units", "2")


@pytest.fixture(scope="module")
def published(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The district's schedule.json of the four days before DAY (repeatable, one worker)."""
    out = tmp_path_factory.mktemp("published")
    result = run("--lang", "en", "solve", folder, *PUBLISHED, "--workers", "1", "--out", out)
    assert result.exit_code == 0, result.output
    return out / "schedule.json"


@pytest.fixture(scope="module")
def history(roster: Roster, period: Period, published: Path) -> History:
    return History.from_schedules(roster, [read_schedule(published)], period)


def test_a_part_gets_the_history_of_its_people_alone(
    roster: Roster, period: Period, history: History
) -> None:
    everyone = {d.person for d in history.duties}
    kept = 0
    for part in find_parts(roster):
        mine = set(part.people)
        trimmed = part_history(SolveOptions(history=history), sub_roster(roster, part))
        assert trimmed is not None
        assert {d.person for d in trimmed.duties} == everyone & mine != set()
        kept += len(trimmed.duties)
        # What the rules read of it, for each of the part's people, is the whole's.
        for pid in part.people:
            assert trimmed.of(pid) == history.of(pid)
            assert trimmed.in_window(pid) == history.in_window(pid)
            assert trimmed.window_days(pid) == history.window_days(pid)
            assert trimmed.worked_before(pid, 7) == history.worked_before(pid, 7)
        assert trimmed.days_before(7) == history.days_before(7)
        assert trimmed.sources == history.sources and trimmed.covered == history.covered
        assert all(members <= mine for members in trimmed.listed.values())
    assert kept == len(history.duties)
    assert part_history(SolveOptions(), roster) is None


def test_the_benchmark_measures_what_a_part_carries(
    roster: Roster, period: Period, history: History
) -> None:
    measured = history_bytes(roster, period, SolveOptions(history=history))
    assert measured.parts == 2 and measured.duties == len(history.duties)
    assert all(own < whole for own, whole in zip(measured.own, measured.whole, strict=True))


def test_a_part_solved_with_its_history_alone_is_the_same(
    roster: Roster, period: Period, history: History
) -> None:
    """Each part's roster and penalty, repeatable: the same with the part's history as with the
    whole's, and the history changes them (the published days count)."""
    options = SolveOptions(repeatable=True, work_units=1, workers=1, seed=0)
    differs = False
    for part in find_parts(roster):
        sub = sub_roster(roster, part)
        whole = solve_one(sub, period, replace(options, history=history))
        trimmed = history.of_people(part.people)
        alone = solve_one(sub, period, replace(options, history=trimmed))
        assert without_clock(alone.to_json()) == without_clock(whole.to_json())
        none = solve_one(sub, period, options)
        differs = differs or without_clock(none.to_json()) != without_clock(whole.to_json())
    assert differs


def test_a_cluster_with_a_history_gives_the_in_process_roster(
    local: Cluster, folder: Path, published: Path, tmp_path: Path
) -> None:
    address = local.client.scheduler.address
    here, there = tmp_path / "here", tmp_path / "there"
    solved = [
        run("--lang", "en", "solve", folder, *SOLVE, "--history", published, "--out", here),
        run(
            "--lang", "en", "solve", folder, *SOLVE, "--history", published,
            "--cluster", address, "--out", there,
        ),
    ]  # fmt: skip
    for result in solved:
        assert result.exit_code == 0, result.output
    assert schedule_without_clock(there) == schedule_without_clock(here)


def report_the_history(roster: Roster, period: Period, options: SolveOptions) -> Schedule:
    """Says whose duties the worker's history holds, as an error (the quickest way back)."""
    assert options.history is not None
    people = sorted({d.person for d in options.history.duties})
    raise InfeasibleError(" ".join(people), [])


def test_the_worker_gets_the_history_of_the_part_alone(
    local: Cluster, roster: Roster, period: Period, history: History
) -> None:
    part = first_part(roster)
    options = SolveOptions(repeatable=True, work_units=1, workers=1, history=history)
    with pytest.raises(InfeasibleError) as caught:
        local.solve(report_the_history, part, period, options)
    mine = {p.id for p in part.people}
    assert set(str(caught.value).split()) == {d.person for d in history.duties} & mine


# --- progress while a part runs ------------------------------------------------------------------


def solve_reporting(roster: Roster, period: Period, options: SolveOptions) -> Schedule:
    """Reports a roster of penalty 40 (bound 35), then searches on until the client has heard of
    it (a marker its progress callback writes), as a long search would."""
    assert options.on_progress is not None
    options.on_progress(Progress(41, 30, 0.1, 1))
    options.on_progress(Progress(40, 35, 0.2, 2))
    marker = roster.folder / "heard"
    for _ in range(600):
        if marker.exists():
            raise InfeasibleError("heard while searching", [])
        time.sleep(0.1)
    raise InfeasibleError("the client never heard", [])


def test_a_part_reports_progress_while_it_runs(
    local: Cluster, roster: Roster, period: Period, tmp_path: Path
) -> None:
    part = first_part(roster)
    part = Roster(tmp_path, part.config, part.people, part.leave)
    heard: list[Progress] = []

    def listen(progress: Progress) -> None:
        heard.append(progress)
        (tmp_path / "heard").write_text("", encoding="utf-8")

    options = SolveOptions(repeatable=True, work_units=1, workers=1, on_progress=listen)
    with pytest.raises(InfeasibleError) as caught:
        local.solve(solve_reporting, part, period, options)
    assert str(caught.value) == "heard while searching"
    # The relay sends the latest every PROGRESS_EVERY seconds: the second (once; both only if
    # its first send fell between the two reports).
    assert heard[-1] == Progress(40, 35, 0.2, 2) and len(heard) <= 2


def test_the_relay_sends_the_latest_progress_once() -> None:
    sent: list[list[object]] = []
    done = threading.Event()
    done.set()  # its own thread ends at once: flushed here instead
    relay = ProgressRelay("部分-1", sent.append, done)
    relay.flush()
    relay.report(Progress(50, 20, 0.1, 1))
    relay.report(Progress(45, 21, 0.3, 2))
    relay.flush()
    relay.flush()
    assert sent == [["部分-1", 45, 21, 0.3, 2]]


# --- errors that travel back, deaths and interrupts -------------------------------------------


def first_part(roster: Roster) -> Roster:
    return sub_roster(roster, find_parts(roster)[0])


def solve_dying_once(roster: Roster, period: Period, options: SolveOptions) -> Schedule:
    """``solve_one``, after the worker running it the first time dies (a marker in the folder)."""
    marker = roster.folder / "worker-died"
    if not marker.exists():
        marker.write_text(str(os.getpid()), encoding="utf-8")
        os._exit(1)
    return solve_one(roster, period, options)


def solve_dying(roster: Roster, period: Period, options: SolveOptions) -> Schedule:
    """A worker that dies on every part."""
    os._exit(1)


def solve_infeasible(roster: Roster, period: Period, options: SolveOptions) -> Schedule:
    raise InfeasibleError("王建国 is pinned twice at once", ["pins[0]", "pins[1]"])


def test_an_infeasible_part_raises_on_the_client_with_its_conflicts(
    local: Cluster, roster: Roster, period: Period
) -> None:
    options = SolveOptions(repeatable=True, work_units=1, workers=1)
    with pytest.raises(InfeasibleError) as caught:
        local.solve(solve_infeasible, first_part(roster), period, options)
    assert str(caught.value) == "王建国 is pinned twice at once"
    assert caught.value.conflicts == ["pins[0]", "pins[1]"]


def solve_until_interrupted(roster: Roster, period: Period, options: SolveOptions) -> Schedule:
    """A search that only an interrupt ends (within a minute), as ``solve_one`` ends when
    interrupted before its first roster."""
    stop = options.stop
    assert stop is not None
    for _ in range(600):
        if stop.interrupted:
            raise SolveInterrupted(f"{roster.config.name}: interrupted on the worker")
        time.sleep(0.1)
    raise AssertionError("the interrupt never reached the worker")


def test_an_interrupt_reaches_the_worker(local: Cluster, roster: Roster, period: Period) -> None:
    stop = Stop()
    options = SolveOptions(repeatable=True, work_units=1, workers=1, stop=stop)
    timer = threading.Timer(1.0, stop.interrupt)
    timer.start()
    with pytest.raises(SolveInterrupted) as caught:
        local.solve(solve_until_interrupted, first_part(roster), period, options)
    timer.cancel()
    assert str(caught.value) == "城中区（2个社区）: interrupted on the worker"


def solve_interrupted(roster: Roster, period: Period, options: SolveOptions) -> Schedule:
    """A search interrupted before its first roster, as ``solve_one`` ends then."""
    raise SolveInterrupted()


def test_an_interrupt_on_a_worker_is_told_in_the_client_language(
    local: Cluster, roster: Roster, period: Period
) -> None:
    assert set(local.client.run(current).values()) == {"zh"}
    options = SolveOptions(repeatable=True, work_units=1, workers=1)
    with speaking("en"), pytest.raises(SolveInterrupted) as caught:
        local.solve(solve_interrupted, first_part(roster), period, options)
    with speaking("en"):
        assert str(caught.value) == "interrupted before any roster was found; nothing written"
    with speaking("zh"):
        assert str(caught.value) == "在找到任何排班之前就中断了；没有写出文件"


def test_a_part_whose_worker_dies_is_sent_once_more(
    local: Cluster, roster: Roster, period: Period, tmp_path: Path
) -> None:
    part = first_part(roster)
    part = Roster(tmp_path, part.config, part.people, part.leave)
    options = SolveOptions(repeatable=True, work_units=1, workers=1)
    before = local.retried
    schedule = local.solve(solve_dying_once, part, period, options)
    assert (tmp_path / "worker-died").exists()
    assert local.retried == before + 1
    assert schedule.solver.status in ("OPTIMAL", "FEASIBLE")


def test_a_part_whose_worker_dies_twice_is_reported(
    local: Cluster, roster: Roster, period: Period, english: None
) -> None:
    options = SolveOptions(repeatable=True, work_units=1, workers=1)
    part = first_part(roster)
    with pytest.raises(ClusterError) as caught:
        local.solve(solve_dying, part, period, options)
    message = str(caught.value)
    assert message.startswith(f"--cluster {local}: the worker solving the part of posts ")
    assert "died 2 times" in message
    assert message.endswith("look at the workers' logs and memory, or solve without --cluster")


def report_the_clock(roster: Roster, period: Period, options: SolveOptions) -> Schedule:
    """Says how long the part's Stop gives it, as an error (the quickest way back)."""
    assert options.stop is not None
    raise InfeasibleError(
        f"{options.stop.left():.0f} s left, interrupted: {options.stop.interrupted}", []
    )


def test_the_task_runs_in_this_process_too(roster: Roster, period: Period) -> None:
    """solve_part is an ordinary function: off a worker it has no event to watch, and its Stop
    has the seconds it was given."""
    options = SolveOptions(time_limit=30, workers=1)
    with pytest.raises(InfeasibleError) as caught:
        solve_part(report_the_clock, first_part(roster), period, options, 30.0, "no-such-event")
    assert str(caught.value) == "30 s left, interrupted: False"


# --- what a user can get wrong -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("local", ClusterSpec()),
        ("local:3", ClusterSpec(processes=3)),
        ("tcp://scheduler:8786", ClusterSpec("tcp://scheduler:8786")),
        ("tcp://10.0.0.5", ClusterSpec("tcp://10.0.0.5:8786")),
        ("tls://调度.example:9000", ClusterSpec("tls://调度.example:9000")),
        ("tcp://[::1]:8786", ClusterSpec("tcp://[::1]:8786")),
    ],
)
def test_cluster_addresses(text: str, spec: ClusterSpec) -> None:
    assert parse_cluster(text) == spec
    assert str(spec) == (text if text != "tcp://10.0.0.5" else "tcp://10.0.0.5:8786")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("local:x", "local:x: the number of local worker processes must be a whole number"),
        ("local:0", "local:0: the number of local worker processes must be a whole number"),
        ("local:²", "local:²: the number of local worker processes must be a whole number"),
        ("scheduler:8786", "scheduler:8786: give a Dask scheduler's address as tcp://HOST:PORT"),
        ("http://scheduler:8786", "http://scheduler:8786: give a Dask scheduler's address"),
        ("tcp://scheduler:port", "tcp://scheduler:port: give a Dask scheduler's address"),
    ],
)
def test_cli_rejects_a_malformed_address(folder: Path, value: str, expected: str) -> None:
    result = run("--lang", "en", "solve", folder, "--week", "2020-W06", "--cluster", value)
    assert result.exit_code == 2
    assert f"Invalid value for '--cluster': {expected}" in result.output
    assert "Traceback" not in result.output


def test_cli_says_a_malformed_address_in_the_roster_language(folder: Path) -> None:
    result = run("solve", folder, "--week", "2020-W06", "--cluster", "local:二")
    assert result.exit_code == 2
    assert "local:二：本机工作进程数须为不小于 1 的整数，例如 local:2" in result.output


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_cli_names_an_unreachable_scheduler_and_the_fix(
    folder: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(cluster_module, "CONNECT_TIMEOUT", 1.0)
    # No Dask client is made for a scheduler that cannot be reached: one whose start fails is
    # collected later, its loop closed, and prints a traceback on stderr.
    made: list[object] = []
    real_client = distributed.Client

    def client(*args: object, **kwargs: object) -> object:
        made.append(args)
        return real_client(*args, **kwargs)

    monkeypatch.setattr(distributed, "Client", client)
    address = f"tcp://127.0.0.1:{free_port()}"
    result = run("--lang", "en", "solve", folder, *SOLVE, "--cluster", address, "--out", tmp_path)
    assert made == []
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[-1].startswith(
        f"Error: --cluster {address}: no Dask scheduler answered within 1 s"
    )
    assert lines[-1].endswith(
        f"start one there with `dask scheduler` and workers with `dask worker {address}`, "
        "or give --cluster local"
    )
    assert "Traceback" not in result.output
    assert not (tmp_path / "schedule.json").exists()


def test_reach_opens_a_connection_or_says_why_within_its_time() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        reach(f"tcp://127.0.0.1:{server.getsockname()[1]}", 1.0)
    with pytest.raises(OSError):
        reach(f"tcp://127.0.0.1:{free_port()}", 0.5)
