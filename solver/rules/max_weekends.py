"""Rule ``max_weekends``: at most N weekends worked in the period."""

from __future__ import annotations

from ortools.sat.python import cp_model

from roster.check import weekend_days
from roster.history import iso_week, rolling_windows, week_label
from roster.models import Person

from ..model import Penalty, RosterModel
from .days import worked_days
from .history import window_weeks


def max_weekends(m: RosterModel) -> list[Penalty]:
    """At most ``max_weekends`` weekends worked in the period (the planned one alone); a weekend is
    worked when Saturday or Sunday is (each ISO week's Saturday and Sunday, as far as they fall in
    the period). At most ``max_weekends_per_window`` in each rolling window of ``window_weeks`` ISO
    weeks, the weekends worked in published weeks included (``max_weekends_per_window``). Hard."""
    weekends = weekend_days(m.period)
    for person in m.people:
        if m.rules(person).max_weekends_per_window is not None:
            _per_window(m, person, weekends)
        limit = m.rules(person).max_weekends
        if limit is None or limit >= len(weekends):
            continue
        days = worked_days(m, person)
        flags = []
        sizes: list[int] = []
        weekend_lits: list[cp_model.IntVar] = []
        for weekend in weekends:
            lits = [d for i in weekend if not isinstance(d := days[i], int)]
            if not lits:
                continue
            sizes.append(len(lits))
            weekend_lits.extend(lits)
            if len(lits) == 1:
                flags.append(lits[0])
                continue
            first = m.period.days[weekend[0]]
            flag = m.model.new_bool_var(f"works_weekend({person.id},{first})")
            # flag is exactly "Saturday or Sunday worked".
            m.model.add_bool_or(lits).only_enforce_if(flag)
            for lit in lits:
                m.model.add_implication(lit, flag)
            flags.append(flag)
        if len(flags) > limit:
            guard = m.guard("max_weekends", f"{person.id} works at most {limit} weekends")
            m.model.add(sum(flags) <= limit).only_enforce_if(guard)
            # Implied, and redundant for the search, but CP-SAT's LP relaxation keeps it while it
            # drops the implications that tie days to weekend flags: at most the days of the
            # ``limit`` longest weekends are worked on weekends. Without it the LP sees no weekend
            # limit at all, and on rosters where weekend demand exceeds what the limits allow
            # (Curtois & Qu 10: 206 weekend shifts needed, 160 possible) its bound stays near 0.
            most = sum(sorted(sizes, reverse=True)[:limit])
            m.model.add(sum(weekend_lits) <= most).only_enforce_if(guard)
    return []


def _per_window(m: RosterModel, person: Person, weekends: list[list[int]]) -> None:
    """``max_weekends_per_window`` for one person: in each rolling window, the weekends worked in
    published weeks plus the period's weekends worked (a week both published and planned, when
    the period starts mid-week, counted once) at most the cap; published weekends alone over it
    leave the person no weekend in that window."""
    cap = m.rules(person).max_weekends_per_window
    assert cap is not None
    days = worked_days(m, person)
    past = {iso_week(d.day) for d in m.past(person) if d.weekend}
    flags: dict[tuple[int, int], cp_model.IntVar] = {}
    for weekend in weekends:
        week = iso_week(m.period.days[weekend[0]])
        lits = [d for i in weekend if not isinstance(d := days[i], int)]
        if not lits or week in past:
            continue
        if len(lits) == 1:
            flags[week] = lits[0]
            continue
        flag = m.model.new_bool_var(f"works_weekend_window({person.id},{week_label(week)})")
        m.model.add_bool_or(lits).only_enforce_if(flag)
        for lit in lits:
            m.model.add_implication(lit, flag)
        flags[week] = flag
    for window in rolling_windows(m.period, window_weeks(m)):
        mine = [flags[w] for w in window if w in flags]
        before = sum(1 for w in window if w in past)
        if len(mine) <= cap - before:
            continue
        published = f", {before} published" if before else ""
        m.model.add(sum(mine) <= max(0, cap - before)).only_enforce_if(
            m.guard(
                "max_weekends",
                f"{person.id} works at most {cap} weekends in "
                f"{week_label(window[0])} … {week_label(window[-1])}{published}",
            )
        )
