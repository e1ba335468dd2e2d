"""Expanding post patterns into slots: periods, midnight, 24-hour turns, nights, time zones."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import SMALL_YAML, write_folder

from roster.errors import PeriodError
from roster.load import load_roster
from roster.models import NightWindow
from roster.slots import expand, is_night, make_period, parse_week

#: The period errors are asserted in English here (tests/test_i18n.py has the Chinese).
pytestmark = pytest.mark.usefixtures("english")


def test_iso_week() -> None:
    assert parse_week("2020-W06") == (date(2020, 2, 3), date(2020, 2, 9))
    assert parse_week("2020W6") == (date(2020, 2, 3), date(2020, 2, 9))


@pytest.mark.parametrize(
    ("week", "message"),
    [
        ("2020-06", "--week '2020-06' is not an ISO week; write it like 2020-W06"),
        ("2021-W53", "--week 2021-W53: 2021 has no week 53"),
    ],
)
def test_bad_weeks(week: str, message: str) -> None:
    with pytest.raises(PeriodError, match="^" + message.replace("(", r"\(") + "$"):
        parse_week(week)


def test_period_needs_both_ends() -> None:
    with pytest.raises(PeriodError, match="give both --from and --to"):
        make_period("UTC", None, date(2020, 2, 3), None)
    with pytest.raises(PeriodError, match="--to 2020-02-01 is before --from 2020-02-03"):
        make_period("UTC", None, date(2020, 2, 3), date(2020, 2, 1))


def test_slots_of_a_week(small: Path) -> None:
    roster = load_roster(small)
    slots = expand(roster.config, make_period(roster.config.timezone, "2020-W06", None, None))
    assert len(slots) == 7 * (1 + 4)
    first = {s.id: s for s in slots}
    duty = first["duty/2020-02-03T08:00"]
    assert (duty.start.isoformat(), duty.end.isoformat(), duty.hours) == (
        "2020-02-03T08:00:00+08:00",
        "2020-02-04T08:00:00+08:00",
        24.0,
    )
    evening = first["gate-temp/2020-02-09T18:00"]
    # A shift ending at 00:00 ends the next day, and belongs to the day it starts.
    assert evening.end.isoformat() == "2020-02-10T00:00:00+08:00"
    assert evening.day == date(2020, 2, 9)
    assert (evening.min, evening.target, evening.max) == (2, 2, 2)
    assert [s.night for s in slots if s.post == "gate-temp"][:4] == [True, False, False, True]


def test_period_from_to(small: Path) -> None:
    roster = load_roster(small)
    period = make_period(roster.config.timezone, None, date(2020, 2, 8), date(2020, 2, 9))
    assert len(expand(roster.config, period)) == 10
    assert list(period.weeks()) == [(2020, 6)]


def test_weekdays_and_dates(tmp_path: Path) -> None:
    text = SMALL_YAML.replace(
        'shifts: [{start: "08:00", hours: 24}]',
        'shifts: [{start: "08:00", hours: 24, days: [sat, sun]},'
        ' {start: "09:00", hours: 2, dates: [2020-02-05]}]',
    )
    roster = load_roster(write_folder(tmp_path, text))
    slots = expand(roster.config, make_period("Asia/Shanghai", "2020-W06", None, None))
    assert [s.id for s in slots if s.post == "duty"] == [
        "duty/2020-02-05T09:00",
        "duty/2020-02-08T08:00",
        "duty/2020-02-09T08:00",
    ]


def test_twenty_four_hour_turn_across_a_clock_change(tmp_path: Path) -> None:
    text = SMALL_YAML.replace("Asia/Shanghai", "Europe/London")
    roster = load_roster(write_folder(tmp_path, text))
    period = make_period("Europe/London", None, date(2020, 3, 28), date(2020, 3, 29))
    duty = [s for s in expand(roster.config, period) if s.post == "duty"]
    # Clocks go forward at 01:00 on 29 March: the turn still hands over at 08:00, after 23 hours.
    assert [(s.start.isoformat(), s.end.isoformat(), s.hours) for s in duty] == [
        ("2020-03-28T08:00:00+00:00", "2020-03-29T08:00:00+01:00", 23.0),
        ("2020-03-29T08:00:00+01:00", "2020-03-30T08:00:00+01:00", 24.0),
    ]


def test_night_window_boundaries() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Asia/Shanghai")
    night = NightWindow()

    def at(hour: int, minute: int = 0, day: int = 3) -> datetime:
        return datetime(2020, 2, day, hour, minute, tzinfo=zone)

    assert not is_night(at(6), at(22), night)  # touches both ends, overlaps neither
    assert is_night(at(6), at(22, 1), night)
    assert is_night(at(5, 59), at(12), night)
    assert is_night(at(8), at(8, day=4), night)  # a 24-hour turn covers a night
