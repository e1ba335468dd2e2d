"""Repair against solving again, on random absences: how many assignments change, whether the
past stays, shortages, penalty and time.

For each of N seeded events (one person absent for 1 to 3 days from a random moment of the
week), the week's roster is repaired with ``solver.repair.repair`` and, for scale, solved again
from scratch with the same leave; both are compared with the published roster.

    python -m benchmarks.repair [DIR] [--events 50] [--seed 0] [--time-limit S] [--workers 2]
        [--resolve-limit S] [--base-units U] [--community cNN] [--no-resolve]

DIR defaults to the reference community (examples/xingwang). With ``--community``, DIR is a
district folder (``python -m benchmarks.district generate``) and every event falls in that
community: the repair runs on the whole district, as a district's coordinator would run it, and
the re-solve for scale solves that community again alone (solving all 29 again would move every
community).
"""

from __future__ import annotations

import os
import random
import statistics
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import click

from roster.check import check
from roster.load import Roster, load_roster
from roster.models import Leave
from roster.report import assignment_of
from roster.schedule import Schedule, atomic_write, read_schedule
from roster.slots import Period, expand, make_period
from solver.components import find_parts, sub_roster
from solver.repair import repair
from solver.solve import SolveOptions, solve

REFERENCE = Path(__file__).resolve().parent.parent / "examples" / "xingwang"


@dataclass
class Outcome:
    """One event's figures for one method."""

    changed: int
    past_changed: int
    shortage: int
    penalty: int
    wall: float
    own: int


def _with_leave(roster: Roster, person: str, start: datetime, end: datetime) -> Roster:
    leave = dict(roster.leave)
    away = Leave(person=person, start=start, end=end, reason="benchmark")
    leave[person] = [*leave.get(person, []), away]
    return Roster(roster.folder, roster.config, roster.people, leave)


def _compare(base: Schedule, after: Schedule, now: datetime) -> tuple[int, int]:
    """Assignments the new roster has that the base did not (each new person on a slot is one
    change) in slots not over by ``now``, and every assignment changed in slots over by then
    (the past). A shift under way at ``now`` is not past: the absent person hands it on."""
    before, new = assignment_of(base), assignment_of(after)
    ends = {s.id: s.end for s in base.slots}
    later = past = 0
    for sid, people in new.items():
        added = len(set(people) - set(before.get(sid, [])))
        removed = len(set(before.get(sid, [])) - set(people))
        if ends[sid] <= now:
            past += added + removed
        else:
            later += added
    return later, past


