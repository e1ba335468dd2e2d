"""History: the duties published before a planning period, which the rules carry across the border.

Week 7 is planned knowing week 6: a shift that ends in the last published period still needs its
rest in the next, a run of working days (or days off) that started last week continues, and the
caps ``*_per_window`` and fairness count the published weeks of a rolling window of
``window_weeks`` ISO weeks (the planned week and the ones before it). A ``History`` is built from
the published schedules before the period; the rules read it, in the model (``solver/rules``) and
in the checker (``roster/check.py``). A past duty is taken as published: it is never re-validated.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from .errors import HistoryError
from .i18n import _, speaking_for
from .load import Roster
from .schedule import Schedule
from .slots import Period, is_night
from .versions import Version

#: However short the reach of the rules, a history holds at least the week before the period.
MIN_REACH_DAYS = 7

#: An ISO week as (year, week).
Week = tuple[int, int]


@dataclass(frozen=True)
class PastDuty:
    """One person on one published shift before the period: what the rules need of it."""

    #: Person id.
    person: str
    #: Post id.
    post: str
    #: Slot id, ``<post>/<local start>``.
    slot: str
    #: Aware start, in the roster's time zone.
    start: datetime
    #: Aware end, in the roster's time zone.
    end: datetime
    #: Whether it overlaps the roster's night window (as the roster defines nights today).
    night: bool
    #: The published period it comes from, as ``period_label`` writes it (``2020-W05``).
    source: str
    #: The name of its shift (the post's shift pattern starting at that time of day, such as 早班;
    #: empty when none does): what ``preferred_consecutive_shifts`` counts runs of.
    name: str = ""

    @property
    def day(self) -> date:
        """The date it belongs to: the local date it starts on."""
        return self.start.date()

    @property
    def minutes(self) -> int:
        """Length in minutes, as lived (a DST change counts as it happens)."""
        return int((self.end.astimezone(UTC) - self.start.astimezone(UTC)).total_seconds() // 60)

    @property
    def hours(self) -> float:
        """Length in hours."""
        return self.minutes / 60

    @property
    def weekend(self) -> bool:
        """Whether it starts on a Saturday or a Sunday."""
        return self.day.weekday() >= 5


def period_label(first: date, last: date) -> str:
    """How a period is named in messages: its ISO week (``2020-W05``) when it is exactly one,
    else its dates (``2020-02-01…2020-02-14``)."""
    iso = first.isocalendar()
    if iso.weekday == 1 and (last - first).days == 6:
        return f"{iso.year}-W{iso.week:02d}"
    return f"{first.isoformat()}…{last.isoformat()}"


def iso_week(day: date) -> Week:
    """The ISO (year, week) of a date."""
    iso = day.isocalendar()
    return (iso.year, iso.week)


def week_label(week: Week) -> str:
    """``2020-W05``."""
    return f"{week[0]}-W{week[1]:02d}"


def monday(day: date) -> date:
    """The Monday of the ISO week of ``day``."""
    return day - timedelta(days=day.weekday())


def window_first(period: Period, window_weeks: int) -> date:
    """The first date of the rolling window of a period: the Monday ``window_weeks - 1`` weeks
    before the Monday of the period's first week (a one-week period's window is that week and the
    three before it, with the default of 4)."""
    return monday(period.first) - timedelta(weeks=window_weeks - 1)


def rolling_windows(period: Period, window_weeks: int) -> list[list[Week]]:
    """The windows a ``*_per_window`` cap is checked on: for each ISO week of the period, the
    ``window_weeks`` ISO weeks ending with it, oldest first. Windows ending after the period hold
    no more of it than the one ending with its last week, so they are not listed."""
    out = []
    for week in period.weeks():
        last = date.fromisocalendar(week[0], week[1], 1)
        out.append([iso_week(last - timedelta(weeks=k)) for k in range(window_weeks - 1, -1, -1)])
    return out


def border_note(source: str) -> str:
    """The words that mark a violation coming from the border with the published ``source``, in
    the message language (a violation's text is a message)."""
    return _(" (across the border with {period})").format(period=source)


def reach_days(roster: Roster) -> int:
    """How many days before a period the border rules can look: the longest run a
    consecutive-days rule counts, and the longest shift with its rest, at least a week."""
    longest = max(
        (pattern.minutes for post in roster.config.posts for pattern in post.shifts), default=0
    )
    days = MIN_REACH_DAYS
    for person in roster.people:
        rules = roster.rules_for(person)
        limits = [
            rules.max_consecutive_days,
            rules.min_consecutive_days,
            rules.min_consecutive_days_off,
        ]
        ranges = [rules.preferred_consecutive_days, rules.preferred_consecutive_days_off]
        ranges += list((rules.preferred_consecutive_shifts or {}).values())
        limits += [b for r in ranges if r is not None for b in (r.min, r.max)]
        for limit in limits:
            if limit is not None:
                days = max(days, limit + 1)
        rest = max(rules.min_rest_hours or 0.0, rules.rest_after_long_shift_hours or 0.0)
        days = max(days, math.ceil((longest / 60 + rest) / 24) + 1)
    return days


def history_since(roster: Roster, period: Period, window_weeks: int | None = None) -> date:
    """The first date whose published duties a period's history needs: the start of its rolling
    window, or further back when a border rule reaches further."""
    weeks = window_weeks if window_weeks is not None else roster.config.window_weeks
    return min(window_first(period, weeks), period.first - timedelta(days=reach_days(roster)))


def history_weeks(roster: Roster, period: Period, window_weeks: int | None = None) -> int:
    """How many weeks before the period's start the published versions are needed (what to ask a
    store for)."""
    return math.ceil((period.first - history_since(roster, period, window_weeks)).days / 7)


@dataclass(frozen=True)
class History:
    """The published duties before one planning period, as far back as its rules look.

    Built with ``from_schedules`` (or ``from_versions``). Dates the published schedules do not
    cover are unknown, not days off: a run of days that reaches them is not checked, as at the
    edge of a period without history."""

    #: The planned period's first date; the border is its local midnight.
    first: date
    #: The earliest date whose duties are held.
    since: date
    #: ISO weeks in the rolling window, the planned week included.
    window_weeks: int
    #: The duties, by start.
    duties: tuple[PastDuty, ...]
    #: The dates from ``since`` to the border that a published schedule covers.
    covered: frozenset[date]
    #: Each published period's first and last dates (within the reach) and its label.
    sources: tuple[tuple[date, date, str], ...]
    #: Duties left out (people or posts no longer in the roster), in words.
    warnings: tuple[str, ...] = ()
    #: For each covered date, the people the published schedule of that date lists (those in the
    #: roster then, rostered or not): fairness shares the window only with people who were there.
    listed: dict[date, frozenset[str]] = field(default_factory=dict, compare=False)
    _by_person: dict[str, list[PastDuty]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        for duty in self.duties:
            self._by_person.setdefault(duty.person, []).append(duty)

    @classmethod
    def from_schedules(
        cls,
        roster: Roster,
        schedules: Sequence[Schedule],
        period: Period,
        window_weeks: int | None = None,
    ) -> History:
        """The history of ``period`` from published ``schedules`` (any order of periods; where two
        cover the same date, the later in the sequence wins for that date). Only duties that start
        before the period and on or after ``history_since`` are kept. Duties of people or posts no
        longer in the roster are left out, each with a warning; the rest are taken as published
        (not checked again). ``window_weeks`` defaults to the roster's ``window_weeks``."""
        weeks = window_weeks if window_weeks is not None else roster.config.window_weeks
        if weeks < 1:
            raise HistoryError(f"window_weeks is {weeks}; a rolling window holds at least 1 week")
        since = history_since(roster, period, weeks)
        zone = roster.zone
        # A shift's name is its post's pattern starting at the same time of day.
        names: dict[tuple[str, time], str] = {}
        for each in roster.config.posts:
            for pattern in each.shifts:
                names.setdefault((each.id, pattern.start), pattern.name)
        people = {p.id for p in roster.people}
        posts = {p.id for p in roster.config.posts}
        by_day: dict[date, list[PastDuty]] = {}
        listed: dict[date, frozenset[str]] = {}
        sources: list[tuple[date, date, str]] = []
        warnings: list[str] = []
        for schedule in schedules:
            start = schedule.period.start.astimezone(zone).date()
            last = schedule.period.end.astimezone(zone).date() - timedelta(days=1)
            label = period_label(start, last)
            days = [
                start + timedelta(days=i)
                for i in range((last - start).days + 1)
                if since <= start + timedelta(days=i) < period.first
            ]
            if not days:
                continue
            sources.append((days[0], days[-1], label))
            members = frozenset(p.id for p in schedule.people)
            for day in days:
                by_day[day] = []
                listed[day] = members
            gone_people: set[str] = set()
            gone_posts: set[str] = set()
            for slot in schedule.slots:
                begin = slot.start.astimezone(zone)
                if not (since <= begin.date() < period.first):
                    continue
                if slot.post not in posts:
                    gone_posts.add(slot.post)
                    continue
                end = slot.end.astimezone(zone)
                for pid in slot.assigned:
                    if pid not in people:
                        gone_people.add(pid)
                        continue
                    by_day.setdefault(begin.date(), []).append(
                        PastDuty(
                            person=pid,
                            post=slot.post,
                            slot=slot.id,
                            start=begin,
                            end=end,
                            night=is_night(begin, end, roster.config.night),
                            source=label,
                            name=names.get((slot.post, begin.time()), ""),
                        )
                    )
            # Warnings are messages: in the message language of this roster.
            with speaking_for(roster.config.language):
                for pid in sorted(gone_people):
                    warnings.append(
                        _(
                            "{period}: {id} is no longer in the roster; their published duties are "
                            "left out of the history"
                        ).format(period=label, id=pid)
                    )
                for post in sorted(gone_posts):
                    warnings.append(
                        _(
                            "{period}: post {post} is no longer in the roster; its published "
                            "duties are left out of the history"
                        ).format(period=label, post=post)
                    )
        duties = sorted(
            (d for day in by_day.values() for d in day), key=lambda d: (d.start, d.slot, d.person)
        )
        # Sources in date order, a later schedule's dates taken from the earlier ones it replaced.
        owner: dict[date, str] = {}
        for first, last, label in sources:
            for i in range((last - first).days + 1):
                owner[first + timedelta(days=i)] = label
        merged: list[tuple[date, date, str]] = []
        for day in sorted(owner):
            if merged and merged[-1][2] == owner[day] and merged[-1][1] + timedelta(days=1) == day:
                merged[-1] = (merged[-1][0], day, owner[day])
            else:
                merged.append((day, day, owner[day]))
        return cls(
            first=period.first,
            since=since,
            window_weeks=weeks,
            duties=tuple(duties),
            covered=frozenset(owner),
            sources=tuple(merged),
            warnings=tuple(warnings),
            listed=listed,
        )

    @classmethod
    def from_versions(
        cls,
        roster: Roster,
        versions: Iterable[Version],
        period: Period,
        window_weeks: int | None = None,
    ) -> History:
        """The history of ``period`` from published versions (a store's latest version of each
        period before it), oldest period first."""
        ordered = sorted(versions, key=lambda v: (v.period_start, v.number))
        return cls.from_schedules(roster, [v.schedule for v in ordered], period, window_weeks)

    def of_people(self, people: Iterable[str]) -> History:
        """This history as the rules see it for a roster of ``people`` alone (a part of a
        district sent to a cluster's worker): their duties, and of each published date the
        people listed among them; the dates, the sources and the window unchanged, since the
        border rules and fairness read those whoever is planned. Every rule reads the history
        through a person of the roster (``of``, ``worked_before``, ``in_window``,
        ``window_days``) or through its dates (``covered``, ``days_before``, ``sources``), so
        solving and checking those people give the same as with the whole. The warnings about
        people or posts gone from the roster are the whole's, said once: not kept here."""
        ids = frozenset(people)
        duties = sorted(
            (d for pid in ids for d in self.of(pid)), key=lambda d: (d.start, d.slot, d.person)
        )
        # A published schedule lists the same people on each of its dates: intersect each list
        # once, so the part's copy shares it between dates as the whole does.
        kept: dict[int, frozenset[str]] = {}
        listed = {}
        for day, members in self.listed.items():
            if id(members) not in kept:
                kept[id(members)] = members & ids
            listed[day] = kept[id(members)]
        return History(
            first=self.first,
            since=self.since,
            window_weeks=self.window_weeks,
            duties=tuple(duties),
            covered=self.covered,
            sources=self.sources,
            listed=listed,
        )

    def of(self, person_id: str) -> list[PastDuty]:
        """A person's past duties, by start."""
        return self._by_person.get(person_id, [])

    def source(self, day: date) -> str:
        """The label of the published period holding ``day`` (empty when none does)."""
        for first, last, label in self.sources:
            if first <= day <= last:
                return label
        return ""

    @property
    def last_source(self) -> str:
        """The label of the published period just before the border (empty when none is)."""
        return self.source(self.first - timedelta(days=1))

    def days_before(self, count: int) -> list[date]:
        """Up to ``count`` dates just before the border that a published schedule covers, oldest
        first; stops at the first date none covers (further back is unknown)."""
        out: list[date] = []
        day = self.first - timedelta(days=1)
        while len(out) < count and day in self.covered:
            out.append(day)
            day -= timedelta(days=1)
        return out[::-1]

    def worked_before(
        self, person_id: str, count: int, shift: Callable[[PastDuty], bool] | None = None
    ) -> list[bool]:
        """For each date of ``days_before(count)``: whether the person had a duty starting on it
        (with ``shift``, a duty for which ``shift`` holds)."""
        worked = {d.day for d in self.of(person_id) if shift is None or shift(d)}
        return [day in worked for day in self.days_before(count)]

    def window_start(self) -> date:
        """The first date of the rolling window of the planned period."""
        return monday(self.first) - timedelta(weeks=self.window_weeks - 1)

    def in_window(self, person_id: str) -> list[PastDuty]:
        """A person's past duties in the rolling window."""
        start = self.window_start()
        return [d for d in self.of(person_id) if d.day >= start]

    def window_days(self, person_id: str | None = None) -> list[date]:
        """The published dates in the rolling window, in order; with ``person_id``, only those
        whose published schedule lists the person (they were in the roster then)."""
        start = self.window_start()
        return sorted(
            d
            for d in self.covered
            if d >= start and (person_id is None or person_id in self.listed.get(d, ()))
        )

    def by_week(self, person_id: str) -> dict[Week, list[PastDuty]]:
        """A person's past duties by the ISO week they start in."""
        out: dict[Week, list[PastDuty]] = {}
        for duty in self.of(person_id):
            out.setdefault(iso_week(duty.day), []).append(duty)
        return out

    def check_period(self, period: Period) -> None:
        """Raise HistoryError unless this history was built for ``period`` (same first date)."""
        if period.first != self.first:
            raise HistoryError(
                f"the history was built for a period starting {self.first}, "
                f"not {period.first}; build it again for this period"
            )
