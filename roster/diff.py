"""What changed between two schedules of one period: per person, in words for a chat group, and
per shift, counted in the one unit every command reports a change in (``change_count``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import zip_longest
from typing import Any, Literal

from .errors import ScheduleFileError
from .i18n import MONTHS, NP_, WEEKDAYS, _, pgettext_in
from .load import Roster
from .schedule import Schedule, SlotOut
from .slots import expand, period_label
from .verify import schedule_period

Kind = Literal["added", "removed", "moved"]

#: The words of a diff, by key: msgids in the context "diff". A diff is the roster's words (it is
#: pasted into the community's chat group), so it is in the roster's language whoever runs the
#: command (docs/i18n.md).
_WORDS = {
    "sep": NP_("diff", ": "),
    "join": NP_("diff", "; "),
    "removed": NP_("diff", "{before} → cancelled"),
    "added": NP_("diff", "new: {after}"),
    # A place someone else took, or took from someone: the chat group sees the shift is not
    # cancelled but handed on.
    "removed_to": NP_("diff", "{before} → {other} takes it"),
    "added_from": NP_("diff", "new: {after}, instead of {other}"),
    "moved": NP_("diff", "{before} → {after}"),
    "header": NP_("diff", "{roster} {period} {old} → {new}: {changes}"),
    # A day as a duty names it: Thu 6 Feb, 2月6日 (the weekday left out in Chinese).
    "day": NP_("diff", "{weekday} {day} {month}"),
}


#: How much changed, in the words repair, publish, history and diff share (context "changes"): a
#: place on a shift whose person changed, or that was newly filled or emptied, is one shift changed;
#: everyone who left or took one is a person affected.
_COUNTS = {
    "none": NP_("changes", "no shift changed"),
    "shift": NP_("changes", "{count} shift changed"),
    "shifts": NP_("changes", "{count} shifts changed"),
    "person": NP_("changes", "{count} person affected"),
    "people": NP_("changes", "{count} people affected"),
    "both": NP_("changes", "{shifts}, {people}"),
}


def _word(language: str, key: str) -> str:
    return pgettext_in(language, *_WORDS[key])


def change_count(language: str, shifts: int, people: int) -> str:
    """How much a new version changed, as every command says it: ``2 shifts changed, 3 people
    affected`` / ``改动 2 个班次，涉及 3 人`` (``no shift changed`` when nothing did)."""
    if shifts == 0:
        return pgettext_in(language, *_COUNTS["none"])
    counted = pgettext_in(language, *_COUNTS["shift" if shifts == 1 else "shifts"])
    affected = pgettext_in(language, *_COUNTS["person" if people == 1 else "people"])
    return pgettext_in(language, *_COUNTS["both"]).format(
        shifts=counted.format(count=shifts), people=affected.format(count=people)
    )


def day_words(language: str, day: date) -> str:
    """A day as a diff and its notices name it: ``2月6日`` / ``Thu 6 Feb``."""
    return _word(language, "day").format(
        weekday=pgettext_in(language, *WEEKDAYS[day.weekday()]),
        day=day.day,
        month=pgettext_in(language, *MONTHS[day.month - 1]),
    )


@dataclass(frozen=True)
class Duty:
    """One duty of one person: a slot, with the names people know it by."""

    slot: str
    post: str
    post_name: str
    shift: str
    start: datetime
    end: datetime

    def text(self, language: str) -> str:
        """The duty as people say it: ``2月6日 早班 体温检测岗`` / ``Thu 6 Feb 06:00–10:00 Gate``.
        The shift's name when it has one, else its hours; a shift named as its post (the 24-hour
        turn ``24小时值班``) is named once."""
        day = self.start.date()
        when = day_words(language, day)
        if self.shift == self.post_name:
            return f"{when} {self.post_name}"
        days = (self.end.date() - day).days
        hours = f"{self.start:%H:%M}–{self.end:%H:%M}" + (f" (+{days})" if days else "")
        return f"{when} {self.shift or hours} {self.post_name}"

    def to_dict(self) -> dict[str, Any]:
        """The duty for JSON."""
        return {
            "slot": self.slot,
            "post": self.post,
            "post_name": self.post_name,
            "shift": self.shift,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


@dataclass(frozen=True)
class Change:
    """A duty a person gained (``after`` only), lost (``before`` only) or that moved (both).
    ``other`` is who took the place a person lost, or whose place they gained (an id; None when
    the place was emptied or newly filled, and for a move); ``other_name`` is how it is said."""

    kind: Kind
    before: Duty | None
    after: Duty | None
    other: str | None = None
    other_name: str = ""

    @property
    def when(self) -> datetime:
        """The earliest moment the change touches: what sorts a person's changes."""
        times = [d.start for d in (self.before, self.after) if d is not None]
        return min(times)

    def text(self, language: str) -> str:
        """The change in words, without the person's name."""
        before = self.before.text(language) if self.before else ""
        after = self.after.text(language) if self.after else ""
        key = {"removed": "removed_to", "added": "added_from"}.get(self.kind, self.kind)
        words = _word(language, key if self.other else self.kind)
        return words.format(before=before, after=after, other=self.other_name)

    def to_dict(self) -> dict[str, Any]:
        """The change for JSON."""
        return {
            "kind": self.kind,
            "before": self.before.to_dict() if self.before else None,
            "after": self.after.to_dict() if self.after else None,
            "other": self.other,
        }


