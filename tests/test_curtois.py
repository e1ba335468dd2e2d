"""The Curtois & Qu adapter: Instance1 solves to its optimum 607, judged by the evaluator written
from the format description alone (benchmarks/curtois_check.py), not by the engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.curtois import INSTANCE_DIR, main, read_instance, run_instance, to_roster
from benchmarks.curtois_check import evaluate, read_solution

#: shared/benchmarks beside the repository, or $CURTOIS_INSTANCES.
FOLDER = INSTANCE_DIR
pytestmark = pytest.mark.skipif(not FOLDER.is_dir(), reason="shared/benchmarks not beside the repo")

#: The public 607 roster of Instance1 (README 1.4): employees A…H, days 0…13, D or off.
ROSTER_607 = """\
A .DDDD..DD..DDD
B DDDDD..DD..DD.
C DDD..DD..DD...
D DD...DDDDD....
E .DDDD..DD..DDD
F DDD....DD..DDD
G ..DDD..DDD..DD
H DD..DDD..DDD..
"""


# --- tests ---------------------------------------------------------------------------------------


def test_evaluator_scores_the_published_roster_607() -> None:
    roster = {
        (line[0], d): "D"
        for line in ROSTER_607.splitlines()
        for d, c in enumerate(line[2:])
        if c == "D"
    }
    assert evaluate(FOLDER / "Instance1.txt", roster) == (607, [])
    roster[("B", 5)] = "D"  # B's fixed day off, and a 6-day run
    _, bad = evaluate(FOLDER / "Instance1.txt", roster)
    assert "B: works on fixed day off 5" in bad
    assert any("more than 5 days in a row" in b for b in bad)


def test_adapter_maps_every_part_of_the_format() -> None:
    inst = read_instance(FOLDER / "Instance3.txt")
    roster, period = to_roster(inst)
    assert len(period.days) == inst.horizon == 14
    assert [p.id for p in roster.config.posts] == [s.id for s in inst.shifts]
    # Employee and shift ids collide in Instance3 (an employee D and a shift D): separate spaces.
    assert "D" in {p.id for p in roster.people} and "D" in {s.id for s in inst.shifts}
    person = roster.people[0]
    rules = roster.rules_for(person)
    staff = inst.staff[0]
    assert rules.max_shifts_per_post == staff.max_shifts
    assert rules.max_hours == staff.max_minutes / 60
    assert rules.max_consecutive_days == staff.max_consecutive
    assert rules.max_weekends == staff.max_weekends
    assert rules.max_shifts_per_day == 1 and rules.min_rest_hours == 0
    assert len(roster.config.requests) == len(inst.on_requests) + len(inst.off_requests)
    assert sum(len(v) for v in roster.leave.values()) == sum(len(v) for v in inst.days_off.values())


def test_instance1_solves_to_607(tmp_path: Path) -> None:
    out = tmp_path / "Instance1.csv"
    result = run_instance(FOLDER / "Instance1.txt", time_limit=20, workers=2, seed=0, out=out)
    objective, bad = evaluate(FOLDER / "Instance1.txt", read_solution(out))
    assert bad == []
    assert objective == result.objective == 607
    assert result.status == "OPTIMAL"


def test_cli_prints_objective_and_writes_csv(tmp_path: Path) -> None:
    out = tmp_path / "solution.csv"
    args = [
        str(FOLDER / "Instance1.txt"),
        "--time-limit",
        "20",
        "--workers",
        "2",
        "--out",
        str(out),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Instance1: objective 607 (gap 0.0% to best known 607)\n")
    assert "status OPTIMAL, bound 607" in result.output
    assert evaluate(FOLDER / "Instance1.txt", read_solution(out)) == (607, [])


def test_lp_sees_the_weekend_shortage_of_instance10() -> None:
    """Instance 10 needs 206 weekend shifts and its weekend limits allow at most 160, so 46
    places stay empty (100 each): the best known roster costs 4,631. CP-SAT's LP relaxation drops
    the implications that tie days to weekend flags; the max_weekends rule adds an implied linear
    limit on weekend days so the root LP proves most of that (without it: a bound of 9)."""
    from ortools.sat.python import cp_model

    from roster.slots import expand
    from solver.solve import build_model

    roster, period = to_roster(read_instance(FOLDER / "Instance10.txt"))
    m, _ = build_model(roster, period, expand(roster.config, period), strict=False)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_deterministic_time = 1.0
    solver.solve(m.model)
    assert 4400 <= solver.best_objective_bound <= 4631
