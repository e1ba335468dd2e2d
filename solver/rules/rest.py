"""Rule ``rest``: minimum rest between shifts, and the longer rest after a long shift."""

from __future__ import annotations

from datetime import timedelta

from roster.check import rest_after

from ..model import Penalty, RosterModel
from .cliques import interval_cliques


def rest(m: RosterModel) -> list[Penalty]:
    """Between the end of a shift and the start of the person's next, at least ``min_rest_hours``;
    after a shift of ``long_shift_hours`` or more, ``rest_after_long_shift_hours``. Hard.

    A slot followed by its rest is an interval ``[start, end + rest)``; two slots conflict exactly
    when these stretched intervals share a moment, so the conflicts again form an interval graph
    and one at-most-one per maximal clique states the rule.

    A published duty before the period needs its rest too: no slot starts between its end and the
    end of its rest (slots starting before its end are barred by ``no_overlap``)."""
    for person in m.people:
        rules = m.rules(person)
        shifts = m.of_person(person)
        for past in m.past(person):
            until = past.end + timedelta(minutes=rest_after(rules, past))
            lits = [var for slot, var in shifts if past.end <= slot.start < until]
            if lits:
                guard = m.guard(
                    "rest",
                    f"{person.id} rests after {past.slot} (published, {past.source}) until "
                    f"{until:%Y-%m-%d %H:%M}",
                )
                m.model.add_bool_and([lit.Not() for lit in lits]).only_enforce_if(guard)
        spans = [(s.start, s.end + timedelta(minutes=rest_after(rules, s))) for s, _ in shifts]
        for clique in interval_cliques(spans):
            lits = [shifts[i][1] for i in clique]
            m.at_most_one(
                lits,
                "rest",
                f"{person.id} rests between {', '.join(shifts[i][0].id for i in clique)}",
            )
    return []
