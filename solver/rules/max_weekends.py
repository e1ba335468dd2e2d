"""Rule ``max_weekends``: at most N weekends worked in the period."""

from __future__ import annotations

from ortools.sat.python import cp_model

from roster.check import weekend_days

from ..model import Penalty, RosterModel
from .days import worked_days


def max_weekends(m: RosterModel) -> list[Penalty]:
    """At most ``max_weekends`` weekends worked in the period; a weekend is worked when Saturday or
    Sunday is (each ISO week's Saturday and Sunday, as far as they fall in the period). Hard."""
    weekends = weekend_days(m.period)
    for person in m.people:
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
