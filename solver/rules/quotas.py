"""Rule ``quotas``: at least / at most N people with a tag on every shift of a post."""

from __future__ import annotations

from ..model import Penalty, RosterModel


def quotas(m: RosterModel) -> list[Penalty]:
    """On every slot of a post with quotas, at most ``max`` people with the tag (hard), and at least
    ``min`` (hard with ``--strict``; otherwise each missing person costs ``weights.shortage``, as a
    shortage does). Penalty unit: people."""
    penalties: list[Penalty] = []
    weight = m.roster.config.weights.shortage
    for slot in m.slots:
        post = m.roster.post(slot.post)
        for quota in post.quotas:
            tagged = [var for person, var in m.on_slot(slot) if quota.tag in person.tags]
            count = sum(tagged)
            if quota.max is not None and len(tagged) > quota.max:
                m.model.add(count <= quota.max).only_enforce_if(
                    m.guard("quotas", f"{slot.id} takes at most {quota.max} {quota.tag}")
                )
            if quota.min <= 0:
                continue
            if m.strict:
                m.model.add(count >= quota.min).only_enforce_if(
                    m.guard("quotas", f"{slot.id} needs at least {quota.min} {quota.tag}")
                )
            else:
                missing = m.model.new_int_var(0, quota.min, f"quota({slot.id},{quota.tag})")
                m.model.add(count + missing >= quota.min)
                penalties.append(
                    Penalty(
                        "quota",
                        missing,
                        weight,
                        people=tuple(p.id for p, _ in m.on_slot(slot) if quota.tag in p.tags),
                        days=(slot.day,),
                    )
                )
    return penalties
