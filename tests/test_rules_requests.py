"""Rule requests: wishes to take (prefer) or not take (avoid) matching shifts, with weights."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import SMALL_YAML, write_folder
from rulekit import judge, make_roster

from roster.errors import RosterError
from roster.load import load_roster

pytestmark = pytest.mark.rule("requests")


def with_requests(*requests: dict[str, Any]) -> Any:
    return make_roster(rules={"min_rest_hours": 0}, requests=list(requests))


PREFER_NIGHT_DAY2 = {
    "person": "p1",
    "kind": "prefer",
    "post": "night",
    "date": "2024-01-03",
    "weight": 3,
}
AVOID_SATURDAY = {"person": "p1", "kind": "avoid", "weekday": "sat", "weight": 2}


def test_trivially_met() -> None:
    outcome = judge(with_requests(PREFER_NIGHT_DAY2, AVOID_SATURDAY), None)
    assert outcome.objective == 0 == outcome.report.terms["requests"]


def test_prefer_met_costs_nothing() -> None:
    outcome = judge(with_requests(PREFER_NIGHT_DAY2), {"p1": "..N"})
    assert outcome.objective == 0 == outcome.report.terms["requests"]


def test_prefer_unmet_costs_its_weight() -> None:
    for row in ("...", "..D", ".N.N"):
        outcome = judge(with_requests(PREFER_NIGHT_DAY2), {"p1": row})
        assert outcome.objective == 3 == outcome.report.terms["requests"], row


def test_prefer_with_several_matches_is_met_by_one() -> None:
    prefer_weekend_nights = {
        "person": "p1",
        "kind": "prefer",
        "post": "night",
        "weekday": "sun",
        "weight": 4,
    }
    r = with_requests(prefer_weekend_nights)
    assert judge(r, {"p1": "......N"}).objective == 0
    assert judge(r, {"p1": "......D......N"}).objective == 0
    assert judge(r, {"p1": "......D"}).objective == 4


def test_avoid_costs_its_weight_per_matching_shift() -> None:
    r = with_requests(AVOID_SATURDAY)
    assert judge(r, {"p1": "....DD"}).objective == 2
    outcome = judge(r, {"p1": ".....D.....N.."})
    assert outcome.objective == 2 == outcome.report.terms["requests"]
    outcome = judge(r, {"p1": ".....D......ND"})
    assert outcome.objective == 4 == outcome.report.terms["requests"]


def test_time_window_matches_overlapping_shifts() -> None:
    evening = {
        "person": "p1",
        "kind": "avoid",
        "time": {"start": "20:00", "end": "23:00"},
        "weight": 1,
    }
    r = with_requests(evening)
    assert judge(r, {"p1": "D"}).objective == 0
    assert judge(r, {"p1": "N"}).objective == 1
    early = {
        "person": "p1",
        "kind": "avoid",
        "time": {"start": "05:00", "end": "07:00"},
        "weight": 1,
    }
    # The night shift 22:00–06:00 overlaps 05:00–07:00 of the next morning.
    assert judge(with_requests(early), {"p1": "N"}).objective == 1


def test_does_not_fire_for_another_person() -> None:
    r = with_requests(PREFER_NIGHT_DAY2, AVOID_SATURDAY)
    outcome = judge(r, {"p1": "..N", "p2": "..DDDD"})
    assert outcome.objective == 0 == outcome.report.terms["requests"]


def test_solver_honours_requests() -> None:
    r = with_requests(PREFER_NIGHT_DAY2, AVOID_SATURDAY)
    outcome = judge(r, None)
    assert outcome.status == "OPTIMAL"
    assert outcome.objective == 0


AVOID_WEDNESDAY_DAY = {"person": "p1", "kind": "avoid", "slot": "day/2024-01-03T08:00", "weight": 5}


def test_avoid_one_slot_costs_only_that_slot() -> None:
    r = with_requests(AVOID_WEDNESDAY_DAY)
    assert judge(r, {"p1": "DD.D"}).objective == 0
    outcome = judge(r, {"p1": "..D"})
    assert outcome.objective == 5 == outcome.report.terms["requests"]
    # The same post on Wednesday night is another slot.
    assert judge(r, {"p1": "..N"}).objective == 0


def test_prefer_one_slot_is_met_by_that_slot_alone() -> None:
    prefer = {**AVOID_WEDNESDAY_DAY, "kind": "prefer"}
    r = with_requests(prefer)
    assert judge(r, {"p1": "..D"}).objective == 0
    assert judge(r, {"p1": "D.N.D"}).objective == 5


def test_a_slot_request_must_name_a_slot_id(tmp_path: Path) -> None:
    bad_time = "requests: [{person: p01, kind: avoid, slot: gate-temp/2020-02-05}]\n"
    with pytest.raises(RosterError) as caught:
        load_roster(write_folder(tmp_path / "社区", SMALL_YAML + bad_time))
    assert str(caught.value).endswith(
        "roster.yaml: requests[0].slot: 'gate-temp/2020-02-05' is not a slot id; write "
        "<post>/<YYYY-MM-DDTHH:MM>, e.g. gate-temp/2020-02-05T06:00"
    )
    bad_post = "requests: [{person: p01, kind: avoid, slot: gate-tmp/2020-02-05T06:00}]\n"
    with pytest.raises(RosterError) as caught:
        load_roster(write_folder(tmp_path / "社区2", SMALL_YAML + bad_post))
    assert "roster.yaml: requests[0].slot: unknown post 'gate-tmp'" in str(caught.value)
