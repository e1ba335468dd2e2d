"""The feeds of a schedule: golden files, RFC 5545 checks, independent parsers, privacy, tokens,
atomic replacement."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
import vobject
from icalendar import Calendar

import calendars.feeds
from calendars.errors import FeedError
from calendars.feeds import FeedIndex, write_feeds
from calendars.ics import serialize
from calendars.tokens import ROTATIONS_FILE, SECRET_FILE, FeedKey, rotate
from roster.load import Roster, load_roster
from roster.schedule import PeriodOut, Schedule, SlotOut, SolverInfo
from roster.slots import expand, make_period
from tests.test_calendars_factory import ASSIGNMENT, make_roster, make_schedule, write_roster

#: Errors are asserted in English here; the feeds stay in the roster's Chinese.
pytestmark = pytest.mark.usefixtures("english")

GOLDEN = Path(__file__).parent / "golden" / "feeds"
BASE_URL = "https://example.org/feeds"
ZONE = ZoneInfo("Asia/Shanghai")


# Checks every feed must pass


def feed_paths(index: FeedIndex) -> list[str]:
    """Every feed of an index: people, posts, then the whole roster."""
    return [*index.people.values(), *index.posts.values(), index.all]


def unfolded_lines(data: bytes) -> list[str]:
    """The content lines of iCalendar bytes, unfolded."""
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]


def assert_rfc_clean(data: bytes) -> None:
    """The RFC 5545 / RFC 7986 properties the issue lists, checked on the raw bytes."""
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b""), "bare LF"
    assert b"\r" not in data.replace(b"\r\n", b""), "bare CR"
    physical = data[:-2].split(b"\r\n")
    for number, raw in enumerate(physical):
        assert len(raw) <= 75, f"line {number} has {len(raw)} octets"
        raw.decode("utf-8")  # a fold never splits a UTF-8 character
        continued = number + 1 < len(physical) and physical[number + 1].startswith(b" ")
        if continued:
            trailing = len(raw) - len(raw.rstrip(b"\\"))
            assert trailing % 2 == 0, f"line {number} folds inside a backslash escape"
    lines = unfolded_lines(data)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    props = [line.split(":", 1)[0] for line in lines]
    for needed in ("VERSION", "PRODID", "NAME", "X-WR-CALNAME", "X-PUBLISHED-TTL"):
        assert needed in props, needed
    assert "VERSION:2.0" in lines
    assert "REFRESH-INTERVAL;VALUE=DURATION" in props
    assert not any(p.startswith("X-PUBLISHED-TTL;") for p in props)
    assert re.fullmatch(r"X-PUBLISHED-TTL:P[0-9DTHMS]+", lines[props.index("X-PUBLISHED-TTL")])
    methods = [line for line in lines if line.startswith("METHOD")]
    assert methods in ([], ["METHOD:PUBLISH"])
    # Components: VTIMEZONE with no COMMENT directly inside; every TZID defined; event fields.
    stack: list[str] = []
    defined: set[str] = set()
    used: set[str] = set()
    event: set[str] = set()
    for line, prop in zip(lines, props, strict=True):
        name = prop.split(";", 1)[0]
        if name == "BEGIN":
            stack.append(line[6:])
            if stack[-1] == "VEVENT":
                event = set()
            continue
        if name == "END":
            if stack[-1] == "VEVENT":
                for needed in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "SUMMARY"):
                    assert needed in event, needed
                assert "ORGANIZER" in event or not methods
            assert stack.pop() == line[4:]
            continue
        if stack[-1] == "VTIMEZONE":
            assert name != "COMMENT"
            if name == "TZID":
                defined.add(line.split(":", 1)[1])
        if stack[-1] == "VEVENT":
            event.add(name)
        used.update(re.findall(r";TZID=([^;:]+)", prop))
    assert not stack
    assert used <= defined


def events_of(data: bytes) -> list[tuple[datetime, datetime, str]]:
    """(start, end, summary) of each event, as icalendar reads them."""
    return [
        (e.decoded("DTSTART"), e.decoded("DTEND"), str(e["SUMMARY"]))
        for e in Calendar.from_ical(data).walk("VEVENT")
    ]


def assert_consumers_agree(data: bytes) -> None:
    """icalendar (round trip), vobject and recurring-ical-events read the same events."""
    calendar = Calendar.from_ical(data)
    assert serialize(calendar) == data  # icalendar round trip, byte for byte
    ours = sorted(events_of(data))
    card = vobject.readOne(data.decode("utf-8"))
    theirs = sorted(
        (e.dtstart.value, e.dtend.value, e.summary.value) for e in getattr(card, "vevent_list", [])
    )
    assert theirs == ours
    occurrences = recurring_ical_events.of(calendar).between((1990, 1, 1), (2100, 1, 1))
    assert (
        sorted((o.decoded("DTSTART"), o.decoded("DTEND"), str(o["SUMMARY"])) for o in occurrences)
        == ours
    )


# Fixtures


@pytest.fixture
def roster(tmp_path: Path) -> Roster:
    return make_roster(tmp_path / "roster")


@pytest.fixture
def written(roster: Roster, tmp_path: Path) -> FeedIndex:
    return write_feeds(roster, make_schedule(), tmp_path / "feeds", base_url=BASE_URL + "/")


def read(index: FeedIndex, path: str) -> bytes:
    return (index.folder / path).read_bytes()


# Golden files


def compare_golden(name: str, data: bytes) -> None:
    """Compare with tests/golden/feeds/<name>; UPDATE_GOLDEN=1 rewrites the file instead."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert path.exists(), f"{path} is missing; run with UPDATE_GOLDEN=1 to create it"
    assert data == path.read_bytes(), f"{name} differs from its golden file"


