"""Factories for rule tests: a small roster in memory, rosters written as strings, fixed solves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from ortools.sat.python import cp_model

from roster.check import CheckReport, check
from roster.history import History
from roster.load import Roster
from roster.models import RosterConfig
from roster.report import build_schedule
from roster.schedule import Schedule, SolverInfo
from roster.slots import Period, Slot, expand
from solver.solve import SolveOptions, build_model, run

#: A Monday, so day 5 of a period is a Saturday.
MONDAY = date(2024, 1, 1)

#: One-letter names of posts in roster strings: those of ``make_roster``, and ``turn`` (a 24-hour
#: turn) and ``early`` of tests that bring their own posts.
LETTERS = {"D": "day", "N": "night", "T": "turn", "E": "early"}


def make_roster(
    *,
    people: int = 2,
    tags: dict[str, list[str]] | None = None,
    person_rules: dict[str, dict[str, Any]] | None = None,
    **config: Any,
) -> Roster:
    """A roster of people ``p1 … pN`` and two posts, ``day`` (08:00–16:00) and ``night``
    (22:00–06:00), every day, needing nobody (so an empty roster is feasible). Keyword arguments
    are keys of roster.yaml (rules, rules_by_tag, successions, requests, …)."""
    tags = tags or {}
    person_rules = person_rules or {}
    people_list = [
        {
            "id": f"p{i}",
            "name": f"Person {i}",
            "tags": tags.get(f"p{i}", []),
            "rules": person_rules.get(f"p{i}", {}),
        }
        for i in range(1, people + 1)
    ]
    # Nobody needed and nobody extra priced: only the rule under test adds to the objective.
    head = {"min": 0, "target": 0, "max": people, "over_weight": 0}
    data: dict[str, Any] = {
        "name": "test",
        "timezone": "UTC",
        "tags": {t: t for ts in tags.values() for t in ts},
        "posts": [
            {
                "id": "day",
                "name": "Day",
                "shifts": [{"start": "08:00", "hours": 8}],
                "headcount": head,
            },
            {
                "id": "night",
                "name": "Night",
                "shifts": [{"start": "22:00", "hours": 8}],
                "headcount": head,
            },
        ],
        "people": people_list,
        "weights": {"fair_hours": 0},
        **config,
    }
    cfg = RosterConfig.model_validate(data)
    by_person: dict[str, list[Any]] = {}
    for item in cfg.leave:
        by_person.setdefault(item.person, []).append(item)
    return Roster(folder=Path("."), config=cfg, people=list(cfg.people), leave=by_person)


def period(days: int = 14) -> Period:
    """A period of ``days`` days from a Monday, in UTC."""
    return Period(MONDAY, MONDAY + timedelta(days=days - 1), "UTC")


def plan(slots: list[Slot], rows: dict[str, str], first: date = MONDAY) -> dict[str, list[str]]:
    """A roster from strings, one per person: character i is day i (from ``first``); ``.`` off,
    ``D`` the day post, ``N`` the night post. Example: ``{"p1": "DD.N"}``."""
    by_key = {(s.post, s.day): s.id for s in slots}
    out: dict[str, list[str]] = {s.id: [] for s in slots}
    for pid, row in rows.items():
        for i, char in enumerate(row):
            if char == ".":
                continue
            out[by_key[(LETTERS[char], first + timedelta(days=i))]].append(pid)
    return out


def published(
    roster: Roster, rows: dict[str, str], days: int = 7, border: date = MONDAY
) -> Schedule:
    """A published schedule of the ``days`` days just before ``border``, from strings as ``plan``
    reads them (character 0 is the first of those days)."""
    first = border - timedelta(days=days)
    per = Period(first, border - timedelta(days=1), "UTC")
    slots = expand(roster.config, per)
    info = SolverInfo(status="OPTIMAL", objective=0, bound=0, wall_seconds=0, workers=1, seed=0)
    stamp = datetime(2023, 12, 1, tzinfo=UTC)
    return build_schedule(roster, per, slots, plan(slots, rows, first), info, generated_at=stamp)


def past(roster: Roster, rows: dict[str, str], days: int = 7) -> History:
    """The history of the periods from ``MONDAY``: one published schedule of the ``days`` days
    before it, from strings as ``plan`` reads them."""
    return History.from_schedules(roster, [published(roster, rows, days)], period())


@dataclass
class Outcome:
    """A fixed roster judged twice: by the solver (status, objective) and by the checker."""

    status: str
    objective: int | None
    report: CheckReport

    @property
    def feasible(self) -> bool:
        """Whether the solver accepts the roster."""
        return self.status in ("OPTIMAL", "FEASIBLE")

    def rules_broken(self) -> set[str]:
        """The rule ids of the checker's violations."""
        return {v.rule for v in self.report.violations}


def judge(
    roster: Roster,
    rows: dict[str, str] | None,
    days: int = 14,
    history: History | None = None,
    first: date = MONDAY,
) -> Outcome:
    """Fix the roster given as strings (or nothing, when None) and solve; check it as well, both
    with the ``history`` of published duties before the period when one is given. The period
    is ``days`` days from ``first``."""
    per = Period(first, first + timedelta(days=days - 1), "UTC")
    slots = expand(roster.config, per)
    m, _ = build_model(roster, per, slots, strict=False, history=history)
    assignment = plan(slots, rows, first) if rows is not None else None
    if assignment is not None:
        m.fix(assignment)
    solver, status = run(m, SolveOptions(repeatable=True, work_units=10, workers=1, seed=0), 1)
    feasible = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    objective = round(solver.objective_value) if feasible else None
    if assignment is None and feasible:
        assignment = m.extract(solver)
    report = check(roster, per, slots, assignment or {}, history=history)
    return Outcome(solver.status_name(status), objective, report)


def at_most_ones(roster: Roster, days: int = 14) -> int:
    """How many at-most-one constraints the model of ``roster`` over ``days`` days states."""
    per = period(days)
    m, _ = build_model(roster, per, expand(roster.config, per), strict=False)
    proto = m.model.proto
    return sum(proto.constraints[i].has_at_most_one() for i in range(len(proto.constraints)))


def conflict(
    roster: Roster, rows: dict[str, str], days: int = 14, history: History | None = None
) -> list[str]:
    """The hard rule instances CP-SAT names when the roster given as strings breaks them (explain
    mode)."""
    per = period(days)
    slots = expand(roster.config, per)
    m, _ = build_model(roster, per, slots, strict=False, explain=True, history=history)
    m.fix(plan(slots, rows))
    # With an objective CP-SAT names every assumption rather than a core: feasibility only.
    m.model.clear_objective()
    # The guards are assumed as literals (ortools 9.15 rejects bare indices).
    m.model.add_assumptions([m.model.get_bool_var_from_proto_index(i) for i in m.guards])
    # Interleaved search, too, makes CP-SAT name every assumption.
    options = SolveOptions(
        repeatable=True, work_units=10, workers=1, seed=0, extra={"interleave_search": False}
    )
    solver, status = run(m, options, 1)
    assert status == cp_model.INFEASIBLE
    return [m.guards[i].text for i in solver.sufficient_assumptions_for_infeasibility()]
