"""The INRC-II runner (benchmarks/inrc2.py): an instance written as a roster folder the engine
loads, the initial history published into a roster store as the days before week 0, and weeks
solved one after another, each from what the store holds before it."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_inrc2_format import HISTORY, SCENARIO, WEEK

from benchmarks.inrc2 import (
    FIRST_MONDAY,
    STORE,
    initial_schedule,
    main,
    post_id,
    roster_files,
    run_weeks,
    share,
)
from benchmarks.inrc2_format import (
    NurseHistory,
    Scenario,
    evaluate,
    read_history,
    read_scenario,
    read_solution,
    read_week,
)
from roster.load import load_roster
from store import open_store


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """A dataset folder laid out as n005w4/ is: scenario, one history, two week files."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    (folder / "Sc-tiny.txt").write_bytes(SCENARIO.encode("ascii"))
    (folder / "H0-tiny-0.txt").write_text(HISTORY)
    (folder / "WD-tiny-0.txt").write_text(WEEK)
    # A second week: one Early every day, requests on both nurses' Saturdays.
    second = (
        "WEEK_DATA\ntiny\n\nREQUIREMENTS\n"
        "Early Nurse (1,1) (1,1) (1,1) (1,1) (1,1) (1,1) (1,1)\n"
        "Night Nurse (0,0) (0,0) (0,0) (0,0) (0,0) (0,0) (0,0)\n\n"
        "SHIFT_OFF_REQUESTS = 1\nAnn Any Sat\n"
    )
    (folder / "WD-tiny-1.txt").write_text(second)
    return folder


def runs_before(scenario: Scenario, past: dict[str, list[str]]) -> dict[str, tuple[object, ...]]:
    """For each nurse, from pinned days given as shift names by date (newest first): the last
    shift type, the run on it, the run of working days and of days off that end on Sunday."""
    out: dict[str, tuple[object, ...]] = {}
    for nurse in scenario.nurses:
        back = past[nurse.name]
        last = back[0] or None
        same = next((i for i, s in enumerate(back) if s != last), len(back)) if last else 0
        work = next((i for i, s in enumerate(back) if not s), len(back))
        off = next((i for i, s in enumerate(back) if s), len(back))
        out[nurse.name] = (last, same, work, off)
    return out


def test_the_initial_history_becomes_a_published_roster_that_leaves_its_runs(
    tmp_path: Path, dataset: Path
) -> None:
    scenario = read_scenario(dataset / "Sc-tiny.txt")
    history = read_history(dataset / "H0-tiny-0.txt")
    history.nurses["Bob"] = NurseHistory("Bob", 0, 0, None, 0, 0, 2)
    schedule = initial_schedule(scenario, history, tmp_path / "roster-history")
    # The days before week 0, ending on its Sunday.
    assert schedule.period.end.date() == FIRST_MONDAY
    span = (FIRST_MONDAY - schedule.period.start.date()).days
    by_day = {
        (pid, s.start.date()): s.post.split(".")[0] for s in schedule.slots for pid in s.assigned
    }
    back = {
        n.name: [
            by_day.get((n.name, FIRST_MONDAY - timedelta(days=i)), "") for i in range(1, span + 1)
        ]
        for n in scenario.nurses
    }
    # Ann: Night 2, working 3 (the day before the Nights on Early, which may precede a Night).
    assert back["Ann"][:4] == ["Night", "Night", "Early", ""]
    assert runs_before(scenario, back) == {
        "Ann": ("Night", 2, 3, 0),
        "Bob": (None, 0, 0, 2),
    }


def test_the_share_of_a_range() -> None:
    # 15–22 over 4 weeks: 3–6 for the first week, 7–11 for two; exact for the whole horizon.
    assert share(15, 22, 7, 4) == (3, 6)
    assert share(15, 22, 14, 4) == (7, 11)
    assert share(15, 22, 28, 4) == (15, 22)


def test_the_roster_folder_holds_the_instance(tmp_path: Path, dataset: Path) -> None:
    scenario = read_scenario(dataset / "Sc-tiny.txt")
    week = read_week(dataset / "WD-tiny-0.txt")
    roster_yaml, people_csv = roster_files(scenario, week, 0, 2)
    folder = tmp_path / "roster"
    folder.mkdir()
    (folder / "roster.yaml").write_text(roster_yaml, encoding="utf-8")
    (folder / "people.csv").write_text(people_csv, encoding="utf-8")
    roster = load_roster(folder)
    assert roster.name == "INRC-II tiny"
    assert [p.id for p in roster.config.posts] == ["Early.Nurse", "Night.Nurse"]
    ann = roster.person("Ann")
    rules = roster.rules_for(ann)
    assert (rules.preferred_consecutive_days.min, rules.preferred_consecutive_days.max) == (2, 4)
    assert rules.preferred_consecutive_shifts is not None
    assert rules.preferred_consecutive_shifts["Night"].min == 3
    assert rules.complete_weekends is True
    # Two weeks, 8–10 shifts: 4–5 in the window of week 0 (the week itself).
    assert roster.config.window_weeks == 1
    window = rules.preferred_total_shifts_per_window
    assert window is not None
    assert (window.min, window.max) == (4, 5)
    assert roster.config.successions[0].after == [post_id("Night", "Nurse")]
    assert roster.config.successions[0].then == [post_id("Early", "Nurse")]
    assert [(r.person, r.kind, r.weight) for r in roster.config.requests] == [
        ("Ann", "avoid", 10),
        ("Bob", "avoid", 10),
    ]
    # The history is the store's: nothing is pinned.
    assert roster.config.pins == []
    weights = roster.config.weights
    assert (weights.under_target, weights.preferred_consecutive_shifts) == (30, 15)


