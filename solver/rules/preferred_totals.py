"""Rules ``preferred_total_shifts`` and ``preferred_max_weekends``: soft totals over the period."""

from __future__ import annotations

from ortools.sat.python import cp_model

from roster.check import weekend_days

from ..model import Penalty, RosterModel
from .days import worked_days


def preferred_total_shifts(m: RosterModel) -> list[Penalty]:
    """Each person's number of shifts over the period is between ``min`` and ``max`` of
    ``preferred_total_shifts``: each shift short or over costs ``weights.preferred_total_shifts``.
    Soft, unit: shifts."""
    weight = m.roster.config.weights.preferred_total_shifts
    penalties: list[Penalty] = []
    for person in m.people if weight else []:
        bounds = m.rules(person).preferred_total_shifts
        if bounds is None:
            continue
        lits = [var for _, var in m.of_person(person)]
        total = sum(lits)
        days = tuple(m.period.days)
        if bounds.min is not None and bounds.min > 0:
            short = m.model.new_int_var(0, bounds.min, f"preferred_total_shifts({person.id},short)")
            # Exactly max(0, min − total).
            m.model.add_max_equality(short, [0, bounds.min - total])
            penalties.append(Penalty("preferred_total_shifts", short, weight, (person.id,), days))
        if bounds.max is not None and bounds.max < len(lits):
            over = m.model.new_int_var(
                0, len(lits) - bounds.max, f"preferred_total_shifts({person.id},over)"
            )
            m.model.add_max_equality(over, [0, total - bounds.max])
            penalties.append(Penalty("preferred_total_shifts", over, weight, (person.id,), days))
    return penalties


def preferred_max_weekends(m: RosterModel) -> list[Penalty]:
    """Each weekend worked (Saturday or Sunday, as far as it falls in the period) above
    ``preferred_max_weekends`` costs ``weights.preferred_max_weekends``. Soft, unit: weekends."""
    weight = m.roster.config.weights.preferred_max_weekends
    weekends = weekend_days(m.period)
    penalties: list[Penalty] = []
    for person in m.people if weight else []:
        limit = m.rules(person).preferred_max_weekends
        if limit is None or limit >= len(weekends):
            continue
        days = worked_days(m, person)
        flags: list[cp_model.IntVar | int] = []
        for weekend in weekends:
            lits = [d for i in weekend if not isinstance(d := days[i], int)]
            if not lits:
                continue
            flag = m.model.new_bool_var(f"weekend_worked({person.id},{m.period.days[weekend[0]]})")
            m.model.add_max_equality(flag, lits)
            flags.append(flag)
        if len(flags) <= limit:
            continue
        over = m.model.new_int_var(0, len(flags) - limit, f"preferred_max_weekends({person.id})")
        m.model.add_max_equality(over, [0, sum(flags) - limit])
        when = tuple(m.period.days[i] for w in weekends for i in w)
        penalties.append(Penalty("preferred_max_weekends", over, weight, (person.id,), when))
    return penalties
