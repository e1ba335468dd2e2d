"""Rule ``nights``: at most so many night shifts a week and over the period."""

from __future__ import annotations

from ortools.sat.python import cp_model

from ..model import Penalty, RosterModel


def nights(m: RosterModel) -> list[Penalty]:
    """A night shift is one that overlaps the night window (``night:``, default 22:00–06:00).
    At most ``max_nights_per_week`` night shifts in each ISO week (by the date a shift starts on)
    and ``max_nights`` over the period. People with ``no_nights`` never get one (they have no
    variable for night slots at all). Hard; no penalty."""
    for person in m.people:
        rules = m.rules(person)
        if rules.max_nights_per_week is None and rules.max_nights is None:
            continue
        by_week: dict[tuple[int, int], list[cp_model.IntVar]] = {}
        every: list[cp_model.IntVar] = []
        for slot, var in m.of_person(person):
            if slot.night:
                iso = slot.day.isocalendar()
                by_week.setdefault((iso.year, iso.week), []).append(var)
                every.append(var)
        cap = rules.max_nights_per_week
        if cap is not None:
            for (year, week), lits in by_week.items():
                if len(lits) > cap:
                    m.model.add(sum(lits) <= cap).only_enforce_if(
                        m.guard(
                            "nights",
                            f"{person.id} takes at most {cap} night shift(s) in {year}-W{week:02d}",
                        )
                    )
        if rules.max_nights is not None and len(every) > rules.max_nights:
            m.model.add(sum(every) <= rules.max_nights).only_enforce_if(
                m.guard(
                    "nights",
                    f"{person.id} takes at most {rules.max_nights} night shift(s) in the period",
                )
            )
    return []
