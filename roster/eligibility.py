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


def pinned(roster: Roster, slots: list[Slot]) -> list[tuple[int, Person, Slot | None]]:
    """The pins of the roster whose slot falls in the planning period, with their index in
    ``pins:``; the slot is None when the pin names a time at which its post has no shift."""
    by_id = {s.id: s for s in slots}
    days = {s.day for s in slots}
    out: list[tuple[int, Person, Slot | None]] = []
    for index, pin in enumerate(roster.config.pins):
        person = roster.person(pin.person)
        slot = by_id.get(pin.slot)
        if slot is None:
            stamp = pin.slot.partition("/")[2]
            if not any(stamp.startswith(d.isoformat()) for d in days):
                continue  # a pin for another week
        out.append((index, person, slot))
    return out


def fairness_pools(roster: Roster, slots: list[Slot]) -> list[list[Person]]:
    """Groups of people whose load is compared for fairness: people who may take the same posts
    (by skills and tags), leaving out anyone on leave during the period, whose lighter load is
    expected. Only groups of two or more."""
    if not slots:
        return []
    start, end = min(s.start for s in slots), max(s.end for s in slots)
    groups: dict[frozenset[str], list[Person]] = {}
    for person in roster.people:
        if any(a < end and start < b for a, b, _ in roster.away(person.id)):
            continue
        posts = frozenset(
            post.id
            for post in roster.config.posts
            if all(s in person.skills for s in post.skills)
            and (not post.tags or any(t in person.tags for t in post.tags))
        )
        if posts:
            groups.setdefault(posts, []).append(person)
    return [group for group in groups.values() if len(group) >= 2]