def events(
    roster: Roster, base: Schedule, period: Period, count: int, seed: int, prefix: str = ""
) -> list[tuple[str, datetime, datetime]]:
    """``count`` absences: a person who has a duty after a random moment, away 1 to 3 days
    (with ``prefix``, a duty of a post whose id starts with it: one community of a district)."""
    rng = random.Random(seed)
    out: list[tuple[str, datetime, datetime]] = []
    hours = int((period.end - period.start).total_seconds() // 3600)
    mine = [s for s in base.slots if s.post.startswith(prefix)]
    while len(out) < count:
        now = period.start + timedelta(hours=rng.randrange(hours))
        busy = sorted({p for s in mine if s.start >= now for p in s.assigned})
        if not busy:
            continue
        person = rng.choice(busy)
        out.append((person, now, now + timedelta(days=rng.randint(1, 3))))
    return out


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument(
    "folder", type=click.Path(file_okay=False, path_type=Path), default=REFERENCE, required=False
)
@click.option("--week", default="2020-W06", show_default=True, help="The week to repair.")
@click.option("--events", "count", default=50, show_default=True, help="Random absences.")
@click.option("--seed", default=0, show_default=True, help="Seed of the events and of CP-SAT.")
@click.option("--time-limit", default=4.0, show_default=True, help="Limit of each repair.")
@click.option("--resolve-limit", default=10.0, show_default=True, help="Limit of each re-solve.")
@click.option(
    "--base-units",
    default=10.0,
    show_default=True,
    help="Work units of the base roster's solve (repeatable: the same base on any machine).",
)
@click.option(
    "--base-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Read the base roster from this schedule.json if it exists, else solve and write it.",
)
@click.option(
    "--community",
    default=None,
    help="DIR is a district folder: events fall in this community (c01 … c29) only.",
)
@click.option("--workers", default=2, show_default=True, help="CP-SAT workers.")
@click.option("--no-resolve", is_flag=True, help="Repairs only (no re-solve for scale).")
def main(
    folder: Path,
    week: str,
    count: int,
    seed: int,
    time_limit: float,
    resolve_limit: float,
    base_units: float,
    base_file: Path | None,
    community: str | None,
    workers: int,
    no_resolve: bool,
) -> None:
    """Repair against re-solving on random absences; prints medians and worst cases."""
    roster = load_roster(folder)
    period = make_period(roster.config.timezone, week, None, None)
    started = time.monotonic()
    if base_file is not None and base_file.is_file():
        base = read_schedule(base_file)
    else:
        # The published roster: solved in the repeatable mode, so every machine repairs the same.
        base = solve(
            roster,
            period,
            SolveOptions(repeatable=True, work_units=base_units, workers=workers, seed=seed),
        )
        if base_file is not None:
            atomic_write(base_file, base.to_json())
    click.echo(
        f"{roster.name} {week}: {len(roster.people)} people, base penalty "
        f"{base.solver.objective} ({time.monotonic() - started:.1f} s), workers {workers}, "
        f"seed {seed}, load average {os.getloadavg()[0]:.2f}"
    )
    prefix = f"{community}-" if community else ""
    alone = _community(roster, prefix) if community else None
    if alone is not None:
        click.echo(f"community {community}: {len(alone.people)} people")
    repairs: list[Outcome] = []
    resolves: list[Outcome] = []
    proven = 0
    for i, (person, now, back) in enumerate(events(roster, base, period, count, seed, prefix)):
        sick = _with_leave(roster, person, now, back)
        own = sum(1 for s in base.slots if person in s.assigned and now < s.end and s.start < back)
        started = time.monotonic()
        result = repair(
            sick,
            period,
            base,
            now,
            SolveOptions(time_limit=time_limit, workers=workers, seed=seed),
            absent=(person,),
        )
        wall = time.monotonic() - started
        proven += result.proven_minimal
        later, past = _compare(base, result.schedule, now)
        shortage = sum(s.missing for s in result.schedule.shortages if s.post.startswith(prefix))
        penalty = result.schedule.solver.objective or 0
        if alone is not None:
            # The community's own penalty, comparable with its re-solve alone.
            penalty = _penalty(_community(sick, prefix), period, result.schedule)
        repairs.append(Outcome(later, past, shortage, penalty, wall, own))
        line = f"{i + 1:3d} {person} from {now:%a %H:%M} {own} own: repair {later} ({wall:.1f} s)"
        if not no_resolve:
            started = time.monotonic()
            whole = sick if alone is None else _community(sick, prefix)
            again = solve(
                whole, period, SolveOptions(time_limit=resolve_limit, workers=workers, seed=seed)
            )
            wall = time.monotonic() - started
            later, past = _compare(base, again, now)
            shortage = sum(s.missing for s in again.shortages)
            resolves.append(Outcome(later, past, shortage, again.solver.objective or 0, wall, own))
            line += f", re-solve {later} + {past} in the past ({wall:.1f} s)"
        click.echo(line)
    click.echo(_table(repairs, resolves, proven))
    click.echo(f"load average at the end: {os.getloadavg()[0]:.2f}")


def _penalty(roster: Roster, period: Period, schedule: Schedule) -> int:
    """The penalty of ``schedule``'s duties on ``roster``'s posts, by the rules of ``roster``."""
    slots = expand(roster.config, period)
    assigned = assignment_of(schedule)
    return check(roster, period, slots, {s.id: assigned.get(s.id, []) for s in slots}).penalty


def _community(roster: Roster, prefix: str) -> Roster:
    """One community of a district folder, as a roster of its own (its part)."""
    [part] = [p for p in find_parts(roster) if p.posts[0].startswith(prefix)]
    return sub_roster(roster, part)


def _table(repairs: list[Outcome], resolves: list[Outcome], proven: int) -> str:
    def row(name: str, items: list[Outcome]) -> str:
        changed = [o.changed for o in items]
        extra = [o.changed - o.own for o in items]
        return (
            f"| {name} | {statistics.median(changed):g} | {max(changed)} | "
            f"{statistics.median(extra):g} | {sum(o.past_changed for o in items)} | "
            f"{sum(o.shortage for o in items)} | {statistics.median(o.penalty for o in items):g} | "
            f"{statistics.median(o.wall for o in items):.2f} |"
        )

    lines = [
        "",
        "| method | changes (median) | changes (worst) | beyond own duties (median) | "
        "changes in the past (all) | people missing (all) | penalty (median) | wall s (median) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        row("repair", repairs),
    ]
    if resolves:
        lines.append(row("solve again", resolves))
    lines.append(f"\nrepairs proven minimal: {proven} of {len(repairs)}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
