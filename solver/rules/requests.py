"""Rule ``requests``: people's wishes to take or not take matching shifts, with weights."""

from __future__ import annotations

from roster.check import request_matches

from ..model import Penalty, RosterModel


def requests(m: RosterModel) -> list[Penalty]:
    """A ``prefer`` request costs its weight when the person works none of the matching shifts; an
    ``avoid`` request costs its weight for each matching shift the person works. A shift matches
    when it matches every criterion given (one slot, post, date, weekday, time window). Soft; term
    ``requests``, unit: the request's weight."""
    penalties: list[Penalty] = []
    for index, request in enumerate(m.roster.config.requests):
        if request.weight == 0:
            continue
        person = m.roster.person(request.person)
        matching = [
            (slot, var) for slot, var in m.of_person(person) if request_matches(request, slot)
        ]
        lits = [var for _, var in matching]
        if request.kind == "avoid":
            penalties.extend(
                Penalty("requests", var, request.weight, people=(person.id,), days=(slot.day,))
                for slot, var in matching
            )
            continue
        unmet = m.model.new_bool_var(f"requests(index={index},person={person.id},prefer)")
        # unmet is exactly "none of the matching shifts worked" (constant 1 when none is possible).
        m.model.add_bool_or([*lits, unmet])
        for lit in lits:
            m.model.add_implication(lit, unmet.Not())
        days = tuple(sorted({slot.day for slot, _ in matching}))
        penalties.append(Penalty("requests", unmet, request.weight, people=(person.id,), days=days))
    return penalties
