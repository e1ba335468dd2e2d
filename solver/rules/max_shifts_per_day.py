"""Rule ``max_shifts_per_day``: at most N shifts starting on one date per person."""

from __future__ import annotations

from datetime import date

from ortools.sat.python import cp_model

from ..model import Penalty, RosterModel


def max_shifts_per_day(m: RosterModel) -> list[Penalty]:
    """A person takes at most ``max_shifts_per_day`` shifts that start on the same date. Hard."""
    for person in m.people:
        limit = m.rules(person).max_shifts_per_day
        if limit is None:
            continue
        per_day: dict[date, list[cp_model.IntVar]] = {}
        for slot, var in m.of_person(person):
            per_day.setdefault(slot.day, []).append(var)
        for day, lits in per_day.items():
            if len(lits) <= limit:
                continue
            text = f"{person.id} takes at most {limit} shift(s) on {day}"
            if limit == 1:
                m.at_most_one(lits, "max_shifts_per_day", text)
            else:
                m.model.add(sum(lits) <= limit).only_enforce_if(m.guard("max_shifts_per_day", text))
    return []