@pytest.mark.parametrize(
    ("golden", "feed"),
    [
        ("zh/person-p02.ics", "person:p02"),
        ("zh/person-p05-empty.ics", "person:p05"),
        ("zh/post-gate-night.ics", "post:gate-night"),
        ("zh/all.ics", "all"),
        ("zh/index.json", "index.json"),
        ("zh/index.html", "index.html"),
    ],
)
def test_zh_feeds_match_golden_files(written: FeedIndex, golden: str, feed: str) -> None:
    kind, _, ident = feed.partition(":")
    path = {"person": written.people, "post": written.posts}.get(kind, {}).get(ident)
    path = path or (written.all if feed == "all" else feed)
    compare_golden(golden, read(written, path))


@pytest.mark.parametrize("name", ["person-p01.ics", "index.html"])
def test_en_feeds_without_base_url_match_golden_files(tmp_path: Path, name: str) -> None:
    roster = make_roster(tmp_path / "roster", language="en")
    index = write_feeds(roster, make_schedule(), tmp_path / "feeds")
    path = index.people["p01"] if name.endswith(".ics") else name
    compare_golden(f"en/{name}", read(index, path))


# What each feed holds


def test_every_feed_is_rfc_clean_and_read_alike_by_three_parsers(written: FeedIndex) -> None:
    for path in feed_paths(written):
        data = read(written, path)
        assert_rfc_clean(data)
        assert_consumers_agree(data)


def test_a_persons_feed_holds_exactly_their_assignments(written: FeedIndex, roster: Roster) -> None:
    schedule = make_schedule()
    for person in roster.people:
        expected = sorted(
            (s.start, s.end, roster.post(s.post).name)
            for s in schedule.slots
            if person.id in s.assigned
        )
        assert sorted(events_of(read(written, written.people[person.id]))) == expected


def test_post_and_all_feeds_hold_every_slot_even_unstaffed(written: FeedIndex) -> None:
    assert len(events_of(read(written, written.all))) == len(ASSIGNMENT)
    gate = read(written, written.posts["gate-night"]).decode("utf-8")
    assert gate.count("BEGIN:VEVENT") == 2
    disinfect = unfolded_lines(read(written, written.posts["disinfect"]))
    assert any("在岗：暂无人员\\n缺 1 人" in line for line in disinfect)


