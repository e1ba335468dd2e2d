"""Rules ``min_consecutive_days`` and ``min_consecutive_days_off``: no runs that are too short."""

from __future__ import annotations

from datetime import date

from ortools.sat.python import cp_model

from ..model import Penalty, RosterModel
from .days import Day, worked_days
from .history import past_days


def min_consecutive_days(m: RosterModel) -> list[Penalty]:
    """Every run of working days with a day off just before and just after it, inside the period,
    is at least ``min_consecutive_days`` long. Runs touching either end of the period are exempt.
    Hard.

    Stated as forbidden patterns: for each short length j < limit and each place, the clause "not
    (off, j days worked, off)". These clauses propagate as soon as a run is pinned down. With a
    history the published days before the period come first, as constants: a run that started
    there, or a day off there just before the period, is checked as one inside it."""
    for person in m.people:
        limit = m.rules(person).min_consecutive_days
        if limit is not None and limit > 1:
            before, dates = past_days(m, person, limit)
            days = [*before, *worked_days(m, person)]
            _forbid_short_runs(m, person.id, days, limit, worked=True, dates=dates)
    return []


def min_consecutive_days_off(m: RosterModel) -> list[Penalty]:
    """Every run of days off with a working day just before and just after it, inside the period,
    is at least ``min_consecutive_days_off`` long. Runs touching either end of the period are
    exempt. Hard; stated, like ``min_consecutive_days``, as forbidden patterns, and likewise
    continued from the published days before the period."""
    for person in m.people:
        limit = m.rules(person).min_consecutive_days_off
        if limit is not None and limit > 1:
            before, dates = past_days(m, person, limit)
            days = [*before, *worked_days(m, person)]
            _forbid_short_runs(m, person.id, days, limit, worked=False, dates=dates)
    return []


def _forbid_short_runs(
    m: RosterModel,
    pid: str,
    days: list[Day],
    limit: int,
    *,
    worked: bool,
    dates: list[date] | None = None,
) -> None:
    """Forbid every pattern ``other, value × j, other`` with 1 ≤ j < limit, where value is worked
    (True) or off (False) and other is its opposite. ``days`` may begin with published days (the
    constants of ``dates``, the dates before the period); patterns wholly among them are left."""
    published = len(dates or [])
    dates = [*(dates or []), *m.period.days]
    rule = "min_consecutive_days" if worked else "min_consecutive_days_off"
    what = "working days" if worked else "days off"
    for j in range(1, limit):
        for before in range(len(dates) - j - 1):
            after = before + j + 1
            if after < published:
                continue  # wholly published
            clause: list[cp_model.LiteralT] = []
            satisfied = False
            # The clause says: the day before is not "other", or some inner day is not "value",
            # or the day after is not "other".
            inner = [(i, not worked) for i in range(before + 1, after)]
            for index, want in [(before, worked), *inner, (after, worked)]:
                day = days[index]
                # The literal "day is worked" when want is True, "day is off" when False.
                if isinstance(day, int):
                    if bool(day) == want:
                        satisfied = True
                        break
                    continue
                clause.append(day if want else day.Not())
            if satisfied:
                continue
            if not clause:
                continue  # every day is fixed; nothing a solver can change (the checker reports)
            guard = m.guard(
                rule,
                f"{pid} has no run of {j} {what} from {dates[before + 1]} to {dates[after - 1]} "
                f"(at least {limit})",
            )
            m.model.add_bool_or(clause).only_enforce_if(guard)
