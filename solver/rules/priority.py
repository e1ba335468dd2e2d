"""Rule ``priority``: when people are short, posts of a higher priority are filled first."""

from __future__ import annotations

from roster.shortfall import place_weights

from ..model import Penalty, RosterModel


def priority(m: RosterModel) -> list[Penalty]:
    """When there are not enough people for every post, the posts of a higher ``priority`` (the
    gate before the broadcast) are filled first: a person missing on a higher priority post costs
    more than every place of the lower priority posts missing at once, so one missing gate worker
    is never traded for any number of missing broadcasters. A missing place is a person below a
    slot's minimum or below a team quota's minimum. Soft; with ``--strict`` no place may be
    missing, and the rule adds nothing. Penalty unit: missing places.

    Posts of the lowest priority cost only the shortage term (``weights.shortage`` a place), as
    every post does when no priority is set; this rule adds, on each post of a higher priority,
    what its places cost beyond that (``roster.shortfall.place_weights``). The missing places are
    counted again here, by variables of their own, so that ``headcount`` and ``quotas`` stay as
    they are."""
    if m.strict:
        return []
    config = m.roster.config
    weights = place_weights(config, m.slots)
    base = config.weights.shortage
    penalties: list[Penalty] = []
    for slot in m.slots:
        post = m.roster.post(slot.post)
        extra = weights[post.priority] - base
        if extra <= 0:
            continue
        on = m.on_slot(slot)
        people, days = tuple(p.id for p, _ in on), (slot.day,)
        if slot.min > 0:
            short = m.model.new_int_var(0, slot.min, f"priority({slot.id})")
            m.model.add(sum(var for _, var in on) + short >= slot.min)
            penalties.append(Penalty("priority", short, extra, people, days))
        for quota in post.quotas:
            if quota.min <= 0:
                continue
            tagged = [var for person, var in on if quota.tag in person.tags]
            missing = m.model.new_int_var(0, quota.min, f"priority({slot.id},{quota.tag})")
            m.model.add(sum(tagged) + missing >= quota.min)
            penalties.append(Penalty("priority", missing, extra, people, days))
    return penalties