def test_24_hour_turn_and_night_shift_across_midnight(written: FeedIndex) -> None:
    data = read(written, written.people["p02"])
    lines = unfolded_lines(data)
    assert "DTSTART;TZID=Asia/Shanghai:20200203T220000" in lines
    assert "DTEND;TZID=Asia/Shanghai:20200204T060000" in lines
    assert "DTSTART;TZID=Asia/Shanghai:20200204T080000" in lines
    assert "DTEND;TZID=Asia/Shanghai:20200205T080000" in lines
    # Both touch 4 February: the night shift ends that morning, the 24-hour turn starts then.
    day = recurring_ical_events.of(Calendar.from_ical(data)).at((2020, 2, 4))
    assert sorted(str(e["SUMMARY"]) for e in day) == ["24小时值班", "体温检测岗（夜班）"]
    lengths = sorted(end - start for start, end, _ in events_of(data))
    assert lengths == [timedelta(hours=8), timedelta(hours=24)]


def test_event_text_names_coworkers_and_coordinator(written: FeedIndex) -> None:
    card = vobject.readOne(read(written, written.people["p03"]).decode("utf-8"))
    night = card.vevent_list[0]
    assert night.summary.value == "体温检测岗（夜班）"
    assert night.location.value == "小区北门, 东侧帐篷; 入口:左"
    text = night.description.value
    assert text.startswith("两人一组：一人测温，一人登记。\n")
    assert "C:\\值班\\记录.xlsx, 不要改名: 谢谢。" in text
    assert "AAAA\\\\network\\share" in text
    assert text.endswith("\n\n同班：李明\n负责人：马书记，电话 13800000000")


def test_phones_appear_only_where_shared(written: FeedIndex, tmp_path: Path) -> None:
    every = b"".join(read(written, p) for p in feed_paths(written)).decode("utf-8")
    every = every.replace("\r\n ", "")
    assert "杨金花（电话 13900000001）" in every  # p01 chose to share
    for private in ("13900000002", "13900000003", "13900000004"):
        assert private not in every
    # When the community shares phones, everyone's shows, except who opted out.
    folder = write_roster(tmp_path / "sharing")
    text = (folder / "roster.yaml").read_text(encoding="utf-8")
    text = text.replace("share_phones: false", "share_phones: true")
    text = text.replace('phone: "13900000004"', 'phone: "13900000004", share_phone: false')
    (folder / "roster.yaml").write_text(text, encoding="utf-8")
    index = write_feeds(load_roster(folder), make_schedule(), tmp_path / "sharing-feeds")
    shared = read(index, index.all).decode("utf-8").replace("\r\n ", "")
    assert "李明（电话 13900000002）" in shared
    assert "13900000004" not in shared


def test_alarm_defaults_to_30_minutes_and_is_configurable(roster: Roster, tmp_path: Path) -> None:
    default = write_feeds(roster, make_schedule(), tmp_path / "a")
    lines = unfolded_lines(read(default, default.people["p02"]))
    assert lines.count("TRIGGER:-PT30M") == 2
    assert lines.count("ACTION:DISPLAY") == 2
    assert "DESCRIPTION:值班提醒：24小时值班" in lines
    assert "VALARM" not in read(default, default.all).decode()  # overview feeds do not ring
    early = write_feeds(roster, make_schedule(), tmp_path / "b", alarm_minutes=90)
    assert unfolded_lines(read(early, early.people["p02"])).count("TRIGGER:-PT1H30M") == 2
    silent = write_feeds(roster, make_schedule(), tmp_path / "c", alarm_minutes=None)
    assert b"VALARM" not in read(silent, silent.people["p02"])


def test_uids_are_stable_and_distinct_per_feed_and_person(
    written: FeedIndex, roster: Roster, tmp_path: Path
) -> None:
    def uids(index: FeedIndex, path: str) -> list[str]:
        return [str(e["UID"]) for e in Calendar.from_ical(read(index, path)).walk("VEVENT")]

    every = [uid for path in feed_paths(written) for uid in uids(written, path)]
    assert len(every) == len(set(every))
    # Another assignment of the same slots keeps p02's UIDs: clients update, not duplicate.
    changed = dict(ASSIGNMENT)
    changed["disinfect/2020-02-03T09:00"] = ["p05"]
    again = write_feeds(roster, make_schedule(changed), tmp_path / "again")
    assert uids(again, again.people["p02"]) == uids(written, written.people["p02"])


def test_dtstamp_is_the_generation_time_not_the_clock(written: FeedIndex) -> None:
    for path in feed_paths(written):
        stamps = {line for line in unfolded_lines(read(written, path)) if "DTSTAMP" in line}
        assert stamps <= {"DTSTAMP:20200201T023000Z"}
    assert "SEQUENCE:0" in unfolded_lines(read(written, written.all))


