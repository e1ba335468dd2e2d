"""How fast the roster store publishes and reads district-sized weeks, on SQLite and PostgreSQL.

The schedules are the generated district's weeks (``benchmarks.district``: 29 communities, 1,057
people) with people drawn at random onto every slot up to its minimum: the store neither checks
nor cares whether they are good rosters, only how big they are.

    python -m benchmarks.store [--db PATH_OR_URL ...] [--weeks 4] [--versions 3] [--repeat 5]

Each ``--db`` must be a new, empty store (versions are never deleted, so the benchmark's stay):
a SQLite path that does not exist yet, or the URL of an empty PostgreSQL database. Without
``--db``, a SQLite file in a temporary folder.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from benchmarks.district import write_district
from roster.load import Roster, load_roster
from roster.schedule import PeriodOut, PersonOut, PostOut, Schedule, SlotOut, SolverInfo
from roster.slots import Slot, expand, make_period
from store import open_store


def synthetic_week(roster: Roster, week: str, rng: random.Random) -> Schedule:
    """A schedule of ``week`` with random people on every slot up to its minimum."""
    period = make_period(roster.config.timezone, week, None, None)
    slots: list[Slot] = expand(roster.config, period)
    ids = [p.id for p in roster.people]
    out = [
        SlotOut(
            id=s.id, post=s.post, start=s.start, end=s.end, min=s.min, target=s.target,
            max=s.max, assigned=rng.sample(ids, s.min), shortage=0,
        )
        for s in slots
    ]  # fmt: skip
    return Schedule(
        roster=roster.name,
        timezone=roster.config.timezone,
        period=PeriodOut(start=period.start, end=period.end),
        solver=SolverInfo(
            status="FEASIBLE", objective=0, bound=0, wall_seconds=0, workers=1, seed=0
        ),
        objective_terms=[],
        language=roster.config.language,
        posts=[PostOut(id=p.id, name=p.name, location=p.location) for p in roster.config.posts],
        slots=out,
        people=[
            PersonOut(id=p.id, name=p.name, hours=0, shifts=0, nights=0) for p in roster.people
        ],
    )


def reshuffle(schedule: Schedule, rng: random.Random, share: float = 0.05) -> Schedule:
    """The next version: a share of the slots get another person."""
    ids = [p.id for p in schedule.people]
    data = schedule.model_copy(deep=True)
    for slot in data.slots:
        if slot.assigned and rng.random() < share:
            slot.assigned[0] = rng.choice(ids)
    return data


def timed(action: Callable[[], Any], repeat: int) -> float:
    """Median seconds of ``repeat`` runs of ``action``."""
    times = []
    for _ in range(repeat):
        begin = time.perf_counter()
        action()
        times.append(time.perf_counter() - begin)
    return statistics.median(times)


def measure(db: str, weeks: list[Schedule], versions: int, repeat: int) -> dict[str, float]:
    """Publish ``versions`` versions of each week into ``db``, then time the reads."""
    rng = random.Random(1)
    figures: dict[str, float] = {}
    publish_times = []
    with open_store(db) as store:
        for week in weeks:
            current = week
            for number in range(1, versions + 1):
                begin = time.perf_counter()
                store.publish(
                    current,
                    inputs_digest="0" * 64,
                    author="benchmark",
                    message=f"version {number}",
                    parent=number - 1 or None,
                )
                publish_times.append(time.perf_counter() - begin)
                current = reshuffle(current, rng)
        last = weeks[-1]
        start, end, name = last.period.start, last.period.end, last.roster
        figures["publish"] = statistics.median(publish_times)
        figures["latest"] = timed(lambda: store.latest(name, start, end), repeat)
        figures["revision"] = timed(lambda: store.revision(name), repeat)
        figures["history_before (4 weeks)"] = timed(
            lambda: store.history_before(name, end, 4), repeat
        )
        figures["feed_versions (4 periods)"] = timed(lambda: store.feed_versions(name, 4), repeat)
    with open_store(db, cache=64) as cached:
        cached.feed_versions(name, 4)
        figures["feed_versions, cached"] = timed(lambda: cached.feed_versions(name, 4), repeat)
    return figures


@click.command()
@click.option("--db", "dbs", multiple=True, help="A new, empty store (path or URL); repeatable.")
@click.option("--weeks", default=4, show_default=True, help="Weeks published.")
@click.option("--versions", default=3, show_default=True, help="Versions of each week.")
@click.option("--repeat", default=5, show_default=True, help="Runs of each read, median taken.")
def main(dbs: tuple[str, ...], weeks: int, versions: int, repeat: int) -> None:
    """Time publishing and reading district-sized weeks in the roster store."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = write_district(Path(scratch) / "district")
        roster = load_roster(folder)
        rng = random.Random(0)
        schedules = [synthetic_week(roster, f"2020-W{6 + k:02d}", rng) for k in range(weeks)]
        size = len(schedules[0].to_json().encode("utf-8"))
        targets = list(dbs) or [str(Path(scratch) / "store" / "roster.db")]
        click.echo(
            f"{len(roster.people)} people, {len(schedules[0].slots)} slots a week, "
            f"schedule.json {size / 1e6:.1f} MB; {weeks} weeks × {versions} versions"
        )
        columns = ["publish", "latest", "revision", "history_before (4 weeks)",
                   "feed_versions (4 periods)", "feed_versions, cached"]  # fmt: skip
        click.echo("\n| store | " + " | ".join(columns) + " |")
        click.echo("|---" * (len(columns) + 1) + "|")
        for db in targets:
            figures = measure(db, schedules, versions, repeat)
            with open_store(db) as store:
                backend = store.backend
            cells = [f"{seconds * 1000:.0f} ms" for seconds in figures.values()]
            click.echo(f"| {backend} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