@dataclass(frozen=True)
class PersonChanges:
    """Every change of one person's duties, in time order."""

    person: str
    name: str
    changes: tuple[Change, ...]

    def text(self, language: str) -> str:
        """One line for the chat group: ``张海燕：2月6日 早班 体温检测岗 → 取消``."""
        changes = _word(language, "join").join(c.text(language) for c in self.changes)
        return self.name + _word(language, "sep") + changes


@dataclass(frozen=True)
class ShiftChange:
    """One place on a shift whose person changed: who left it and who took it. A place newly
    filled has nobody who left it; a place emptied has nobody who took it."""

    duty: Duty
    left: str | None
    took: str | None

    def to_dict(self) -> dict[str, Any]:
        """The change for JSON: the shift, and the ids of who left and who took it (or null)."""
        return self.duty.to_dict() | {"left": self.left, "took": self.took}


@dataclass(frozen=True)
class ScheduleDiff:
    """The changes between two schedules of one period, per person (people in the roster's order;
    people whose duties did not change are left out)."""

    roster: str
    language: str
    period_start: datetime
    period_end: datetime
    people: tuple[PersonChanges, ...]
    #: The same changes per place on a shift, in the new schedule's order of slots.
    shifts: tuple[ShiftChange, ...] = ()

    @property
    def period(self) -> str:
        """The period's name, e.g. 2020-W06."""
        return period_label(self.period_start, self.period_end)

    @property
    def assignments_changed(self) -> int:
        """How many (person, slot) assignments differ: a moved duty counts twice (one slot lost,
        one gained), as a solver counts changed assignments."""
        return sum(
            (c.before is not None) + (c.after is not None) for p in self.people for c in p.changes
        )

    @property
    def shifts_changed(self) -> int:
        """How many places on shifts changed: a place whose person changed counts once (not as
        one lost and one gained duty), a place newly filled or emptied once too."""
        return len(self.shifts)

    @property
    def people_affected(self) -> int:
        """How many people left or took a place: everyone whose duties changed."""
        return len(self.people)

    def count(self, language: str) -> str:
        """How much changed, in ``language``: ``改动 2 个班次，涉及 3 人``."""
        return change_count(language, self.shifts_changed, self.people_affected)

    def render(self, old: str, new: str) -> str:
        """The whole diff as text to paste: a header naming the two sides (``old``, ``new``,
        e.g. 第1版 and 第2版) and how much changed, then one line per person."""
        header = _word(self.language, "header").format(
            roster=self.roster,
            period=self.period,
            old=old,
            new=new,
            changes=self.count(self.language),
        )
        lines = [header]
        lines.extend(p.text(self.language) for p in self.people)
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        """The diff for JSON: every person's changes, each with its line of text."""
        return {
            "roster": self.roster,
            "period": {
                "start": self.period_start.isoformat(),
                "end": self.period_end.isoformat(),
                "label": self.period,
            },
            "assignments_changed": self.assignments_changed,
            "shifts_changed": self.shifts_changed,
            "people_affected": self.people_affected,
            "shifts": [c.to_dict() for c in self.shifts],
            "people": [
                {
                    "id": p.person,
                    "name": p.name,
                    "changes": [c.to_dict() for c in p.changes],
                    "text": p.text(self.language),
                }
                for p in self.people
            ],
        }


def shift_names(roster: Roster, schedule: Schedule) -> dict[str, str]:
    """Slot id → the name of its shift (早班, night…) from the roster folder's patterns."""
    period = schedule_period(schedule, roster.config.timezone)
    return {s.id: s.name for s in expand(roster.config, period) if s.name}


def _duties(schedule: Schedule, shifts: dict[str, str]) -> dict[str, dict[str, Duty]]:
    posts = {p.id: p.name for p in schedule.posts}
    out: dict[str, dict[str, Duty]] = {}
    for slot in schedule.slots:
        duty = _duty(slot, posts, shifts)
        for pid in slot.assigned:
            out.setdefault(pid, {})[slot.id] = duty
    return out


def _duty(slot: SlotOut, posts: dict[str, str], shifts: dict[str, str]) -> Duty:
    return Duty(
        slot=slot.id,
        post=slot.post,
        post_name=posts.get(slot.post, slot.post),
        shift=shifts.get(slot.id, ""),
        start=slot.start,
        end=slot.end,
    )


