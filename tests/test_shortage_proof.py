"""A shortage is either proven (no roster fills it) or only not filled within the time limit; the
summary, schedule.json and the staffing hint say which (solver/proof.py)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from click.testing import CliRunner
from conftest import write_folder
from rulekit import make_roster, period

from cli import main
from roster.load import Roster
from roster.render import render_summary
from roster.report import build_schedule
from roster.schedule import Schedule, SolverInfo
from roster.slots import expand
from solver.proof import merged_fields, not_proven_sentences, prove_shortage
from solver.solve import SolveOptions, solve

OPTIONS = SolveOptions(repeatable=True, work_units=2, workers=1, seed=0)


def gate(people: int, *, need: int = 2) -> Roster:
    """``people`` people for a gate needing ``need`` on one 8-hour shift a day."""
    return make_roster(
        people=people,
        language="en",
        posts=[
            {
                "id": "gate",
                "name": "门岗",
                "shifts": [{"start": "08:00", "hours": 8}],
                "headcount": {"min": need},
            }
        ],
    )


def poorly_solved(roster: Roster, assignment: dict[str, list[str]], days: int = 1) -> Schedule:
    """The schedule of a roster as a solve that stopped early might leave it: bound 0."""
    per = period(days)
    info = SolverInfo(
        status="FEASIBLE", objective=None, bound=0, wall_seconds=0.0, workers=1, seed=0
    )
    return build_schedule(roster, per, expand(roster.config, per), assignment, info)


def test_a_shortage_no_roster_can_fill_is_proven_and_asks_for_people() -> None:
    roster = gate(1)
    schedule = solve(roster, period(1), OPTIONS)
    assert schedule.solver.shortage_proven is True
    assert schedule.solver.shortage_bound == 1
    assert schedule.hints == ["1 more person would fill every place"]
    summary = render_summary(schedule)
    assert "Shortage proven: every roster leaves at least 1 place(s) unfilled" in summary


def test_a_weak_bound_does_not_matter() -> None:
    roster = gate(1)
    per = period(1)
    schedule = solve(roster, per, OPTIONS)
    weak = schedule.model_copy(
        update={"solver": schedule.solver.model_copy(update={"bound": 0, "status": "FEASIBLE"})}
    )
    proof = prove_shortage(roster, per, expand(roster.config, per), weak, budget=1.0)
    assert proof is not None
    assert proof.proven and proof.bound == proof.cost == 1000 and proof.places == 1
    assert proof.better is None and not proof.traded


def test_a_place_left_open_for_a_costlier_rule_is_not_proven_by_the_main_bound() -> None:
    # Filling the gate breaks a wish that costs more than the missing person: the optimal roster
    # leaves the place open, and its bound (50) covers the shortage's cost (50), yet the place
    # can be filled.
    roster = make_roster(
        people=1,
        language="en",
        weights={"shortage": 50, "fair_hours": 0},
        requests=[{"person": "p1", "kind": "avoid", "post": "gate", "weight": 100}],
        posts=[
            {
                "id": "gate",
                "name": "门岗",
                "shifts": [{"start": "08:00", "hours": 8}],
                "headcount": {"min": 1},
            }
        ],
    )
    schedule = solve(roster, period(1), OPTIONS)
    assert schedule.solver.status == "OPTIMAL" and schedule.solver.bound == 50
    assert schedule.solver.shortage_proven is False
    assert schedule.hints == [
        "The shortage is not for want of people: these places can be filled, but only at a "
        "greater cost in other rules (fairness, wishes); raise weights.shortage to fill them"
    ]


def test_a_solve_stopped_at_its_first_roster_says_more_time_not_more_people() -> None:
    # The search stops at its first roster, near the hint (nobody on duty): a stand-in, independent
    # of the clock, for a time limit too short for the week.
    roster = gate(3)
    stopped = SolveOptions(
        repeatable=True,
        work_units=2,
        workers=1,
        seed=0,
        hint={},
        extra={"stop_after_first_solution": True, "cp_model_presolve": False},
    )
    schedule = solve(roster, period(7), stopped)
    assert sum(s.missing for s in schedule.shortages) == 7  # the precondition: a poor roster
    assert schedule.solver.shortage_proven is False
    assert schedule.solver.shortage_bound == 0
    assert len(schedule.hints) == 1 and "given more time (--time-limit)" in schedule.hints[0]
    assert "would fill every place" not in render_summary(schedule)
    lines = render_summary(schedule).splitlines()
    assert "Shortage not proven: a roster may leave fewer places open" in lines


def test_a_shortage_a_roster_can_fill_is_not_proven() -> None:
    roster = gate(2)
    per = period(1)
    schedule = poorly_solved(roster, {"gate/2024-01-01T08:00": ["p1"]})
    proof = prove_shortage(roster, per, expand(roster.config, per), schedule, budget=1.0)
    assert proof is not None
    assert not proof.proven
    assert proof.cost == 1000 and proof.bound == 0 and proof.places == 0
    assert proof.better == 0  # the second solve found both people a place
    assert not_proven_sentences(roster, proof) == [
        "The shortage is not proven: it was not filled within the time limit; given more time "
        "(--time-limit) the solver may fill it, so no more people are advised yet "
        "(a roster with fewer missing was found)"
    ]


def test_part_of_a_shortage_can_be_proven() -> None:
    # Three places and one person: two places every roster leaves open, the third this one does.
    roster = gate(1, need=3)
    per = period(1)
    proof = prove_shortage(
        roster, per, expand(roster.config, per), poorly_solved(roster, {}), budget=1.0
    )
    assert proof is not None and not proof.proven
    assert (proof.cost, proof.bound, proof.places, proof.better) == (3000, 2000, 2, 2000)
    assert proof.missing == 3
    assert not_proven_sentences(roster, proof) == [
        "At least 2 place(s) are proven unfillable and need more people; the other 1 were only "
        "not filled within the time limit: given more time (--time-limit) the solver may fill "
        "them (a roster with fewer missing was found)"
    ]


def test_nothing_missing_says_nothing() -> None:
    roster = gate(2)
    schedule = solve(roster, period(1), OPTIONS)
    assert schedule.solver.shortage_proven is None and schedule.solver.shortage_bound is None
    assert "hortage proven" not in render_summary(schedule)
    assert "not proven" not in render_summary(schedule)


def test_places_are_counted_by_the_highest_priority_when_posts_differ() -> None:
    roster = make_roster(
        people=0,
        posts=[
            {
                "id": "gate",
                "name": "门岗",
                "shifts": [{"start": "08:00", "hours": 8}],
                "priority": 2,
            },
            {"id": "broadcast", "name": "广播", "shifts": [{"start": "10:00", "hours": 1}]},
        ],
    )
    schedule = solve(roster, period(1), OPTIONS)
    # Both places are missing: 1,000 and 2,000 (+1,000 for the gate); bound 4,000 / 2,000 a place.
    assert schedule.solver.shortage_proven is True
    assert schedule.solver.shortage_bound == 2


def test_parts_are_proven_together() -> None:
    def info(proven: bool | None, bound: int | None) -> SolverInfo:
        return SolverInfo(
            status="OPTIMAL",
            objective=0,
            bound=0,
            wall_seconds=0.0,
            workers=1,
            seed=0,
            shortage_proven=proven,
            shortage_bound=bound,
        )

    assert merged_fields([info(None, None), info(None, None)]) == {
        "shortage_proven": None,
        "shortage_bound": None,
    }
    assert merged_fields([info(True, 2), info(None, None), info(True, 1)]) == {
        "shortage_proven": True,
        "shortage_bound": 3,
    }
    assert merged_fields([info(True, 2), info(False, 0)]) == {
        "shortage_proven": False,
        "shortage_bound": 2,
    }


# --- through the command line -------------------------------------------------------------------

GATE_YAML = """\
name: 测试社区
timezone: Asia/Shanghai
weights: {fair_hours: 0}
posts:
  - id: gate-temp
    name: 体温检测岗
    shifts: [{start: "08:00", hours: 8}]
    headcount: {min: 3}
