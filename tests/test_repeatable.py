"""The repeatable mode: the same input, seed and workers give the same roster however the machine
runs (whatever the clock says short of the wall-clock guard, in whatever order a district's parts
finish), and a run that the guard stopped says so. No test here measures time: the clock is made
to run fast, the guard is fired by hand at the first roster, the parts finish as told."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import pytest

import solver.search as search
import solver.solve as solve_module
from benchmarks.district import write_district
from roster.load import Roster, load_roster
from roster.render import render_summary
from roster.report import assignment_of
from roster.schedule import Schedule
from roster.slots import Period, expand, make_period
from solver.build import build_model
from solver.components import _better, find_parts, solve_in_parts
from solver.proof import ShortageProof
from solver.search import Guard, Progress, SolveOptions, new_solver, run, set_limits
from solver.solve import solve, solve_one
from tests.explainkit import days
from tests.test_explain import gate_roster

XINGWANG = Path(__file__).resolve().parent.parent / "examples" / "xingwang"
#: Monday 3 February 2020, the first day of the demo's week 2020-W06.
MONDAY = date(2020, 2, 3)


def one_day(roster: Roster) -> Period:
    return make_period(roster.config.timezone, None, MONDAY, MONDAY)


def options(**kw: Any) -> SolveOptions:
    return replace(SolveOptions(repeatable=True, work_units=0.2, workers=2, seed=0), **kw)


@pytest.fixture(scope="module")
def xingwang() -> Roster:
    return load_roster(XINGWANG)


@pytest.fixture(scope="module")
def reference(xingwang: Roster) -> Schedule:
    """兴旺社区's Monday, solved as the repeatable mode does on a machine left alone."""
    return solve(xingwang, one_day(xingwang), options())


# --- CP-SAT's own clock --------------------------------------------------------------------------


def test_cp_sat_gets_no_wall_clock_limit_of_its_own_in_the_repeatable_mode(
    xingwang: Roster,
) -> None:
    """CP-SAT's ``max_time_in_seconds`` stops a run as soon as the time spent plus the longest
    recent gap between its checks of the clock reaches it; an interleaved search checks between
    batches, a minute apart on a loaded machine. Left unset, only the work units and the
    engine's ``Guard`` end the run."""
    params = new_solver().parameters
    set_limits(params, options(work_units=10), 10)
    assert params.interleave_search
    assert params.max_deterministic_time == 10
    assert math.isinf(params.max_time_in_seconds)
    # Nor once the run is made, experts' --param included (it sets the guard instead).
    period = one_day(xingwang)
    m, _ = build_model(xingwang, period, expand(xingwang.config, period), strict=False)
    solver, _ = run(m, options(work_units=0.1, extra={"max_time_in_seconds": 600}), 2)
    assert math.isinf(solver.parameters.max_time_in_seconds)
    assert solver.parameters.num_workers == 2
    assert solver.parameters.random_seed == 0


def test_the_guard_seconds_are_the_engine_s_or_the_expert_s() -> None:
    assert search.guard_seconds(options(), 10) == search.wall_guard(10)
    assert search.guard_seconds(options(extra={"max_time_in_seconds": 600}), 10) == 600.0


# --- the engine's own clock ----------------------------------------------------------------------


class FastClock:
    """``time.monotonic`` running a hundred times as fast as the real one."""

    def __init__(self, real: Callable[[], float]) -> None:
        self.real = real
        self.start = real()

    def __call__(self) -> float:
        return self.start + 100 * (self.real() - self.start)


def test_a_clock_running_fast_short_of_the_guard_gives_the_same_roster(
    monkeypatch: pytest.MonkeyPatch, xingwang: Roster, reference: Schedule
) -> None:
    """Every reading of the clock in the solve runs a hundred times as fast (the guard moved out
    of its reach): nothing but the guard may read it for a decision, so the roster is the same."""
    monkeypatch.setattr(search, "WALL_CAP", 1e9)
    monkeypatch.setattr(time, "monotonic", FastClock(time.monotonic))
    fast = solve(xingwang, one_day(xingwang), options())
    assert assignment_of(fast) == assignment_of(reference)
    assert (fast.solver.objective, fast.solver.bound) == (
        reference.solver.objective,
        reference.solver.bound,
    )
    assert fast.hints == reference.hints
    assert not fast.solver.wall_guard


# --- the guard fired -----------------------------------------------------------------------------


class AtFirstRoster(Guard):
    """A guard that the test fires by hand; each one made is kept."""

    made: ClassVar[list[Guard]] = []

    def __init__(self) -> None:
        super().__init__()
        self.made.append(self)


