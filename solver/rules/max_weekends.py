"""Rule ``max_weekends``: at most N weekends worked in the period."""

from __future__ import annotations

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
        for weekend in weekends:
            lits = [days[i] for i in weekend if not isinstance(days[i], int)]
            if not lits:
                continue
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
            m.model.add(sum(flags) <= limit).only_enforce_if(
                m.guard("max_weekends", f"{person.id} works at most {limit} weekends")
            )
    return []
