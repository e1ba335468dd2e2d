"""INRC-II, week by week through the engine: each week an instance is written as a roster folder
(roster.yaml + people.csv), loaded and solved as ``roster solve --strict`` does, and written in the
competition's format; the evaluator of ``benchmarks/inrc2_format.py`` scores the run.

    python -m benchmarks.inrc2 DATASET_DIR --history 0 --weeks 1-2-3-3 --out DIR \\
        [--time-limit S] [--workers W]

How each part of the competition maps onto the engine's rules (docs/inrc2.md has the why):

* nurse → person; her skills → skills; her contract → a tag whose ``rules_by_tag`` hold the
  contract's runs and weekends;
* (shift type, skill) → a post needing that skill, one shift a day at the shift type's time;
  minimum → headcount ``min`` (hard: solved with ``strict``), optimal → ``target`` with
  ``under_weight`` 30, nobody over priced;
* forbidden successions → hard ``successions``; one shift a day → ``max_shifts_per_day: 1``;
* consecutive working days / days off / days on a shift type → ``preferred_consecutive_days``,
  ``preferred_consecutive_days_off``, ``preferred_consecutive_shifts`` (weights 30, 30, 15);
* complete weekends → ``complete_weekends`` (30); shift-off requests → ``avoid`` requests (10);
* total assignments and working weekends over the horizon → ``preferred_total_shifts_per_window``
  (20) and ``preferred_max_weekends_per_window`` (30), the rolling window holding every week
  planned so far (``window_weeks: k + 1``); before the last week, the ranges are the contract's
  pro rata.

The history goes through a roster store, ``DIR/roster.db``, as for ``roster solve``: the initial
history file is published as the roster of the days before week 0 whose runs end as it says
(``initial_schedule``); each week is solved from what the store holds before it
(``store.history.published_history``, which ``roster solve`` calls too) and then published.
"""

from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import click
import yaml

from benchmarks.inrc2_format import (
    W_COMPLETE,
    W_CONS_OFF,
    W_CONS_SHIFT,
    W_CONS_WORK,
    W_OPTIMAL,
    W_PREFERENCE,
    W_TOTAL,
    W_WEEKENDS,
    Assignment,
    Evaluation,
    History,
    InrcFileError,
    Scenario,
    Solution,
    WeekData,
    dataset_files,
    evaluate,
    read_history,
    read_scenario,
    read_week,
    solution_text,
)
from benchmarks.params import param_option, parse_params
from roster.errors import InfeasibleError, RosterError
from roster.history import History as EngineHistory
from roster.inputs import inputs_digest
from roster.load import Roster, load_roster
from roster.report import assignment_of, build_schedule
from roster.schedule import Schedule, SolverInfo, atomic_write
from roster.slots import Period, expand
from solver.solve import SolveOptions, solve
from store import Store, open_store
from store.history import published_history

#: Monday of week 0 of every instance; any Monday will do.
FIRST_MONDAY = date(2024, 1, 1)
#: The run's roster store, in the output folder.
STORE = "roster.db"
#: Who publishes the weeks, and when (a fixed time: the same run gives the same store).
AUTHOR = "inrc2"
PUBLISHED = datetime(2023, 12, 29, 12, 0, tzinfo=UTC)
#: Start and length of the usual shift types; others get 08:00 (one shift a day makes the times
#: matter only for the calendar).
SHIFT_TIMES = {
    "Early": ("06:00", 8),
    "Day": ("09:00", 8),
    "Late": ("14:00", 8),
    "Night": ("22:00", 8),
}
#: Sample-solution totals of the three n005w4 sequences of shared/benchmarks/inrc2/README.md, 7.
SAMPLE_TOTALS: dict[tuple[int, tuple[int, ...]], int] = {
    (0, (1, 2, 3, 3)): 1695,
    (1, (5, 3, 1, 0)): 2010,
    (2, (6, 7, 8, 9)): 1720,
}


