"""Planning periods and the expansion of post patterns into concrete, time-zone-aware slots."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from .errors import PeriodError
from .i18n import _
from .models import WEEKDAYS, NightWindow, Post, RosterConfig, ShiftPattern

_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    """A planning period: the dates ``first`` to ``last`` inclusive, in the community's zone."""

    first: date
    last: date
    timezone: str

    @property
    def zone(self) -> ZoneInfo:
        """The community's time zone."""
        return ZoneInfo(self.timezone)

    @property
    def start(self) -> datetime:
        """Local midnight at the start of the first day."""
        return datetime.combine(self.first, time(), self.zone)

    @property
    def end(self) -> datetime:
        """Local midnight after the last day."""
        return datetime.combine(self.last + timedelta(days=1), time(), self.zone)

    @property
    def days(self) -> list[date]:
        """Every date of the period, in order."""
        return list(_days(self.first, self.last))

    def weeks(self) -> dict[tuple[int, int], list[date]]:
        """The period's dates grouped by ISO (year, week)."""
        return {week: list(days) for week, days in _weeks(self.first, self.last)}

    def full_weeks(self) -> set[tuple[int, int]]:
        """The ISO weeks wholly inside the period: weekly minimums apply to these only."""
        return {week for week, days in _weeks(self.first, self.last) if len(days) == 7}


# The checker asks a period for its days and weeks for every person it explains a shortage with
# (a 60 days' roster with 1,000 missing places: tens of thousands of times), so they are made once
# per period; callers get their own copies.
@functools.lru_cache(maxsize=64)
def _days(first: date, last: date) -> tuple[date, ...]:
    return tuple(first + timedelta(days=i) for i in range((last - first).days + 1))


@functools.lru_cache(maxsize=64)
def _weeks(first: date, last: date) -> tuple[tuple[tuple[int, int], tuple[date, ...]], ...]:
    out: dict[tuple[int, int], list[date]] = {}
    for day in _days(first, last):
        iso = day.isocalendar()
        out.setdefault((iso.year, iso.week), []).append(day)
    return tuple((week, tuple(days)) for week, days in out.items())


def parse_week(text: str) -> tuple[date, date]:
    """The Monday and Sunday of an ISO week written ``2020-W06``."""
    match = _WEEK.match(text.strip())
    if not match:
        raise PeriodError(
            _("--week {text!r} is not an ISO week; write it like 2020-W06").format(text=text)
        )
    year, week = int(match.group(1)), int(match.group(2))
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise PeriodError(
            _("--week {text}: {year} has no week {week}").format(text=text, year=year, week=week)
        ) from None
    return monday, monday + timedelta(days=6)


def make_period(timezone: str, week: str | None, first: date | None, last: date | None) -> Period:
    """The period of the command line: an ISO week, or a range of dates (both ends inclusive)."""
    if week and (first or last):
        raise PeriodError(_("give --week or --from/--to, not both"))
    if week:
        first, last = parse_week(week)
    elif first and last:
        if last < first:
            raise PeriodError(
                _("--to {last} is before --from {first}").format(last=last, first=first)
            )
    elif first or last:
        raise PeriodError(_("give both --from and --to (dates, YYYY-MM-DD)"))
    else:
        raise PeriodError(_("say which days to plan: --week 2020-W06, or --from and --to dates"))
    return Period(first, last, timezone)


class Shift(Protocol):
    """What the rules read of a shift, planned (a ``Slot``) or published before the period (a
    ``roster.history.PastDuty``)."""

    @property
    def post(self) -> str:
        """Post id."""
        ...

    @property
    def start(self) -> datetime:
        """Aware local start."""
        ...

    @property
    def end(self) -> datetime:
        """Aware local end."""
        ...

    @property
    def night(self) -> bool:
        """Whether it overlaps the night window."""
        ...

    @property
    def day(self) -> date:
        """The date it belongs to: the local date it starts on."""
        ...

    @property
    def minutes(self) -> int:
        """Length in minutes."""
        ...

    @property
    def hours(self) -> float:
        """Length in hours."""
        ...


