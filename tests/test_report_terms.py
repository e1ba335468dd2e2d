"""The schedule lists the INRC-II terms only for rosters that use them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from roster.load import load_roster
from roster.report import PER_PERSON_TERMS, build_schedule, terms_in_use
from roster.schedule import Schedule, SolverInfo
from roster.slots import expand, make_period


def schedule_of(folder: Path) -> Schedule:
    """The schedule of an empty week of ``folder`` (every slot unfilled)."""
    roster = load_roster(folder)
    period = make_period(roster.config.timezone, "2020-W06", None, None)
    slots = expand(roster.config, period)
    info = SolverInfo(status="FEASIBLE", objective=0, bound=0, wall_seconds=0, workers=1, seed=0)
    return build_schedule(
        roster, period, slots, {}, info, generated_at=datetime(2020, 2, 2, tzinfo=UTC)
    )


def test_a_roster_without_them_is_not_told_six_zeros(small: Path) -> None:
    assert terms_in_use(load_roster(small)) == set()
    rules = {t.rule for t in schedule_of(small).objective_terms}
    assert "shortage" in rules  # the common terms stay, zero or not
    assert rules.isdisjoint(PER_PERSON_TERMS)


def test_a_rule_given_to_somebody_is_listed_even_at_zero(small: Path) -> None:
    text = (small / "roster.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "  max_hours_per_week: 56\n", "  max_hours_per_week: 56\n  preferred_max_weekends: 0\n"
    )
    (small / "roster.yaml").write_text(text, encoding="utf-8")
    assert terms_in_use(load_roster(small)) == {"preferred_max_weekends"}
    terms = {t.rule: t.penalty for t in schedule_of(small).objective_terms}
    assert terms["preferred_max_weekends"] == 0  # nobody works, no weekend above 0
    assert set(terms).isdisjoint(set(PER_PERSON_TERMS) - {"preferred_max_weekends"})


def test_a_window_total_is_listed_under_its_rule(small: Path) -> None:
    text = (small / "roster.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "  max_hours_per_week: 56\n",
        "  max_hours_per_week: 56\n  preferred_total_shifts_per_window: {max: 20}\n",
    )
    (small / "roster.yaml").write_text(text, encoding="utf-8")
    assert terms_in_use(load_roster(small)) == {"preferred_total_shifts"}
    terms = {t.rule: t.penalty for t in schedule_of(small).objective_terms}
    assert terms["preferred_total_shifts"] == 0
