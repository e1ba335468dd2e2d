"""A CalDAV round trip: a person's feed stored in a real Radicale server and found by time range."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

import pytest
from caldav.davclient import DAVClient
from icalendar import Calendar

from calendars.feeds import write_feeds
from calendars.ics import serialize
from tests.test_calendars_factory import ASSIGNMENT, make_roster, make_schedule, make_version

ZONE = ZoneInfo("Asia/Shanghai")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_radicale(folder: Path, log: IO[bytes]) -> tuple[subprocess.Popen[bytes], int] | None:
    """A Radicale server on a free port, once it listens; None if it exited first (the port was
    taken between choosing and binding it)."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable, "-m", "radicale",
            "--config", "",  # ignore any system or user configuration
            "--server-hosts", f"127.0.0.1:{port}",
            "--auth-type", "none",
            "--storage-filesystem-folder", str(folder),
            "--logging-level", "warning",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while server.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server, port
        except OSError:
            if time.monotonic() > deadline:
                stop(server)
                pytest.fail("radicale did not start listening within 20 s")
            time.sleep(0.1)
    return None


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@pytest.fixture
def radicale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The URL of a Radicale server on 127.0.0.1 with a temporary store and no authentication."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")  # a proxy must not see local calls
    log_path = tmp_path / "radicale.log"
    with log_path.open("wb") as log:
        for _attempt in range(3):
            started = start_radicale(tmp_path / "collections", log)
            if started is not None:
                break
        else:
            pytest.fail(f"radicale exited: {log_path.read_text(errors='replace')}")
        server, port = started
        try:
            yield f"http://127.0.0.1:{port}/"
        finally:
            stop(server)


def one_event_calendars(feed: bytes) -> list[bytes]:
    """A feed split into one calendar object per event (CalDAV stores each event as a resource),
    each with the feed's VTIMEZONE."""
    calendar = Calendar.from_ical(feed)
    objects = []
    for event in calendar.walk("VEVENT"):
        single = Calendar()
        single.add("prodid", str(calendar["PRODID"]))
        single.add("version", "2.0")
        for zone in calendar.walk("VTIMEZONE"):
            single.add_component(zone)
        single.add_component(event)
        objects.append(serialize(single))
    return objects


def test_a_persons_events_round_trip_through_caldav(radicale: str, tmp_path: Path) -> None:
    roster = make_roster(tmp_path / "roster")
    index = write_feeds(roster, make_schedule(), tmp_path / "feeds")
    feed = (index.folder / index.people["p02"]).read_bytes()
    sent = {str(e["UID"]): e for e in Calendar.from_ical(feed).walk("VEVENT")}
    assert len(sent) == 2

    # Any: caldav 3 annotates its sync and async clients as one union.
    client: Any = DAVClient(url=radicale, username="p02", password="unused")
    calendar = client.principal().make_calendar(name="值班", cal_id="duty")
    for data in one_event_calendars(feed):
        calendar.save_event(data.decode("utf-8"))

    # The night of 3 to 4 February overlaps the night shift only.
    night = calendar.search(
        start=datetime(2020, 2, 4, 0, tzinfo=ZONE),
        end=datetime(2020, 2, 4, 7, tzinfo=ZONE),
        event=True,
    )
    assert [str(e.icalendar_component["SUMMARY"]) for e in night] == ["体温检测岗（夜班）"]

    # The whole period finds both, text and times unchanged.
    both = calendar.search(
        start=datetime(2020, 2, 3, tzinfo=ZONE), end=datetime(2020, 2, 6, tzinfo=ZONE), event=True
    )
    found = {str(e.icalendar_component["UID"]): e.icalendar_component for e in both}
    assert found.keys() == sent.keys()
    for uid, event in found.items():
        for name in ("SUMMARY", "LOCATION", "DESCRIPTION"):
            assert str(event.get(name)) == str(sent[uid].get(name))
        assert event.decoded("DTSTART") == sent[uid].decoded("DTSTART")
        assert event.decoded("DTEND") == sent[uid].decoded("DTEND")

    # Nothing outside the roster's days.
    assert (
        calendar.search(
            start=datetime(2020, 2, 10, tzinfo=ZONE),
            end=datetime(2020, 2, 11, tzinfo=ZONE),
            event=True,
        )
        == []
    )