def _places(old: Schedule, new: Schedule, shifts: dict[str, str]) -> list[ShiftChange]:
    """Per slot, the places whose person changed: who left paired with who took, in the order
    the schedules list them; what is left over is a place emptied or newly filled. A slot only
    one schedule has (its post changed in between) counts from nothing or to nothing."""
    posts = {p.id: p.name for p in old.posts} | {p.id: p.name for p in new.posts}
    before = {s.id: s for s in old.slots}
    after = {s.id: s for s in new.slots}
    changes: list[ShiftChange] = []
    for sid in list(after) + [sid for sid in before if sid not in after]:
        was = before[sid].assigned if sid in before else []
        now = after[sid].assigned if sid in after else []
        left = [p for p in was if p not in now]
        took = [p for p in now if p not in was]
        if not (left or took):
            continue
        duty = _duty(after[sid] if sid in after else before[sid], posts, shifts)
        changes.extend(
            ShiftChange(duty, gone, came) for gone, came in zip_longest(left, took, fillvalue=None)
        )
    return changes


def _pair(removed: list[Duty], added: list[Duty]) -> list[Change]:
    """Pair a lost duty with a gained one as a move when they share the day or the post: the same
    day first, then the same post, then the nearest in time; what is left is added or removed."""
    candidates = []
    for i, old in enumerate(removed):
        for j, new in enumerate(added):
            same_day = old.start.date() == new.start.date()
            same_post = old.post == new.post
            if not (same_day or same_post):
                continue
            gap = abs((new.start - old.start).total_seconds())
            candidates.append((not same_day, not same_post, gap, old.slot, new.slot, i, j))
    candidates.sort()
    used_old: set[int] = set()
    used_new: set[int] = set()
    changes = []
    for *_keys, i, j in candidates:
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        changes.append(Change("moved", removed[i], added[j]))
    changes.extend(Change("removed", d, None) for i, d in enumerate(removed) if i not in used_old)
    changes.extend(Change("added", None, d) for j, d in enumerate(added) if j not in used_new)
    return sorted(changes, key=lambda c: (c.when, c.before.slot if c.before else ""))


def diff_schedules(
    old: Schedule,
    new: Schedule,
    *,
    shifts: dict[str, str] | None = None,
    names: tuple[str, str] | None = None,
) -> ScheduleDiff:
    """Per person, the duties ``new`` adds, removes and moves compared with ``old``.

    Both must be schedules of the same community and period. ``shifts`` maps slot ids to shift
    names (see ``shift_names``); ``names`` name the two schedules in errors.
    Raises ScheduleFileError when they are of different communities or periods.
    """
    first, second = names or (_("the old schedule"), _("the new schedule"))
    if old.roster != new.roster:
        raise ScheduleFileError(
            _(
                "{first} is for {old} and {second} for {new}; compare two schedules of one "
                "community"
            ).format(first=first, old=old.roster, second=second, new=new.roster)
        )
    if (old.period.start, old.period.end) != (new.period.start, new.period.end):
        raise ScheduleFileError(
            _(
                "{first} is for {old} and {second} for {new}; compare two schedules of one period"
            ).format(
                first=first,
                old=period_label(old.period.start, old.period.end),
                second=second,
                new=period_label(new.period.start, new.period.end),
            )
        )
    shifts = shifts or {}
    places = _places(old, new, shifts)
    # Who took the place a person left, and whose place a person took, by (person, slot).
    took_from = {(c.left, c.duty.slot): c.took for c in places if c.left and c.took}
    left_for = {(c.took, c.duty.slot): c.left for c in places if c.left and c.took}
    before = _duties(old, shifts)
    after = _duties(new, shifts)
    people_names = {p.id: p.name for p in old.people} | {p.id: p.name for p in new.people}
    order = [p.id for p in new.people] + [p.id for p in old.people]
    seen: set[str] = set()
    people = []
    for pid in order + sorted(set(before) | set(after)):
        if pid in seen:
            continue
        seen.add(pid)
        mine_before = before.get(pid, {})
        mine_after = after.get(pid, {})
        removed = [d for s, d in mine_before.items() if s not in mine_after]
        added = [d for s, d in mine_after.items() if s not in mine_before]
        if removed or added:
            changes = []
            for change in _pair(removed, added):
                if change.kind == "removed" and change.before is not None:
                    other = took_from.get((pid, change.before.slot))
                elif change.kind == "added" and change.after is not None:
                    other = left_for.get((pid, change.after.slot))
                else:
                    other = None
                if other is not None:
                    name = people_names.get(other, other)
                    change = replace(change, other=other, other_name=name)
                changes.append(change)
            people.append(PersonChanges(pid, people_names.get(pid, pid), tuple(changes)))
    return ScheduleDiff(
        roster=new.roster,
        language=new.language,
        period_start=new.period.start,
        period_end=new.period.end,
        people=tuple(people),
        shifts=tuple(places),
    )
