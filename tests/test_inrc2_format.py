"""The INRC-II reader and evaluator (benchmarks/inrc2_format.py), scored on hand-made weeks whose
costs are worked out by hand below, and on the organisers' sample solution of n005w4_0_1-2-3-3
(its validator report: 1695)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from benchmarks.inrc2_format import (
    Assignment,
    History,
    InrcFileError,
    NurseHistory,
    Scenario,
    Solution,
    WeekData,
    evaluate,
    history_text,
    next_history,
    read_history,
    read_scenario,
    read_solution,
    read_week,
    run_cost,
    solution_text,
    week_cost,
)

DATASET = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "inrc2" / "n005w4"

#: A scenario small enough to cost by hand: two nurses, one skill, two shift types.
SCENARIO = """\
SCENARIO = tiny\r
\r
WEEKS = 2\r
\r
SKILLS = 1\r
Nurse\r
\r
SHIFT_TYPES = 2\r
Early (2,3)\r
Night (3,4) \r
\r
FORBIDDEN_SHIFT_TYPES_SUCCESSIONS\r
Early 0\r
Night 1 Early\r
\r
CONTRACTS = 1\r
Full (8,10) (2,4) (2,3) 1 1\r
\r
NURSES = 2\r
Ann Full 1 Nurse\r
Bob Full 1 Nurse \r
"""

HISTORY = """\
HISTORY
0 tiny

NURSE_HISTORY
Ann 0 0 Night 2 3 0
Bob 0 0 None 0 0 1
"""

WEEK = """\
WEEK_DATA
tiny

REQUIREMENTS
Early Nurse (1,1) (0,1) (0,0) (0,0) (0,0) (0,0) (0,0)
Night Nurse (0,0) (0,0) (0,0) (0,0) (0,0) (0,0) (1,2)

