"""Rule ``hours``: hours per ISO week, over the period and over the rolling window."""

from __future__ import annotations

from ortools.sat.python import cp_model

from roster.history import iso_week, rolling_windows, week_label

from ..model import Penalty, RosterModel
from .history import window_weeks


def hours(m: RosterModel) -> list[Penalty]:
    """Hours count on the date a shift starts. At most ``max_hours_per_week`` in each ISO week (a
    week the period starts in the middle of counts its published days too); at least
    ``min_hours_per_week`` in each ISO week wholly inside the period; between ``min_hours`` and
    ``max_hours`` over the period (the planned one alone); at most ``max_hours_per_window`` in each
    rolling window of ``window_weeks`` ISO weeks, the published weeks of the history included.
    Hard; no penalty.

    A cap the published duties alone already exceed leaves the person no more hours in that week
    or window (it is not made infeasible: the past cannot be changed)."""
    weeks = m.period.weeks()
    full = m.period.full_weeks()
    for person in m.people:
        rules = m.rules(person)
        shifts = m.of_person(person)
        by_week: dict[tuple[int, int], list[tuple[int, cp_model.IntVar]]] = {k: [] for k in weeks}
        for slot, var in shifts:
            iso = slot.day.isocalendar()
            by_week.setdefault((iso.year, iso.week), []).append((slot.minutes, var))
        past: dict[tuple[int, int], int] = {}
        for duty in m.past(person):
            past[iso_week(duty.day)] = past.get(iso_week(duty.day), 0) + duty.minutes
        for (year, week), terms in by_week.items():
            minutes = sum(mins * var for mins, var in terms)
            possible = sum(mins for mins, _ in terms)
            tag = f"{year}-W{week:02d}"
            if rules.max_hours_per_week is not None:
                cap = round(rules.max_hours_per_week * 60) - past.get((year, week), 0)
                if possible > cap:
                    m.model.add(minutes <= max(0, cap)).only_enforce_if(
                        m.guard(
                            "hours",
                            f"{person.id} works at most {rules.max_hours_per_week:g} h in {tag}",
                        )
                    )
            if (year, week) in full and rules.min_hours_per_week:
                floor = round(rules.min_hours_per_week * 60)
                m.model.add(minutes >= floor).only_enforce_if(
                    m.guard(
                        "hours",
                        f"{person.id} works at least {rules.min_hours_per_week:g} h in {tag}",
                    )
                )
        total = sum(slot.minutes * var for slot, var in shifts)
        if rules.max_hours is not None:
            cap = round(rules.max_hours * 60)
            if sum(slot.minutes for slot, _ in shifts) > cap:
                m.model.add(total <= cap).only_enforce_if(
                    m.guard(
                        "hours", f"{person.id} works at most {rules.max_hours:g} h in the period"
                    )
                )
        if rules.min_hours:
            m.model.add(total >= round(rules.min_hours * 60)).only_enforce_if(
                m.guard("hours", f"{person.id} works at least {rules.min_hours:g} h in the period")
            )
        if rules.max_hours_per_window is not None:
            limit = rules.max_hours_per_window
            for window in rolling_windows(m.period, window_weeks(m)):
                terms = [t for w in window for t in by_week.get(w, [])]
                before = sum(past.get(w, 0) for w in window)
                cap = round(limit * 60) - before
                if sum(mins for mins, _ in terms) <= cap:
                    continue
                published = f", {before / 60:g} h published" if before else ""
                m.model.add(sum(mins * var for mins, var in terms) <= max(0, cap)).only_enforce_if(
                    m.guard(
                        "hours",
                        f"{person.id} works at most {limit:g} h in "
                        f"{week_label(window[0])} … {week_label(window[-1])}{published}",
                    )
                )
    return []
