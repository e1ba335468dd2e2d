"""Rule ``max_shifts_per_post``: at most N shifts of a given post per person over the period."""

from __future__ import annotations

from ..model import Penalty, RosterModel


def max_shifts_per_post(m: RosterModel) -> list[Penalty]:
    """A person takes at most ``max_shifts_per_post[post]`` shifts of each listed post over the
    period (0: never that post). Hard."""
    for person in m.people:
        limits = m.rules(person).max_shifts_per_post or {}
        for post, limit in sorted(limits.items()):
            lits = [var for slot, var in m.of_person(person) if slot.post == post]
            if len(lits) <= limit:
                continue
            m.model.add(sum(lits) <= limit).only_enforce_if(
                m.guard("max_shifts_per_post", f"{person.id} takes at most {limit} of {post}")
            )
    return []
