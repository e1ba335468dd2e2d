"""roster.diff: who gains, loses or moves which duty, in words a chat group reads."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from roster.diff import Duty, diff_schedules
from roster.errors import ScheduleFileError
from roster.schedule import PeriodOut, PersonOut, PostOut, Schedule, SlotOut, SolverInfo

ZONE = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2020, 2, 3, tzinfo=ZONE)
PEOPLE = {"p01": "张海燕", "p02": "王芳", "p03": "李明"}
POSTS = {"gate-temp": "体温检测岗", "disinfect": "楼道消杀"}
SHIFTS = {"06:00": "早班", "14:00": "中班"}


def slot_id(post: str, day: int, hour: str) -> str:
    return f"{post}/{(MONDAY + timedelta(days=day)):%Y-%m-%d}T{hour}"


def schedule(
    assigned: dict[str, list[str]], language: str = "zh", week_offset: int = 0
) -> Schedule:
    """A week of two posts, two shifts a day; ``assigned`` maps slot ids to people."""
    start = MONDAY + timedelta(weeks=week_offset)
    slots = []
    for day in range(7):
        for post in POSTS:
            for hour in SHIFTS:
                begin = start + timedelta(days=day, hours=int(hour[:2]))
                sid = f"{post}/{begin:%Y-%m-%dT%H:%M}"
                end = begin + timedelta(hours=8)
                people = assigned.get(sid, [])
                slots.append(
                    SlotOut(id=sid, post=post, start=begin, end=end, min=0, target=1, max=2,
                            assigned=people, shortage=0)
                )  # fmt: skip
    return Schedule(
        roster="兴旺社区",
        timezone="Asia/Shanghai",
        period=PeriodOut(start=start, end=start + timedelta(days=7)),
        solver=SolverInfo(
            status="OPTIMAL", objective=0, bound=0, wall_seconds=0, workers=1, seed=0
        ),
        objective_terms=[],
        language=language,
        posts=[PostOut(id=k, name=v) for k, v in POSTS.items()],
        slots=slots,
        people=[PersonOut(id=k, name=v, hours=0, shifts=0, nights=0) for k, v in PEOPLE.items()],
    )


def names_of_shifts(s: Schedule) -> dict[str, str]:
    return {slot.id: SHIFTS[slot.id[-5:]] for slot in s.slots}


def test_removed_added_and_moved_duties_in_chinese() -> None:
    thursday_early = slot_id("gate-temp", 3, "06:00")
    old = schedule(
        {
            thursday_early: ["p01"],
            slot_id("disinfect", 4, "14:00"): ["p02"],
            slot_id("gate-temp", 5, "06:00"): ["p03"],
        }
    )
    new = schedule(
        {
            slot_id("disinfect", 4, "14:00"): ["p02"],
            slot_id("gate-temp", 5, "14:00"): ["p03"],
            slot_id("disinfect", 6, "06:00"): ["p02"],
        }
    )
    diff = diff_schedules(old, new, shifts=names_of_shifts(new))
    assert diff.render("第1版", "第2版") == (
        "兴旺社区 2020-W06 第1版 → 第2版：改动 4 个班次，涉及 3 人\n"
        "张海燕：2月6日 早班 体温检测岗 → 取消\n"
        "王芳：新增 2月9日 早班 楼道消杀\n"
        "李明：2月8日 早班 体温检测岗 → 2月8日 中班 体温检测岗\n"
    )
    assert [c.kind for p in diff.people for c in p.changes] == ["removed", "added", "moved"]
    assert diff.assignments_changed == 4
    # 李明's move is two shifts: the early one he left (emptied) and the late one he took.
    assert diff.shifts_changed == 4 and diff.people_affected == 3
    assert [(c.duty.slot, c.left, c.took) for c in diff.shifts] == [
        (thursday_early, "p01", None),
        (slot_id("gate-temp", 5, "06:00"), "p03", None),
        (slot_id("gate-temp", 5, "14:00"), None, "p03"),
        (slot_id("disinfect", 6, "06:00"), None, "p02"),
    ]


def test_english_and_hours_when_a_shift_has_no_name() -> None:
    old = schedule({slot_id("gate-temp", 0, "06:00"): ["p01"]}, language="en")
    new = schedule({slot_id("gate-temp", 1, "06:00"): ["p01"]}, language="en")
    diff = diff_schedules(old, new)
    assert diff.render("version 1", "version 2").splitlines() == [
        "兴旺社区 2020-W06 version 1 → version 2: 2 shifts changed, 1 person affected",
        "张海燕: Mon 3 Feb 06:00–14:00 体温检测岗 → Tue 4 Feb 06:00–14:00 体温检测岗",
    ]


def test_a_place_that_changed_hands_is_one_shift_changed() -> None:
    two = slot_id("gate-temp", 1, "06:00")
    old = schedule({two: ["p01", "p02"]}, language="en")
    new = schedule({two: ["p03", "p02"]}, language="en")
    diff = diff_schedules(old, new)
    assert [(c.duty.slot, c.left, c.took) for c in diff.shifts] == [(two, "p01", "p03")]
    assert (diff.shifts_changed, diff.people_affected, diff.assignments_changed) == (1, 2, 2)
    assert diff.count("en") == "1 shift changed, 2 people affected"
    assert diff.count("zh") == "改动 1 个班次，涉及 2 人"
    # Both places of the shift to others: two places, two shifts changed.
    both = diff_schedules(old, schedule({two: ["p03"]}, language="en"))
    assert [(c.left, c.took) for c in both.shifts] == [("p01", "p03"), ("p02", None)]
    assert both.count("en") == "2 shifts changed, 3 people affected"
    assert both.to_dict()["shifts"][1] | {"start": "", "end": ""} == {
        "slot": two, "post": "gate-temp", "post_name": "体温检测岗", "shift": "",
        "start": "", "end": "", "left": "p02", "took": None,
    }  # fmt: skip


def test_a_place_handed_on_names_who_took_it_and_whom_they_replaced() -> None:
    early = slot_id("gate-temp", 3, "06:00")
    old = schedule({early: ["p01"]})
    new = schedule({early: ["p02"]})
    diff = diff_schedules(old, new, shifts=names_of_shifts(new))
    assert diff.render("第1版", "第2版").splitlines()[1:] == [
        "张海燕：2月6日 早班 体温检测岗 → 由王芳接替",
        "王芳：新增 2月6日 早班 体温检测岗（接替张海燕）",
    ]
    assert [c["other"] for p in diff.to_dict()["people"] for c in p["changes"]] == ["p02", "p01"]
    english = diff_schedules(
        schedule({early: ["p01"]}, language="en"), schedule({early: ["p02"]}, language="en")
    )
    assert [p.text("en") for p in english.people] == [
        "张海燕: Thu 6 Feb 06:00–14:00 体温检测岗 → 王芳 takes it",
        "王芳: new: Thu 6 Feb 06:00–14:00 体温检测岗, instead of 张海燕",
    ]


def test_a_move_pairs_the_same_day_before_the_same_post() -> None:
    old = schedule({slot_id("gate-temp", 2, "06:00"): ["p01"]})
    new = schedule(
        {slot_id("gate-temp", 3, "06:00"): ["p01"], slot_id("disinfect", 2, "14:00"): ["p01"]}
    )
    [person] = diff_schedules(old, new, shifts=names_of_shifts(new)).people
    assert person.text("zh") == (
        "张海燕：2月5日 早班 体温检测岗 → 2月5日 中班 楼道消杀；新增 2月6日 早班 体温检测岗"
    )


def test_duties_on_other_days_and_posts_are_not_a_move() -> None:
    old = schedule({slot_id("gate-temp", 0, "06:00"): ["p01"]})
    new = schedule({slot_id("disinfect", 2, "06:00"): ["p01"]})
    [person] = diff_schedules(old, new).people
    assert [c.kind for c in person.changes] == ["removed", "added"]


def test_the_same_schedule_has_no_changes() -> None:
    same = schedule({slot_id("gate-temp", 0, "06:00"): ["p01", "p02"]})
    diff = diff_schedules(same, same)
    assert diff.people == () and diff.assignments_changed == 0 and diff.shifts_changed == 0
    assert diff.render("第1版", "第2版") == "兴旺社区 2020-W06 第1版 → 第2版：没有改动班次\n"
    assert diff.to_dict()["people"] == []


def test_schedules_of_two_periods_are_not_compared(english: None) -> None:
    with pytest.raises(ScheduleFileError) as raised:
        diff_schedules(schedule({}), schedule({}, week_offset=1), names=("a.json", "b.json"))
    assert str(raised.value) == (
        "a.json is for 2020-W06 and b.json for 2020-W07; compare two schedules of one period"
    )


def test_a_shift_named_as_its_post_is_named_once() -> None:
    # Regression: the 24-hour turn read "2月7日 24小时值班 24小时值班".
    zone = ZoneInfo("Asia/Shanghai")
    start = datetime(2020, 2, 7, 8, 0, tzinfo=zone)
    turn = Duty("duty-24h/2020-02-07T08:00", "duty-24h", "24小时值班", "24小时值班", start,
                start + timedelta(hours=24))  # fmt: skip
    assert turn.text("zh") == "2月7日 24小时值班"
    gate = Duty("gate/2020-02-07T06:00", "gate", "体温检测岗", "早班", start, start)
    assert gate.text("zh") == "2月7日 早班 体温检测岗"
