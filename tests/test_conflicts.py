"""Conflicts explained: when the hard rules contradict, the smallest set is named in words."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from ortools.sat.python import cp_model

from cli import main
from roster.errors import InfeasibleError
from roster.load import Roster
from solver import explain
from solver.explain import _feasible_under, conflict_error, minimal_conflict
from solver.solve import build_model
from tests.explainkit import days, person, post, solved, write_roster


def conflict(roster: Roster, *, strict: bool = False) -> InfeasibleError:
    """The error of solving ``roster`` over four days, which must fail."""
    with pytest.raises(InfeasibleError) as caught:
        solved(roster, strict=strict)
    return caught.value


def test_minimum_hours_against_leave_names_the_rule_and_the_leave(tmp_path: Path) -> None:
    roster = write_roster(
        tmp_path / "leave",
        [post("gate", "门岗")],
        [person("p1", "甲", min_hours=6), person("p2", "乙")],
        leave=[{"person": "p1", "from": "2020-02-03", "to": "2020-02-06", "reason": "隔离"}],
    )
    error = conflict(roster)
    assert str(error) == "有一条硬性规则做不到，无法排班，须放宽它"
    assert error.conflicts == [
        "甲 (p1)在本期至少工作6小时",
        "甲 (p1)2020-02-03至2020-02-06隔离，不能排班",
    ]


def test_pins_against_rest_after_a_24_hour_turn(tmp_path: Path) -> None:
    roster = write_roster(
        tmp_path / "pins",
        [
            post("duty", "24小时值班", "08:00", 24, tags=("committee",)),
            post("gate", "门岗", "12:00"),
        ],
        [person("p1", "甲", "committee"), person("p2", "乙", "committee"), person("p3", "丙")],
        pins=[
            {"person": "p1", "slot": "duty/2020-02-03T08:00"},
            {"person": "p1", "slot": "gate/2020-02-04T12:00"},
        ],
    )
    error = conflict(roster)
    assert str(error) == "硬性规则相互矛盾，无法排班：以下3条不能同时满足，至少要放宽其中一条"
    assert error.conflicts == [
        # The rest rule covers every shift of the 24 h after the turn; the two pinned are named.
        "甲 (p1)在24小时值班 2020-02-03 08:00、门岗 2020-02-04 12:00"
        "之间须休息够时间，只能上其中一班",
        "甲 (p1)被固定排在24小时值班 2020-02-03 08:00（pins[0]）",
        "甲 (p1)被固定排在门岗 2020-02-04 12:00（pins[1]）",
    ]


def test_strict_minimum_with_too_few_qualified_people(tmp_path: Path) -> None:
    roster = write_roster(
        tmp_path / "strict",
        [post("gate", "Gate", need=2, skills=("thermometer",))],
        [person("p1", "Ann", skills=("thermometer",)), person("p2", "Bob")],
        language="en",
    )
    error = conflict(roster, strict=True)
    assert str(error) == "a hard rule cannot hold, so no roster exists; relax it"
    assert error.conflicts == [
        "Gate 2020-02-03 08:00 needs at least 2",
        "only 1 may take Gate 2020-02-03 08:00 (1 without skill thermometer)",
    ]


def test_without_strict_the_same_roster_is_produced_with_its_shortages(tmp_path: Path) -> None:
    roster = write_roster(
        tmp_path / "lenient",
        [post("gate", "Gate", need=2, skills=("thermometer",))],
        [person("p1", "Ann", skills=("thermometer",)), person("p2", "Bob")],
        language="en",
    )
    schedule = solved(roster)
    assert [s.text for s in schedule.shortages] == ["1 missing: 1 without skill thermometer"] * 4
    assert schedule.hints == ["1 more person with skill thermometer would fill every place"]


def test_solve_command_exits_1_and_lists_the_conflict(tmp_path: Path) -> None:
    folder = tmp_path / "strict"
    write_roster(
        folder,
        [post("gate", "Gate", need=2, skills=("thermometer",))],
        [person("p1", "Ann", skills=("thermometer",)), person("p2", "Bob")],
        language="en",
    )
    args = ["solve", str(folder), "--from", "2020-02-03", "--to", "2020-02-03", "--strict"]
    args += ["--workers", "2", "--repeatable", "--work-units", "5", "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert result.output.endswith(
        "Error: a hard rule cannot hold, so no roster exists; relax it\n"
        "  - Gate 2020-02-03 08:00 needs at least 2\n"
        "  - only 1 may take Gate 2020-02-03 08:00 (1 without skill thermometer)\n"
    )


def test_pins_against_a_forbidden_succession_name_the_succession(tmp_path: Path) -> None:
    # Regression: with one shift a day, successions was one unguarded clique per day, so explain
    # mode could not switch it off and the conflict named the two pins alone.
    roster = write_roster(
        tmp_path / "succession",
        [post("night", "夜班", "22:00", 8), post("day", "白班", "14:00", 8)],
        [person("p1", "甲"), person("p2", "乙")],
        successions=[{"after": ["night"], "then": ["day"]}],
        pins=[
            {"person": "p1", "slot": "night/2020-02-03T22:00"},
            {"person": "p1", "slot": "day/2020-02-04T14:00"},
        ],
    )
    assert conflict(roster).conflicts == [
        "甲 (p1)在2020-02-03上了夜班后，2020-02-04不能上白班",
        "甲 (p1)被固定排在夜班 2020-02-03 22:00（pins[0]）",
        "甲 (p1)被固定排在白班 2020-02-04 14:00（pins[1]）",
    ]


def test_the_set_found_is_minimal(tmp_path: Path) -> None:
    roster = write_roster(
        tmp_path / "strict",
        [post("gate", "门岗", need=2), post("duty", "值班", "20:00", 12)],
        [person("p1", "甲", max_hours_per_week=6), person("p2", "乙"), person("p3", "丙")],
    )
    period, slots = days(roster, 2)
    m, _ = build_model(roster, period, slots, strict=True, explain=True)
    conflict = minimal_conflict(m, budget=5)
    assert conflict is not None and conflict.minimal
    found = conflict.rules
    assert len(found) > 1
    chosen = [i for i, rule in m.guards.items() if rule in found]
    assert _feasible_under(m, chosen, 5, 0).status == cp_model.INFEASIBLE
    for dropped in chosen:
        rest = [i for i in chosen if i != dropped]
        assert _feasible_under(m, rest, 5, 0).status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def test_a_set_cut_short_by_the_clock_says_it_may_not_be_the_smallest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    roster = write_roster(
        tmp_path / "strict",
        [post("gate", "门岗", need=2), post("duty", "值班", "20:00", 12)],
        [person("p1", "甲", max_hours_per_week=6), person("p2", "乙"), person("p3", "丙")],
    )
    period, slots = days(roster, 2)
    # The clock jumps an hour once the first check has shown the rules infeasible: as on a
    # machine far slower than the work estimate, the shrinking stops at once.
    checks = 0
    real = explain._feasible_under
    clock = explain.time.monotonic

    def counted(*args: object, **kwargs: object) -> object:
        nonlocal checks
        # The clock jumps once a check has returned, so that check had its whole time.
        found = real(*args, **kwargs)  # type: ignore[arg-type]
        checks += 1
        return found

    def late() -> float:
        return clock() + (3600.0 if checks else 0.0)

    monkeypatch.setattr(explain, "_feasible_under", counted)
    monkeypatch.setattr(explain.time, "monotonic", late)
    m, _ = build_model(roster, period, slots, strict=True, explain=True)
    cut = minimal_conflict(m, budget=5)
    assert cut is not None and not cut.minimal and checks == 1
    m, _ = build_model(roster, period, slots, strict=True, explain=True)
    checks = 0
    error = conflict_error(roster, m, budget=5, seed=0)
    assert str(error).endswith("（限时内未能确认这是最少的一组，可能有几条并不相干）")
    assert len(error.conflicts) > 1
    # Given the time, the same rules are shrunk to a smallest set, and nothing more is said.
    monkeypatch.setattr(explain.time, "monotonic", clock)
    m, _ = build_model(roster, period, slots, strict=True, explain=True)
    shown = conflict_error(roster, m, budget=5, seed=0)
    assert "限时内" not in str(shown)
    assert len(shown.conflicts) <= len(error.conflicts)