def post_id(shift: str, skill: str) -> str:
    """The post of a (shift type, skill) requirement."""
    return f"{shift}.{skill}"


def shift_time(scenario: Scenario, shift: str) -> tuple[str, int]:
    """Start (HH:MM) and hours of a shift type's posts."""
    if shift in SHIFT_TIMES:
        return SHIFT_TIMES[shift]
    index = [s.name for s in scenario.shift_types].index(shift)
    return f"{8 + index % 12:02d}:00", 8


def week_dates(week: int) -> list[date]:
    """The seven dates of week ``week`` (0-based) of the instance."""
    monday = FIRST_MONDAY + timedelta(days=7 * week)
    return [monday + timedelta(days=i) for i in range(7)]


# --- the initial history as a published week ---------------------------------------------------


def border_days(
    scenario: Scenario, history: History, monday: date
) -> tuple[date, dict[str, list[tuple[date, str, str]]]]:
    """An initial history as days worked before ``monday`` that leave exactly its runs on the
    Sunday before: ``consecutive_work`` days worked (the last ``consecutive_same_shift`` of them
    on the last shift type, the ones before on another type that may precede it) after a day
    off; or ``consecutive_off`` days off after a day worked. The first date that needs (the
    day off or worked before the runs) and, for each nurse, the (date, shift type, skill) worked.
    Runs that ended earlier cost the same whatever they were, so nothing else is needed."""
    worked: dict[str, list[tuple[date, str, str]]] = {}
    first = monday - timedelta(days=1)
    for nurse in scenario.nurses:
        h = history.nurses[nurse.name]
        skill = nurse.skills[0]
        days: list[tuple[date, str, str]] = []
        if h.last_shift is None:
            if h.consecutive_off > 0:
                # The day worked before the days off, on a shift type any other may follow.
                day = monday - timedelta(days=h.consecutive_off + 1)
                days.append((day, _free_shift(scenario), skill))
                first = min(first, day - timedelta(days=1))
        else:
            same = max(1, h.consecutive_same_shift)
            for i in range(1, max(h.consecutive_work, same) + 1):
                shift = h.last_shift if i <= same else _lead_in(scenario, h.last_shift)
                days.append((monday - timedelta(days=i), shift, skill))
            first = min(first, monday - timedelta(days=len(days) + 1))
        worked[nurse.name] = sorted(days)
    return first, worked


def _free_shift(scenario: Scenario) -> str:
    """A shift type that forbids nothing the next day (else the first one)."""
    for shift in scenario.shift_types:
        if not shift.forbidden_next:
            return shift.name
    return scenario.shift_types[0].name


def _lead_in(scenario: Scenario, last: str) -> str:
    """A shift type other than ``last`` that may follow itself and precede ``last``; ``last``
    itself when there is none (the run on ``last`` then looks longer than the history says)."""
    for shift in scenario.shift_types:
        if shift.name == last or shift.name in shift.forbidden_next:
            continue
        if last not in shift.forbidden_next:
            return shift.name
    return last


def initial_schedule(scenario: Scenario, history: History, folder: Path) -> Schedule:
    """The initial history as the schedule of the days before week 0 (``border_days``), to be
    published as their roster: the history file says how each nurse's runs end on that Sunday,
    and these duties end exactly so. Its roster folder (the posts on those days, nobody needed)
    is written into ``folder``. Its counters are 0 in every initial history (README 3.3); the
    rolling window of the totals starts at week 0 (``roster_files``), so these days never count
    towards them."""
    monday = week_dates(0)[0]
    first, worked = border_days(scenario, history, monday)
    days = [first + timedelta(days=i) for i in range((monday - first).days)]
    demand = {(s.name, sk): {(0, 0): days} for s in scenario.shift_types for sk in scenario.skills}
    config = roster_config(scenario, demand, window_weeks=1, requests=[])
    _write_folder(folder, config, _people(scenario, {}))
    roster = load_roster(folder)
    period = Period(first, monday - timedelta(days=1), roster.config.timezone)
    slots = expand(roster.config, period)
    assignment: dict[str, list[str]] = {slot.id: [] for slot in slots}
    for nurse, shifts in worked.items():
        for day, shift, skill in shifts:
            assignment[_slot(scenario, shift, skill, day)].append(nurse)
    info = SolverInfo(
        status="FEASIBLE", objective=None, bound=None, wall_seconds=0, workers=0, seed=0
    )
    return build_schedule(roster, period, slots, assignment, info, generated_at=PUBLISHED)


