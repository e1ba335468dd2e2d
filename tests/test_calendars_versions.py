"""Feeds of published versions: SEQUENCE, CANCELLED, LAST-MODIFIED over versions and periods, the
window, byte-identical output, and the names of people and posts that left the roster."""

from __future__ import annotations

import dataclasses
import json
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import hypothesis.strategies as st
import pytest
import vobject
from hypothesis import given, settings
from icalendar import Calendar, Event

from calendars.errors import FeedError
from calendars.feeds import EventMemo, FeedIndex, FeedOptions, build_feeds, write_feeds
from calendars.history import HistoryMemo, published
from calendars.tokens import FeedKey
from roster.load import Roster
from roster.schedule import PersonOut, PostOut
from roster.versions import Version
from tests.test_calendars_factory import ASSIGNMENT, make_roster, make_schedule, make_version
from tests.test_calendars_feeds import (
    assert_consumers_agree,
    assert_rfc_clean,
    feed_paths,
    snapshot,
    unfolded_lines,
)

#: Errors are asserted in English here; the feeds stay in the roster's Chinese.
pytestmark = pytest.mark.usefixtures("english")

BASE_URL = "https://example.org/feeds"
PERIOD_A = (date(2020, 2, 3), date(2020, 2, 4))  # ends 2020-02-04T16:00Z
PERIOD_B = (date(2020, 2, 5), date(2020, 2, 6))  # ends 2020-02-06T16:00Z
A_OVER = datetime(2020, 2, 4, 16, tzinfo=UTC)


def utc(day: int, hour: int) -> datetime:
    return datetime(2020, 2, day, hour, tzinfo=UTC)


def changed(base: dict[str, list[str]], **slots: list[str]) -> dict[str, list[str]]:
    """``base`` with some slots reassigned; keyword names use _ for / and - (gate_night_03)."""
    out = dict(base)
    for name, people in slots.items():
        post, day = name.rsplit("_", 1)
        matches = [k for k in base if k.startswith(post.replace("_", "-") + "/2020-02-" + day)]
        assert len(matches) == 1, name
        out[matches[0]] = people
    return out


def shifted(base: dict[str, list[str]], days: int) -> dict[str, list[str]]:
    """The same duties ``days`` later (slot ids hold the start)."""
    out = {}
    for slot_id, people in base.items():
        post, when = slot_id.split("/")
        moved = datetime.fromisoformat(when) + timedelta(days=days)
        out[f"{post}/{moved:%Y-%m-%dT%H:%M}"] = people
    return out


# Period A: three versions. A2 takes 王芳 (p03) off the night of the 4th (Zhao Lei, p04, gets it)
# and puts 陈静 (p05) on the first disinfection; A3 puts 王芳 back beside Zhao Lei.
A1_DUTIES = ASSIGNMENT
A2_DUTIES = changed(ASSIGNMENT, gate_night_04=["p04"], disinfect_03=["p05"])
A3_DUTIES = changed(A2_DUTIES, gate_night_04=["p03", "p04"])
A1 = make_version(1, utc(1, 2), A1_DUTIES)
A2 = make_version(2, utc(2, 3), A2_DUTIES)
A3 = make_version(3, utc(3, 4), A3_DUTIES)
# Period B: the same duties two days later; B2 takes 李明 (p02) off the night of the 5th.
B_DUTIES = shifted(ASSIGNMENT, 2)
B1 = make_version(1, utc(4, 2), B_DUTIES, PERIOD_B)
B2 = make_version(2, utc(5, 2), changed(B_DUTIES, gate_night_05=["p01", "p04"]), PERIOD_B)


@pytest.fixture
def roster(tmp_path: Path) -> Roster:
    return make_roster(tmp_path / "roster")


def feeds(
    roster: Roster,
    out: Path,
    versions: list[Version],
    window: int = 4,
    now: datetime | None = None,
) -> FeedIndex:
    return write_feeds(roster, versions, out, base_url=BASE_URL, window=window, now=now)


def events(index: FeedIndex, path: str) -> list[Event]:
    return list(Calendar.from_ical((index.folder / path).read_bytes()).walk("VEVENT"))


