"""The checker reports every reason an assignment is not allowed, not only the first."""

from __future__ import annotations

from pathlib import Path

from conftest import SMALL_PEOPLE, SMALL_YAML, write_folder

from roster.check import check
from roster.eligibility import ineligibilities, ineligibility
from roster.load import load_roster
from roster.slots import expand, make_period

NIGHT = "gate-temp/2020-02-05T00:00"


def _folder(tmp_path: Path) -> Path:
    # 郑浩 (p09) is a senior (no nights); here he also lacks the thermometer skill and is away.
    people = SMALL_PEOPLE.replace(
        "p09,郑浩,volunteer;senior,thermometer,,", "p09,郑浩,volunteer;senior,,,2020-02-05 病假"
    )
    return write_folder(tmp_path / "社区", SMALL_YAML, people)


def test_every_reason_is_reported_for_one_assignment(tmp_path: Path) -> None:
    # Regression: a leave or no-nights breach hid behind "lacks skill".
    roster = load_roster(_folder(tmp_path))
    period = make_period(roster.config.timezone, "2020-W06", None, None)
    slots = expand(roster.config, period)
    report = check(roster, period, slots, {NIGHT: ["p09", "p01"]})
    found = [(v.rule, v.text) for v in report.violations if v.text.startswith(NIGHT)]
    rules = [rule for rule, _ in found]
    assert rules == ["skill", "unavailable", "no_nights"], found
    assert all("郑浩" in text for _, text in found)


def test_the_first_reason_alone_is_still_the_first_of_all(tmp_path: Path) -> None:
    roster = load_roster(_folder(tmp_path))
    period = make_period(roster.config.timezone, "2020-W06", None, None)
    night = next(s for s in expand(roster.config, period) if s.id == NIGHT)
    person = roster.person("p09")
    every = ineligibilities(roster, person, night)
    assert ineligibility(roster, person, night) == every[0]
    assert ineligibilities(roster, roster.person("p01"), night) == []
