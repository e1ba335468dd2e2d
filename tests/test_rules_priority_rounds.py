"""When people are short: posts of higher priority are filled first (rule ``priority``), and each
area's first round of a day comes before any area's second (rule ``rounds``). Each rule is tested
in the model and in its checker twin, on both sides of its limit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import write_folder
from ortools.sat.python import cp_model
from rulekit import make_roster, period

from cli import main
from roster.check import check
from roster.errors import LoadError
from roster.load import Roster
from roster.shortfall import place_weights, round_prices
from roster.slots import expand
from solver.solve import SolveOptions, build_model, run

OPTIONS = SolveOptions(repeatable=True, work_units=10, workers=1, seed=0)


def post(pid: str, start: str, hours: float, **extra: Any) -> dict[str, Any]:
    """A post with one shift a day (``start`` a time, or a list of times for several)."""
    starts = start if isinstance(start, list) else [start]
    head = extra.pop("headcount", {"min": 1})
    return {
        "id": pid,
        "name": pid,
        "shifts": [{"start": s, "hours": hours} for s in starts],
        "headcount": head,
        **extra,
    }


def solved(roster: Roster, days: int = 1) -> tuple[dict[str, list[str]], int]:
    """The optimal roster of ``days`` days and its objective."""
    per = period(days)
    m, _ = build_model(roster, per, expand(roster.config, per), strict=False)
    solver, status = run(m, OPTIONS, 1)
    assert status == cp_model.OPTIMAL
    return m.extract(solver), round(solver.objective_value)


def model_penalty(roster: Roster, assignment: dict[str, list[str]], days: int = 1) -> int:
    """The model's objective for a fixed roster."""
    per = period(days)
    m, _ = build_model(roster, per, expand(roster.config, per), strict=False)
    m.fix(assignment)
    solver, status = run(m, OPTIONS, 1)
    assert status == cp_model.OPTIMAL
    return round(solver.objective_value)


def checked(roster: Roster, assignment: dict[str, list[str]], days: int = 1) -> dict[str, int]:
    """The checker's penalty terms for a fixed roster."""
    per = period(days)
    return check(roster, per, expand(roster.config, per), assignment).terms


def on(roster: Roster, rows: dict[str, list[str]], days: int = 1) -> dict[str, list[str]]:
    """A roster from ``{slot id: [people]}`` with every other slot empty."""
    per = period(days)
    out: dict[str, list[str]] = {s.id: [] for s in expand(roster.config, per)}
    out.update(rows)
    return out


# --- priority -----------------------------------------------------------------------------------


def gate_and_broadcasts(gate_priority: int, **extra: Any) -> Roster:
    """One person for a day: an 8-hour gate shift, or two broadcast hours that fit beside each
    other (not both: the gate overlaps them)."""
    return make_roster(
        people=1,
        posts=[
            post("gate", "08:00", 8, priority=gate_priority, **extra),
            post("broadcast", ["09:00", "13:00"], 1),
        ],
        rules={"max_shifts_per_day": 2, "min_rest_hours": 0},
    )


@pytest.mark.rule("priority")
def test_posts_of_equal_priority_fill_the_most_places() -> None:
    assignment, objective = solved(gate_and_broadcasts(1))
    assert assignment["gate/2024-01-01T08:00"] == []
    assert assignment["broadcast/2024-01-01T09:00"] == ["p1"]
    assert assignment["broadcast/2024-01-01T13:00"] == ["p1"]
    assert objective == 1000  # the gate's one place


@pytest.mark.rule("priority")
def test_one_gate_worker_is_never_traded_for_two_broadcasters() -> None:
    assignment, objective = solved(gate_and_broadcasts(2))
    assert assignment["gate/2024-01-01T08:00"] == ["p1"]
    assert assignment["broadcast/2024-01-01T09:00"] == []
    # Two broadcast places at 1,000 each: the gate's place costs more than both (3,000).
    assert objective == 2000
    assert place_weights(gate_and_broadcasts(2).config, expand_day(gate_and_broadcasts(2))) == {
        1: 1000,
        2: 3000,
    }


def expand_day(roster: Roster) -> list[Any]:
    return expand(roster.config, period(1))


@pytest.mark.rule("priority")
def test_a_higher_priority_outweighs_every_lower_place_however_many() -> None:
    roster = make_roster(
        people=1,
        posts=[
            post("gate", "08:00", 8, priority=5),
            post("broadcast", ["09:00", "11:00", "13:00"], 1),
            post("screening", "17:00", 1, headcount={"min": 2}),
        ],
        rules={"max_shifts_per_day": 4, "min_rest_hours": 0},
    )
    assignment, _ = solved(roster)
    assert assignment["gate/2024-01-01T08:00"] == ["p1"]  # five lower places are left short
    assert place_weights(roster.config, expand_day(roster)) == {1: 1000, 5: 6000}