def by_start(index: FeedIndex, path: str) -> dict[str, Event]:
    """The events of a feed by local start, e.g. ``02-04 22:00``."""
    zone = make_schedule().slots[0].start.tzinfo
    return {f"{e.decoded('DTSTART').astimezone(zone):%m-%d %H:%M}": e for e in events(index, path)}


def state(event: Event) -> tuple[str, int, datetime, datetime]:
    """STATUS, SEQUENCE, LAST-MODIFIED and CREATED of an event; DTSTAMP must equal LAST-MODIFIED."""
    modified = event.decoded("LAST-MODIFIED")
    assert event.decoded("DTSTAMP") == modified
    return (str(event["STATUS"]), int(event["SEQUENCE"]), modified, event.decoded("CREATED"))


# SEQUENCE, CANCELLED, LAST-MODIFIED over v1 → v2 → v3 of one period


def test_a_removed_duty_stays_cancelled_with_its_sequence_raised(
    roster: Roster, tmp_path: Path
) -> None:
    index = feeds(roster, tmp_path / "feeds", [A1, A2])
    mine = by_start(index, index.people["p03"])
    assert sorted(mine) == ["02-03 22:00", "02-04 22:00"]
    assert state(mine["02-03 22:00"]) == ("CONFIRMED", 0, utc(1, 2), utc(1, 2))
    night = mine["02-04 22:00"]
    assert state(night) == ("CANCELLED", 1, utc(2, 3), utc(1, 2))
    assert str(night["SUMMARY"]) == "已取消：体温检测岗（夜班）"
    assert str(night["DESCRIPTION"]) == "此班已取消，不用到岗。\n\n负责人：马书记，电话 13800000000"
    assert str(night["TRANSP"]) == "TRANSPARENT"
    assert not night.walk("VALARM")  # a cancelled duty does not ring
    assert index.cancelled[index.people["p03"]] == 1 and index.events[index.people["p03"]] == 2
    assert index.cancelled[index.all] == 0
    assert str(mine["02-03 22:00"]["TRANSP"]) == "OPAQUE"
    # Zhao Lei's new duty starts its own history; 陈静's too.
    (new,) = [e for e in events(index, index.people["p04"]) if "22" in str(e["DTSTART"].dt)]
    assert state(new) == ("CONFIRMED", 0, utc(2, 3), utc(2, 3))
    assert str(new["DESCRIPTION"]).endswith(
        "同班：无（本班由你一人值守）\n负责人：马书记，电话 13800000000"
    )
    (first,) = events(index, index.people["p05"])
    assert state(first) == ("CONFIRMED", 0, utc(2, 3), utc(2, 3))


def test_sequence_counts_every_version_that_changed_the_event(
    roster: Roster, tmp_path: Path
) -> None:
    index = feeds(roster, tmp_path / "feeds", [A1, A2, A3])
    # 王芳: on in v1, cancelled in v2, back in v3.
    back = by_start(index, index.people["p03"])["02-04 22:00"]
    assert state(back) == ("CONFIRMED", 2, utc(3, 4), utc(1, 2))
    assert str(back["SUMMARY"]) == "体温检测岗（夜班）"
    assert back.walk("VALARM")
    # Zhao Lei: alone in v2, with 王芳 in v3: who else is on shift is part of the event.
    night = by_start(index, index.people["p04"])["02-04 22:00"]
    assert state(night) == ("CONFIRMED", 1, utc(3, 4), utc(2, 3))
    assert str(night["DESCRIPTION"]).endswith("同班：王芳\n负责人：马书记，电话 13800000000")
    # 李明's duties never changed: first version's stamp, SEQUENCE 0.
    for event in events(index, index.people["p02"]):
        assert state(event) == ("CONFIRMED", 0, utc(1, 2), utc(1, 2))
    # Overview: the night of the 4th changed in v2 and v3, the first disinfection in v2 only.
    whole = by_start(index, index.all)
    assert state(whole["02-04 22:00"]) == ("CONFIRMED", 2, utc(3, 4), utc(1, 2))
    assert state(whole["02-03 09:00"]) == ("CONFIRMED", 1, utc(2, 3), utc(1, 2))
    assert state(whole["02-03 08:00"]) == ("CONFIRMED", 0, utc(1, 2), utc(1, 2))
    assert "在岗：王芳、Zhao Lei" in str(whole["02-04 22:00"]["DESCRIPTION"])
    assert json.loads((index.folder / "index.json").read_text())["updated"] == (
        "2020-02-03T04:00:00+00:00"
    )


