"""The rules of the CP-SAT model, one module each, named as the rule ids of the configuration.

A rule takes the model, adds its constraints and returns its penalties; ``solve`` sums them into the
objective. Each rule's solver-free twin is the function of the same name in ``roster/check.py``.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Penalty, RosterModel
from .headcount import headcount
from .hours import hours
from .max_shifts_per_day import max_shifts_per_day
from .no_overlap import no_overlap
from .quotas import quotas
from .rest import rest

Rule = Callable[[RosterModel], list[Penalty]]

#: Every rule, in the order they are added to the model. Eligibility (skills, tags, leave, no
#: nights) is not here: the model has no variable for a pair that is not eligible.
RULES: list[Rule] = [headcount, quotas, no_overlap, max_shifts_per_day, rest, hours]

__all__ = ["RULES", "Rule"]