SHIFT_OFF_REQUESTS = 2
Ann Any Mon
Bob Night Sun
"""


@pytest.fixture
def tiny(tmp_path: Path) -> tuple[Scenario, History, WeekData]:
    for name, text in (("Sc-tiny.txt", SCENARIO), ("H0.txt", HISTORY), ("WD.txt", WEEK)):
        (tmp_path / name).write_bytes(text.encode("ascii"))
    return (
        read_scenario(tmp_path / "Sc-tiny.txt"),
        read_history(tmp_path / "H0.txt"),
        read_week(tmp_path / "WD.txt"),
    )


def week_of(rows: dict[str, str], week: int = 0) -> Solution:
    """A solution from strings: character i is day i, ``.`` off, ``E`` Early, ``N`` Night."""
    names = {"E": "Early", "N": "Night"}
    assignments = [
        Assignment(nurse, day, names[c], "Nurse")
        for nurse, row in rows.items()
        for day, c in enumerate(row)
        if c != "."
    ]
    return Solution(week, "tiny", assignments)


def test_files_are_read(tiny: tuple[Scenario, History, WeekData]) -> None:
    scenario, history, week = tiny
    assert [s.name for s in scenario.shift_types] == ["Early", "Night"]
    assert scenario.shift("Night").forbidden_next == ("Early",)
    contract = scenario.contracts["Full"]
    assert (contract.min_total, contract.max_total, contract.max_weekends) == (8, 10, 1)
    assert (contract.min_consecutive_off, contract.max_consecutive_off) == (2, 3)
    assert contract.complete_weekends
    assert history.nurses["Ann"] == NurseHistory("Ann", 0, 0, "Night", 2, 3, 0)
    assert history.nurses["Bob"].last_shift is None
    assert week.requirements[("Night", "Nurse")][6] == (1, 2)
    assert week.requests == [("Ann", "Any", 0), ("Bob", "Night", 6)]


def test_run_cost_by_hand() -> None:
    # Inside the week: a run of 1 with min 2 costs 1, the open run of 4 with max 3 one more;
    # a run of 5 with max 3 costs 2.
    assert run_cost([False, True, False, True, True, True, True], 0, 2, 3) == 2
    assert run_cost([False, True, False, True, True, True, False], 0, 2, 3) == 1
    assert run_cost([True, True, True, True, True, False, False], 0, 2, 3) == 2
    # Carried 2 + 1 = 3 ≥ min 3: nothing; carried 1 + 1 = 2 < 3: one day short.
    assert run_cost([True, False, False, False, False, False, False], 2, 3, 5) == 0
    assert run_cost([True, False, False, False, False, False, False], 1, 3, 5) == 1
    # A run that ended on the previous Sunday is checked now: carried 1, min 3 → 2.
    assert run_cost([False] * 7, 1, 3, 9) == 2
    # Only days over the maximum not charged before: carried 6 (1 over max 5) + 2 → 2 new days.
    assert run_cost([True, True, False, False, False, False, False], 6, 1, 5) == 2
    # A run open on Sunday is not held to the minimum.
    assert run_cost([False, False, False, False, False, False, True], 0, 3, 5) == 0


def test_hand_made_week(tiny: tuple[Scenario, History, WeekData]) -> None:
    scenario, history, week = tiny
    #          Mon Tue Wed Thu Fri Sat Sun
    # Ann:      E   E   .   .   .   .   N
    # Bob:      .   .   N   N   N   N   N
    solution = week_of({"Ann": "EE....N", "Bob": "..NNNNN"})
    cost = week_cost(scenario, history, week, solution)
    # H3: Ann's history ends on Night, Monday is Early: forbidden.
    assert cost.hard == ["H3 Ann Mon: Night then Early"]
    # S1: Mon Early 1/1, Tue Early 1/1, Sun Night 2/2: nothing missing.
    assert cost.optimal_coverage == 0
    # S2, working days (min 2, max 4): Ann's run continues (3 + 2 = 5 > 4) → 1 day; her Sunday
    # run is open → 0; Bob's run of 5 → 1 day. Shift types: Ann's Night run ended (2 < 3) → 1;
    # Early run of 2 → 0; Bob's Night run of 5 > 4 → 1. 30 × 2 + 15 × 2 = 90.
    assert cost.consecutive == 90
    # S3, days off (min 2, max 3): Ann Wed–Sat, 4 > 3 → 1; Bob carried 1 + Mon, Tue = 3 → 0.
    assert cost.days_off == 30
    # S4: Ann works Monday (Any) → 10; Bob works Night on Sunday → 10.
    assert cost.preferences == 20
    # S5: Ann works Sunday only → 30; Bob both days → 0.
    assert cost.complete_weekends == 30
    assert cost.cost == 170


def test_two_weeks_and_the_final_counters(tiny: tuple[Scenario, History, WeekData]) -> None:
    scenario, history, week = tiny
    first = week_of({"Ann": ".EE..NN", "Bob": "EE..NN."})
    second = week_of({"Ann": "NN....N", "Bob": "EE....."}, week=1)
    ev = evaluate(scenario, history, [week, week], [first, second])
    assert ev.feasible
    after = ev.histories[1]
    assert after.nurses["Ann"] == NurseHistory("Ann", 4, 1, "Night", 2, 2, 0)
    assert after.nurses["Bob"] == NurseHistory("Bob", 4, 1, None, 0, 0, 1)
    final = ev.histories[2].nurses
    # Ann: 7 shifts, 2 weekends; Bob: 6 shifts, 1 weekend (at most 1, at least 8 shifts).
    assert (final["Ann"].total_assignments, final["Bob"].total_assignments) == (7, 6)
    assert (final["Ann"].total_weekends, final["Bob"].total_weekends) == (2, 1)
    # S6: (8 − 7) × 20 + (8 − 6) × 20 = 60; S7: Ann's second weekend, 30.
    assert ev.total_assignments == 60
    assert ev.working_weekends == 30
    # One more Saturday for Bob: one shift less short (−20), one weekend more (+30).
    third = week_of({"Ann": "NN....N", "Bob": "EE...E."}, week=1)
    ev3 = evaluate(scenario, history, [week, week], [first, third])
    assert (ev3.total_assignments, ev3.working_weekends) == (40, 60)
    assert ev3.total == sum(w.cost for w in ev3.weeks) + 40 + 60


def test_history_after_a_week_off_adds_the_carried_days(
    tiny: tuple[Scenario, History, WeekData],
) -> None:
    scenario, history, _ = tiny
    idle = next_history(scenario, history, week_of({"Ann": "NNNNNNN", "Bob": "......."}))
    assert idle.nurses["Bob"] == NurseHistory("Bob", 0, 0, None, 0, 0, 8)
    # Seven Nights after a history ending on Night 2 / 3: 9 on Night, 10 working days.
    assert idle.nurses["Ann"] == NurseHistory("Ann", 7, 1, "Night", 9, 10, 0)
    assert idle.week == 1


def test_coverage_and_skills_are_hard(tiny: tuple[Scenario, History, WeekData]) -> None:
    scenario, history, week = tiny
    solution = week_of({"Ann": ".......", "Bob": "E......"})
    solution.assignments.append(Assignment("Bob", 0, "Night", "Nurse"))
    solution.assignments.append(Assignment("Ann", 1, "Early", "HeadNurse"))
    cost = week_cost(scenario, history, week, solution)
    assert any(v.startswith("H1 Bob Mon") for v in cost.hard)
    assert any("unknown" in v for v in cost.hard)
    assert any(v.startswith("H2 Sun Night Nurse") for v in cost.hard)
    # Tuesday's Early lacks one nurse of its optimal 1, Sunday's Night two: 3 × 30.
    assert cost.optimal_coverage == 90


def test_solution_and_history_round_trip(
    tmp_path: Path, tiny: tuple[Scenario, History, WeekData]
) -> None:
    scenario, history, _ = tiny
    solution = week_of({"Ann": ".EE..NN", "Bob": "EE..NN."})
    (tmp_path / "sol.txt").write_text(solution_text(solution) + "Cost: 575\n")
    again = read_solution(tmp_path / "sol.txt")
    assert again.assignments == solution.assignments
    (tmp_path / "h.txt").write_text(history_text(next_history(scenario, history, solution)))
    assert read_history(tmp_path / "h.txt").nurses["Ann"].total_assignments == 4


def test_a_bad_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "Sc-bad.txt"
    path.write_text(SCENARIO.replace("Full (8,10)", "Full (8;10)"))
    with pytest.raises(InrcFileError, match=r"Sc-bad.txt: token \d+: expected \(min,max\) total"):
        read_scenario(path)
    with pytest.raises(InrcFileError, match="no such file"):
        read_week(tmp_path / "WD-none.txt")


# --- the organisers' sample solution ------------------------------------------------------------

#: The sample solution of n005w4_0_1-2-3-3 as its official validator report prints it (weeks
#: 1–4, E Early, L Late, N Night); its cost per type: S2 465, S3 330, S4 70, S5 60, S6 320,
#: S7 210, S1 240, total 1695 (shared/benchmarks/inrc2/README.md, 7).
SAMPLE = """\
Patrick N-EEELL --EELLL -NNNNNN -LLLLNN
Andrea  LL--LLL NNNNN-L LLL--NN NNN--EE
Stefaan NNNN--- EELL--E NN--EEE NN---LL
Sara    ---NNNN N---EEE ELLL--- EEEEE--
Nguyen  EELL-EE LL-LNNN -EEELLL -LLNNNN
"""


def _sample(scenario: Scenario, weeks: list[WeekData]) -> list[Solution]:
    """The sample's shifts, each (day, shift) given the skills that cover the requirements best
    (the report prints no skills)."""
    names = {"E": "Early", "L": "Late", "N": "Night"}
    skills = {n.name: n.skills for n in scenario.nurses}
    out: list[Solution] = []
    for k, week in enumerate(weeks):
        by_shift: dict[tuple[int, str], list[str]] = {}
        for line in SAMPLE.splitlines():
            nurse, *rows = line.split()
            for day, c in enumerate(rows[k]):
                if c != "-":
                    by_shift.setdefault((day, names[c]), []).append(nurse)
        assignments = []
        for (day, shift), nurses in sorted(by_shift.items()):

            def missing(
                combo: tuple[str, ...], day: int = day, shift: str = shift, week: WeekData = week
            ) -> list[int]:
                return [
                    sum(
                        max(0, week.requirements[(shift, s)][day][i] - combo.count(s))
                        for s in scenario.skills
                    )
                    for i in (0, 1)
                ]

            best = min(itertools.product(*(skills[n] for n in nurses)), key=missing)
            assignments += [Assignment(n, day, shift, s) for n, s in zip(nurses, best, strict=True)]
        out.append(Solution(k, scenario.name, assignments))
    return out


@pytest.mark.skipif(not DATASET.is_dir(), reason="shared/benchmarks/inrc2 not beside the repo")
def test_the_organisers_sample_costs_1695() -> None:
    scenario = read_scenario(DATASET / "Sc-n005w4.txt")
    history = read_history(DATASET / "H0-n005w4-0.txt")
    weeks = [read_week(DATASET / f"WD-n005w4-{j}.txt") for j in (1, 2, 3, 3)]
    ev = evaluate(scenario, history, weeks, _sample(scenario, weeks))
    assert ev.feasible
    assert [w.cost for w in ev.weeks] == [285, 335, 340, 205]
    assert sum(w.optimal_coverage for w in ev.weeks) == 240
    assert sum(w.consecutive for w in ev.weeks) == 465
    assert sum(w.days_off for w in ev.weeks) == 330
    assert sum(w.preferences for w in ev.weeks) == 70
    assert sum(w.complete_weekends for w in ev.weeks) == 60
    assert (ev.total_assignments, ev.working_weekends) == (320, 210)
    assert ev.total == 1695
