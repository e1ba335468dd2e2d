"""Who may take a slot at all: skills, tags, leave and night limits, with the reason when not."""

from __future__ import annotations

from dataclasses import dataclass

from .load import Roster
from .models import Person
from .slots import Slot


@dataclass(frozen=True)
class Reason:
    """Why a person cannot take a slot: a stable id for counting and a sentence for people."""

    id: str
    text: str


def ineligibility(roster: Roster, person: Person, slot: Slot) -> Reason | None:
    """The first reason ``person`` may not take ``slot``, or None when they may.

    The rules: every skill the post requires (rule ``skills``); at least one of the post's tags when
    it names any (rule ``tags``); not on leave at any moment of the slot (rule ``unavailable``); no
    night shift for people marked ``no_nights`` (rule ``no_nights``).
    """
    post = roster.post(slot.post)
    missing = [s for s in post.skills if s not in person.skills]
    if missing:
        labels = "、".join(roster.config.skills.get(s, s) for s in missing)
        return Reason("skill", f"lacks skill {labels}")
    if post.tags and not any(t in person.tags for t in post.tags):
        labels = "、".join(roster.config.tags.get(t, t) for t in post.tags)
        return Reason("tag", f"is not {labels}")
    for start, end, why in roster.away(person.id):
        if start < slot.end and slot.start < end:
            return Reason("unavailable", f"on leave ({why})" if why else "on leave")
    if slot.night and roster.rules_for(person).no_nights:
        return Reason("no_nights", "does no night shifts")
    return None


def eligible(roster: Roster, person: Person, slot: Slot) -> bool:
    """Whether ``person`` may take ``slot`` at all."""
    return ineligibility(roster, person, slot) is None
