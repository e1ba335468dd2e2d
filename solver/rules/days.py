"""Working days: one Boolean per person and date ("has a slot starting that day"), shared by rules.

The sequence rules (consecutive days, days off, weekends) all speak of days, not slots. Each
(person, date) gets one Boolean, made once per model and shared, so the rules constrain the same
literal and CP-SAT sees one clean day-by-day sequence per person.
"""

from __future__ import annotations

import threading
import weakref
from datetime import date

from ortools.sat.python import cp_model

from roster.models import Person

from ..model import RosterModel

#: A day's value: a Boolean, or the constant 0 when the person has no slot that day at all.
Day = cp_model.IntVar | int

_CACHE: dict[int, tuple[weakref.ref[RosterModel], dict[str, list[Day]]]] = {}
#: Models are built in several threads at once (the parts of a district): without it two threads
#: dropped the same stale entry and the second failed with a KeyError.
_CACHE_LOCK = threading.Lock()


def worked_days(m: RosterModel, person: Person) -> list[Day]:
    """For each date of the period, in order: whether ``person`` works that day (has a slot
    starting on it). A date with no slot the person may take is the constant 0."""
    key = id(m)
    with _CACHE_LOCK:
        entry = _CACHE.get(key)
        if entry is None or entry[0]() is not m:
            for stale in [k for k, (ref, _) in _CACHE.items() if ref() is None]:
                del _CACHE[stale]
            entry = (weakref.ref(m), {})
            _CACHE[key] = entry
    days = entry[1]
    if person.id not in days:
        days[person.id] = _make_days(m, person)
    return days[person.id]


def _make_days(m: RosterModel, person: Person) -> list[Day]:
    by_day: dict[date, list[cp_model.IntVar]] = {}
    for slot, var in m.of_person(person):
        by_day.setdefault(slot.day, []).append(var)
    one_a_day = m.rules(person).max_shifts_per_day == 1
    out: list[Day] = []
    for day in m.period.days:
        lits = by_day.get(day, [])
        if not lits:
            out.append(0)
        elif len(lits) == 1:
            out.append(lits[0])
        else:
            worked = m.model.new_bool_var(f"works_on({person.id},{day})")
            if one_a_day and not m.explain:
                # At most one shift a day: the day is exactly the sum, which the LP relaxation sees.
                # (Not in explain mode, where that limit is guarded and may be switched off.)
                m.model.add(worked == sum(lits))
            else:
                m.model.add_bool_or(lits).only_enforce_if(worked)
                for lit in lits:
                    m.model.add_implication(lit, worked)
            out.append(worked)
    return out
