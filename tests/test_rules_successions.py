"""Rule successions: a shift of one kind may not be followed the next day by one of another."""

from __future__ import annotations

import pytest
from rulekit import at_most_ones, conflict, judge, make_roster

pytestmark = pytest.mark.rule("successions")

NO_REST = {"min_rest_hours": 0}


def forbidden(**extra: object) -> dict[str, object]:
    return {"rules": NO_REST, "successions": [{"after": ["night"], "then": ["day"], **extra}]}


def test_trivially_feasible() -> None:
    assert judge(make_roster(**forbidden()), None).feasible


def test_gap_of_one_day_is_feasible() -> None:
    # Night on day 0, day shift on day 2: not the next day.
    outcome = judge(make_roster(**forbidden()), {"p1": "N.D"})
    assert outcome.feasible
    assert outcome.report.violations == []


def test_other_order_is_feasible() -> None:
    outcome = judge(make_roster(**forbidden()), {"p1": "DN"})
    assert outcome.feasible
    assert outcome.report.violations == []


def test_next_day_is_infeasible() -> None:
    outcome = judge(make_roster(**forbidden()), {"p1": "ND"})
    assert not outcome.feasible
    assert outcome.rules_broken() == {"successions"}


def test_does_not_fire_for_another_person() -> None:
    outcome = judge(make_roster(**forbidden()), {"p1": "N.", "p2": ".D"})
    assert outcome.feasible
    assert outcome.report.violations == []


def test_post_ids_and_day_kind() -> None:
    config = {"rules": NO_REST, "successions": [{"after": ["day"], "then": ["night"]}]}
    # "day" is a post id here and also the kind "day"; either way D then N the next day is out.
    assert not judge(make_roster(**config), {"p1": "DN"}).feasible
    assert judge(make_roster(**config), {"p1": "ND"}).feasible


def test_weighted_costs_its_weight_per_occurrence() -> None:
    roster = make_roster(**forbidden(weight=5))
    once = judge(roster, {"p1": "ND"})
    assert once.feasible and once.objective == 5
    assert once.report.terms["successions"] == 5
    twice = judge(roster, {"p1": "NDND", "p2": "ND"})
    assert twice.objective == 15 == twice.report.terms["successions"]


def test_weighted_is_avoided_when_free() -> None:
    outcome = judge(make_roster(**forbidden(weight=5)), None)
    assert outcome.objective == 0 == outcome.report.penalty


def test_conflict_is_named() -> None:
    texts = conflict(make_roster(**forbidden()), {"p1": "...ND"})
    assert texts == ["p1 works none of day on 2024-01-05 after night on 2024-01-04"]


def both_into_day() -> dict[str, object]:
    # Neither a night nor a day shift may be followed by a day shift: the same "then".
    return {
        "rules": NO_REST,
        "successions": [{"after": ["night"], "then": ["day"]}, {"after": ["day"], "then": ["day"]}],
    }


def test_rules_with_the_same_then_share_a_clique() -> None:
    def cliques(config: dict[str, object]) -> int:
        return at_most_ones(make_roster(**config))

    one = cliques(forbidden())
    # One clique per person and pair of days (2 people, 13 pairs) on top of one shift a day.
    assert one == cliques({"rules": NO_REST}) + 2 * 13
    # The second rule adds no at-most-one of its own: per person and day it joins the first's.
    assert cliques(both_into_day()) == one


def test_shared_clique_keeps_both_rules() -> None:
    roster = make_roster(**both_into_day())
    assert not judge(roster, {"p1": "ND"}).feasible
    assert not judge(roster, {"p1": "DD"}).feasible
    assert judge(roster, {"p1": "NN"}).feasible
    assert judge(roster, {"p1": "D.D", "p2": "DN"}).feasible
    assert conflict(roster, {"p1": "DD"}) == [
        "p1 works none of day on 2024-01-02 after day on 2024-01-01"
    ]
