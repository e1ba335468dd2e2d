"""Maximal cliques of an interval graph: the building block of the overlap and rest rules."""

from __future__ import annotations

from datetime import datetime
from itertools import groupby


def interval_cliques(spans: list[tuple[datetime, datetime]]) -> list[list[int]]:
    """The maximal sets of half-open intervals ``[start, end)`` that share a moment, as indices.

    A sweep over start times: the set alive just before the first interval ends after a batch of
    starts is a maximal clique, and every maximal clique of an interval graph is found so."""
    order = sorted(range(len(spans)), key=lambda i: (spans[i][0], i))
    cliques: list[list[int]] = []
    active: list[int] = []
    grown = False
    for moment, group in groupby(order, key=lambda i: spans[i][0]):
        alive = [j for j in active if spans[j][1] > moment]
        if grown and len(alive) < len(active):
            if len(active) >= 2:
                cliques.append(list(active))
            grown = False
        active = alive + list(group)
        grown = True
    if grown and len(active) >= 2:
        cliques.append(list(active))
    return cliques