def test_a_changed_end_keeps_the_uid_and_raises_the_sequence(
    roster: Roster, tmp_path: Path
) -> None:
    # Version 2 was solved after the 24-hour turn was cut to 12 hours.
    schedule = A1.schedule.model_copy(deep=True)
    turn = next(s for s in schedule.slots if s.id == "duty24/2020-02-03T08:00")
    turn.end = turn.start + timedelta(hours=12)
    second = dataclasses.replace(A1, number=2, parent=1, published_at=utc(2, 3), schedule=schedule)
    before = feeds(roster, tmp_path / "one", [A1])
    after = feeds(roster, tmp_path / "two", [A1, second])
    old_turn = by_start(before, before.people["p01"])["02-03 08:00"]
    new_turn = by_start(after, after.people["p01"])["02-03 08:00"]
    assert str(new_turn["UID"]) == str(old_turn["UID"])
    assert state(new_turn) == ("CONFIRMED", 1, utc(2, 3), utc(1, 2))
    assert new_turn.decoded("DTEND") - new_turn.decoded("DTSTART") == timedelta(hours=12)


def test_a_duty_moved_to_another_slot_is_cancelled_there_and_new_here(
    roster: Roster, tmp_path: Path
) -> None:
    # 杨金花 (p01) and 李明 (p02) swap their 24-hour turns.
    swap = changed(ASSIGNMENT, duty24_03=["p02"], duty24_04=["p01"])
    before = feeds(roster, tmp_path / "one", [A1])
    after = feeds(roster, tmp_path / "two", [A1, make_version(2, utc(2, 3), swap)])
    old = by_start(before, before.people["p01"])["02-03 08:00"]
    mine = by_start(after, after.people["p01"])
    assert str(mine["02-03 08:00"]["UID"]) == str(old["UID"])
    assert state(mine["02-03 08:00"]) == ("CANCELLED", 1, utc(2, 3), utc(1, 2))
    assert state(mine["02-04 08:00"]) == ("CONFIRMED", 0, utc(2, 3), utc(2, 3))
    assert str(mine["02-04 08:00"]["UID"]) != str(old["UID"])


def test_a_slot_gone_from_the_roster_is_cancelled_in_the_overview_feeds(
    roster: Roster, tmp_path: Path
) -> None:
    # Version 2 was solved after the second day's disinfection round was dropped.
    fewer = {k: v for k, v in ASSIGNMENT.items() if k != "disinfect/2020-02-04T09:00"}
    index = feeds(roster, tmp_path / "feeds", [A1, make_version(2, utc(2, 3), fewer)])
    for path in (index.all, index.posts["disinfect"]):
        gone = by_start(index, path)["02-04 09:00"]
        assert state(gone) == ("CANCELLED", 1, utc(2, 3), utc(1, 2))
        assert str(gone["SUMMARY"]) == "已取消：消杀"
        assert str(gone["DESCRIPTION"]) == "此班次已取消。\n\n负责人：马书记，电话 13800000000"
        assert str(by_start(index, path)["02-03 09:00"]["STATUS"]) == "CONFIRMED"
    for person in ("p01", "p04"):
        assert state(by_start(index, index.people[person])["02-04 09:00"])[:2] == ("CANCELLED", 1)


# Across periods, the window, and when cancelled events leave


def test_publishing_the_next_period_keeps_this_periods_duties(
    roster: Roster, tmp_path: Path
) -> None:
    index = feeds(roster, tmp_path / "feeds", [A1, A2, A3, B1])
    assert sorted(by_start(index, index.people["p02"])) == [
        "02-03 22:00",
        "02-04 08:00",
        "02-05 22:00",
        "02-06 08:00",
    ]
    assert len(events(index, index.all)) == 12
    listed = json.loads((index.folder / "index.json").read_text())["versions"]
    assert listed == [
        {
            "start": "2020-02-03T00:00:00+08:00",
            "end": "2020-02-05T00:00:00+08:00",
            "version": 3,
            "published_at": "2020-02-03T04:00:00+00:00",
        },
        {
            "start": "2020-02-05T00:00:00+08:00",
            "end": "2020-02-07T00:00:00+08:00",
            "version": 1,
            "published_at": "2020-02-04T02:00:00+00:00",
        },
    ]