def _slot(scenario: Scenario, shift: str, skill: str, day: date) -> str:
    """The slot id of (shift type, skill) on ``day``."""
    return f"{post_id(shift, skill)}/{day.isoformat()}T{shift_time(scenario, shift)[0]}"


# --- the roster folder ------------------------------------------------------------------------


def roster_config(
    scenario: Scenario,
    demand: dict[tuple[str, str], dict[tuple[int, int], list[date]]],
    *,
    window_weeks: int,
    requests: list[dict[str, Any]],
) -> dict[str, Any]:
    """roster.yaml of the scenario: one post per (shift type, skill) with, for each (minimum,
    optimal) pair of ``demand``, a shift pattern on its dates; the contracts' rules and the
    competition's weights. The community's name is the scenario's, the same every week, so the
    store holds the weeks as one community's."""
    holders = {s: sum(1 for n in scenario.nurses if s in n.skills) for s in scenario.skills}
    posts: list[dict[str, Any]] = []
    for shift in scenario.shift_types:
        start, hours = shift_time(scenario, shift.name)
        for skill in scenario.skills:
            patterns = [
                {
                    "start": start,
                    "hours": hours,
                    "name": shift.name,
                    "dates": [d.isoformat() for d in sorted(days)],
                    "headcount": {
                        "min": lo,
                        "target": opt,
                        "max": max(opt, holders[skill]),
                        "under_weight": W_OPTIMAL,
                        "over_weight": 0,
                    },
                }
                for (lo, opt), days in sorted(demand[(shift.name, skill)].items())
            ]
            posts.append(
                {
                    "id": post_id(shift.name, skill),
                    "name": f"{shift.name} ({skill})",
                    "skills": [skill],
                    "shifts": patterns,
                    "headcount": {"min": 0},
                }
            )
    by_type: dict[str, list[str]] = {
        s.name: [post_id(s.name, sk) for sk in scenario.skills] for s in scenario.shift_types
    }
    successions = [
        {"after": by_type[s.name], "then": [p for t in s.forbidden_next for p in by_type[t]]}
        for s in scenario.shift_types
        if s.forbidden_next
    ]
    rules_by_tag = {
        c.name: {
            "preferred_consecutive_days": {
                "min": c.min_consecutive_work,
                "max": c.max_consecutive_work,
            },
            "preferred_consecutive_days_off": {
                "min": c.min_consecutive_off,
                "max": c.max_consecutive_off,
            },
            "complete_weekends": c.complete_weekends,
        }
        for c in scenario.contracts.values()
    }
    return {
        "name": f"INRC-II {scenario.name}",
        "timezone": "UTC",
        "language": "en",
        "window_weeks": window_weeks,
        "skills": {s: s for s in scenario.skills},
        "tags": {c: f"contract {c}" for c in scenario.contracts},
        "rules": {
            "max_shifts_per_day": 1,
            "min_rest_hours": 0,
            "preferred_consecutive_shifts": {
                s.name: {"min": s.min_consecutive, "max": s.max_consecutive}
                for s in scenario.shift_types
            },
        },
        "rules_by_tag": rules_by_tag,
        "weights": {
            "under_target": W_OPTIMAL,
            "over_target": 0,
            "fair_hours": 0,
            "fair_nights": 0,
            "fair_weekends": 0,
            "preferred_consecutive_days": W_CONS_WORK,
            "preferred_consecutive_days_off": W_CONS_OFF,
            "preferred_consecutive_shifts": W_CONS_SHIFT,
            "complete_weekends": W_COMPLETE,
            "preferred_total_shifts": W_TOTAL,
            "preferred_max_weekends": W_WEEKENDS,
        },
        "successions": successions,
        "posts": posts,
        "requests": requests,
    }