class Slot(BaseModel):
    """One concrete shift of a post in the planning period."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="<post>/<local start, YYYY-MM-DDTHH:MM>; stable across solves.")
    post: str = Field(description="Post id.")
    name: str = Field("", description="Label of the shift pattern, e.g. 夜班.")
    start: datetime = Field(description="Aware local start.")
    end: datetime = Field(description="Aware local end.")
    min: int = Field(description="Hard minimum of people.")
    target: int = Field(description="Soft target of people.")
    max: int = Field(description="Hard maximum of people.")
    under_weight: int = Field(description="Penalty per person under target.")
    over_weight: int = Field(description="Penalty per person over target.")
    night: bool = Field(description="Whether it overlaps the night window.")

    @property
    def day(self) -> date:
        """The date the slot belongs to: the local date it starts on."""
        return self.start.date()

    @property
    def minutes(self) -> int:
        """Length in minutes (real elapsed time, so a DST change is counted as it is lived)."""
        # Aware datetimes sharing a tzinfo subtract as wall-clock times; UTC gives elapsed time.
        elapsed = self.end.astimezone(UTC) - self.start.astimezone(UTC)
        return int(elapsed.total_seconds() // 60)

    @property
    def hours(self) -> float:
        """Length in hours."""
        return self.minutes / 60


def is_night(start: datetime, end: datetime, night: NightWindow) -> bool:
    """Whether the interval overlaps the night window on any day it touches."""
    zone = start.tzinfo
    day = start.date() - timedelta(days=1)
    while datetime.combine(day, time(), zone) < end:
        night_start = datetime.combine(day, night.start, zone)
        night_end = datetime.combine(day, night.end, zone)
        if night_end <= night_start:
            night_end += timedelta(days=1)
        if night_start < end and start < night_end:
            return True
        day += timedelta(days=1)
    return False


def slot_id(post: str, start: datetime) -> str:
    """The stable id of the slot of ``post`` starting at ``start`` (local time)."""
    return f"{post}/{start.strftime('%Y-%m-%dT%H:%M')}"


def expand(config: RosterConfig, period: Period) -> list[Slot]:
    """Every slot of every post in the period, ordered by start then post."""
    slots: dict[str, Slot] = {}
    for post in config.posts:
        for day in period.days:
            for pattern in post.shifts:
                if pattern.dates is not None:
                    if day not in pattern.dates:
                        continue
                elif WEEKDAYS[day.weekday()] not in pattern.days:
                    continue
                slot = _make_slot(config, post, pattern, day)
                # Two patterns starting at the same time would collide on the slot id; first wins.
                slots.setdefault(slot.id, slot)
    return sorted(slots.values(), key=lambda s: (s.start, s.post, s.id))


def _make_slot(config: RosterConfig, post: Post, pattern: ShiftPattern, day: date) -> Slot:
    zone = ZoneInfo(config.timezone)
    # Wall-clock arithmetic: an 08:00 start plus 24 h ends at 08:00 the next day, as people expect.
    naive_start = datetime.combine(day, pattern.start)
    naive_end = naive_start + timedelta(minutes=pattern.minutes)
    start = naive_start.replace(tzinfo=zone)
    end = naive_end.replace(tzinfo=zone)
    head = pattern.headcount or post.headcount
    weights = config.weights
    return Slot(
        id=slot_id(post.id, start),
        post=post.id,
        name=pattern.name,
        start=start,
        end=end,
        min=head.min,
        target=head.effective_target,
        max=head.effective_max,
        under_weight=head.under_weight if head.under_weight is not None else weights.under_target,
        over_weight=head.over_weight if head.over_weight is not None else weights.over_target,
        night=is_night(start, end, config.night),
    )


def period_label(start: datetime, end: datetime) -> str:
    """How people name a period: ``2020-W06`` for an ISO week (local Monday midnight to the next),
    else its first and last day, ``2020-02-03..2020-02-09``. Both ends are aware local times."""
    first = start.date()
    last = end.date() - timedelta(days=1) if end.time() == time() else end.date()
    iso = first.isocalendar()
    if start.time() == time() and iso.weekday == 1 and (last - first).days == 6:
        return f"{iso.year}-W{iso.week:02d}"
    return f"{first.isoformat()}..{last.isoformat()}"