def test_the_index_lists_every_feed(written: FeedIndex, roster: Roster) -> None:
    data = json.loads(read(written, "index.json"))
    assert list(data)[:3] == ["people", "posts", "all"]
    assert set(data["people"]) == {p.id for p in roster.people}
    assert set(data["posts"]) == {"duty24", "gate-night", "disinfect"}
    for path in [*data["people"].values(), *data["posts"].values(), data["all"]]:
        assert (written.folder / path).is_file()
    page = read(written, "index.html").decode("utf-8")
    assert '<html lang="zh">' in page
    person = data["people"]["p01"]
    assert f'href="webcal://example.org/feeds/{person}"' in page
    assert f'href="https://example.org/feeds/{person}"' in page
    google = "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2Fexample.org%2F"
    assert google in page


# Tokens


def test_person_feed_names_are_unguessable_tokens(written: FeedIndex) -> None:
    names = [Path(p).stem for p in written.people.values()]
    assert all(re.fullmatch(r"[a-z2-7]{26}", name) for name in names)
    assert len(set(names)) == len(names)
    assert not any(pid in path for pid, path in written.people.items())


def test_secret_is_created_once_and_private(tmp_path: Path) -> None:
    roster = make_roster(tmp_path / "roster", secret=False)
    first = write_feeds(roster, make_schedule(), tmp_path / "feeds")
    secret = roster.folder / SECRET_FILE
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert re.fullmatch(r"[0-9a-f]{64}\n", secret.read_text())
    second = write_feeds(roster, make_schedule(), tmp_path / "feeds")
    assert second.people == first.people
    assert secret.read_text() not in "".join(
        p.read_text("utf-8") for p in (tmp_path / "feeds").rglob("*") if p.is_file()
    )


def test_rotating_a_token_moves_only_that_persons_feed(
    written: FeedIndex, roster: Roster, tmp_path: Path
) -> None:
    assert rotate(roster.folder, FeedKey("person", "p03")) == 1
    assert stat.S_IMODE((roster.folder / ROTATIONS_FILE).stat().st_mode) == 0o600
    old = written.people["p03"]
    after = write_feeds(roster, make_schedule(), written.folder)
    assert after.people["p03"] != old
    assert not (written.folder / old).exists()  # the old URL stops existing
    assert {k: v for k, v in after.people.items() if k != "p03"} == {
        k: v for k, v in written.people.items() if k != "p03"
    }
    assert after.posts == written.posts and after.all == written.all


def test_damaged_secret_is_an_error_naming_the_file(roster: Roster, tmp_path: Path) -> None:
    (roster.folder / SECRET_FILE).write_text("not hex\n")
    with pytest.raises(FeedError, match=r"\.feeds-secret: not a feeds secret; delete the file"):
        write_feeds(roster, make_schedule(), tmp_path / "feeds")


def test_damaged_rotations_file_is_an_error_naming_the_file(roster: Roster, tmp_path: Path) -> None:
    (roster.folder / ROTATIONS_FILE).write_text('{"person": {"p01": "x"}}')
    with pytest.raises(FeedError, match=r"\.feeds-rotations\.json: expected"):
        write_feeds(roster, make_schedule(), tmp_path / "feeds")


# Writing: byte-identical, atomic, careful with the target


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_same_schedule_gives_byte_identical_feeds(
    written: FeedIndex, roster: Roster, tmp_path: Path
) -> None:
    before = snapshot(written.folder)
    write_feeds(roster, make_schedule(), written.folder, base_url=BASE_URL)
    assert snapshot(written.folder) == before
    copy = tmp_path / "copy"
    shutil.copytree(roster.folder, copy)
    elsewhere = write_feeds(load_roster(copy), make_schedule(), tmp_path / "x", base_url=BASE_URL)
    assert snapshot(elsewhere.folder) == before


def later(schedule: Schedule, hours: int = 5) -> Schedule:
    """The same schedule as if solved again ``hours`` later."""
    assert schedule.generated_at is not None
    return schedule.model_copy(
        update={"generated_at": schedule.generated_at + timedelta(hours=hours)}
    )