"""

PEOPLE = "id,name\np01,杨金花\np02,李明\n"


def _solve(folder: Path, out: Path, *extra: str) -> tuple[str, dict[str, object]]:
    result = CliRunner().invoke(
        main,
        [
            "solve",
            str(folder),
            "--from",
            "2020-02-03",
            "--to",
            "2020-02-03",
            "--out",
            str(out),
            "--workers",
            "1",
            "--seed",
            "0",
            *extra,
        ],
    )
    assert result.exit_code == 0, result.output
    return result.output, json.loads((out / "schedule.json").read_text(encoding="utf-8"))


def test_the_summary_and_schedule_json_say_a_shortage_is_proven(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "社区", GATE_YAML, PEOPLE)
    output, data = _solve(folder, tmp_path / "out")
    solver = data["solver"]
    assert isinstance(solver, dict)
    assert solver["shortage_proven"] is True and solver["shortage_bound"] == 1
    lines = output.splitlines()
    assert "缺员已证实：任何排法都至少缺1个名额，需增加人员或放宽规则" in lines
    assert "再加1名人员即可排满" in lines


# --- the proof within the command's limit --------------------------------------------------------


def runs_of_three(people: int, language: str = "en") -> Roster:
    """A gate needing 2 a day, people who work at most 3 days in a row and rest 2 days after a
    run: over two weeks 3 people leave 2 places open, which takes the proof some search to show
    (the bound of the linear relaxation does not)."""
    return make_roster(
        people=people,
        language=language,
        rules={"max_consecutive_days": 3, "min_consecutive_days_off": 2},
        posts=[
            {
                "id": "gate",
                "name": "门岗",
                "shifts": [{"start": "08:00", "hours": 8}],
                "headcount": {"min": 2},
            }
        ],
    )


def test_the_proof_stops_at_its_work_limit_and_says_not_proven_within_it() -> None:
    roster = runs_of_three(3)
    per = period(14)
    slots = expand(roster.config, per)
    schedule = solve(roster, per, OPTIONS)
    assert sum(s.missing for s in schedule.shortages) == 2  # the precondition: the least missing
    # With the work to finish, the proof shows no roster leaves fewer open.
    enough = prove_shortage(roster, per, slots, schedule, budget=1.0)
    assert enough is not None and enough.proven and not enough.stopped and enough.places == 2
    # With a thousandth of a unit it stops there, not proven: more work, not more people.
    short = prove_shortage(roster, per, slots, schedule, budget=0.001)
    assert short is not None and short.stopped and not short.proven
    assert short.work < enough.work
    assert not_proven_sentences(roster, short)[-1] == (
        "Not proven within the limit: the proof of the shortage stopped when the command's limit "
        "ran out (a longer --time-limit, or more --work-units, lets it finish)"
    )


def test_no_time_left_means_no_proof_tried() -> None:
    # The command's time is up (a deadline already past): the proof is not started, not proven.
    roster = runs_of_three(3)
    per = period(14)
    schedule = poorly_solved(roster, {}, days=14)
    proof = prove_shortage(
        roster, per, expand(roster.config, per), schedule, deadline=time.monotonic() - 1.0
    )
    assert proof is not None
    assert proof.stopped and not proof.proven and proof.work == 0.0
    assert (proof.bound, proof.places, proof.missing) == (0, 0, 28)
    assert not_proven_sentences(runs_of_three(3, "zh"), proof)[-1] == (
        "缺员未能在时限内证实：证明在命令的时限用完时停止（加长 --time-limit 或增加 --work-units "
        "可让它完成）"
    )
