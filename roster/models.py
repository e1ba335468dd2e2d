"""Pydantic models of a roster folder: people, posts, rules, requests; every key documented."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from .i18n import N_, _

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_HHMM = re.compile(r"^(\d{1,2}):(\d{2})$")


def parse_time_of_day(value: Any) -> time:
    """Read ``HH:MM`` (00:00 to 23:59) into a time; anything else is an error to fix."""
    if isinstance(value, time):
        return value
    text = str(value).strip()
    match = _HHMM.match(text)
    if not match:
        raise ValueError(
            _("{text!r} is not a time of day; write it as HH:MM, for example 08:00").format(
                text=text
            )
        )
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise ValueError(
            _("{text} is not a time of day; use 00:00 to 23:59 (24:00 is 00:00)").format(text=text)
        )
    return time(hour, minute)


def _check_id(value: str, what: str) -> str:
    if not _ID.match(value):
        raise ValueError(
            _(
                "{what} {value!r} may hold only letters, digits, '-', '_' and '.', "
                "and must start with a letter or digit"
            ).format(what=_(what), value=value)
        )
    return value


TimeOfDay = Annotated[time, BeforeValidator(parse_time_of_day)]

#: A date as coordinators type it: 2020-02-05, 2020/2/5, 2020.2.5 or 2020年2月5日, optionally
#: followed by a time (HH:MM, after a space or T).
_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*[T ]\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
)
#: A day and month without a year (2月5日, 2/5): read as an error, since the year is a guess.
_NO_YEAR = re.compile(r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


class _HasTime(ValueError):
    """A date with a time where only a date is wanted."""


def parse_moment(value: Any, *, times: bool = True) -> Any:
    """A date (or, when ``times``, a date and time) from the ways people write one; values that
    are not text (YAML's own dates) pass through. Errors say how to write it."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    example = _("2020-02-05 or 2020-02-05T18:00") if times else "2020-02-05"
    match = _DATE.fullmatch(text)
    if match:
        year, month, day, hour, minute, second = match.groups()
        try:
            if hour is None:
                return date(int(year), int(month), int(day))
            if not times:
                raise _HasTime(
                    _("{text!r} has a time; give the date alone, e.g. 2020-02-05").format(text=text)
                )
            return datetime(
                int(year), int(month), int(day), int(hour), int(minute), int(second or 0)
            )
        except _HasTime:
            raise
        except ValueError as exc:
            raise ValueError(
                _("{text!r} is not a date of the calendar ({reason})").format(text=text, reason=exc)
            ) from None
    if _NO_YEAR.fullmatch(text):
        raise ValueError(
            _("{text!r} has no year; write the date as YYYY-MM-DD, e.g. {example}").format(
                text=text, example=example
            )
        )
    raise ValueError(
        _("{text!r} is not a date; write it as YYYY-MM-DD, e.g. {example}").format(
            text=text, example=example
        )
    )


def _date_only(value: Any) -> Any:
    return parse_moment(value, times=False)


def _id_text(value: Any) -> Any:
    """An id written as a number in YAML (``person: 101``) is "101", as in the people file."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


#: A calendar date, written in any of the forms ``parse_moment`` reads.
DateText = Annotated[date, BeforeValidator(_date_only)]
#: A date or a date and time, written in any of the forms ``parse_moment`` reads.
MomentText = Annotated[date | datetime, BeforeValidator(parse_moment)]
#: A person id; a number is taken as its digits.
PersonId = Annotated[str, BeforeValidator(_id_text)]


class Strict(BaseModel):
    """Base of every model read from a file: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Headcount(Strict):
    """How many people a slot needs: a hard minimum, a soft target and a hard maximum."""

    min: int = Field(1, ge=0, description="Hard minimum of people on each shift.")
    target: int | None = Field(
        None, ge=0, description="Number wanted; under or over it costs a penalty. Default: min."
    )
    max: int | None = Field(
        None, ge=0, description="Hard maximum of people on each shift. Default: target."
    )
    under_weight: int | None = Field(
        None, ge=0, description="Penalty per person below target; default weights.under_target."
    )
    over_weight: int | None = Field(
        None, ge=0, description="Penalty per person above target; default weights.over_target."
    )

    @model_validator(mode="after")
    def _ordered(self) -> Headcount:
        target = self.target if self.target is not None else self.min
        top = self.max if self.max is not None else max(target, self.min)
        if target < self.min:
            raise ValueError(
                _("target {target} is below min {min}; raise target or lower min").format(
                    target=target, min=self.min
                )
            )
        if top < target:
            raise ValueError(
                _("max {max} is below target {target}; raise max or lower target").format(
                    max=top, target=target
                )
            )
        return self

    @property
    def effective_target(self) -> int:
        """The target, defaulting to the minimum."""
        return self.target if self.target is not None else self.min

    @property
    def effective_max(self) -> int:
        """The maximum, defaulting to the target."""
        return self.max if self.max is not None else max(self.effective_target, self.min)


class ShiftPattern(Strict):
    """When a post is staffed: a start time and a length (or an end), on some weekdays or dates."""

    start: TimeOfDay = Field(description="Local start time, HH:MM.")
    end: TimeOfDay | None = Field(
        None, description="Local end time, HH:MM; at or before start means the next day."
    )
    hours: float | None = Field(
        None, gt=0, le=72, description="Length in hours (24 for a 24-hour turn); instead of end."
    )
    days: list[Weekday] = Field(
        default_factory=lambda: list(WEEKDAYS), description="Weekdays it runs on (mon … sun)."
    )
    dates: list[DateText] | None = Field(
        None, description="Only on these dates (overrides days), e.g. a market day's extra shift."
    )
    name: str = Field("", description="Label of the shift, e.g. 早班 or night.")
    headcount: Headcount | None = Field(
        None, description="Headcount for this shift only; default: the post's headcount."
    )

    @model_validator(mode="after")
    def _length(self) -> ShiftPattern:
        if self.end is None and self.hours is None:
            raise ValueError(_("give either end (HH:MM) or hours (a length)"))
        if self.end is not None and self.hours is not None:
            raise ValueError(_("give end or hours, not both"))
        if not self.days and not self.dates:
            raise ValueError(
                _("days is empty, so the shift never runs; list weekdays such as [mon]")
            )
        return self

    @property
    def minutes(self) -> int:
        """Length of the shift in minutes."""
        if self.hours is not None:
            return round(self.hours * 60)
        assert self.end is not None
        start = self.start.hour * 60 + self.start.minute
        end = self.end.hour * 60 + self.end.minute
        return end - start if end > start else end - start + 24 * 60


class Quota(Strict):
    """A team quota on every shift of a post: at least / at most N people with a tag."""

    tag: str = Field(description="The tag counted, e.g. party_member.")
    min: int = Field(0, ge=0, description="At least this many people with the tag on each shift.")
    max: int | None = Field(None, ge=0, description="At most this many people with the tag.")

    @model_validator(mode="after")
    def _ordered(self) -> Quota:
        if self.max is not None and self.max < self.min:
            raise ValueError(_("max {max} is below min {min}").format(max=self.max, min=self.min))
        return self


class Post(Strict):
    """A kind of duty at a place, with its shift pattern, headcount and who may take it."""

    id: str = Field(description="Stable id used in slot ids, feeds and rules (ASCII).")
    name: str = Field(description="Name shown to people, e.g. 体温检测岗.")
    location: str = Field("", description="Where it is, shown in calendar events.")
    instructions: str = Field("", description="What to do, shown in calendar events.")
    shifts: list[ShiftPattern] = Field(min_length=1, description="The shift pattern.")
    headcount: Headcount = Field(default_factory=Headcount, description="People per shift.")
    skills: list[str] = Field(default_factory=list, description="Skills every assignee must have.")
    tags: list[str] = Field(
        default_factory=list, description="Assignees must have at least one of these tags."
    )
    quotas: list[Quota] = Field(default_factory=list, description="Team quotas on each shift.")
    priority: int = Field(
        1,
        ge=1,
        description="When people are short, posts of a higher priority are filled first: one "
        "person missing here costs more than every place of lower priority posts together.",
    )
    rounds: bool = Field(
        False,
        description="Its shifts of a day are rounds of one area (disinfection at 08:00 and "
        "15:00): when people are short, every such area gets its first round of a day before "
        "any gets its second.",
    )

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        return _check_id(value, N_("post id"))


class Leave(Strict):
    """A period when a person cannot work (sick leave, quarantine), with a reason."""

    person: PersonId = Field(description="Id of the person.")
    start: MomentText = Field(
        alias="from", description="First day (a date) or moment (a date-time) away."
    )
    end: MomentText = Field(
        alias="to", description="Last day away (inclusive, a date) or the moment they are back."
    )
    reason: str = Field("", description="Why, e.g. 病假; shown in shortage explanations.")

    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True)

    @model_validator(mode="after")
    def _ordered(self) -> Leave:
        if _as_datetime(self.end, end=True) <= _as_datetime(self.start, end=False):
            raise ValueError(
                _("to ({end}) is before from ({start})").format(end=self.end, start=self.start)
            )
        return self