@pytest.mark.rule("priority")
def test_priority_costs_the_same_in_the_model_and_the_checker() -> None:
    roster = gate_and_broadcasts(3, quotas=[{"tag": "party_member", "min": 1}])
    empty = on(roster, {})
    terms = checked(roster, empty)
    # Gate: 1 person and 1 quota place, each 1,000 (shortage, quota) + 2,000 more (priority).
    assert terms["shortage"] == 3000 and terms["quota"] == 1000 and terms["priority"] == 4000
    assert model_penalty(roster, empty) == sum(terms.values())
    filled = on(roster, {"gate/2024-01-01T08:00": ["p1"]})
    terms = checked(roster, filled)
    assert terms["priority"] == 2000  # the quota place is still missing: p1 has no tag
    assert model_penalty(roster, filled) == sum(terms.values())


@pytest.mark.rule("priority")
def test_without_priorities_there_is_no_term_and_no_variable() -> None:
    roster = gate_and_broadcasts(1)
    assert "priority" not in checked(roster, on(roster, {}))
    per = period(1)
    _, penalties = build_model(roster, per, expand(roster.config, per), strict=False)
    assert not [p for p in penalties if p.rule == "priority"]


@pytest.mark.rule("priority")
def test_priority_adds_nothing_when_minimums_are_hard() -> None:
    roster = gate_and_broadcasts(2)
    per = period(1)
    slots = expand(roster.config, per)
    _, penalties = build_model(roster, per, slots, strict=True)
    assert not [p for p in penalties if p.rule == "priority"]
    assert "priority" not in check(roster, per, slots, on(roster, {}), strict=True).terms


@pytest.mark.rule("priority")
def test_too_many_levels_of_priority_are_refused_with_a_plain_sentence() -> None:
    posts = [post(f"p{i}", "08:00", 1, priority=i, headcount={"min": 50}) for i in range(1, 6)]
    roster = make_roster(people=1, posts=posts)
    slots = expand(roster.config, period(60))
    with pytest.raises(LoadError) as caught:
        place_weights(roster.config, slots)
    assert str(caught.value).startswith("roster.yaml: posts[].priority: 5 levels of priority")
    assert "use fewer levels" in str(caught.value)
    # Three levels fit.
    fewer = make_roster(people=1, posts=posts[:3])
    assert max(place_weights(fewer.config, expand(fewer.config, period(60))).values()) < 10**12


# --- rounds -------------------------------------------------------------------------------------


def disinfection(avoid_lifts: int, *, rounds: bool = True, people: int = 2) -> Roster:
    """Two areas with a round at 08:00 and 15:00 each, too close for one person to do both (8 h
    rest); the people would rather not do the lifts (``avoid_lifts`` a shift)."""
    return make_roster(
        people=people,
        posts=[
            post("corridors", ["08:00", "15:00"], 2, rounds=rounds),
            post("lifts", ["08:00", "15:00"], 2, rounds=rounds),
        ],
        rules={"min_rest_hours": 8, "max_shifts_per_day": 2},
        requests=[
            {"person": f"p{i}", "kind": "avoid", "post": "lifts", "weight": avoid_lifts}
            for i in range(1, people + 1)
        ],
    )


def held(assignment: dict[str, list[str]], area: str, day: int) -> int:
    """Rounds of ``area`` with someone on them on day ``day`` (0 = the Monday)."""
    return sum(
        1
        for sid, who in assignment.items()
        if sid.startswith(f"{area}/2024-01-0{day + 1}T") and who
    )


@pytest.mark.rule("rounds")
def test_without_rounds_a_short_week_leaves_an_area_without_disinfection() -> None:
    assignment, _ = solved(disinfection(5, rounds=False), days=7)
    for day in range(7):
        assert held(assignment, "corridors", day) == 2
        assert held(assignment, "lifts", day) == 0


@pytest.mark.rule("rounds")
def test_every_area_gets_its_first_round_before_any_gets_its_second() -> None:
    assignment, _ = solved(disinfection(5), days=7)
    for day in range(7):
        assert held(assignment, "corridors", day) == 1
        assert held(assignment, "lifts", day) == 1


@pytest.mark.rule("rounds")
def test_rounds_give_way_to_what_costs_more_than_their_price() -> None:
    # An area's first round costs 300 and its second 100, so moving a person from corridors'
    # second round to the lifts' first saves 200: worth an avoided shift of 199, not of 201.
    prices = round_prices(disinfection(0).config, expand_day(disinfection(0)))
    assert prices[("corridors", period(1).first)] == [300, 100]
    kept, _ = solved(disinfection(199))
    assert held(kept, "lifts", 0) == 1
    given_up, _ = solved(disinfection(201))
    assert held(given_up, "lifts", 0) == 0 and held(given_up, "corridors", 0) == 2


