"""Whom to tell after a roster changed, with a message each, ready to paste into a chat."""

from __future__ import annotations

from dataclasses import dataclass

from .diff import ScheduleDiff
from .i18n import pgettext_in, translator
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
    and whom to call; people no longer in the folder are told by name without a phone.

    The messages are the roster's words (they are sent to the people on duty), so they are in
    the diff's language, the roster's, whatever language the command's own report is in."""
    language = diff.language
    t = translator(language)
    coordinator = roster.config.coordinator
    call = ""
    if coordinator is not None:
        # A name may carry its own brackets (马秀英（社区党委书记）): the phone follows a comma.
        if coordinator.phone:
            call = t(" If this does not work for you, call {name}, phone {phone}.")
        else:
            call = t(" If this does not work for you, call {name}.")
        call = call.format(name=coordinator.name, phone=coordinator.phone)
    known = {p.id: p for p in roster.people}
    out = []
    for person in diff.people:
        changes = pgettext_in(language, "diff", "; ").join(c.text(language) for c in person.changes)
        message = t("{name}, your duties have changed: {changes}.").format(
            name=person.name, changes=changes
        )
        message += call
        phone = known[person.person].phone if person.person in known else ""
        out.append(Notice(person.person, person.name, phone or "", message))
    return out
