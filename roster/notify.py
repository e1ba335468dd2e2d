"""Whom to tell after a roster changed, with a message each, ready to paste into a chat."""

from __future__ import annotations

from dataclasses import dataclass

from .diff import ScheduleDiff
from .load import Roster


@dataclass(frozen=True)
class Notice:
    """One person to tell: their phone (for the coordinator only) and the message."""

    person: str
    name: str
    phone: str
    message: str


def notices(roster: Roster, diff: ScheduleDiff) -> list[Notice]:
    """A message for everyone whose duties changed, in the roster's language, naming each change
    and whom to call; people no longer in the folder are told by name without a phone."""
    zh = diff.language == "zh"
    coordinator = roster.config.coordinator
    call = ""
    if coordinator is not None:
        phone = ""
        if coordinator.phone:
            # A name may carry its own brackets (马秀英（社区党委书记）): the phone follows a comma.
            phone = f"，电话 {coordinator.phone}" if zh else f", phone {coordinator.phone}"
        call = (
            f"如有困难请联系{coordinator.name}{phone}。"
            if zh
            else f" If this does not work for you, call {coordinator.name}{phone}."
        )
    known = {p.id: p for p in roster.people}
    out = []
    for person in diff.people:
        changes = ("；" if zh else "; ").join(c.text(diff.language) for c in person.changes)
        if zh:
            message = f"{person.name}您好，您的值班有调整：{changes}。{call}"
        else:
            message = f"{person.name}, your duties have changed: {changes}.{call}"
        phone = known[person.person].phone if person.person in known else ""
        out.append(Notice(person.person, person.name, phone or "", message))
    return out