@pytest.mark.rule("rounds")
def test_an_area_missing_its_first_round_costs_more_than_all_areas_missing_their_second() -> None:
    roster = make_roster(
        people=3,
        posts=[post(a, ["08:00", "15:00"], 2, rounds=True) for a in ("a", "b", "c")],
        rules={"min_rest_hours": 8},
    )
    day = "2024-01-01"
    first = {area: f"{area}/{day}T08:00" for area in ("a", "b", "c")}
    spread = on(roster, {first["a"]: ["p1"], first["b"]: ["p2"], first["c"]: ["p3"]})
    lopsided = on(roster, {first["a"]: ["p1"], f"a/{day}T15:00": ["p2"], first["b"]: ["p3"]})
    # Second rounds cost 100 each; a first round 100 + 3 x 100 = 400.
    assert checked(roster, spread)["rounds"] == 3 * 100
    assert checked(roster, lopsided)["rounds"] == 100 + 400 + 100
    assert model_penalty(roster, spread) == sum(checked(roster, spread).values())
    assert model_penalty(roster, lopsided) == sum(checked(roster, lopsided).values())
    assignment, _ = solved(roster)
    assert [held(assignment, a, 0) for a in ("a", "b", "c")] == [1, 1, 1]


@pytest.mark.rule("rounds")
def test_one_person_holds_a_round_whose_minimum_is_two() -> None:
    roster = make_roster(
        people=1,
        posts=[post("a", ["08:00", "15:00"], 2, rounds=True, headcount={"min": 2})],
    )
    day = "2024-01-01"
    one = on(roster, {f"a/{day}T08:00": ["p1"]})
    terms = checked(roster, one)
    assert terms["rounds"] == 100  # only the second round is lost
    assert terms["shortage"] == 3000  # the headcount still counts who is missing
    assert model_penalty(roster, one) == sum(terms.values())
    none = on(roster, {})
    assert checked(roster, none)["rounds"] == 200 + 100
    assert model_penalty(roster, none) == sum(checked(roster, none).values())


@pytest.mark.rule("rounds")
def test_posts_without_rounds_have_no_term_and_no_variable() -> None:
    roster = disinfection(5, rounds=False)
    assert "rounds" not in checked(roster, on(roster, {}))
    per = period(1)
    _, penalties = build_model(roster, per, expand(roster.config, per), strict=False)
    assert not [p for p in penalties if p.rule == "rounds"]


# --- the reference community's disinfection, short of people -------------------------------------

DISINFECTION_YAML = """\
name: 兴旺社区
timezone: Asia/Shanghai
skills: {disinfection: 会配药消杀}
rules: {min_rest_hours: 8, max_shifts_per_day: 2}
weights: {fair_hours: 0}
requests:
  - {person: p01, kind: avoid, post: disinfect-lifts, weight: 5}
  - {person: p02, kind: avoid, post: disinfect-lifts, weight: 5}
  - {person: p03, kind: avoid, post: disinfect-lifts, weight: 5}
posts:
  - id: disinfect-corridors
    name: 楼道及垃圾投放点消杀
    location: 各单元楼道
    shifts: [{name: 上午, start: "08:00", hours: 2}, {name: 下午, start: "15:00", hours: 2}]
    headcount: {min: 2}
    skills: [disinfection]
    rounds: true
  - id: disinfect-lifts
    name: 电梯间消杀
    location: 各单元电梯间
    shifts: [{name: 上午, start: "08:00", hours: 2}, {name: 下午, start: "15:00", hours: 2}]
    skills: [disinfection]
    rounds: true
"""

#: Three people who can disinfect, for rounds that need six a day, and one who is ill midweek.
DISINFECTION_PEOPLE = """\
id,name,skills,unavailable
p01,张海燕,disinfection,
p02,李秀兰,disinfection,2020-02-05..2020-02-06 发热
p03,王建军,disinfection,
"""


@pytest.mark.rule("rounds")
def test_a_short_week_keeps_every_area_disinfected_every_day(tmp_path: Path) -> None:
    for rounds in (True, False):
        text = DISINFECTION_YAML if rounds else DISINFECTION_YAML.replace("    rounds: true\n", "")
        folder = write_folder(tmp_path / f"兴旺{rounds}", text, DISINFECTION_PEOPLE)
        out = tmp_path / f"out{rounds}"
        result = CliRunner().invoke(
            main,
            ["solve", str(folder), "--week", "2020-W06", "--out", str(out), "--workers", "1"],
        )
        assert result.exit_code == 0, result.output
        data = json.loads((out / "schedule.json").read_text(encoding="utf-8"))
        held: dict[tuple[str, str], int] = {}
        for slot in data["slots"]:
            key = (slot["post"], slot["start"][:10])
            held[key] = held.get(key, 0) + bool(slot["assigned"])
        bare = sorted(day for (post, day), n in held.items() if n == 0)
        if rounds:
            assert bare == []  # every area has a round every day
            assert "rounds" in {t["rule"] for t in data["objective_terms"]}
        else:
            # The regression: the lifts went without any disinfection all week.
            assert len(bare) == 7