def test_weeks_run_one_after_another(tmp_path: Path, dataset: Path) -> None:
    out = tmp_path / "out"
    runs, ev = run_weeks(
        dataset, 0, [0, 1], out, time_limit=2, workers=2, look_ahead=1, repeatable=True
    )
    assert ev.feasible
    first = read_solution(out / "sol-week0.txt")
    second = read_solution(out / "sol-week1.txt")
    assert (first.week, second.week) == (0, 1)
    # Ann's history ends on Night, which Early may not follow: Bob takes Monday's Early.
    monday = [(a.nurse, a.shift) for a in first.assignments if a.day == 0]
    assert ("Bob", "Early") in monday
    assert ("Ann", "Early") not in monday
    # The evaluator scores the files the run wrote as it scored the run.
    scenario = read_scenario(dataset / "Sc-tiny.txt")
    history = read_history(dataset / "H0-tiny-0.txt")
    weeks = [read_week(dataset / f"WD-tiny-{j}.txt") for j in (0, 1)]
    again = evaluate(scenario, history, weeks, [first, second])
    assert again.total == ev.total
    assert [r.solution.assignments for r in runs] == [first.assignments, second.assignments]
    # Each week's roster folder and schedule are kept beside the solutions.
    assert (out / "roster-week1" / "schedule.json").is_file()
    # The store holds the initial history and each week, as one community's, by the run.
    with open_store(out / STORE, create=False) as store:
        versions = store.versions("INRC-II tiny")
    assert [(v.number, v.author, v.message) for v in versions] == [
        (1, "inrc2", "initial history H0-tiny-0.txt"),
        (1, "inrc2", "week 0: WD-tiny-0.txt"),
        (1, "inrc2", "week 1: WD-tiny-1.txt"),
    ]
    # Published is the week alone, not the day of the next week planned ahead.
    assert [v.period_end.date() for v in versions[1:]] == [
        FIRST_MONDAY + timedelta(days=7),
        FIRST_MONDAY + timedelta(days=14),
    ]


def test_the_command_prints_each_week_and_the_total(tmp_path: Path, dataset: Path) -> None:
    out = tmp_path / "out"
    args = [str(dataset), "--history", "0", "--weeks", "0-0", "--out", str(out)]
    result = CliRunner().invoke(main, [*args, "--time-limit", "1", "--repeatable"])
    assert result.exit_code == 0, result.output
    assert "tiny_0_0-0: feasible" in result.output
    assert "week 1: cost" in result.output
    assert "total" in result.output
    assert (out / "sol-week1.txt").is_file()


def test_a_week_the_one_before_leaves_no_roster_for_is_named(tmp_path: Path, dataset: Path) -> None:
    # Without looking ahead, week 0 ends with both nurses on Sunday's Night (its optimal 2), so
    # nobody may take Monday's Early of week 1: the run stops there, naming the week.
    args = [str(dataset), "--history", "0", "--weeks", "0-0", "--out", str(tmp_path / "o")]
    result = CliRunner().invoke(
        main, [*args, "--time-limit", "1", "--repeatable", "--look-ahead", "0"]
    )
    assert result.exit_code == 1
    assert "week 1 (WD 0): the hard rules contradict each other" in result.output


def test_a_missing_file_is_an_error_not_a_traceback(tmp_path: Path, dataset: Path) -> None:
    args = [str(dataset), "--history", "5", "--weeks", "0", "--out", str(tmp_path / "o")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "H0-tiny-5.txt: no such file" in result.output


@pytest.mark.parametrize(("weeks", "look_ahead"), [([0, 1], 1), ([1, 1], 0)])
def test_each_published_week_costs_what_the_competition_counts(
    tmp_path: Path, dataset: Path, weeks: list[int], look_ahead: int
) -> None:
    # The published week's terms, with its history from the store, are the week's S1–S5 as
    # the evaluator counts them: the border runs cost the same in both (README 5.3).
    out = tmp_path / "out"
    _, ev = run_weeks(
        dataset, 0, weeks, out, time_limit=2, workers=2, look_ahead=look_ahead, repeatable=True
    )
    for k, cost in enumerate(ev.weeks):
        schedule = json.loads((out / f"roster-week{k}" / "schedule.json").read_text("utf-8"))
        terms = {t["rule"]: t["penalty"] for t in schedule["objective_terms"]}
        assert terms["shortage"] == 0
        assert terms["under_target"] == cost.optimal_coverage
        assert terms["requests"] == cost.preferences
        assert terms["complete_weekends"] == cost.complete_weekends
        assert terms["preferred_consecutive_days_off"] == cost.days_off
        consecutive = terms["preferred_consecutive_days"] + terms["preferred_consecutive_shifts"]
        assert consecutive == cost.consecutive
