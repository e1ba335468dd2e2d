"""The large-neighbourhood loop of solver/lns.py: where its neighbourhoods go, and that its result
is a valid roster, no worse than its start, the same for the same seed."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from rulekit import MONDAY, make_roster, period

from roster.check import check
from roster.slots import expand
from solver import lns
from solver.model import RosterModel
from solver.search import Guard, Reserve
from solver.solve import SolveOptions, build_model, run

CURTOIS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "curtois"


def _model_with_targets() -> RosterModel:
    """Six people, a day post wanting two people every day (each missing one costs 10), and a
    request of p1 to work on day 3."""
    roster = make_roster(
        people=6,
        posts=[
            {
                "id": "day",
                "name": "Day",
                "shifts": [{"start": "08:00", "hours": 8}],
                "headcount": {"min": 0, "target": 2, "max": 6, "under_weight": 10},
            }
        ],
        requests=[{"person": "p1", "kind": "prefer", "date": str(MONDAY + timedelta(days=3))}],
    )
    per = period(14)
    m, _ = build_model(roster, per, expand(roster.config, per), strict=False)
    return m


def test_every_costed_term_says_where_it_lives() -> None:
    m = _model_with_targets()
    located = {p.rule for p in m.penalties if p.people and p.days}
    assert located == {"under_target", "over_target", "requests"}
    request = next(p for p in m.penalties if p.rule == "requests")
    assert request.people == ("p1",)
    assert request.days == (MONDAY + timedelta(days=3),)


def test_repair_frees_the_cells_around_the_costly_term() -> None:
    m = _model_with_targets()
    cells = lns._Cells.of(m)
    people, days = sorted(cells.by_person), sorted(cells.by_day)
    # Nobody works: every under_target term costs 20 and the request 1. Make only day 9 short.
    best = [0] * len(m.model.proto.variables)
    for p in m.penalties:
        if p.rule == "under_target" and p.days != (MONDAY + timedelta(days=9),):
            continue
        best[p.var.index] = 2 if p.rule == "under_target" else 0
    located = [p for p in m.penalties if p.people or p.days]
    kind = lns._Kind("repair", 0.1, 0.02, 0.9)
    for seed in range(5):
        free = lns._repair(kind, cells, people, days, random.Random(seed), located, best)
        freed_days = {cells.day_of[k] for k in free}
        assert MONDAY + timedelta(days=9) in freed_days
        assert len(freed_days) < len(days)


def test_repair_falls_back_to_a_block_when_nothing_costs() -> None:
    m = _model_with_targets()
    cells = lns._Cells.of(m)
    people, days = sorted(cells.by_person), sorted(cells.by_day)
    best = [0] * len(m.model.proto.variables)
    located = [p for p in m.penalties if p.people or p.days]
    free = lns._repair(
        lns._Kind("repair", 0.3, 0.02, 0.9), cells, people, days, random.Random(0), located, best
    )
    assert 0 < len(free) < len(cells.index)


@pytest.mark.skipif(not CURTOIS.is_dir(), reason="shared/benchmarks not beside the repo")
def test_search_is_valid_no_worse_than_its_start_and_repeatable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from benchmarks.curtois import read_instance, to_roster
    from solver import search

    # Only the wall-clock guard can make two runs differ (when a busy machine hits it): lift it.
    monkeypatch.setattr(lns, "WALL_CAP", 100)
    monkeypatch.setattr(search, "WALL_CAP", 100)
    roster, per = to_roster(read_instance(CURTOIS / "Instance4.txt"))
    slots = expand(roster.config, per)
    objectives = []
    rosters = []
    for _ in range(2):
        m, _ = build_model(roster, per, slots, strict=False)
        options = SolveOptions(repeatable=True, work_units=8, workers=2, seed=0, lns=True)
        solver, status, stats = lns.search(m, options, 2, run)
        assert solver.status_name(status) in ("OPTIMAL", "FEASIBLE")
        assert stats.iterations > 0
        assert stats.first_objective is not None
        assert solver.objective_value <= stats.first_objective
        assignment = m.extract(solver)
        report = check(roster, per, slots, assignment)
        assert report.violations == []
        objectives.append(solver.objective_value)
        rosters.append(assignment)
    assert objectives[0] == objectives[1]
    assert rosters[0] == rosters[1]


@pytest.mark.skipif(not CURTOIS.is_dir(), reason="shared/benchmarks not beside the repo")
def test_a_last_run_that_finds_nothing_keeps_the_loops_roster_and_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Seen on Curtois & Qu 13: the last full run got too little time to load its hint. The loop's
    best roster must still come back, with the loop's bound and no claim of optimality."""
    from dataclasses import replace

    from benchmarks.curtois import read_instance, to_roster
    from solver import search

    monkeypatch.setattr(lns, "WALL_CAP", 100)
    monkeypatch.setattr(search, "WALL_CAP", 100)
    roster, per = to_roster(read_instance(CURTOIS / "Instance4.txt"))
    slots = expand(roster.config, per)
    m, _ = build_model(roster, per, slots, strict=False)
    calls: list[float] = []

    def last_run_fails(
        model: RosterModel,
        options: SolveOptions,
        workers: int,
        reserve: Reserve | None = None,
        guard: Guard | None = None,
    ) -> Any:
        calls.append(options.work_units)
        if len(calls) == 2:
            options = replace(options, extra={**options.extra, "stop_after_presolve": True})
        return run(model, options, workers, reserve, guard)

    solver, status, stats = lns.search(
        m, SolveOptions(repeatable=True, work_units=8, seed=0), 2, last_run_fails
    )
    assert len(calls) == 2
    assert solver.status_name(status) == "FEASIBLE"
    assert stats.bound is not None
    assert stats.bound < solver.objective_value == stats.final_objective
    assert solver.objective_value <= (stats.first_objective or 0)
    assert check(roster, per, slots, m.extract(solver)).violations == []


