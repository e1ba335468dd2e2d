"""Measures what the history changes: the reference community's week 7 solved alone and from week 6.

    python -m benchmarks.history [--time-limit 5] [--workers 2] [--seeds 0 1 2] [--fair-nights 0 5]

For each ``weights.fair_nights`` and seed, solves 2020-W06, then 2020-W07 alone and with week 6 as
its history, and prints a Markdown row (alone / with history): the rules week 7 breaks across the
border (checked with the history); the night shifts in week 7 of the third of the people who
may take nights that had the most in week 6; the spread of night shifts over the two weeks among
those people (most - fewest, and the mean distance from the mean); week 7's penalty, each by its
own rules; and the wall seconds of the solve with history.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from roster.check import check
from roster.eligibility import eligible
from roster.history import History
from roster.load import Roster, load_roster
from roster.report import assignment_of
from roster.slots import Period, expand, make_period
from solver.solve import SolveOptions, solve

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "xingwang"


def with_fair_nights(roster: Roster, weight: int) -> Roster:
    """The roster with ``weights.fair_nights`` set to ``weight``."""
    weights = roster.config.weights.model_copy(update={"fair_nights": weight})
    config = roster.config.model_copy(update={"weights": weights})
    return Roster(roster.folder, config, roster.people, roster.leave)


def night_people(roster: Roster, period: Period) -> list[str]:
    """The people who may take at least one night shift of the period."""
    slots = [s for s in expand(roster.config, period) if s.night]
    return [p.id for p in roster.people if any(eligible(roster, p, s) for s in slots)]


def row(roster: Roster, options: SolveOptions) -> list[str]:
    """One table row for one roster and seed."""
    zone = roster.config.timezone
    week6 = solve(roster, make_period(zone, "2020-W06", None, None), options)
    period = make_period(zone, "2020-W07", None, None)
    history = History.from_schedules(roster, [week6], period)
    alone = solve(roster, period, options)
    started = time.monotonic()
    joined = solve(roster, period, replace(options, history=history))
    wall = time.monotonic() - started
    slots = expand(roster.config, period)
    across = []
    for week7 in (alone, joined):
        broken = check(roster, period, slots, assignment_of(week7), history=history).violations
        count = Counter(v.rule for v in broken if v.border)
        across.append(", ".join(f"{rule} {n}" for rule, n in sorted(count.items())) or "none")
    people = night_people(roster, period)
    before = {p.id: p.nights for p in week6.people}
    ranked = sorted(people, key=lambda pid: (-before[pid], pid))
    top = set(ranked[: len(ranked) // 3])
    cells = [" / ".join(across)]
    top_nights, spread, distance = [], [], []
    for week7 in (alone, joined):
        after = {p.id: p.nights for p in week7.people}
        top_nights.append(str(sum(after[pid] for pid in top)))
        total = [before[pid] + after[pid] for pid in people]
        spread.append(f"{max(total) - min(total)}")
        mean = statistics.fmean(total)
        distance.append(f"{statistics.fmean(abs(t - mean) for t in total):.2f}")
    cells += [" / ".join(top_nights), " / ".join(spread), " / ".join(distance)]
    return [
        str(roster.config.weights.fair_nights),
        str(options.seed),
        *cells,
        f"{alone.solver.objective} / {joined.solver.objective}",
        f"{wall:.1f}",
    ]


def main() -> None:
    """Run the measurement and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--fair-nights", type=int, nargs="+", default=[0, 5])
    args = parser.parse_args()
    base = load_roster(EXAMPLE)
    print(
        "| fair_nights | seed | broken across the border | week 7 nights of week 6's top third "
        "| two-week nights, most - fewest | two-week nights, mean distance from mean "
        "| week 7 penalty | wall s with history |"
    )
    print("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for weight in args.fair_nights:
        roster = with_fair_nights(base, weight)
        for seed in args.seeds:
            options = SolveOptions(time_limit=args.time_limit, workers=args.workers, seed=seed)
            print("| " + " | ".join(row(roster, options)) + " |", flush=True)


if __name__ == "__main__":
    main()