def _people(scenario: Scenario, ranges: dict[str, tuple[str, int]]) -> str:
    """people.csv: each nurse with her contract as a tag, her skills, and (when ``ranges`` has
    her) her range of shifts and most weekends over the rolling window."""
    people = io.StringIO()
    writer = csv.writer(people, lineterminator="\n")
    writer.writerow(
        [
            "id",
            "name",
            "tags",
            "skills",
            "preferred_total_shifts_per_window",
            "preferred_max_weekends_per_window",
        ]
    )
    for nurse in scenario.nurses:
        shifts, weekends = ranges.get(nurse.name, ("", ""))
        writer.writerow(
            [nurse.name, nurse.name, nurse.contract, ";".join(nurse.skills), shifts, weekends]
        )
    return people.getvalue()


def _write_folder(folder: Path, config: dict[str, Any], people: str) -> None:
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=100)
    atomic_write(folder / "roster.yaml", text)
    atomic_write(folder / "people.csv", people)


def share(low: int, high: int, days: int, horizon: int) -> tuple[int, int]:
    """A range over ``horizon`` weeks, pro rata for its first ``days`` days (rounded down and up;
    exact for the whole horizon)."""
    return low * days // (7 * horizon), -(-high * days // (7 * horizon))


def roster_files(
    scenario: Scenario,
    week: WeekData,
    k: int,
    horizon: int,
    ahead: WeekData | None = None,
    ahead_days: int = 7,
    cautious: bool = True,
) -> tuple[str, str]:
    """roster.yaml and people.csv of week ``k`` (0-based) of ``horizon`` weeks. With ``ahead``,
    the period runs on for ``ahead_days`` days of the next week with a guess of its demand from
    ``ahead`` (no requests), so this week does not end in a way the next cannot follow; only this
    week is kept. The guess is, when ``cautious``, the most minimum of any day of ``ahead`` on
    each day; else the same weekdays' demand of ``ahead``.

    The totals of the horizon are ranges over the rolling window, ``window_weeks: k + 1`` (weeks
    0 to k: those published before and this one): the contract's range pro rata for the days
    planned so far, exact in the last week."""
    dates = week_dates(k)
    later = week_dates(k + 1)[:ahead_days] if ahead is not None else []
    demand: dict[tuple[str, str], dict[tuple[int, int], list[date]]] = {}
    for shift in scenario.shift_types:
        for skill in scenario.skills:
            groups: dict[tuple[int, int], list[date]] = {}
            pairs = week.requirements.get((shift.name, skill), [(0, 0)] * 7)
            for day, pair in zip(dates, pairs, strict=True):
                groups.setdefault(pair, []).append(day)
            if ahead is not None:
                guess = ahead.requirements.get((shift.name, skill), [(0, 0)] * 7)
                if cautious:
                    # Each day ahead needs the most this (shift type, skill) needs on any day
                    # of ``ahead``, as a hard minimum and no more: the week ends where any day
                    # like these can follow.
                    most = max(lo for lo, _ in guess)
                    groups.setdefault((most, most), []).extend(later)
                else:
                    for day, pair in zip(later, guess, strict=False):
                        groups.setdefault(pair, []).append(day)
            demand[(shift.name, skill)] = groups
    requests: list[dict[str, Any]] = []
    skills_of = {n.name: n.skills for n in scenario.nurses}
    for who, shift_name, index in week.requests:
        if who not in skills_of:
            continue
        when = dates[index].isoformat()
        if shift_name == "Any":
            requests.append({"person": who, "kind": "avoid", "date": when, "weight": W_PREFERENCE})
            continue
        for skill in skills_of[who]:
            requests.append(
                {
                    "person": who,
                    "kind": "avoid",
                    "post": post_id(shift_name, skill),
                    "date": when,
                    "weight": W_PREFERENCE,
                }
            )
    config = roster_config(scenario, demand, window_weeks=k + 1, requests=requests)
    days = 7 * (k + 1) + len(later)
    ranges: dict[str, tuple[str, int]] = {}
    for nurse in scenario.nurses:
        contract = scenario.contracts[nurse.contract]
        lo, hi = share(contract.min_total, contract.max_total, days, horizon)
        _, most = share(0, contract.max_weekends, days, horizon)
        ranges[nurse.name] = (f"{lo}..{hi}", most)
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=100)
    return text, _people(scenario, ranges)