def sync(calendar: Any, feed: bytes) -> None:
    """Bring a CalDAV calendar in step with a feed as a syncing client does: each event stored
    verbatim under its UID (SEQUENCE as published, not bumped), events the feed no longer has
    deleted."""
    wanted = {str(e["UID"]) for e in Calendar.from_ical(feed).walk("VEVENT")}
    for data in one_event_calendars(feed):
        calendar.add_event(data.decode("utf-8"), increase_seqno=False)
    for stored in calendar.events():
        if str(stored.icalendar_component["UID"]) not in wanted:
            stored.delete()


def test_published_versions_update_a_caldav_copy(radicale: str, tmp_path: Path) -> None:
    roster = make_roster(tmp_path / "roster")
    # Version 2 takes 王芳 (p03) off the night of 4 February, version 3 puts her back.
    second = dict(ASSIGNMENT, **{"gate-night/2020-02-04T22:00": ["p04"]})
    third = dict(ASSIGNMENT, **{"gate-night/2020-02-04T22:00": ["p03", "p04"]})
    versions = [
        make_version(1, datetime(2020, 2, 1, 2, tzinfo=UTC)),
        make_version(2, datetime(2020, 2, 2, 3, tzinfo=UTC), second),
        make_version(3, datetime(2020, 2, 3, 4, tzinfo=UTC), third),
    ]
    client: Any = DAVClient(url=radicale, username="p03", password="unused")
    calendar = client.principal().make_calendar(name="王芳的值班", cal_id="duty")

    def copy_after(count: int, now: datetime | None = None) -> dict[str, tuple[str, int, str]]:
        """Publish the first ``count`` versions, sync the client, and read its copy of the
        period back by time range: local start → (STATUS, SEQUENCE, SUMMARY)."""
        index = write_feeds(roster, versions[:count], tmp_path / "feeds", now=now)
        sync(calendar, (index.folder / index.people["p03"]).read_bytes())
        found = calendar.search(
            start=datetime(2020, 2, 3, tzinfo=ZONE),
            end=datetime(2020, 2, 6, tzinfo=ZONE),
            event=True,
        )
        copy = {}
        for item in found:
            event = item.icalendar_component
            start = event.decoded("DTSTART").astimezone(ZONE)
            copy[f"{start:%m-%d %H:%M}"] = (
                str(event["STATUS"]),
                int(event["SEQUENCE"]),
                str(event["SUMMARY"]),
            )
        return copy

    assert copy_after(1) == {
        "02-03 22:00": ("CONFIRMED", 0, "体温检测岗（夜班）"),
        "02-04 22:00": ("CONFIRMED", 0, "体温检测岗（夜班）"),
    }
    after_two = copy_after(2)
    # Exactly version 2's duties are still on; the removed one is there only as cancelled.
    on = {when for when, (status, _, _) in after_two.items() if status == "CONFIRMED"}
    assert on == {
        f"{s.start.astimezone(ZONE):%m-%d %H:%M}"
        for s in versions[1].schedule.slots
        if "p03" in s.assigned
    }
    assert after_two["02-04 22:00"] == ("CANCELLED", 1, "已取消：体温检测岗（夜班）")
    assert copy_after(3) == {
        "02-03 22:00": ("CONFIRMED", 0, "体温检测岗（夜班）"),
        "02-04 22:00": ("CONFIRMED", 2, "体温检测岗（夜班）"),
    }
    assert len(calendar.events()) == 2  # updated in place: no duplicates
    # Version 4 takes her off again; once the period is over (the server passes its clock), the
    # cancelled duty leaves the feed, and the client's copy.
    versions.append(make_version(4, datetime(2020, 2, 4, 10, tzinfo=UTC), second))
    assert copy_after(4)["02-04 22:00"] == ("CANCELLED", 3, "已取消：体温检测岗（夜班）")
    over = datetime(2020, 2, 5, tzinfo=ZONE)
    assert copy_after(4, now=over) == {"02-03 22:00": ("CONFIRMED", 0, "体温检测岗（夜班）")}