def test_solving_again_to_the_same_duties_leaves_the_feeds_byte_identical(
    written: FeedIndex, roster: Roster
) -> None:
    before = snapshot(written.folder)
    write_feeds(roster, later(make_schedule()), written.folder, base_url=BASE_URL)
    assert snapshot(written.folder) == before


def test_only_changed_events_get_the_new_dtstamp(written: FeedIndex, roster: Roster) -> None:
    before = snapshot(written.folder)
    changed = dict(ASSIGNMENT, **{"disinfect/2020-02-03T09:00": ["p05"]})
    after = write_feeds(roster, later(make_schedule(changed)), written.folder, base_url=BASE_URL)
    now = snapshot(written.folder)
    # p02's duties did not change: neither did their feed.
    assert now[after.people["p02"]] == before[after.people["p02"]]

    def stamps(path: str) -> list[str]:
        lines = unfolded_lines(now[path])
        return [line.removeprefix("DTSTAMP:") for line in lines if line.startswith("DTSTAMP:")]

    assert stamps(after.people["p05"]) == ["20200201T073000Z"]
    # In the whole roster only the slot that changed (the second event) has the new stamp.
    assert stamps(after.all) == ["20200201T023000Z", "20200201T073000Z"] + ["20200201T023000Z"] * 4
    assert json.loads(now["index.json"])["updated"] == "2020-02-01T07:30:00+00:00"


def test_a_failed_run_leaves_the_previous_feeds_intact(
    written: FeedIndex, roster: Roster, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(written.folder)

    def broken(staging: Path, out: Path) -> None:
        raise OSError(28, "disk full")

    monkeypatch.setattr(calendars.feeds, "_swap", broken)
    changed = dict(ASSIGNMENT, **{"duty24/2020-02-03T08:00": ["p05"]})
    with pytest.raises(FeedError, match=r"feeds: cannot write the feeds \(disk full\); the prev"):
        write_feeds(roster, make_schedule(changed), written.folder)
    assert snapshot(written.folder) == before
    assert sorted(p.name for p in written.folder.parent.iterdir()) == ["feeds", "roster"]


def test_the_swap_replaces_the_whole_folder(written: FeedIndex, roster: Roster) -> None:
    (written.folder / "people" / "stale.ics").write_text("old")
    write_feeds(roster, make_schedule(), written.folder)
    assert not (written.folder / "people" / "stale.ics").exists()
    assert sorted(p.name for p in written.folder.parent.iterdir()) == ["feeds", "roster"]


def test_the_swap_works_without_an_atomic_exchange(
    written: FeedIndex, roster: Roster, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(calendars.feeds, "_exchange", lambda a, b: False)
    changed = dict(ASSIGNMENT, **{"duty24/2020-02-03T08:00": ["p05"]})
    after = write_feeds(roster, make_schedule(changed), written.folder)
    assert b"BEGIN:VEVENT" in read(after, after.people["p05"])
    assert sorted(p.name for p in written.folder.parent.iterdir()) == ["feeds", "roster"]


def test_refuses_to_replace_a_folder_it_did_not_write(roster: Roster, tmp_path: Path) -> None:
    target = tmp_path / "documents"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    with pytest.raises(FeedError, match=r"documents: holds files not written by `roster feeds`"):
        write_feeds(roster, make_schedule(), target)
    assert (target / "notes.txt").read_text() == "keep me"


def test_a_schedule_of_another_roster_is_an_error(roster: Roster, tmp_path: Path) -> None:
    stranger = dict(ASSIGNMENT, **{"duty24/2020-02-03T08:00": ["p99"]})
    with pytest.raises(FeedError, match=r"^schedule\.json: slots\[1\]\.assigned\[0\]: 'p99' is"):
        write_feeds(roster, make_schedule(stranger), tmp_path / "feeds")


def test_a_schedule_without_generation_time_still_gives_stable_stamps(
    roster: Roster, tmp_path: Path
) -> None:
    schedule = make_schedule().model_copy(update={"generated_at": None})
    index = write_feeds(roster, schedule, tmp_path / "feeds")
    lines = unfolded_lines(read(index, index.all))
    assert {line for line in lines if line.startswith("DTSTAMP")} == {"DTSTAMP:20200202T160000Z"}


def test_a_malformed_base_url_is_an_error(roster: Roster, tmp_path: Path) -> None:
    with pytest.raises(FeedError, match=r"--base-url 'example\.org' is not a web address"):
        write_feeds(roster, make_schedule(), tmp_path / "feeds", base_url="example.org")


# The example community


EXAMPLE = Path(__file__).parent.parent / "examples" / "xingwang"


@pytest.mark.skipif(not (EXAMPLE / "roster.yaml").exists(), reason="example not written yet")
def test_every_feed_of_the_example_passes_the_checks(tmp_path: Path) -> None:
    # A copy, so the test never creates a secret in the repository's example folder.
    folder = tmp_path / "xingwang"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".feeds-*"))
    roster = load_roster(folder)
    period = make_period(roster.config.timezone, "2020-W06", None, None)
    slots = expand(roster.config, period)
    # Any assignment will do for feeds: everyone in turn, as many as each slot's target.
    people = [p.id for p in roster.people]
    turn = 0
    out = []
    for slot in slots:
        chosen = [people[(turn + i) % len(people)] for i in range(slot.target)]
        turn += slot.target
        out.append(
            SlotOut(
                id=slot.id,
                post=slot.post,
                start=slot.start,
                end=slot.end,
                min=slot.min,
                target=slot.target,
                max=slot.max,
                assigned=chosen,
                shortage=0,
            )
        )
    schedule = Schedule(
        roster=roster.name,
        timezone=roster.config.timezone,
        period=PeriodOut(start=period.start, end=period.end),
        generated_at=datetime(2020, 2, 2, 12, tzinfo=UTC),
        solver=SolverInfo(
            status="FEASIBLE", objective=0, bound=0, wall_seconds=0, workers=1, seed=0
        ),
        objective_terms=[],
        slots=out,
        people=[],
    )
    index = write_feeds(roster, schedule, tmp_path / "feeds", base_url=BASE_URL)
    for path in feed_paths(index):
        data = read(index, path)
        assert_rfc_clean(data)
        assert_consumers_agree(data)
    for person in roster.people:
        mine = [s for s in out if person.id in s.assigned]
        assert len(events_of(read(index, index.people[person.id]))) == len(mine)
    assert date(2020, 2, 3) <= min(s.start for s in out).date()