def test_a_run_the_guard_stopped_says_so(monkeypatch: pytest.MonkeyPatch, xingwang: Roster) -> None:
    """The main search's guard fired at its first roster (as its seconds being up would on a
    machine far too slow): the schedule and its summary say the roster may differ."""
    AtFirstRoster.made.clear()
    monkeypatch.setattr(solve_module, "Guard", AtFirstRoster)

    def fire(progress: Progress) -> None:
        AtFirstRoster.made[0].fire()

    cut = solve(xingwang, one_day(xingwang), options(on_progress=fire))
    assert AtFirstRoster.made[0].fired
    assert cut.solver.status == "FEASIBLE"
    assert cut.solver.wall_guard
    assert json.loads(cut.to_json())["solver"]["wall_guard"] is True
    assert "墙钟保护时限在搜索用完其工作量之前就停止了搜索" in render_summary(cut)


def test_a_guard_that_never_fired_is_not_said(reference: Schedule) -> None:
    assert not reference.solver.wall_guard
    assert "wall_guard" not in json.loads(reference.to_json())["solver"]


def test_a_shortage_proof_the_guard_stopped_is_said(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Whether a shortage is proven comes from a second deterministic run: when its guard
    stopped it, the schedule says the roster's answer may differ too."""
    roster = gate_roster(tmp_path / "gate")  # places are left empty there
    period, _ = days(roster)

    def guarded(*args: Any, **kwargs: Any) -> ShortageProof:
        return ShortageProof(cost=10, bound=0, places=0, missing=1, stopped=True, guarded=True)

    monkeypatch.setattr(solve_module, "prove_shortage", guarded)
    schedule = solve_one(roster, period, options())
    assert schedule.shortages
    assert schedule.solver.shortage_proven is False
    assert schedule.solver.wall_guard


# --- parts ---------------------------------------------------------------------------------------


class _Later(Future[Any]):
    """A future of ``Reversed``: asking for its result runs every search not yet run."""

    def __init__(self, executor: Reversed) -> None:
        super().__init__()
        self.executor = executor

    def result(self, timeout: float | None = None) -> Any:
        self.executor.finish()
        return super().result(timeout)


class Reversed(Executor):
    """Runs the searches given to it last first, once a result is asked for: the parts finish in
    the reverse of the order they started."""

    def __init__(self) -> None:
        self.waiting: list[tuple[_Later, Callable[..., Any], tuple[Any, ...]]] = []
        #: The first post of each part's roster, in the order the searches ran.
        self.order: list[str] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        later = _Later(self)
        self.waiting.append((later, fn, args))
        return later

    def finish(self) -> None:
        while self.waiting:
            later, fn, args = self.waiting.pop()
            self.order.append(args[1].config.posts[0].id)
            try:
                later.set_result(fn(*args))
            except BaseException as exc:  # handed to the caller, as a pool's future does
                later.set_exception(exc)


def test_a_district_whose_parts_finish_in_reverse_gives_the_same_roster(
    tmp_path: Path,
) -> None:
    roster = load_roster(write_district(tmp_path / "district", 0, 2, 20))
    period = one_day(roster)
    parts = find_parts(roster)
    assert len(parts) == 2
    opts = options(work_units=2, workers=1)
    in_threads = solve(roster, period, opts)
    backwards = Reversed()
    reversed_ = solve_in_parts(roster, period, opts, solve_one, parts, executor=backwards)
    # The first pass ran the second part's search first.
    assert backwards.order[:2] == [parts[1].posts[0], parts[0].posts[0]]
    assert assignment_of(reversed_) == assignment_of(in_threads)
    assert (reversed_.solver.objective, reversed_.solver.bound) == (
        in_threads.solver.objective,
        in_threads.solver.bound,
    )


def test_a_part_s_guard_is_said_whichever_of_its_rosters_is_kept(reference: Schedule) -> None:
    """A part's second search that its guard stopped may have missed a better roster than the
    first: the roster kept depends on the machine even when it is the first one."""
    first = reference
    info = reference.solver
    worse = reference.model_copy(
        update={
            "solver": info.model_copy(
                update={"objective": (info.objective or 0) + 5, "wall_guard": True}
            )
        }
    )
    kept = _better(first, worse)
    assert kept.solver.objective == info.objective
    assert kept.solver.wall_guard
    assert _better(worse, first).solver.wall_guard
    assert not _better(first, first).solver.wall_guard