def test_two_periods_each_keep_their_own_history(roster: Roster, tmp_path: Path) -> None:
    index = feeds(roster, tmp_path / "feeds", [B2, A2, B1, A1])  # any order
    p02 = by_start(index, index.people["p02"])
    assert state(p02["02-05 22:00"]) == ("CANCELLED", 1, utc(5, 2), utc(4, 2))
    assert state(p02["02-06 08:00"]) == ("CONFIRMED", 0, utc(4, 2), utc(4, 2))
    assert state(p02["02-03 22:00"]) == ("CONFIRMED", 0, utc(1, 2), utc(1, 2))
    # Period A is over at B2's publishing time: 王芳's cancelled night has left her feed, her
    # confirmed night of the 3rd stays.
    assert sorted(by_start(index, index.people["p03"])) == [
        "02-03 22:00",
        "02-05 22:00",
        "02-06 22:00",
    ]


@pytest.mark.parametrize(
    ("now", "shown"),
    [(A_OVER - timedelta(seconds=1), True), (A_OVER, False), (None, True)],
)
def test_a_cancelled_duty_leaves_when_its_period_is_over(
    roster: Roster, tmp_path: Path, now: datetime | None, shown: bool
) -> None:
    index = feeds(roster, tmp_path / "feeds", [A1, A2], now=now)
    cancelled = [e for e in events(index, index.people["p03"]) if e["STATUS"] == "CANCELLED"]
    assert len(cancelled) == (1 if shown else 0)
    # Confirmed duties of a past period stay either way.
    assert len(events(index, index.people["p03"])) == (2 if shown else 1)


def test_the_window_holds_the_most_recent_periods(roster: Roster, tmp_path: Path) -> None:
    weeks = [
        make_version(
            1,
            utc(1, 2) + timedelta(days=7 * n),
            shifted(ASSIGNMENT, 7 * n),
            (PERIOD_A[0] + timedelta(days=7 * n), PERIOD_A[1] + timedelta(days=7 * n)),
        )
        for n in range(5)
    ]

    def days(index: FeedIndex) -> list[str]:
        return sorted({key[:5] for key in by_start(index, index.all)})

    default = feeds(roster, tmp_path / "default", weeks)
    assert days(default) == ["02-10", "02-11", "02-17", "02-18", "02-24", "02-25", "03-02", "03-03"]
    assert len(json.loads((default.folder / "index.json").read_text())["versions"]) == 4
    assert days(feeds(roster, tmp_path / "five", weeks, window=5))[:2] == ["02-03", "02-04"]
    assert days(feeds(roster, tmp_path / "one", weeks, window=1)) == ["03-02", "03-03"]
    with pytest.raises(FeedError, match=r"^a window of 0 periods shows nothing; give 1 or more$"):
        feeds(roster, tmp_path / "none", weeks, window=0)


def test_periods_published_ahead_do_not_push_the_current_one_out(
    roster: Roster, tmp_path: Path
) -> None:
    # Six weeks published on 2 February, before the first starts: none is over, all show.
    weeks = [
        make_version(
            1,
            utc(2, n),
            shifted(ASSIGNMENT, 7 * n),
            (PERIOD_A[0] + timedelta(days=7 * n), PERIOD_A[1] + timedelta(days=7 * n)),
        )
        for n in range(6)
    ]
    index = feeds(roster, tmp_path / "ahead", weeks)
    assert len(json.loads((index.folder / "index.json").read_text())["versions"]) == 6
    # Once the first two weeks are over, the window keeps the four most recent.
    later = feeds(roster, tmp_path / "later", weeks, now=datetime(2020, 2, 12, tzinfo=UTC))
    shown = json.loads((later.folder / "index.json").read_text())["versions"]
    assert [v["start"][:10] for v in shown] == [
        "2020-02-17",
        "2020-02-24",
        "2020-03-02",
        "2020-03-09",
    ]


