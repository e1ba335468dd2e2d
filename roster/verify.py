"""Whether a schedule may be published for a roster folder: it belongs to the folder and breaks no
hard rule (the checker of ``roster check`` decides)."""

from __future__ import annotations

from datetime import date, time

from .check import CheckReport, Violation, check
from .errors import RosterError, ScheduleFileError
from .history import History
from .i18n import _
from .load import Roster
from .report import assignment_of
from .schedule import Schedule
from .slots import Period, Slot, expand, period_label


class ScheduleRefused(RosterError):
    """Raised when a schedule breaks a hard rule of its roster folder, so it may not be published.

    ``violations`` lists every broken rule; the message names the first. Fix the schedule (or the
    folder) and check it with ``roster check``, or solve again.
    """

    def __init__(self, message: str, violations: list[Violation]) -> None:
        self.violations = violations
        super().__init__(message)


def schedule_period(schedule: Schedule, timezone: str) -> Period:
    """The planning period of a schedule, as whole local days of ``timezone``."""
    period = Period(date.min, date.min, timezone)
    start = schedule.period.start.astimezone(period.zone)
    end = schedule.period.end.astimezone(period.zone)
    return Period(start.date(), date.fromordinal(end.date().toordinal() - 1), timezone)


def require_offsets(schedule: Schedule, where: str) -> None:
    """A schedule's period must be instants: times with their UTC offset. Raises
    ScheduleFileError naming ``where`` otherwise."""
    if schedule.period.start.tzinfo is None or schedule.period.end.tzinfo is None:
        raise ScheduleFileError(
            _(
                "{file}: period: the times have no UTC offset (such as +08:00); solve the roster "
                "again"
            ).format(file=where)
        )


def belongs(roster: Roster, schedule: Schedule, where: str) -> tuple[Period, list[Slot]]:
    """Check that ``schedule`` was made for this roster folder: its community, time zone, whole
    days, the folder's slots of the period and its people. Returns the period and its slots.

    Raises ScheduleFileError naming ``where`` (the schedule's file) and the first mismatch.
    """
    folder = roster.folder
    if schedule.roster != roster.name:
        raise ScheduleFileError(
            _(
                "{file}: the schedule is for {other}, but {folder} is {roster}; give the roster "
                "folder it was solved from"
            ).format(file=where, other=schedule.roster, folder=folder, roster=roster.name)
        )
    if schedule.timezone != roster.config.timezone:
        raise ScheduleFileError(
            _(
                "{file}: time zone {zone} is not {folder}'s {roster_zone}; solve the roster again"
            ).format(
                file=where,
                zone=schedule.timezone,
                folder=folder,
                roster_zone=roster.config.timezone,
            )
        )
    require_offsets(schedule, where)
    start = schedule.period.start.astimezone(roster.zone)
    end = schedule.period.end.astimezone(roster.zone)
    if start.time() != time() or end.time() != time() or end <= start:
        raise ScheduleFileError(
            _(
                "{file}: period {start} to {end} is not whole days in {zone}; solve the roster "
                "again"
            ).format(
                file=where,
                start=schedule.period.start.isoformat(),
                end=schedule.period.end.isoformat(),
                zone=roster.config.timezone,
            )
        )
    period = schedule_period(schedule, roster.config.timezone)
    slots = expand(roster.config, period)
    expected = {s.id for s in slots}
    people = {p.id for p in roster.people}
    label = period_label(start, end)
    for i, slot in enumerate(schedule.slots):
        if slot.id not in expected:
            raise ScheduleFileError(
                _(
                    "{file}: slots[{i}]: {slot} is not a slot of {folder} in {period}; solve the "
                    "roster again"
                ).format(file=where, i=i, slot=slot.id, folder=folder, period=label)
            )
        for j, pid in enumerate(slot.assigned):
            if pid not in people:
                raise ScheduleFileError(
                    _(
                        "{file}: slots[{i}].assigned[{j}]: {id!r} is not a person of {folder}; "
                        "solve the roster again"
                    ).format(file=where, i=i, j=j, id=pid, folder=folder)
                )
    missing = sorted(expected - {s.id for s in schedule.slots})
    if missing:
        fill = {"file": where, "slot": missing[0], "folder": folder, "more": len(missing) - 1}
        raise ScheduleFileError(
            (
                _(
                    "{file}: slot {slot} of {folder} is missing from the schedule (and {more} "
                    "more); solve the roster again"
                )
                if len(missing) > 1
                else _(
                    "{file}: slot {slot} of {folder} is missing from the schedule; solve the "
                    "roster again"
                )
            ).format(**fill)
        )
    return period, slots


def check_publishable(
    roster: Roster, schedule: Schedule, where: str, history: History | None = None
) -> CheckReport:
    """The checker's report of a schedule that may be published: it belongs to the folder (see
    ``belongs``) and breaks no hard rule. Shortages below a minimum are allowed (they are listed,
    as ``roster solve`` lists them).

    Raises ScheduleFileError when it does not belong, ScheduleRefused when a hard rule is broken.
    """
    period, slots = belongs(roster, schedule, where)
    report = check(roster, period, slots, assignment_of(schedule), history=history)
    if report.violations:
        first = report.violations[0]
        more = len(report.violations) - 1
        fill = {
            "file": where,
            "folder": roster.folder,
            "rule": first.rule,
            "text": first.text,
            "more": more,
        }
        refused = (
            _(
                "{file} breaks a hard rule of {folder}: {rule}: {text} (and {more} more; `roster "
                "check` lists them); nothing was published"
            )
            if more
            else _("{file} breaks a hard rule of {folder}: {rule}: {text}; nothing was published")
        )
        raise ScheduleRefused(refused.format(**fill), report.violations)
    return report
