"""Rule ``complete_weekends``: a weekend is worked on both days or on neither."""

from __future__ import annotations

from datetime import timedelta

from roster.check import weekend_days

from ..model import Penalty, RosterModel
from .days import worked_days


def complete_weekends(m: RosterModel) -> list[Penalty]:
    """For people with ``complete_weekends``: each weekend (a Saturday and the Sunday after it,
    both inside the period) worked on exactly one of its two days costs
    ``weights.complete_weekends``. With a history, a period starting on a Sunday completes the
    weekend whose Saturday is published. Soft, unit: weekends."""
    weight = m.roster.config.weights.complete_weekends
    weekends = [w for w in weekend_days(m.period) if len(w) == 2]
    penalties: list[Penalty] = []
    for person in m.people if weight else []:
        if not m.rules(person).complete_weekends:
            continue
        days = worked_days(m, person)
        saturday = m.period.first - timedelta(days=1)
        if m.history is not None and saturday.weekday() == 5 and saturday in m.history.covered:
            # The published Saturday is a constant: the weekend is half worked exactly when
            # Sunday differs from it.
            worked = bool(m.history.worked_before(person.id, 1)[0])
            sunday = days[0]
            if not isinstance(sunday, int):
                var = m.model.new_bool_var(f"complete_weekends({person.id},{saturday})")
                m.model.add(var == (1 - sunday if worked else sunday))
                first = (m.period.first,)
                penalties.append(Penalty("complete_weekends", var, weight, (person.id,), first))
        for sat, sun in weekends:
            a, b = days[sat], days[sun]
            if isinstance(a, int) and isinstance(b, int):
                continue  # nothing a solver can change (the checker reports)
            half = m.model.new_bool_var(f"complete_weekends({person.id},{m.period.days[sat]})")
            # half is exactly "a xor b".
            m.model.add(half >= a - b)
            m.model.add(half >= b - a)
            m.model.add(half <= a + b)
            m.model.add(half <= 2 - a - b)
            when = (m.period.days[sat], m.period.days[sun])
            penalties.append(Penalty("complete_weekends", half, weight, (person.id,), when))
    return penalties