# --- the run ----------------------------------------------------------------------------------


def week_solution(scenario: Scenario, schedule: Schedule, k: int) -> Solution:
    """The assignments of week ``k`` in a schedule, by nurse (scenario order) then day."""
    dates = week_dates(k)
    posts = {
        post_id(s.name, sk): (s.name, sk) for s in scenario.shift_types for sk in scenario.skills
    }
    order = {n.name: i for i, n in enumerate(scenario.nurses)}
    out: list[Assignment] = []
    for slot in schedule.slots:
        day = slot.start.date()
        if day not in dates:
            continue
        shift, skill = posts[slot.post]
        out.extend(Assignment(pid, dates.index(day), shift, skill) for pid in slot.assigned)
    out.sort(key=lambda a: (order[a.nurse], a.day))
    return Solution(k, scenario.name, out)


@dataclass
class WeekRun:
    """One week of a run: its solution, the engine's objective, the wall seconds it took and the
    CPU seconds of all threads (the wall time on a busy machine says little)."""

    solution: Solution
    objective: int | None
    status: str
    seconds: float
    cpu_seconds: float = 0.0


def new_store(out: Path) -> Store:
    """A new, empty roster store for a run: ``out/roster.db`` (one left by an earlier run is
    removed, as the run's solutions are)."""
    path = out / STORE
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    return open_store(path)


