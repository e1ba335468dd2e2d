"""Who can cover a slot, and whether a swap two people agreed on keeps every rule: solver-free
answers a coordinator gets at once, from the published roster and the folder as it is now."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from . import check as checker
from .check import check
from .eligibility import ineligibilities
from .errors import RosterError
from .explain import FREE, PersonalChecker, ShortageExplainer, reason_phrase, team_violations
from .history import History
from .i18n import _, current
from .load import Roster
from .schedule import Schedule
from .slots import Period, Slot, expand


class CoverError(RosterError):
    """Raised when a cover or swap question names a slot or person the roster does not have, or
    a slot already in the past; the message says which and what to give instead."""


@dataclass(frozen=True)
class Candidate:
    """Someone who can take the slot: the change in total penalty, and the duties of their own
    that would have to go to someone else first (the knock-on changes)."""

    person: str
    name: str
    penalty_change: int
    knock_on: tuple[str, ...] = ()
    #: Why the knock-on is needed, in the report's language (empty without one).
    note: str = ""


@dataclass(frozen=True)
class RuledOut:
    """Someone who cannot take the slot without breaking a hard rule, and which."""

    person: str
    name: str
    rule: str
    reason: str


@dataclass
class CoverReport:
    """The answer to "who can take this slot now?", cheapest first."""

    slot: Slot
    on_slot: list[str]
    #: People on the slot who may no longer take it (leave given since it was published).
    dropped: list[str]
    candidates: list[Candidate] = field(default_factory=list)
    ruled_out: list[RuledOut] = field(default_factory=list)


@dataclass
class SwapReport:
    """A swap checked against every rule: accepted, with the new assignment, or refused with the
    rules it breaks in words."""

    accepted: bool
    assignment: dict[str, list[str]]
    broken: list[checker.Violation]
    penalty_change: int


def _slot(slots: dict[str, Slot], slot_id: str) -> Slot:
    slot = slots.get(slot_id)
    if slot is None:
        near = sorted(s for s in slots if s.split("/")[0] == slot_id.split("/")[0])[:3]
        if near:
            raise CoverError(
                _(
                    "no slot {slot!r} in the period; a slot id reads <post>/<YYYY-MM-DDTHH:MM> "
                    "(e.g. {examples})"
                ).format(slot=slot_id, examples=", ".join(near))
            )
        raise CoverError(
            _("no slot {slot!r} in the period; a slot id reads <post>/<YYYY-MM-DDTHH:MM>").format(
                slot=slot_id
            )
        )
    return slot


def _person(roster: Roster, person_id: str) -> str:
    try:
        return roster.person(person_id).name
    except KeyError:
        raise CoverError(
            _("unknown person {id!r}; give an id from the people file").format(id=person_id)
        ) from None


def current_assignment(
    roster: Roster, slots: list[Slot], schedule: Schedule
) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    """The published assignment with everyone who may no longer take their slot (leave given
    since) taken off it; returns it and the (slot, person) pairs taken off."""
    known = {p.id for p in roster.people}
    by_id = {s.id: s for s in slots}
    out: dict[str, list[str]] = {}
    dropped: list[tuple[str, str]] = []
    for item in schedule.slots:
        slot = by_id.get(item.id)
        keep = []
        for pid in item.assigned:
            if (
                slot is not None
                and pid in known
                and not ineligibilities(roster, roster.person(pid), slot)
            ):
                keep.append(pid)
            else:
                dropped.append((item.id, pid))
        out[item.id] = keep
    return out, dropped


def cover(
    roster: Roster,
    period: Period,
    schedule: Schedule,
    slot_id: str,
    *,
    now: datetime | None = None,
    limit: int | None = None,
    history: History | None = None,
    language: str | None = None,
) -> CoverReport:
    """Who can take ``slot_id`` now without breaking a hard rule, cheapest first (fewest
    knock-on changes, then the smallest change in penalty), and why each other person cannot.
    With ``history`` (the duties published before the period, built for it), rest, runs of days
    and window caps count across the border: someone who worked the last nights of the week
    before is ruled out of a Monday morning they could not rest for.

    The reasons are a report to the coordinator: in ``language``, by default the message
    language of the moment (``roster.i18n.current``)."""
    language = language or current()
    slots = expand(roster.config, period)
    by_id = {s.id: s for s in slots}
    slot = _slot(by_id, slot_id)
    if now is not None and slot.start < now:
        raise CoverError(_started(slot_id))
    assignment, dropped_pairs = current_assignment(roster, slots, schedule)
    base_penalty = check(roster, period, slots, assignment, history=history).penalty
    explainer = ShortageExplainer(roster, period, slots, assignment, history, language=language)
    personal = PersonalChecker(roster, period, history)
    on_slot = assignment.get(slot.id, [])
    report = CoverReport(slot, list(on_slot), [p for s, p in dropped_pairs if s == slot.id])
    for person in roster.people:
        if person.id in on_slot:
            continue
        blocker = explainer.blocker(person, slot)
        if blocker.reason == FREE:
            with_them = {**assignment, slot.id: [*on_slot, person.id]}
            change = check(roster, period, slots, with_them, history=history).penalty
            report.candidates.append(Candidate(person.id, person.name, change - base_penalty))
            continue
        # A rule about the person's own shifts (rest, overlap, days in a row…) may give way when
        # one of their later duties goes to someone else: one knock-on change.
        own = [by_id[s] for s, people in assignment.items() if person.id in people]
        movable = [d for d in own if now is None or d.start >= now]
        freed = _free_by_moving_one(personal, roster, period, person.id, slot, own, movable)
        if freed is not None and not ineligibilities(roster, person, slot):
            with_them = {
                sid: [p for p in people if not (sid == freed.id and p == person.id)]
                for sid, people in assignment.items()
            }
            with_them[slot.id] = [*on_slot, person.id]
            found = team_violations(roster, period, slot, [*on_slot, person.id])
            if not found:
                change = (
                    check(roster, period, slots, with_them, history=history).penalty - base_penalty
                )
                note = reason_phrase(roster, person, slot, blocker.reason, blocker.detail, language)
                report.candidates.append(
                    Candidate(person.id, person.name, change, (freed.id,), note)
                )
                continue
        report.ruled_out.append(RuledOut(person.id, person.name, blocker.reason, blocker.phrase))
    report.candidates.sort(key=lambda c: (len(c.knock_on), c.penalty_change, c.person))
    if limit is not None:
        report.candidates = report.candidates[:limit]
    return report


def _started(slot_id: str) -> str:
    return _("{slot} started before --now; the past is not changed").format(slot=slot_id)


def _free_by_moving_one(
    personal: PersonalChecker,
    roster: Roster,
    period: Period,
    pid: str,
    slot: Slot,
    own: list[Slot],
    movable: list[Slot],
) -> Slot | None:
    """The first of ``movable`` whose handing on lets ``pid`` take ``slot`` with no rule of
    their own newly broken, or None."""
    for duty in movable:
        rest = [s for s in own if s.id != duty.id]
        before = Counter(v.rule for v in personal.violations(pid, rest))
        after = Counter(v.rule for v in personal.violations(pid, [*rest, slot]))
        if all(after[rule] <= before[rule] for rule in after):
            return duty
    return None


def swap(
    roster: Roster,
    period: Period,
    schedule: Schedule,
    person_a: str,
    person_b: str,
    slot_a: str,
    slot_b: str | None = None,
    *,
    now: datetime | None = None,
    history: History | None = None,
) -> SwapReport:
    """Check a swap two people agreed on: ``person_b`` takes ``slot_a`` from ``person_a`` and, when
    ``slot_b`` is given, ``person_a`` takes ``slot_b`` from ``person_b``. Accepted when the roster
    after it breaks no hard rule that it did not break before; refused naming the rules. With
    ``history`` (the duties published before the period, built for it), the rules count across
    the border: a swap that leaves too little rest after last week's night shift, or makes a run
    of days that started last week too long, is refused, the violation naming the published
    week."""
    slots = expand(roster.config, period)
    by_id = {s.id: s for s in slots}
    _person(roster, person_a)
    _person(roster, person_b)
    for sid in (slot_a, slot_b):
        if sid is None:
            continue
        slot = _slot(by_id, sid)
        if now is not None and slot.start < now:
            raise CoverError(_started(sid))
    assignment = {s.id: list(s.assigned) for s in schedule.slots}
    if person_a not in assignment.get(slot_a, []):
        raise CoverError(_not_on(person_a, slot_a))
    if person_b in assignment.get(slot_a, []):
        raise CoverError(_already_on(person_b, slot_a))
    after = {sid: list(people) for sid, people in assignment.items()}
    after[slot_a] = [person_b if p == person_a else p for p in after[slot_a]]
    if slot_b is not None:
        if person_b not in assignment.get(slot_b, []):
            raise CoverError(_not_on(person_b, slot_b))
        if person_a in assignment.get(slot_b, []):
            raise CoverError(_already_on(person_a, slot_b))
        after[slot_b] = [person_a if p == person_b else p for p in after[slot_b]]
    before_report = check(roster, period, slots, assignment, history=history)
    after_report = check(roster, period, slots, after, history=history)
    old = Counter(v.text for v in before_report.violations)
    broken = []
    for violation in after_report.violations:
        if old[violation.text] > 0:
            old[violation.text] -= 1
        else:
            broken.append(violation)
    return SwapReport(
        accepted=not broken,
        assignment=after,
        broken=broken,
        penalty_change=after_report.penalty - before_report.penalty,
    )


def _not_on(person: str, slot: str) -> str:
    return _("{person} is not on {slot} in the published roster").format(person=person, slot=slot)


def _already_on(person: str, slot: str) -> str:
    return _("{person} is already on {slot}").format(person=person, slot=slot)
