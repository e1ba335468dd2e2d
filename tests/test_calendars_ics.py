"""Content-line folding, text escaping and time zone blocks of calendars.ics."""

from __future__ import annotations

from datetime import UTC, date, datetime

import hypothesis.strategies as st
import vobject
from hypothesis import given, settings
from icalendar import Calendar, Event

from calendars.ics import clean_text, fold_line, serialize, vtimezone


def physical_lines(data: bytes) -> list[bytes]:
    """The physical lines of serialised iCalendar data (which must end in CRLF)."""
    assert data.endswith(b"\r\n")
    return data[:-2].split(b"\r\n")


def unfold(text: str) -> str:
    """RFC 5545 unfolding: a CRLF followed by one space or tab disappears."""
    return text.replace("\r\n ", "").replace("\r\n\t", "")


def test_fold_keeps_escaped_backslash_whole() -> None:
    # icalendar 7.3 folds this line as "...A\\" + CRLF + " \\x...": the escaped backslash split.
    line = "DESCRIPTION:" + "A" * 60 + "\\\\" + "x" * 10
    first, second = fold_line(line).split("\r\n")
    assert first == "DESCRIPTION:" + "A" * 60 + "\\\\x"
    assert second == " " + "x" * 9


def test_fold_moves_an_escaped_backslash_that_does_not_fit() -> None:
    line = "DESCRIPTION:" + "A" * 62 + "\\\\" + "x"
    first, second = fold_line(line).split("\r\n")
    assert first == "DESCRIPTION:" + "A" * 62
    assert second == " \\\\x"
    assert unfold(fold_line(line)) == line


def test_fold_moves_whole_escape_when_backslash_ends_the_room() -> None:
    line = "SUMMARY:" + "B" * 66 + "\\,rest"
    first, second = fold_line(line).split("\r\n")
    assert first == "SUMMARY:" + "B" * 66
    assert second == " \\,rest"


def test_fold_never_splits_a_chinese_character() -> None:
    line = "SUMMARY:" + "值" * 40
    for physical in fold_line(line).split("\r\n"):
        assert len(physical.encode("utf-8")) <= 75
        physical.encode("utf-8").decode("utf-8")
    assert unfold(fold_line(line)) == line


def test_fold_leaves_a_short_line_alone() -> None:
    assert fold_line("VERSION:2.0") == "VERSION:2.0"


def test_fold_uses_all_75_octets() -> None:
    line = "X" * 75 + "Y" * 74 + "Z"
    assert fold_line(line).split("\r\n") == ["X" * 75, " " + "Y" * 74, " Z"]


def test_clean_text_turns_line_breaks_into_newlines_and_drops_controls() -> None:
    assert clean_text("a\r\nb\rc\nd\te\x00f\x1bg") == "a\nb\nc\nd\tef" + "g"


def test_vtimezone_has_no_comment_directly_inside() -> None:
    zone = vtimezone("Europe/Berlin", date(2020, 3, 20), date(2020, 4, 2))
    assert "COMMENT" not in zone
    data = serialize(_calendar_with(zone))
    assert b"COMMENT" not in data
    # The block spans the change to summer time on 2020-03-29.
    assert b"BEGIN:DAYLIGHT" in data and b"BEGIN:STANDARD" in data


def _calendar_with(*components: object) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//test//EN")
    calendar.add("version", "2.0")
    for component in components:
        calendar.add_component(component)  # type: ignore[arg-type]
    return calendar


# Chinese and ASCII text dense in what TEXT escaping and folding must get right.
_TRICKY = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("\\,;:\n \\\\")),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.sampled_from(list("，；：“”（）℃–")),
    ),
    min_size=1,
    max_size=300,
)


@settings(max_examples=150, deadline=None)
@given(summary=_TRICKY, description=_TRICKY)
def test_text_survives_escaping_and_folding(summary: str, description: str) -> None:
    event = Event()
    event.add("uid", "property@test")
    event.add("dtstamp", datetime(2020, 2, 1, tzinfo=UTC))
    event.add("dtstart", datetime(2020, 2, 3, 8, tzinfo=UTC))
    event.add("summary", summary)
    event.add("description", description)
    data = serialize(_calendar_with(event))
    for physical in physical_lines(data):
        assert len(physical) <= 75
        physical.decode("utf-8")  # every line is valid UTF-8 on its own
        assert b"\r" not in physical and b"\n" not in physical
    parsed = Calendar.from_ical(data)
    (back,) = parsed.walk("VEVENT")
    assert str(back["SUMMARY"]) == summary
    assert str(back["DESCRIPTION"]) == description
    card = vobject.readOne(data.decode("utf-8"))  # an independent parser agrees
    assert card.vevent.summary.value == summary
    assert card.vevent.description.value == description
