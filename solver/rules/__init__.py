"""The rules of the CP-SAT model, one module each, named as the rule ids of the configuration.

A rule takes the model, adds its constraints and returns its penalties; ``solve`` sums them into the
objective. Each rule's solver-free twin is the function of the same name in ``roster/check.py``, its
tests are marked ``@pytest.mark.rule("<id>")``, and its entry in docs/rules.md is generated from its
docstring (``make docs``).
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Penalty, RosterModel
from .complete_weekends import complete_weekends
from .fairness import fair_hours, fair_nights, fair_weekends
from .headcount import headcount
from .hours import hours
from .max_consecutive_days import max_consecutive_days
from .max_shifts_per_day import max_shifts_per_day
from .max_shifts_per_post import max_shifts_per_post
from .max_weekends import max_weekends
from .min_consecutive_days import min_consecutive_days, min_consecutive_days_off
from .nights import nights
from .no_overlap import no_overlap
from .pins import pins
from .preferred_runs import (
    preferred_consecutive_days,
    preferred_consecutive_days_off,
    preferred_consecutive_shifts,
)
from .preferred_totals import preferred_max_weekends, preferred_total_shifts
from .priority import priority
from .quotas import quotas
from .requests import requests
from .rest import rest
from .rounds import rounds
from .successions import successions

Rule = Callable[[RosterModel], list[Penalty]]

#: Every rule, in the order they are added to the model. Eligibility (skills, tags, leave, no
#: nights) is not here: the model has no variable for a pair that is not eligible.
RULES: list[Rule] = [
    headcount,
    quotas,
    no_overlap,
    max_shifts_per_day,
    rest,
    hours,
    # Sequence rules and requests (issue 3).
    successions,
    max_consecutive_days,
    min_consecutive_days,
    min_consecutive_days_off,
    max_weekends,
    max_shifts_per_post,
    requests,
    # Nights, pins and fairness.
    nights,
    pins,
    fair_hours,
    fair_nights,
    fair_weekends,
    # Soft ranges on runs and totals, complete weekends (the INRC-II rules, docs/inrc2.md).
    preferred_consecutive_days,
    preferred_consecutive_days_off,
    preferred_consecutive_shifts,
    complete_weekends,
    preferred_total_shifts,
    preferred_max_weekends,
    # When people are short: post priorities and rounds of an area.
    priority,
    rounds,
]

__all__ = ["RULES", "Rule"]
