"""What a missing person or round costs when people are short: post priorities and rounds.

The model (``solver/rules/priority.py``, ``solver/rules/rounds.py``) and the checker
(``roster/check.py``) both price shortages with these functions, so the two cannot drift apart.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from .errors import LoadError
from .i18n import translator
from .models import RosterConfig
from .slots import Slot

#: The most one missing place may cost. CP-SAT needs every sum of the objective to fit in 64 bits;
#: each priority level multiplies the cost by the places below it, so a few levels over a long
#: period of a large roster could overflow.
MAX_PLACE_WEIGHT = 10**12


def places(config: RosterConfig, slot: Slot) -> int:
    """The places a slot's minimums ask for: its minimum headcount and each team quota's minimum
    (a quota place is counted as well as the person taking it, as the shortage terms count it)."""
    post = next(p for p in config.posts if p.id == slot.post)
    return slot.min + sum(q.min for q in post.quotas)


def place_weights(config: RosterConfig, slots: list[Slot]) -> dict[int, int]:
    """Priority → what one missing place (a person below a minimum, or below a team quota's
    minimum) costs on a post of that priority, in total.

    The lowest priority among the posts costs ``weights.shortage``, as every post does when no
    priority is set. Each higher priority costs ``weights.shortage`` more than every place of the
    lower priorities in ``slots`` missing at once, so no number of missing places of lower
    priority is ever worth one of higher priority: the posts are filled in priority order."""
    base = config.weights.shortage
    count: Counter[int] = Counter()
    priority = {p.id: p.priority for p in config.posts}
    for slot in slots:
        count[priority[slot.post]] += places(config, slot)
    out: dict[int, int] = {}
    below = 0  # what every place of the lower priorities costs, all missing at once
    for level in sorted(set(priority.values())):
        out[level] = base + below if out else base
        below += out[level] * count[level]
        if out[level] > MAX_PLACE_WEIGHT:
            raise LoadError(
                "roster.yaml",
                "posts[].priority",
                f"{len(set(priority.values()))} levels of priority over "
                f"{len(slots)} shifts make a missing place cost more than the solver can count; "
                "use fewer levels (two or three are usually enough) or plan a shorter period",
            )
    return out


def round_prices(config: RosterConfig, slots: list[Slot]) -> dict[tuple[str, date], list[int]]:
    """(post id, day) → the price of the area's first, second, … round of that day not held, for
    every post with ``rounds`` (an area) and every day it has rounds. A round is a slot of the
    post starting that day with a minimum of at least one.

    On each day the last rounds cost ``weights.rounds``, and every earlier round costs
    ``weights.rounds`` more than all later rounds of every area of that day together: an area
    missing its only round of a day costs more than every other area missing its second."""
    weight = config.weights.rounds
    rounds_posts = {p.id for p in config.posts if p.rounds}
    per_day: dict[date, Counter[str]] = {}
    for slot in slots:
        if slot.post in rounds_posts and slot.min > 0:
            per_day.setdefault(slot.day, Counter())[slot.post] += 1
    out: dict[tuple[str, date], list[int]] = {}
    for day, areas in per_day.items():
        deepest = max(areas.values())
        price = [0] * (deepest + 1)  # price[k]: the k-th round (1-based)
        later = 0  # what every later round of every area of the day costs together
        for k in range(deepest, 0, -1):
            price[k] = weight + later
            later += price[k] * sum(1 for n in areas.values() if n >= k)
        for post, n in areas.items():
            out[(post, day)] = price[1 : n + 1]
    return out


def rounds_of(config: RosterConfig, slots: list[Slot]) -> dict[tuple[str, date], list[Slot]]:
    """(post id, day) → the rounds of that area on that day, in time order (see
    ``round_prices``)."""
    rounds_posts = {p.id for p in config.posts if p.rounds}
    out: dict[tuple[str, date], list[Slot]] = {}
    for slot in sorted(slots, key=lambda s: (s.start, s.id)):
        if slot.post in rounds_posts and slot.min > 0:
            out.setdefault((slot.post, slot.day), []).append(slot)
    return out


def not_proven_within_limit(language: str) -> str:
    """The staffing hint's sentence for a shortage whose proof stopped at the command's limit
    (``solver/proof.py``), in the roster's language."""
    t = translator(language)
    return t(
        "Not proven within the limit: the proof of the shortage stopped when the command's limit "
        "ran out (a longer --time-limit, or more --work-units, lets it finish)"
    )