def run_weeks(
    dataset: Path,
    history_index: int,
    weeks: list[int],
    out: Path,
    *,
    time_limit: float = 2.0,
    workers: int = 2,
    seed: int = 0,
    look_ahead: int = 1,
    extra: dict[str, object] | None = None,
    report: Any = None,
    repeatable: bool = False,
) -> tuple[list[WeekRun], Evaluation]:
    """Solve the weeks one after another, each seeing only the weeks before it, through a roster
    store (``out/roster.db``): the initial history is published first, as the roster of the days
    before week 0 (``initial_schedule``); each week is solved from what the store holds before
    it (``published_history``, as ``roster solve`` reads it), and its roster is published. Each
    week's roster folder, schedule and ``sol-week<k>.txt`` are written into ``out``; the run is
    scored."""
    sc_path, h_path, *wd_paths = dataset_files(dataset, history_index, weeks)
    scenario = read_scenario(sc_path)
    initial = read_history(h_path)
    missing = [n.name for n in scenario.nurses if n.name not in initial.nurses]
    if missing:
        raise InrcFileError(f"{h_path}: no line for nurse(s) {', '.join(missing)}")
    week_data = [read_week(p) for p in wd_paths]
    runs: list[WeekRun] = []
    with new_store(out) as store:
        start = initial_schedule(scenario, initial, out / "roster-history")
        atomic_write(out / "roster-history" / "schedule.json", start.to_json())
        store.publish(
            start,
            inputs_digest=inputs_digest(load_roster(out / "roster-history")),
            author=AUTHOR,
            message=f"initial history {h_path.name}",
            parent=None,
            published_at=PUBLISHED,
        )
        for k, week in enumerate(week_data):
            began, cpu = time.monotonic(), time.process_time()
            folder = out / f"roster-week{k}"
            # The next week's demand is unknown: this week's is the guess (none after the last).
            ahead = week if look_ahead > 0 and k + 1 < len(weeks) else None
            # ``time_limit`` is wall-clock seconds, or with ``repeatable`` work units of the
            # repeatable search (the same weeks then give the same rosters on any machine).
            options = SolveOptions(
                time_limit=time_limit,
                repeatable=repeatable,
                work_units=time_limit,
                workers=workers,
                seed=seed,
                strict=True,
                extra=dict(extra or {}),
            )
            # The cautious guess of the next week, else the same weekdays' demand, else the
            # week alone: when no roster of this week can be followed by a guess (or none is
            # found in time), the next is tried.
            tries = [(ahead, True), (ahead, False)] if ahead is not None else []
            for guess, cautious in [*tries, (None, False)]:
                days = look_ahead if guess is not None else 0
                try:
                    roster, schedule = solve_week(
                        scenario, week, k, len(weeks), guess, days, folder, options, store, cautious
                    )
                    break
                except InfeasibleError as exc:
                    if guess is None:
                        raise InfeasibleError(
                            f"week {k} (WD {weeks[k]}): {exc}", exc.conflicts
                        ) from None
            kept = keep_week(roster, schedule, k, options.history)
            atomic_write(folder / "schedule.json", kept.to_json())
            store.publish(
                kept,
                inputs_digest=inputs_digest(roster),
                author=AUTHOR,
                message=f"week {k}: {wd_paths[k].name}",
                parent=None,
                published_at=PUBLISHED,
            )
            solution = week_solution(scenario, kept, k)
            atomic_write(out / f"sol-week{k}.txt", solution_text(solution))
            run = WeekRun(
                solution,
                schedule.solver.objective,
                schedule.solver.status,
                round(time.monotonic() - began, 2),
                round(time.process_time() - cpu, 2),
            )
            runs.append(run)
            if report is not None:
                report(k, run)
    evaluation = evaluate(scenario, initial, week_data, [r.solution for r in runs])
    return runs, evaluation


def solve_week(
    scenario: Scenario,
    week: WeekData,
    k: int,
    horizon: int,
    ahead: WeekData | None,
    ahead_days: int,
    folder: Path,
    options: SolveOptions,
    store: Store,
    cautious: bool = True,
) -> tuple[Roster, Schedule]:
    """Write week ``k``'s roster folder and solve it as ``roster solve DIR --from … --to …
    --strict --db STORE`` does: the folder is loaded, the history is what ``store`` holds
    before the period, and the engine solves. ``options.history`` is set to that history."""
    roster_yaml, people_csv = roster_files(scenario, week, k, horizon, ahead, ahead_days, cautious)
    atomic_write(folder / "roster.yaml", roster_yaml)
    atomic_write(folder / "people.csv", people_csv)
    roster = load_roster(folder)
    last = week_dates(k)[-1] + timedelta(days=ahead_days if ahead is not None else 0)
    period = Period(week_dates(k)[0], last, roster.config.timezone)
    options.history = published_history(store, roster, period)[0]
    return roster, solve(roster, period, options)


def keep_week(
    roster: Roster, schedule: Schedule, k: int, history: EngineHistory | None
) -> Schedule:
    """The roster of week ``k`` alone, as it is published: a schedule planned with days of the
    next week ahead keeps this week's slots (the days ahead were a guess), its penalties
    recomputed for the week with its history."""
    dates = week_dates(k)
    period = Period(dates[0], dates[-1], roster.config.timezone)
    if schedule.period.end == period.end:
        return schedule
    slots = expand(roster.config, period)
    planned = assignment_of(schedule)
    assignment = {slot.id: planned.get(slot.id, []) for slot in slots}
    # The bound was proven for the longer period, not for the week alone.
    info = schedule.solver.model_copy(update={"bound": None, "status": "FEASIBLE"})
    return build_schedule(
        roster,
        period,
        slots,
        assignment,
        info,
        strict=True,
        generated_at=schedule.generated_at,
        history=history,
    )


