"""Rule ``nights``: at most so many night shifts a week, over the period and over the window."""

from __future__ import annotations

from ortools.sat.python import cp_model

from roster.history import iso_week, rolling_windows, week_label

from ..model import Penalty, RosterModel
from .history import window_weeks


def nights(m: RosterModel) -> list[Penalty]:
    """A night shift is one that overlaps the night window (``night:``, default 22:00–06:00).
    At most ``max_nights_per_week`` night shifts in each ISO week (by the date a shift starts on;
    a week the period starts in the middle of counts its published nights too), ``max_nights``
    over the period (the planned one alone) and ``max_nights_per_window`` in each rolling window of
    ``window_weeks`` ISO weeks, published weeks included. People with ``no_nights`` never get one
    (they have no variable for night slots at all). Hard; no penalty. Published nights alone over
    a cap leave the person no more nights in that week or window."""
    for person in m.people:
        rules = m.rules(person)
        if (
            rules.max_nights_per_week is None
            and rules.max_nights is None
            and rules.max_nights_per_window is None
        ):
            continue
        by_week: dict[tuple[int, int], list[cp_model.IntVar]] = {}
        every: list[cp_model.IntVar] = []
        for slot, var in m.of_person(person):
            if slot.night:
                iso = slot.day.isocalendar()
                by_week.setdefault((iso.year, iso.week), []).append(var)
                every.append(var)
        past: dict[tuple[int, int], int] = {}
        for duty in m.past(person):
            if duty.night:
                past[iso_week(duty.day)] = past.get(iso_week(duty.day), 0) + 1
        cap = rules.max_nights_per_week
        if cap is not None:
            for (year, week), lits in by_week.items():
                left = cap - past.get((year, week), 0)
                if len(lits) > left:
                    m.model.add(sum(lits) <= max(0, left)).only_enforce_if(
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
        limit = rules.max_nights_per_window
        if limit is None:
            continue
        for window in rolling_windows(m.period, window_weeks(m)):
            lits = [v for w in window for v in by_week.get(w, [])]
            before = sum(past.get(w, 0) for w in window)
            if len(lits) <= limit - before:
                continue
            published = f", {before} published" if before else ""
            m.model.add(sum(lits) <= max(0, limit - before)).only_enforce_if(
                m.guard(
                    "nights",
                    f"{person.id} takes at most {limit} night shift(s) in "
                    f"{week_label(window[0])} … {week_label(window[-1])}{published}",
                )
            )
    return []
