"""Rule ``hours``: hours per ISO week and over the period, within each person's limits."""

from __future__ import annotations

from ortools.sat.python import cp_model

from ..model import Penalty, RosterModel


def hours(m: RosterModel) -> list[Penalty]:
    """Hours count on the date a shift starts. At most ``max_hours_per_week`` in each ISO week;
    at least ``min_hours_per_week`` in each ISO week wholly inside the period; between ``min_hours``
    and ``max_hours`` over the period. Hard; no penalty."""
    weeks = m.period.weeks()
    full = m.period.full_weeks()
    for person in m.people:
        rules = m.rules(person)
        shifts = m.of_person(person)
        by_week: dict[tuple[int, int], list[tuple[int, cp_model.IntVar]]] = {k: [] for k in weeks}
        for slot, var in shifts:
            iso = slot.day.isocalendar()
            by_week.setdefault((iso.year, iso.week), []).append((slot.minutes, var))
        for (year, week), terms in by_week.items():
            minutes = sum(mins * var for mins, var in terms)
            possible = sum(mins for mins, _ in terms)
            tag = f"{year}-W{week:02d}"
            if rules.max_hours_per_week is not None:
                cap = round(rules.max_hours_per_week * 60)
                if possible > cap:
                    m.model.add(minutes <= cap).only_enforce_if(
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
    return []