def test_repair_copes_with_a_term_on_a_day_without_cells() -> None:
    """A short slot on a day nobody may work, named together with someone who has cells on other
    days: the stretch freed is anywhere, never an error."""
    from solver.model import Penalty

    m = _model_with_targets()
    cells = lns._Cells.of(m)
    people, days = sorted(cells.by_person), sorted(cells.by_day)
    short = next(p for p in m.penalties if p.rule == "under_target")
    term = Penalty("under_target", short.var, 10, people=("p1",), days=(MONDAY - timedelta(1),))
    best = [0] * len(m.model.proto.variables)
    best[short.var.index] = 2
    for seed in range(5):
        free = lns._repair(
            lns._Kind("repair", 0.2, 0.02, 0.9),
            cells,
            people,
            days,
            random.Random(seed),
            [term],
            best,
        )
        assert free
        assert any(cells.person_of[k] == "p1" for k in free)


def test_extra_parameters_fill_repeated_fields_too() -> None:
    from ortools.sat.python import cp_model

    from solver.model import apply_params

    solver = cp_model.CpSolver()
    apply_params(solver.parameters, {"ignore_subsolvers": ["core", "no_lp"], "num_workers": 3})
    apply_params(solver.parameters, {"ignore_subsolvers": ["max_lp"]})
    assert list(solver.parameters.ignore_subsolvers) == ["max_lp"]
    assert solver.parameters.num_workers == 3


def test_neighbourhoods_start_at_most_start_cells_large(monkeypatch: pytest.MonkeyPatch) -> None:
    m = _model_with_targets()
    cells = lns._Cells.of(m)
    people, days = sorted(cells.by_person), sorted(cells.by_day)
    usual = {k.name: k.size for k in lns._kinds(cells, people, days)}
    # 6 people × 14 days: 84 cells; the usual shares free more than 5 of them.
    monkeypatch.setattr(lns, "START_CELLS", 5)
    kinds = lns._kinds(cells, people, days)
    assert all(k.size == pytest.approx(5 / 84) for k in kinds)
    assert all(usual[k.name] > k.size for k in kinds)
    days_kind = next(k for k in kinds if k.name == "days")
    freed = lns._neighbourhood(days_kind, cells, people, days, random.Random(0))
    assert len(freed) == 6  # one day, the fewest a days neighbourhood frees
