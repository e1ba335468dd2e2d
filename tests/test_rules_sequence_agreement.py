"""Solver and checker agree on the sequence rules and requests, on many small random rosters:
the solver accepts a fixed roster exactly when the checker finds no violation, and its objective
is the checker's penalty."""

from __future__ import annotations

import random
from typing import Any

import pytest
from rulekit import judge, make_roster

pytestmark = pytest.mark.rule(
    "successions",
    "max_consecutive_days",
    "min_consecutive_days",
    "min_consecutive_days_off",
    "max_weekends",
    "max_shifts_per_post",
    "requests",
)

DAYS = 10


def random_case(seed: int) -> tuple[dict[str, Any], dict[str, str]]:
    rng = random.Random(seed)
    rules: dict[str, Any] = {"min_rest_hours": 0}
    if rng.random() < 0.5:
        rules["max_consecutive_days"] = rng.randint(2, 5)
    if rng.random() < 0.5:
        rules["min_consecutive_days"] = rng.randint(1, 2)
    if rng.random() < 0.5:
        rules["min_consecutive_days_off"] = rng.randint(1, 2)
    if rng.random() < 0.5:
        rules["max_weekends"] = rng.randint(1, 2)
    if rng.random() < 0.5:
        rules["max_shifts_per_post"] = {"night": rng.randint(1, 3)}
    config: dict[str, Any] = {"rules": rules}
    if rng.random() < 0.6:
        weight = rng.choice([None, 3])
        config["successions"] = [{"after": ["night"], "then": ["day"], "weight": weight}]
    config["requests"] = [
        {
            "person": "p1",
            "kind": "prefer",
            "post": "day",
            "date": f"2024-01-0{rng.randint(1, 9)}",
            "weight": 2,
        },
        {
            "person": "p2",
            "kind": "avoid",
            "weekday": rng.choice(["sat", "sun", "mon"]),
            "weight": 1,
        },
    ]
    rows = {p: "".join(rng.choice("...DDN") for _ in range(DAYS)) for p in ("p1", "p2")}
    return config, rows


@pytest.mark.parametrize("seed", range(40))
def test_solver_and_checker_agree(seed: int) -> None:
    config, rows = random_case(seed)
    outcome = judge(make_roster(**config), rows, days=DAYS)
    assert outcome.feasible == (outcome.report.violations == []), outcome.report.violations
    if outcome.feasible:
        assert outcome.objective == outcome.report.penalty
