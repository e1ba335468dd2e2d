"""Whether a schedule may be published for a roster folder: it belongs to the folder and breaks no
hard rule (the checker of ``roster check`` decides)."""

from __future__ import annotations

from datetime import date, time

from .check import CheckReport, Violation, check
from .errors import RosterError, ScheduleFileError
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


def belongs(roster: Roster, schedule: Schedule, where: str) -> tuple[Period, list[Slot]]:
    """Check that ``schedule`` was made for this roster folder: its community, time zone, whole
    days, the folder's slots of the period and its people. Returns the period and its slots.

    Raises ScheduleFileError naming ``where`` (the schedule's file) and the first mismatch.
    """
    folder = roster.folder
    if schedule.roster != roster.name:
        raise ScheduleFileError(
            f"{where}: the schedule is for {schedule.roster}, but {folder} is {roster.name}; "
            "give the roster folder it was solved from"
        )
    if schedule.timezone != roster.config.timezone:
        raise ScheduleFileError(
            f"{where}: time zone {schedule.timezone} is not {folder}'s "
            f"{roster.config.timezone}; solve the roster again"
        )
    start = schedule.period.start.astimezone(roster.zone)
    end = schedule.period.end.astimezone(roster.zone)
    if start.time() != time() or end.time() != time() or end <= start:
        raise ScheduleFileError(
            f"{where}: period {schedule.period.start.isoformat()} to "
            f"{schedule.period.end.isoformat()} is not whole days in {roster.config.timezone}; "
            "solve the roster again"
        )
    period = schedule_period(schedule, roster.config.timezone)
    slots = expand(roster.config, period)
    expected = {s.id for s in slots}
    people = {p.id for p in roster.people}
    label = period_label(start, end)
    for i, slot in enumerate(schedule.slots):
        if slot.id not in expected:
            raise ScheduleFileError(
                f"{where}: slots[{i}]: {slot.id} is not a slot of {folder} in {label}; "
                "solve the roster again"
            )
        for j, pid in enumerate(slot.assigned):
            if pid not in people:
                raise ScheduleFileError(
                    f"{where}: slots[{i}].assigned[{j}]: {pid!r} is not a person of {folder}; "
                    "solve the roster again"
                )
    missing = sorted(expected - {s.id for s in schedule.slots})
    if missing:
        raise ScheduleFileError(
            f"{where}: slot {missing[0]} of {folder} is missing from the schedule"
            + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
            + "; solve the roster again"
        )
    return period, slots


def check_publishable(roster: Roster, schedule: Schedule, where: str) -> CheckReport:
    """The checker's report of a schedule that may be published: it belongs to the folder (see
    ``belongs``) and breaks no hard rule. Shortages below a minimum are allowed (they are listed,
    as ``roster solve`` lists them).

    Raises ScheduleFileError when it does not belong, ScheduleRefused when a hard rule is broken.
    """
    period, slots = belongs(roster, schedule, where)
    report = check(roster, period, slots, assignment_of(schedule))
    if report.violations:
        first = report.violations[0]
        more = len(report.violations) - 1
        also = f" (and {more} more; `roster check` lists them)" if more else ""
        raise ScheduleRefused(
            f"{where} breaks a hard rule of {roster.folder}: {first.rule}: {first.text}{also}; "
            "nothing was published",
            report.violations,
        )
    return report