def parse_weeks(text: str) -> list[int]:
    """``1-2-3-3`` → [1, 2, 3, 3]."""
    parts = text.split("-")
    if not all(p.isdigit() for p in parts):
        raise click.BadParameter(f"{text!r}: write the week-data numbers as 1-2-3-3")
    return [int(p) for p in parts]


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("dataset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--history", "history_index", type=int, required=True, help="Initial history (H0-…-i)."
)
@click.option("--weeks", required=True, help="Week-data files in order, e.g. 1-2-3-3.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for sol-week<k>.txt and each week's roster folder (roster-week<k>/).",
)
@click.option(
    "--time-limit",
    type=float,
    default=2.0,
    show_default=True,
    help="Per week: wall-clock seconds, or with --repeatable CP-SAT's work units.",
)
@click.option(
    "--repeatable",
    is_flag=True,
    help="The repeatable search: the same weeks, seed and workers give the same rosters.",
)
@click.option("--workers", type=int, default=2, show_default=True, help="CP-SAT workers.")
@click.option("--seed", type=int, default=0, show_default=True, help="CP-SAT random seed.")
@click.option(
    "--look-ahead",
    type=click.IntRange(0, 7),
    default=1,
    show_default=True,
    help="Plan each week with this many days of the next, each needing the most minimum of any "
    "day of this week (else this week's demand on those weekdays), keeping this week only; "
    "0: the week alone.",
)
@param_option("max_time_in_seconds=600")
def main(
    dataset: Path,
    history_index: int,
    weeks: str,
    out: Path,
    time_limit: float,
    repeatable: bool,
    workers: int,
    seed: int,
    look_ahead: int,
    params: tuple[str, ...],
) -> None:
    """Solve an INRC-II instance week by week with the engine and score it.

    Example: python -m benchmarks.inrc2 ../shared/benchmarks/inrc2/n005w4 --history 0
    --weeks 1-2-3-3 --out out/inrc2/n005w4_0_1-2-3-3 --time-limit 5 --workers 2
    """
    numbers = parse_weeks(weeks)

    def report(k: int, run: WeekRun) -> None:
        click.echo(
            f"week {k} (WD {numbers[k]}): {run.status}, engine objective {run.objective}, "
            f"{run.seconds:g} s wall, {run.cpu_seconds:g} s CPU",
            err=True,
        )

    try:
        runs, ev = run_weeks(
            dataset,
            history_index,
            numbers,
            out,
            time_limit=time_limit,
            workers=workers,
            seed=seed,
            look_ahead=look_ahead,
            extra=parse_params(params),
            report=report,
            repeatable=repeatable,
        )
    except RosterError as exc:
        raise click.ClickException(str(exc)) from None
    name = f"{dataset.resolve().name}_{history_index}_{weeks}"
    click.echo(f"{name}: {'feasible' if ev.feasible else 'INFEASIBLE'}")
    for k, (run, cost) in enumerate(zip(runs, ev.weeks, strict=True)):
        hard = f", {len(cost.hard)} hard violations" if cost.hard else ""
        click.echo(
            f"  week {k}: cost {cost.cost} (S1 {cost.optimal_coverage}, S2 {cost.consecutive}, "
            f"S3 {cost.days_off}, S4 {cost.preferences}, S5 {cost.complete_weekends}){hard}, "
            f"{run.seconds:g} s wall, {run.cpu_seconds:g} s CPU"
        )
    click.echo(f"  S6 {ev.total_assignments}, S7 {ev.working_weekends}")
    sample = SAMPLE_TOTALS.get((history_index, tuple(numbers)))
    against = f" (organisers' sample solution: {sample})" if sample and "n005w4" in name else ""
    wall, cpu = sum(r.seconds for r in runs), sum(r.cpu_seconds for r in runs)
    click.echo(f"  total {ev.total}{against}, {wall:.1f} s wall, {cpu:.1f} s CPU")


if __name__ == "__main__":
    main()