def test_a_night_shift_across_the_change_to_summer_time(tmp_path: Path) -> None:
    folder = write_roster(tmp_path / "berlin", language="en")
    yaml_text = (folder / "roster.yaml").read_text(encoding="utf-8")
    yaml_text = yaml_text.replace("timezone: Asia/Shanghai", "timezone: Europe/Berlin")
    (folder / "roster.yaml").write_text(yaml_text, encoding="utf-8")
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2020, 3, 28, 22, tzinfo=berlin)
    end = datetime(2020, 3, 29, 6, tzinfo=berlin)  # 7 hours later: clocks go forward at 02:00
    slot = SlotOut(
        id="gate-night/2020-03-28T22:00", post="gate-night", start=start, end=end, min=2,
        target=2, max=2, assigned=["p02", "p03"], shortage=0,
    )  # fmt: skip
    schedule = make_schedule().model_copy(
        update={
            "timezone": "Europe/Berlin",
            "slots": [slot],
            "period": PeriodOut(
                start=datetime(2020, 3, 28, tzinfo=berlin),
                end=datetime(2020, 3, 30, tzinfo=berlin),
            ),
        }
    )
    index = write_feeds(load_roster(folder), schedule, tmp_path / "feeds")
    data = read(index, index.people["p02"])
    assert_rfc_clean(data)
    assert_consumers_agree(data)
    lines = unfolded_lines(data)
    assert "DTSTART;TZID=Europe/Berlin:20200328T220000" in lines
    assert "DTEND;TZID=Europe/Berlin:20200329T060000" in lines
    assert "BEGIN:DAYLIGHT" in lines
    ((begin, finish, _),) = events_of(data)
    assert finish.astimezone(UTC) - begin.astimezone(UTC) == timedelta(hours=7)
    assert begin.astimezone(UTC) == datetime(2020, 3, 28, 21, tzinfo=UTC)
    assert finish.astimezone(UTC) == datetime(2020, 3, 29, 4, tzinfo=UTC)