def test_a_period_published_later_shows_the_slots_it_shares(roster: Roster, tmp_path: Path) -> None:
    # A ranged roster of the 4th and 5th published after week A: its 24-hour turn of the 4th
    # (陈静) replaces week A's (李明).
    overlap = make_version(
        1,
        utc(2, 8),
        {"duty24/2020-02-04T08:00": ["p05"], "duty24/2020-02-05T08:00": ["p01"]},
        (date(2020, 2, 4), date(2020, 2, 5)),
    )
    index = feeds(roster, tmp_path / "feeds", [A1, overlap])
    turns = by_start(index, index.posts["duty24"])
    assert [(when, "陈静" in str(e["DESCRIPTION"])) for when, e in turns.items()] == [
        ("02-03 08:00", False),
        ("02-04 08:00", True),
        ("02-05 08:00", False),
    ]
    assert "02-04 08:00" not in by_start(index, index.people["p02"])


# Bytes and parsers


def test_the_same_versions_give_byte_identical_feeds(roster: Roster, tmp_path: Path) -> None:
    versions = [A1, A2, A3, B1, B2]
    first = feeds(roster, tmp_path / "feeds", versions)
    before = snapshot(first.folder)
    feeds(roster, first.folder, versions)
    assert snapshot(first.folder) == before
    shuffled = list(versions)
    random.Random(7).shuffle(shuffled)
    elsewhere = feeds(roster, tmp_path / "elsewhere", shuffled)  # nothing is read from disk
    assert snapshot(elsewhere.folder) == before


def test_the_bytes_do_not_depend_on_the_offsets_the_store_returns(
    roster: Roster, tmp_path: Path
) -> None:
    def in_utc(version: Version) -> Version:
        schedule = version.schedule.model_copy(deep=True)
        schedule.period.start = schedule.period.start.astimezone(UTC)
        schedule.period.end = schedule.period.end.astimezone(UTC)
        for slot in schedule.slots:
            slot.start, slot.end = slot.start.astimezone(UTC), slot.end.astimezone(UTC)
        # Publishing times the other way round: in the community's zone rather than UTC.
        local = version.published_at.astimezone(ZoneInfo("Asia/Shanghai"))
        return dataclasses.replace(version, schedule=schedule, published_at=local)

    versions = [A1, A2, A3, B1, B2]
    local = feeds(roster, tmp_path / "local", versions)
    utc_ = feeds(roster, tmp_path / "utc", [in_utc(v) for v in versions])
    assert snapshot(utc_.folder) == snapshot(local.folder)


def test_publishing_the_same_duties_again_leaves_every_feed_as_it_was(
    roster: Roster, tmp_path: Path
) -> None:
    index = feeds(roster, tmp_path / "feeds", [A1, A2])
    before = snapshot(index.folder)
    again = make_version(3, utc(3, 4), A2_DUTIES)
    feeds(roster, index.folder, [A1, A2, again])
    after = snapshot(index.folder)
    assert {p: after[p] for p in feed_paths(index)} == {p: before[p] for p in feed_paths(index)}
    assert json.loads(after["index.json"])["versions"][0]["version"] == 3


@pytest.mark.parametrize("versions", [[A1, A2], [A1, A2, A3, B1, B2]], ids=["v2", "b2"])
def test_every_feed_is_rfc_clean_and_read_alike_by_three_parsers(
    roster: Roster, tmp_path: Path, versions: list[Version]
) -> None:
    index = feeds(roster, tmp_path / "feeds", versions)
    for path in feed_paths(index):
        data = (index.folder / path).read_bytes()
        assert_rfc_clean(data)
        assert_consumers_agree(data)
        lines = unfolded_lines(data)
        assert sum(line.startswith("LAST-MODIFIED:") for line in lines) == data.count(
            b"BEGIN:VEVENT"
        )


def test_vobject_reads_the_history_properties(roster: Roster, tmp_path: Path) -> None:
    index = feeds(roster, tmp_path / "feeds", [A1, A2])
    card = vobject.readOne((index.folder / index.people["p03"]).read_text(encoding="utf-8"))
    night = card.vevent_list[1]
    assert night.status.value == "CANCELLED"
    assert night.sequence.value == "1"
    assert night.last_modified.value == utc(2, 3)
    assert night.dtstamp.value == utc(2, 3)
    assert night.created.value == utc(1, 2)


