"""Rule ``no_overlap``: nobody is in two slots that overlap in time."""

from __future__ import annotations

from ..model import Penalty, RosterModel
from .cliques import interval_cliques


def no_overlap(m: RosterModel) -> list[Penalty]:
    """A person is never on two slots that overlap in time. Hard; no penalty.

    Overlap is an interval graph, so the maximal cliques are the sets of slots running at each
    slot's start; one at-most-one per clique propagates far better than one per pair.

    A published duty that runs into the period (a 24-hour turn from Sunday 08:00) keeps its person
    off every slot starting before it ends."""
    for person in m.people:
        shifts = m.of_person(person)
        for past in m.past(person):
            lits = [var for slot, var in shifts if slot.start < past.end]
            if lits:
                guard = m.guard(
                    "no_overlap",
                    f"{person.id} is on {past.slot} (published, {past.source}) until "
                    f"{past.end:%Y-%m-%d %H:%M}",
                )
                m.model.add_bool_and([lit.Not() for lit in lits]).only_enforce_if(guard)
        spans = [(slot.start, slot.end) for slot, _ in shifts]
        for clique in interval_cliques(spans):
            lits = [shifts[i][1] for i in clique]
            m.at_most_one(
                lits,
                "no_overlap",
                f"{person.id} in one of {', '.join(shifts[i][0].id for i in clique)}",
            )
    return []