def _as_datetime(value: date | datetime, *, end: bool) -> datetime:
    """A naive local datetime for comparisons: a date as its start, or as the next day's start."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    base = datetime.combine(value, time())
    return base + timedelta(days=1) if end else base


class Bounds(Strict):
    """A soft range of counts: fewest and most, either may be left out. In a people file write
    ``3..5``, ``..5`` or ``3..``."""

    min: int | None = Field(None, ge=0, description="Fewest; each one short costs the weight.")
    max: int | None = Field(None, ge=0, description="Most; each one over costs the weight.")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        low, sep, high = value.strip().partition("..")
        if not sep:
            raise ValueError(f"{value!r} is not a range; write it as 3..5, ..5 or 3..")
        return {"min": low.strip() or None, "max": high.strip() or None}

    @model_validator(mode="after")
    def _ordered(self) -> Bounds:
        if self.min is not None and self.max is not None and self.max < self.min:
            raise ValueError(f"max {self.max} is below min {self.min}")
        return self


class RuleSet(Strict):
    """Rules for a person. Every key is optional: a key not set falls back to the tag's, then to the
    global rules. Hours are hours of work counted by the date a shift starts on."""

    max_hours_per_week: float | None = Field(None, ge=0, description="Most hours in an ISO week.")
    min_hours_per_week: float | None = Field(
        None, ge=0, description="Fewest hours in each whole ISO week of the period."
    )
    max_hours: float | None = Field(None, ge=0, description="Most hours over the whole period.")
    min_hours: float | None = Field(None, ge=0, description="Fewest hours over the whole period.")
    max_shifts_per_day: int | None = Field(
        None, ge=0, description="Most shifts starting on one date."
    )
    min_rest_hours: float | None = Field(
        None, ge=0, description="Fewest hours off between the end of a shift and the next start."
    )
    long_shift_hours: float | None = Field(
        None, gt=0, description="A shift at least this long is long and earns the longer rest."
    )
    rest_after_long_shift_hours: float | None = Field(
        None, ge=0, description="Fewest hours off after a long shift (24 after a 24-hour turn)."
    )
    max_consecutive_days: int | None = Field(None, ge=1, description="Most working days in a row.")
    min_consecutive_days: int | None = Field(
        None, ge=1, description="Fewest working days in a row (runs at the period's ends exempt)."
    )
    min_consecutive_days_off: int | None = Field(
        None, ge=1, description="Fewest days off in a row (runs at the period's ends exempt)."
    )
    max_weekends: int | None = Field(
        None, ge=0, description="Most weekends worked (Saturday or Sunday) in the period."
    )
    max_nights_per_week: int | None = Field(None, ge=0, description="Most night shifts a week.")
    max_nights: int | None = Field(None, ge=0, description="Most night shifts in the period.")
    max_hours_per_window: float | None = Field(
        None, ge=0, description="Most hours in any window_weeks ISO weeks in a row (published too)."
    )
    max_nights_per_window: int | None = Field(
        None, ge=0, description="Most night shifts in any window_weeks ISO weeks in a row."
    )
    max_weekends_per_window: int | None = Field(
        None, ge=0, description="Most weekends worked in any window_weeks ISO weeks in a row."
    )
    no_nights: bool | None = Field(None, description="Never on a night shift (older volunteers).")
    max_shifts_per_post: dict[str, int] | None = Field(
        None, description="Most shifts of a post over the period, by post id."
    )
    # Soft rules (each unit outside the range costs the weight of the same name in weights:).
    preferred_consecutive_days: Bounds | None = Field(
        None,
        description="Soft range of working days in a row (runs at the period's ends: max only).",
    )
    preferred_consecutive_days_off: Bounds | None = Field(
        None, description="Soft range of days off in a row (runs at the period's ends: max only)."
    )
    preferred_consecutive_shifts: dict[str, Bounds] | None = Field(
        None, description="Soft range of days in a row on one shift, by shift name or post id."
    )
    complete_weekends: bool | None = Field(
        None, description="Work both days of a weekend or neither (soft)."
    )
    preferred_total_shifts: Bounds | None = Field(
        None, description="Soft range of shifts over the whole period."
    )
    preferred_max_weekends: int | None = Field(
        None, ge=0, description="Soft most weekends worked (Saturday or Sunday) in the period."
    )
    preferred_total_shifts_per_window: Bounds | None = Field(
        None,
        description="Soft range of shifts over the rolling window: the published weeks of it "
        "before the period and the period (weight preferred_total_shifts).",
    )
    preferred_max_weekends_per_window: int | None = Field(
        None,
        ge=0,
        description="Soft most weekends worked over the rolling window: the published weeks of "
        "it before the period and the period (weight preferred_max_weekends).",
    )


class Weights(Strict):
    """Penalty weights of the soft rules; the objective is their weighted sum."""

    shortage: int = Field(
        1000, ge=0, description="Per person missing below a slot's hard minimum (not --strict)."
    )
    under_target: int = Field(100, ge=0, description="Per person below a slot's target.")
    over_target: int = Field(10, ge=0, description="Per person above a slot's target.")
    rounds: int = Field(
        100,
        ge=0,
        description="Per round that nobody takes of an area (a post with rounds: true), when it "
        "is the area's last round of the day; an earlier round costs more (rule rounds).",
    )
    fair_hours: int = Field(
        1,
        ge=0,
        description="Per hour a person works above or below their fair share of their pool's "
        "hours (rounded up per person).",
    )
    fair_nights: int = Field(
        0,
        ge=0,
        description="Per night shift a person works above or below their fair share of their "
        "pool's night shifts (rounded up per person).",
    )
    fair_weekends: int = Field(
        0,
        ge=0,
        description="Per weekend shift a person works above or below their fair share of their "
        "pool's weekend shifts (rounded up per person).",
    )
    preferred_consecutive_days: int = Field(
        10, ge=0, description="Per day a run of working days is outside its preferred range."
    )
    preferred_consecutive_days_off: int = Field(
        10, ge=0, description="Per day a run of days off is outside its preferred range."
    )
    preferred_consecutive_shifts: int = Field(
        5, ge=0, description="Per day a run of one shift is outside its preferred range."
    )
    complete_weekends: int = Field(
        10, ge=0, description="Per weekend worked on one day only by someone with that rule."
    )
    preferred_total_shifts: int = Field(
        10, ge=0, description="Per shift a person's total is outside their preferred range."
    )
    preferred_max_weekends: int = Field(
        10, ge=0, description="Per weekend worked above a person's preferred most."
    )


class NightWindow(Strict):
    """The hours that make a shift a night shift: a shift overlapping them is a night shift."""

    start: TimeOfDay = Field(default=time(22, 0), description="Start of the night, HH:MM.")
    end: TimeOfDay = Field(default=time(6, 0), description="End of the night, HH:MM.")


class TimeWindow(Strict):
    """A window of the day, e.g. 18:00–22:00; an end at or before the start crosses midnight."""

    start: TimeOfDay = Field(description="Start, HH:MM.")
    end: TimeOfDay = Field(description="End, HH:MM.")


_SLOT_ID = re.compile(r"[^/\s]+/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def check_slot_id(value: str) -> str:
    """A slot id as written in roster.yaml, ``<post>/<YYYY-MM-DDTHH:MM>``; else a plain error."""
    if not _SLOT_ID.fullmatch(value):
        raise ValueError(
            _(
                "{value!r} is not a slot id; write <post>/<YYYY-MM-DDTHH:MM>, "
                "e.g. gate-temp/2020-02-05T06:00"
            ).format(value=value)
        )
    return value


class Request(Strict):
    """A person's wish: to take (prefer) or not take (avoid) matching shifts, with a weight.

    A shift matches when it matches every criterion given (post, date, weekday, time window).
    A prefer request costs its weight when the person works none of the matching shifts; an avoid
    request costs its weight for each matching shift the person works.
    """

    person: PersonId = Field(description="Id of the person.")
    kind: Literal["prefer", "avoid"] = Field(description="prefer or avoid.")
    post: str | None = Field(None, description="Post id.")
    date: DateText | None = Field(None, description="A date.")
    weekday: Weekday | None = Field(None, description="A weekday (mon … sun).")
    time: TimeWindow | None = Field(None, description="A time window the shift overlaps.")
    slot: str | None = Field(
        None,
        description="One slot, <post>/<YYYY-MM-DDTHH:MM> in local time (that Wednesday morning).",
    )
    weight: int = Field(1, ge=0, description="Penalty when the wish is not met.")

    @field_validator("slot")
    @classmethod
    def _slot_id(cls, value: str | None) -> str | None:
        return None if value is None else check_slot_id(value)

    @model_validator(mode="after")
    def _some_criterion(self) -> Request:
        given = (self.post, self.date, self.weekday, self.time, self.slot)
        if all(criterion is None for criterion in given):
            raise ValueError(
                _("say what is preferred or avoided: post, date, weekday, time or slot")
            )
        return self


class Pin(Strict):
    """A fixed assignment the solver must keep: this person takes this slot."""

    person: PersonId = Field(description="Id of the person.")
    slot: str = Field(description="Slot id, <post>/<YYYY-MM-DDTHH:MM> in local time.")


class Succession(Strict):
    """A forbidden succession: a shift of `after` may not be followed the next day by `then`."""

    after: list[str] = Field(
        min_length=1, description="Post ids, or night (a night shift) / day (any other shift)."
    )
    then: list[str] = Field(
        min_length=1, description="Post ids, or night / day: the shifts the next day may not hold."
    )
    weight: int | None = Field(
        None, ge=0, description="Penalty per occurrence; not given means forbidden outright."
    )


class Contact(Strict):
    """Who workers call about the roster."""

    name: str = Field(description="Name, e.g. 王书记.")
    phone: str = Field("", description="Phone number.")


class Person(Strict):
    """Someone who can be rostered."""

    id: PersonId = Field(description="Stable id (ASCII), e.g. p01.")
    name: str = Field(description="Name as people know it, e.g. 杨金花.")
    tags: list[str] = Field(default_factory=list, description="Roles, e.g. committee.")
    skills: list[str] = Field(default_factory=list, description="Skills, e.g. thermometer.")
    phone: str = Field("", description="Private contact; shared only where the community says so.")
    share_phone: bool | None = Field(
        None, description="Show the phone to co-workers; default: the roster's share_phones."
    )
    rules: RuleSet = Field(default_factory=RuleSet, description="This person's own limits.")
    note: str = Field("", description="Free text for the coordinator.")

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        return _check_id(value, N_("person id"))


class RosterConfig(Strict):
    """The whole of roster.yaml."""

    name: str = Field(description="Name of the community, e.g. 兴旺社区.")
    timezone: str = Field("Asia/Shanghai", description="IANA time zone of the community.")
    language: str = Field(
        "zh",
        description="Language of the texts for people (zh or en), and of messages unless "
        "--lang or ROSTER_LANG chooses another.",
    )
    window_weeks: int = Field(
        4,
        ge=1,
        description="ISO weeks in the rolling window, the planned week included: the *_per_window "
        "caps and fairness count the published weeks in it.",
    )
    coordinator: Contact | None = Field(None, description="Who workers call about the roster.")
    share_phones: bool = Field(False, description="Show everyone's phone to their co-workers.")
    people_file: str | None = Field(
        None, description="People file; default people.csv or people.xlsx beside roster.yaml."
    )
    tags: dict[str, str] = Field(default_factory=dict, description="Known tags and their labels.")
    skills: dict[str, str] = Field(
        default_factory=dict, description="Known skills and their labels."
    )
    rules: RuleSet = Field(default_factory=RuleSet, description="Rules for everyone.")
    rules_by_tag: dict[str, RuleSet] = Field(
        default_factory=dict, description="Rules for people with a tag; later tags win."
    )
    weights: Weights = Field(default_factory=Weights, description="Penalty weights.")
    night: NightWindow = Field(default_factory=NightWindow, description="The night hours.")
    successions: list[Succession] = Field(
        default_factory=list, description="Forbidden successions of shifts on consecutive days."
    )
    posts: list[Post] = Field(min_length=1, description="The posts to staff.")
    people: list[Person] = Field(
        default_factory=list, description="People listed here as well as in the people file."
    )
    leave: list[Leave] = Field(default_factory=list, description="Periods people cannot work.")
    requests: list[Request] = Field(default_factory=list, description="Wishes of people.")
    pins: list[Pin] = Field(default_factory=list, description="Assignments the solver keeps.")

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            near = sorted(z for z in available_timezones() if value.lower() in z.lower())[:3]
            if near:
                problem = _("{value!r} is not an IANA time zone (did you mean {near}?)")
            else:
                problem = _("{value!r} is not an IANA time zone such as Asia/Shanghai")
            raise ValueError(problem.format(value=value, near=", ".join(near))) from None
        return value

    @field_validator("tags", "skills")
    @classmethod
    def _ids(cls, value: dict[str, str]) -> dict[str, str]:
        for key in value:
            _check_id(key, N_("id"))
        return value


#: Values used when neither the person, their tags nor the global rules set a key.
DEFAULT_RULES = RuleSet(
    max_shifts_per_day=1,
    min_rest_hours=8,
    long_shift_hours=24,
    rest_after_long_shift_hours=24,
    no_nights=False,
)