def test_the_index_lists_the_same_tokens_as_a_schedules_feeds(
    roster: Roster, tmp_path: Path
) -> None:
    lone = write_feeds(roster, make_schedule(), tmp_path / "lone", base_url=BASE_URL)
    index = feeds(roster, tmp_path / "feeds", [A1, A2, A3, B1])
    for key in ("people", "posts", "all"):
        assert getattr(index, key) == getattr(lone, key)
    page = (index.folder / "index.html").read_text(encoding="utf-8")
    assert "<li>2020-02-03 至 2020-02-04：第 3 版，2020-02-03 12:00 发布</li>" in page
    assert "<li>2020-02-05 至 2020-02-06：第 1 版，2020-02-04 10:00 发布</li>" in page
    assert "排班更新于 2020-02-04 10:00 CST" in page
    assert '"versions"' not in (lone.folder / "index.json").read_text(encoding="utf-8")


def test_nothing_published_gives_empty_valid_feeds(roster: Roster, tmp_path: Path) -> None:
    index = feeds(roster, tmp_path / "feeds", [])
    for path in feed_paths(index):
        data = (index.folder / path).read_bytes()
        assert_rfc_clean(data)
        assert b"BEGIN:VEVENT" not in data
    data = json.loads((index.folder / "index.json").read_text(encoding="utf-8"))
    assert data["versions"] == [] and data["updated"] is None


# The memo of rendered events a server keeps between builds


def test_a_memo_of_rendered_events_changes_no_byte(roster: Roster) -> None:
    """Builds that reuse the events of earlier ones (v1, v2, v3, the next period, fewer or other
    options, a version that records a name) give exactly the bytes of a build from scratch."""
    memo = EventMemo()
    options = FeedOptions(base_url=BASE_URL)
    gone = dataclasses.replace(
        B2,
        number=3,
        schedule=B2.schedule.model_copy(
            update={"people": [PersonOut(id="p98", name="孙丽", hours=2, shifts=1, nights=0)]}
        ),
    )
    steps: list[tuple[list[Version], FeedOptions]] = [
        ([A1], options),
        ([A1, A2], options),
        ([A1, A2, A3], options),
        ([A1, A2, A3, B1], options),
        ([A1, A2, A3, B1, B2], FeedOptions(base_url=BASE_URL, alarm_minutes=None)),
        ([A1, A2, A3, B1, B2, gone], options),
    ]
    counts = []
    for versions, opts in steps:
        remembered, _ = build_feeds(roster, versions, opts, memo=memo)
        fresh, _ = build_feeds(roster, versions, opts)
        assert remembered == fresh
        counts.append((memo.rendered, memo.reused))
    # v2 renders only the events it changed; other options or recorded names render everything.
    assert counts[1][0] < counts[1][1]
    assert counts[4][1] == 0 and counts[5][1] == 0
    # A selection renders its feeds from the memo too, and equals a build from scratch.
    keys = {FeedKey("all"), FeedKey("person", "p03")}
    selected, index = build_feeds(roster, [A1, A2], options, select=keys, memo=memo)
    fresh, _ = build_feeds(roster, [A1, A2], options)
    assert selected == {path: fresh[path] for path in (index.all, index.people["p03"])}


def test_a_history_memo_gives_what_published_gives_without_it() -> None:
    """Asked again as versions are added, in any order of periods, with and without new
    versions, and with a period leaving the window: the memo changes nothing."""
    memo: HistoryMemo = {}
    steps = [
        [A1],
        [A1, A2],
        [A1, A2],
        [A1, A2, A3, B1],
        [A1, A2, A3, B1, B2],
        [A1, A2, A3, B1, B2],
    ]
    for versions in steps:
        assert published(versions, memo=memo) == published(versions)
    # A window of one period drops A: its histories leave the memo.
    assert published([A1, A2, A3, B1, B2], 1, memo=memo) == published([A1, A2, A3, B1, B2], 1)
    assert {key[1] for key in memo} == {B1.period_start}
    # Versions that are not a continuation of what was followed (another A2) start afresh.
    other = dataclasses.replace(A2, published_at=utc(2, 5))
    assert published([A1, other], memo=memo) == published([A1, other])


# People and posts that left, and mistakes


def test_people_and_posts_that_left_keep_their_recorded_names(
    roster: Roster, tmp_path: Path
) -> None:
    duties = dict(ASSIGNMENT, **{"broadcast/2020-02-03T07:00": ["p02", "p98"]})
    gone = make_version(1, utc(1, 2), duties)
    schedule = gone.schedule.model_copy(
        update={
            "people": [PersonOut(id="p98", name="孙丽", hours=2, shifts=1, nights=0)],
            "posts": [PostOut(id="broadcast", name="广播提醒", location="社区广播站")],
        }
    )
    index = feeds(roster, tmp_path / "feeds", [dataclasses.replace(gone, schedule=schedule)])
    morning = by_start(index, index.people["p02"])["02-03 07:00"]
    assert str(morning["SUMMARY"]) == "广播提醒"
    assert str(morning["LOCATION"]) == "社区广播站"
    assert str(morning["DESCRIPTION"]).startswith("同班：孙丽\n")
    assert "p98" not in index.people  # no feed for someone no longer in the roster


def test_a_version_in_another_time_zone_is_an_error(roster: Roster, tmp_path: Path) -> None:
    schedule = A2.schedule.model_copy(update={"timezone": "Europe/Berlin"})
    with pytest.raises(
        FeedError,
        match=r"^version 2 of 2020-02-03–2020-02-04: time zone Europe/Berlin is not the "
        r"roster's Asia/Shanghai \(.*roster\); publish a roster solved in",
    ):
        feeds(roster, tmp_path / "feeds", [A1, dataclasses.replace(A2, schedule=schedule)])


def test_a_version_given_twice_is_an_error(roster: Roster, tmp_path: Path) -> None:
    with pytest.raises(
        FeedError, match=r"^2020-02-03–2020-02-04 has version 2 twice; give each published"
    ):
        feeds(roster, tmp_path / "feeds", [A1, A2, dataclasses.replace(A3, number=2)])


def test_a_reference_time_without_zone_is_an_error(roster: Roster, tmp_path: Path) -> None:
    with pytest.raises(FeedError, match=r"reference time 2020-02-05 00:00 has no time zone"):
        feeds(roster, tmp_path / "feeds", [A1], now=datetime(2020, 2, 5))
    assert not (tmp_path / "feeds").exists()


def test_published_is_a_function_of_the_versions_alone() -> None:
    first = published([A1, A2, A3, B1, B2])
    second = published([B2, B1, A3, A2, A1])
    assert first == second
    assert first.now == utc(5, 2)


# Any run of versions


PEOPLE = ["p01", "p02", "p03", "p04", "p05"]
_CREWS = st.lists(st.sampled_from(PEOPLE), max_size=2, unique=True).map(
    lambda crew: sorted(crew, key=PEOPLE.index)
)
_RUNS = st.lists(
    st.fixed_dictionaries({slot: _CREWS for slot in ASSIGNMENT}), min_size=1, max_size=5
)


@settings(max_examples=60, deadline=None)
@given(run=_RUNS)
def test_any_run_of_versions_follows_the_rules(run: list[dict[str, list[str]]]) -> None:
    versions = [make_version(n, utc(1, n), duties) for n, duties in enumerate(run, start=1)]
    before: dict[tuple[str, str], tuple[int, bool, tuple[str, ...]]] = {}
    for count in range(1, len(versions) + 1):
        shown = published(versions[:count])
        latest = run[count - 1]
        ever = {
            (pid, slot) for duties in run[:count] for slot, crew in duties.items() for pid in crew
        }
        now: dict[tuple[str, str], tuple[int, bool, tuple[str, ...]]] = {}
        for pid, entries in shown.duties.items():
            for entry in entries:
                key = (pid, entry.slot.id)
                others = tuple(p for p in entry.slot.assigned if p != pid)
                now[key] = (entry.sequence, entry.cancelled, others)
                assert entry.created is not None and entry.modified is not None
                assert entry.created <= entry.modified <= utc(1, count)
        # Every duty ever published is there: confirmed if the latest version has it, else
        # cancelled (the period is not over at the newest publishing time).
        assert set(now) == ever
        for (pid, slot), (sequence, cancelled, others) in now.items():
            assert cancelled == (pid not in latest[slot])
            old = before.get((pid, slot))
            if old is None:
                assert sequence == 0 and not cancelled
            else:
                # One more exactly when this version changed what the event shows.
                differs = cancelled != old[1] or (not cancelled and others != old[2])
                assert sequence == old[0] + differs
        before = now
        # Overview events: one per slot (every version has the same slots).
        assert sorted(e.slot.id for e in shown.slots) == sorted(ASSIGNMENT)
