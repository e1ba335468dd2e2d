"""The `roster` command line: thin commands over the roster, solver and calendars packages."""

from __future__ import annotations

import functools
import getpass
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import click

from calendars.feeds import DEFAULT_ALARM_MINUTES, FeedIndex, write_feeds
from calendars.tokens import FeedKey, rotate
from roster.check import check as check_roster
from roster.demand import demand_report
from roster.diff import ScheduleDiff, diff_schedules, shift_names
from roster.errors import InfeasibleError, RosterError
from roster.inputs import inputs_digest
from roster.load import Roster, load_roster
from roster.render import (
    Filter,
    render_csv,
    render_markdown,
    render_people,
    render_summary,
    render_table,
)
from roster.report import assignment_of
from roster.schedule import Schedule, atomic_write, read_schedule
from roster.slots import Period, expand, make_period, period_label
from roster.verify import check_publishable
from roster.versions import Version
from solver.solve import Progress, SolveOptions, solve
from store import ENV, Store, open_store, store_location
from store.report import history_rows, render_history

F = TypeVar("F", bound=Callable[..., Any])

EXAMPLES = Path(__file__).resolve().parent / "examples"


def _state(ctx: click.Context) -> dict[str, Any]:
    return ctx.ensure_object(dict)


def friendly(command: F) -> F:
    """Turn the library's typed errors into one-line messages (a traceback only with --debug)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InfeasibleError as exc:
            if _state(click.get_current_context()).get("debug"):
                raise
            lines = [str(exc)] + [f"  - {c}" for c in exc.conflicts]
            raise click.ClickException("\n".join(lines)) from None
        except RosterError as exc:
            if _state(click.get_current_context()).get("debug"):
                raise
            raise click.ClickException(str(exc)) from None

    return wrapper  # type: ignore[return-value]


def period_options(command: F) -> F:
    """--week, --from and --to: the planning period, the same in every command."""
    command = click.option(
        "--to",
        "last",
        type=click.DateTime(["%Y-%m-%d"]),
        help="Last day to plan (inclusive), YYYY-MM-DD.",
    )(command)
    command = click.option(
        "--from", "first", type=click.DateTime(["%Y-%m-%d"]), help="First day to plan, YYYY-MM-DD."
    )(command)
    command = click.option("--week", help="ISO week to plan, e.g. 2020-W06.")(command)
    return command


def format_option(*choices: str, help: str) -> Callable[[F], F]:
    """--format: how a command prints, the first choice being the default, the same everywhere."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=choices[0],
        show_default=True,
        help=help,
    )


def _period(
    timezone: str, week: str | None, first: datetime | None, last: datetime | None
) -> Period:
    return make_period(
        timezone, week, first.date() if first else None, last.date() if last else None
    )


roster_dir = click.argument(
    "folder", type=click.Path(file_okay=False, path_type=Path), metavar="DIR"
)
schedule_file = click.argument(
    "schedule_path", type=click.Path(dir_okay=False, path_type=Path), metavar="SCHEDULE_JSON"
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="dutyroster", prog_name="roster")
@click.option("--debug", is_flag=True, help="Show a traceback on errors (for bug reports).")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Duty rosters for a community under emergency.

    Describe people, posts and rules in a roster folder (roster.yaml plus people.csv or
    people.xlsx); `roster solve` assigns people to shifts; `roster show` prints the result.

    \b
    Example:
      roster init mycommunity
      roster solve mycommunity --week 2020-W06
      roster show out/mycommunity/schedule.json --day 2020-02-03
    """
    _state(ctx)["debug"] = debug


@main.command()
@roster_dir
@click.option(
    "--example",
    type=click.Choice(["xingwang", "clinic"]),
    default="xingwang",
    show_default=True,
    help="Which bundled example to start from.",
)
@friendly
def init(folder: Path, example: str) -> None:
    """Write a starter roster folder to DIR, copied from a bundled example.

    \b
    Example:
      roster init 兴旺社区 --example xingwang
    """
    source = EXAMPLES / example
    if not source.is_dir():
        raise RosterError(f"the bundled example {example!r} is missing from {EXAMPLES}")
    if folder.exists() and any(folder.iterdir()):
        raise RosterError(f"{folder}: the folder is not empty; choose a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    for item in sorted(source.iterdir()):
        if item.is_file() and not item.name.startswith("."):
            shutil.copyfile(item, folder / item.name)
    click.echo(
        f"Wrote {folder}/: edit roster.yaml and the people file, then run "
        f"`roster validate {folder}`."
    )


@main.command()
@roster_dir
@period_options
@format_option("table", "json", help="table for people, json for scripts.")
@friendly
def validate(
    folder: Path, week: str | None, first: datetime | None, last: datetime | None, fmt: str
) -> None:
    """Load and check a roster folder, and show what it asks for.

    Every problem is listed with its file and place. Warns early about demands no roster
    can meet: a post nobody may take, a quota larger than the headcount. With a period, the
    slots it would create are counted, and the hours needed per skill and tag are compared
    with the hours their holders can give.

    \b
    Example:
      roster validate examples/xingwang --week 2020-W06
    """
    roster = load_roster(folder)
    summary: dict[str, Any] = {
        "roster": roster.name,
        "people": len(roster.people),
        "posts": len(roster.config.posts),
    }
    demand = demand_report(roster)
    if week or first or last:
        period = _period(roster.config.timezone, week, first, last)
        slots = expand(roster.config, period)
        summary["slots"] = len(slots)
        summary["demand_hours"] = round(sum(s.hours * s.min for s in slots), 1)
        demand = demand_report(roster, period, slots)
    # Demand against supply per skill and tag, and early warnings (roster/demand.py).
    summary.update(demand.to_dict())
    if fmt == "json":
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{folder}: OK — {roster.name}: {summary['people']} people, {summary['posts']} posts"
    )
    if "slots" in summary:
        click.echo(
            f"{summary['slots']} slots, {summary['demand_hours']:g} person-hours at "
            "the minimum headcount"
        )
    for need in demand.needs:
        who = "everyone" if need.kind == "all" else f"{need.kind} {need.label}"
        click.echo(
            f"  {who}: {need.demand_hours:g} h needed, {need.holders} people can give at most "
            f"{need.supply_hours:g} h"
        )
    for warning in demand.warnings:
        click.echo(f"warning: {warning.text}")


def _progress_printer() -> Callable[[Progress], None]:
    """Progress on stderr once a solve has run for a second: best penalty, bound, elapsed."""
    last = [0.0]

    def report(progress: Progress) -> None:
        now = time.monotonic()
        if progress.elapsed < 1.0 or now - last[0] < 0.5:
            return
        last[0] = now
        # A solve in independent parts (communities) reports how many parts have a roster; its
        # penalty covers only those, so it rises as parts are found.
        parts = getattr(progress, "parts", 1)
        found = f"  parts {getattr(progress, 'parts_found', 0)}/{parts}" if parts > 1 else ""
        click.echo(
            f"  … {progress.elapsed:5.1f} s  penalty {progress.objective:g}  "
            f"bound {progress.bound:g}{found}",
            err=True,
        )

    return report


@main.command(name="solve")
@roster_dir
@period_options
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="CP-SAT's search budget in its deterministic seconds (counted in work, so the same "
    "roster comes out on any machine; 2 to 3 wall seconds each on a busy 2-core machine).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="CP-SAT worker threads (default: 8 for models under 2,000 Booleans, 2 above).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="CP-SAT random seed.")
@click.option(
    "--strict",
    is_flag=True,
    help="Make headcount minimums hard: fail instead of listing shortages.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write schedule.json, roster.csv, roster.md [default: out/<DIR name>].",
)
@format_option("table", "json", help="table: a summary for people; json: the schedule.")
@friendly
def solve_command(
    folder: Path,
    week: str | None,
    first: datetime | None,
    last: datetime | None,
    time_limit: float,
    workers: int | None,
    seed: int,
    strict: bool,
    out_dir: Path | None,
    fmt: str,
) -> None:
    """Assign people to every slot of a planning period and write the roster.

    Writes schedule.json (for other tools), roster.csv (for spreadsheets) and roster.md,
    then prints a summary: status, penalty with its terms, spread of hours, shortages.
    Same input, seed and workers give the same roster.

    \b
    Example:
      roster solve examples/xingwang --week 2020-W06 --time-limit 20
    """
    roster = load_roster(folder)
    period = _period(roster.config.timezone, week, first, last)
    options = SolveOptions(
        time_limit=time_limit,
        workers=workers,
        seed=seed,
        strict=strict,
        on_progress=_progress_printer(),
    )
    schedule = solve(roster, period, options)
    target = out_dir or Path("out") / folder.resolve().name
    write_outputs(schedule, target)
    if fmt == "json":
        click.echo(schedule.to_json(), nl=False)
        return
    click.echo(render_summary(schedule), nl=False)
    click.echo(f"→ {target / 'schedule.json'}, {target / 'roster.csv'}, {target / 'roster.md'}")


def write_outputs(schedule: Schedule, target: Path) -> None:
    """schedule.json, roster.csv and roster.md in ``target``, each written atomically."""
    atomic_write(target / "schedule.json", schedule.to_json())
    atomic_write(target / "roster.csv", "\ufeff" + render_csv(schedule))
    atomic_write(target / "roster.md", render_markdown(schedule))


@main.command()
@schedule_file
@click.option("--person", help="Only this person's shifts (person id).")
@click.option("--post", help="Only this post's shifts (post id).")
@click.option("--day", type=click.DateTime(["%Y-%m-%d"]), help="Only this day, YYYY-MM-DD.")
@format_option(
    "table",
    "csv",
    "md",
    "json",
    "people",
    help="table, csv, md (Markdown), json, or people (hours per person).",
)
@friendly
def show(
    schedule_path: Path, person: str | None, post: str | None, day: datetime | None, fmt: str
) -> None:
    """Print a solved roster, whole or filtered by person, post or day.

    \b
    Example:
      roster show out/xingwang/schedule.json --day 2020-02-03
      roster show out/xingwang/schedule.json --person p07 --format csv
    """
    schedule = read_schedule(schedule_path)
    if person is not None and person not in {p.id for p in schedule.people}:
        raise RosterError(f"{schedule_path}: no person with id {person!r}")
    if post is not None and post not in {s.post for s in schedule.slots}:
        raise RosterError(f"{schedule_path}: no post with id {post!r}")
    keep = Filter(person=person, post=post, day=day.date() if day else None)
    if fmt == "json":
        data = schedule.model_dump(mode="json")
        data["slots"] = [
            s for s, m in zip(data["slots"], schedule.slots, strict=True) if keep.keep(m)
        ]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(render_csv(schedule, keep), nl=False)
    elif fmt == "md":
        click.echo(render_markdown(schedule, keep), nl=False)
    elif fmt == "people":
        click.echo(render_people(schedule), nl=False)
    else:
        click.echo(render_table(schedule, keep), nl=False)


@main.command(name="check")
@roster_dir
@schedule_file
@click.option("--strict", is_flag=True, help="Count shortages below minimums as violations.")
@format_option("table", "json", help="table for people, json for scripts.")
@friendly
def check_command(folder: Path, schedule_path: Path, strict: bool, fmt: str) -> None:
    """Check a schedule against every rule of a roster folder, without the solver.

    Lists each violation and recomputes the penalty; exits 1 when any rule is broken
    (for instance after editing schedule.json by hand, or after the people changed).

    \b
    Example:
      roster check examples/xingwang out/xingwang/schedule.json
    """
    roster = load_roster(folder)
    schedule = read_schedule(schedule_path)
    start = schedule.period.start.astimezone(roster.zone)
    end = schedule.period.end.astimezone(roster.zone)
    period = Period(
        start.date(), date.fromordinal(end.date().toordinal() - 1), roster.config.timezone
    )
    slots = expand(roster.config, period)
    report = check_roster(roster, period, slots, assignment_of(schedule), strict=strict)
    violations = [(v.rule, v.text) for v in report.violations]
    expected = {s.id for s in slots}
    listed = {s.id for s in schedule.slots}
    for sid in sorted(expected - listed):
        violations.append(("slots", f"{sid} is missing from the schedule"))
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "violations": [{"rule": r, "text": t} for r, t in violations],
                    "objective_terms": report.terms,
                    "penalty": report.penalty,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for rule, text in violations:
            click.echo(f"{rule}: {text}")
        state = f"{len(violations)} violation(s)" if violations else "no violations"
        click.echo(
            f"{schedule_path}: {state}; penalty {report.penalty} "
            f"(schedule says {schedule.solver.objective})"
        )
    if violations:
        sys.exit(1)


# Calendar feeds (calendars package)


@main.command()
@roster_dir
@schedule_file
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the feeds, replaced as a whole [default: feeds/ beside SCHEDULE_JSON].",
)
@click.option(
    "--base-url",
    help="Web address the feeds folder will be served at, e.g. https://example.org/feeds; "
    "needed for subscribe links.",
)
@click.option(
    "--alarm",
    "alarm_minutes",
    type=click.IntRange(min=0),
    default=DEFAULT_ALARM_MINUTES,
    show_default=True,
    help="Minutes before a duty that its reminder goes off.",
)
@click.option("--no-alarm", is_flag=True, help="Leave reminders out of the feeds.")
@friendly
def feeds(
    folder: Path,
    schedule_path: Path,
    out_dir: Path | None,
    base_url: str | None,
    alarm_minutes: int,
    no_alarm: bool,
) -> None:
    """Write iCalendar feeds: one per person, one per post, one for the whole roster.

    Person feeds get unguessable file names made from a secret kept in DIR (.feeds-secret,
    created on first use). index.html lists everyone's subscribe links: keep it private and
    publish only the .ics files. The same schedule gives the same files, byte for byte.

    \b
    Example:
      roster feeds examples/xingwang out/xingwang/schedule.json --out out/xingwang/feeds \\
          --base-url https://example.org/xingwang/feeds
    """
    roster = load_roster(folder)
    schedule = read_schedule(schedule_path)
    target = out_dir or schedule_path.parent / "feeds"
    index = write_feeds(
        roster,
        schedule,
        target,
        base_url,
        alarm_minutes=None if no_alarm else alarm_minutes,
        schedule_file=str(schedule_path),
    )
    duties = sum(index.events[path] for path in index.people.values())
    click.echo(
        f"Wrote {len(index.people)} person feeds ({duties} duties), {len(index.posts)} post "
        f"feeds and the whole roster to {target}/"
    )
    click.echo(f"Subscribe links: {target / 'index.html'} (keep it private: it lists every link)")


@main.command(name="rotate-token")
@roster_dir
@click.argument("person_id", metavar="PERSON_ID")
@friendly
def rotate_token(folder: Path, person_id: str) -> None:
    """Give a person a new feed link, revoking the old one.

    The old link stops working at the next `roster feeds`; then send the person their new
    link from index.html.

    \b
    Example:
      roster rotate-token examples/xingwang p07
    """
    roster = load_roster(folder)
    if person_id not in {p.id for p in roster.people}:
        raise RosterError(f"{folder}: no person with id {person_id!r}")
    rotate(roster.folder, FeedKey("person", person_id))
    click.echo(
        f"New feed link for {roster.person(person_id).name} ({person_id}); "
        "run `roster feeds` to publish it and retire the old one."
    )


# Publishing: versions in the roster store (store package)

db_option = click.option(
    "--db",
    envvar=ENV,
    show_envvar=True,
    help="The roster store: a SQLite file, or a postgresql://user@host/db URL shared by a "
    "district's coordinators [default: DIR/roster.db].",
)


def _open(folder: Path, db: str | None, *, create: bool) -> Store:
    return open_store(store_location(db, folder), create=create)


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER", "") or "unknown"


def publish_feeds(
    roster: Roster, store: Store, version: Version, out: Path, base_url: str | None
) -> FeedIndex:
    """The one place publishing writes calendar feeds: today from the version just published;
    once feeds carry several versions, from ``store.feed_versions(roster.name)``."""
    return write_feeds(roster, version.schedule, out, base_url)


def _period_args(start: datetime, end: datetime, timezone: str) -> str:
    """The options naming a period on the command line: --week, or --from and --to."""
    label = period_label(start, end)
    if "W" in label:
        return f"--week {label}"
    zone = ZoneInfo(timezone)
    last = date.fromordinal(end.astimezone(zone).date().toordinal() - 1)
    return f"--from {start.astimezone(zone).date()} --to {last}"


def _version_json(version: Version) -> dict[str, Any]:
    return {
        "roster": version.schedule.roster,
        "period": {
            "start": version.period_start.isoformat(),
            "end": version.period_end.isoformat(),
            "label": period_label(version.period_start, version.period_end),
        },
        "version": version.number,
        "parent": version.parent,
        "published_at": version.published_at.isoformat(),
        "author": version.author,
        "message": version.message,
        "inputs_digest": version.inputs_digest,
    }


@main.command()
@roster_dir
@schedule_file
@click.option("-m", "--message", default="", help="Why this version is published.")
@click.option("--by", "author", help="Who publishes it [default: your login name].")
@click.option(
    "--parent",
    type=click.IntRange(min=0),
    help="The version the schedule was made from (0: the period has none yet) "
    "[default: the latest when publishing starts].",
)
@db_option
@click.option(
    "--feeds",
    "feeds_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the calendar feeds [default: feeds/ beside SCHEDULE_JSON].",
)
@click.option("--no-feeds", is_flag=True, help="Record the version without writing feeds.")
@click.option("--base-url", help="Web address the feeds folder is served at (subscribe links).")
@format_option("table", "json", help="table for people, json for scripts.")
@friendly
def publish(
    folder: Path,
    schedule_path: Path,
    message: str,
    author: str | None,
    parent: int | None,
    db: str | None,
    feeds_dir: Path | None,
    no_feeds: bool,
    base_url: str | None,
    fmt: str,
) -> None:
    """Record a checked schedule as the next version of its period, and write the feeds.

    The schedule is checked against DIR first (as `roster check` does): one that breaks a
    hard rule, or was made for another community or other days, is refused. Versions are
    never changed: each publish adds one. If someone else published the period since you
    read it, you are told which version to rebase on and nothing is recorded. Publishing a
    schedule whose duties equal the latest version records nothing new.

    \b
    Example:
      roster publish examples/xingwang out/xingwang/schedule.json -m "第一版" --by 马秀英 \\
          --db out/xingwang/roster.db
    """
    roster = load_roster(folder)
    schedule = read_schedule(schedule_path)
    with _open(folder, db, create=True) as store:
        start, end = schedule.period.start, schedule.period.end
        latest = store.latest(schedule.roster, start, end)
        if parent is None:
            parent = latest.number if latest else 0
        check_publishable(roster, schedule, str(schedule_path))
        unchanged = (
            latest is not None
            and parent == latest.number
            and assignment_of(latest.schedule) == assignment_of(schedule)
        )
        if latest is not None and unchanged:
            version, diff = latest, None
        else:
            version = store.publish(
                schedule,
                inputs_digest=inputs_digest(roster),
                author=author or _login(),
                message=message,
                parent=parent or None,
            )
            diff = diff_schedules(latest.schedule, schedule) if latest else None
        index = None
        target = feeds_dir or schedule_path.parent / "feeds"
        if not no_feeds:
            index = publish_feeds(roster, store, version, target, base_url)
        location = store.location
    label = period_label(start, end)
    if fmt == "json":
        data = {"published": not unchanged, **_version_json(version), "store": location}
        data["changes"] = diff.to_dict() if diff else None
        data["feeds"] = str(target) if index else None
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if unchanged:
        click.echo(
            f"{schedule.roster} {label}: no duty differs from version {version.number} "
            f"(by {version.author}); nothing new recorded in {location}"
        )
    else:
        after = f" after version {version.parent}" if version.parent else ""
        click.echo(
            f"Published {schedule.roster} {label} version {version.number}{after} "
            f"by {version.author} → {location}"
        )
        if diff is not None:
            click.echo(
                f"{len(diff.people)} people's duties changed ({diff.assignments_changed} "
                f"assignments): roster diff {folder} {version.parent} {version.number} "
                f"{_period_args(start, end, roster.config.timezone)}"
            )
    if index is not None:
        click.echo(f"Feeds of {len(index.people)} people → {target}/")


@main.command()
@roster_dir
@period_options
@db_option
@format_option("table", "json", help="table for people, json for scripts.")
@friendly
def history(
    folder: Path,
    week: str | None,
    first: datetime | None,
    last: datetime | None,
    db: str | None,
    fmt: str,
) -> None:
    """List the published versions: who published each, when, why, its penalty, shortages,
    and how many duties changed from the version before.

    Without a period, every version of the community; with --week or --from/--to, those of
    the periods that overlap those days.

    \b
    Example:
      roster history examples/xingwang --week 2020-W06 --db out/xingwang/roster.db
    """
    roster = load_roster(folder)
    start = end = None
    if week or first or last:
        period = _period(roster.config.timezone, week, first, last)
        start, end = period.start, period.end
    with _open(folder, db, create=False) as store:
        rows = history_rows(store.versions(roster.name, start, end))
    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        days = f" for {period_label(start, end)}" if start and end else ""
        click.echo(f"{roster.name}: nothing published{days} yet")
        return
    click.echo(render_history(rows, roster.config.language, roster.config.timezone), nl=False)


@main.command(name="diff")
@roster_dir
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@period_options
@db_option
@format_option("text", "json", help="text to paste into a chat group, or json for scripts.")
@friendly
def diff_command(
    folder: Path,
    old: str,
    new: str,
    week: str | None,
    first: datetime | None,
    last: datetime | None,
    db: str | None,
    fmt: str,
) -> None:
    """Say, per person, which duties were added, removed or moved between two versions.

    OLD and NEW are version numbers of the period given with --week (or --from/--to), or
    schedule.json files; a number and a file compare a draft with what is published. The
    text is in the roster's language, one line per person, ready to paste into a chat group.

    \b
    Example:
      roster diff examples/xingwang 1 2 --week 2020-W06 --db out/xingwang/roster.db
      roster diff examples/xingwang 2 out/xingwang/schedule.json --db out/xingwang/roster.db
    """
    roster = load_roster(folder)
    zh = roster.config.language == "zh"
    sides: list[tuple[Schedule, str] | int] = []
    for text in (old, new):
        if re.fullmatch(r"\d+", text):
            sides.append(int(text))
        else:
            sides.append((read_schedule(Path(text)), text))
    numbers = [s for s in sides if isinstance(s, int)]
    resolved: list[tuple[Schedule, str]] = []
    if numbers:
        files = [s for s in sides if not isinstance(s, int)]
        if week or first or last:
            period = _period(roster.config.timezone, week, first, last)
            start, end = period.start, period.end
        elif files:
            start, end = files[0][0].period.start, files[0][0].period.end
        else:
            raise RosterError(
                f"say which period versions {old} and {new} are of: --week 2020-W06 "
                "(or --from and --to)"
            )
        with _open(folder, db, create=False) as store:
            for side in sides:
                if isinstance(side, int):
                    version = store.get(roster.name, start, end, side)
                    resolved.append((version.schedule, f"第{side}版" if zh else f"version {side}"))
                else:
                    resolved.append(side)
    else:
        resolved = [s for s in sides if not isinstance(s, int)]
    (before, before_name), (after, after_name) = resolved
    result: ScheduleDiff = diff_schedules(
        before,
        after,
        shifts=shift_names(roster, after),
        names=(before_name, after_name),
    )
    if fmt == "json":
        data = result.to_dict() | {"old": before_name, "new": after_name}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(result.render(before_name, after_name), nl=False)


# The feed server (server package)


@main.command()
@roster_dir
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8080, show_default=True, help="Port."
)
@click.option(
    "--base-url",
    help="Public web address of the feeds, e.g. https://example.org/xingwang/feeds, as the "
    "reverse proxy serves them [default: the address each request came to].",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Server processes; each holds every feed in memory.",
)
@click.option(
    "--poll",
    type=click.FloatRange(min=0.05),
    default=1.0,
    show_default=True,
    help="Seconds between looks at the store for a new version.",
)
@friendly
def serve(
    folder: Path,
    db: str | None,
    host: str,
    port: int,
    base_url: str | None,
    workers: int,
    poll: float,
) -> None:
    """Serve the latest published versions: every feed at its private link, each worker's
    page and the coordinator's pages.

    The links are those `roster publish` writes into index.json, so a copy of the feeds
    folder on any web server and this server are interchangeable. A version published
    while it runs is served as soon as the feeds it changed are rendered, without a restart.
    Put it behind a reverse proxy for HTTPS; the coordinator's pages (/coordinator) need the
    password set with `roster serve-password`.

    \b
    Example:
      roster serve examples/xingwang --db out/xingwang/roster.db --port 8080 \\
          --base-url https://example.org/xingwang/feeds
    """
    from calendars.feeds import check_base_url
    from server import ServeConfig, run
    from server.auth import load_password_hash

    config = ServeConfig(
        folder=folder.resolve(),
        db=store_location(db, folder),
        base_url=check_base_url(base_url),
        poll=poll,
    )
    # What a user can get wrong (folder, store, password hash) is said here, once, before any
    # worker starts; each worker then renders the feeds itself.
    roster = load_roster(folder)
    with _open(folder, db, create=False) as store:
        revision = store.revision(roster.name)
    load_password_hash(config.folder)
    shown = config.base_url or f"http://{host}:{port}"
    click.echo(
        f"Serving {roster.name} ({len(roster.people)} people, store revision {revision}) "
        f"at {shown}/"
    )
    run(config, host, port, workers)


@main.command(name="serve-password")
@roster_dir
@click.option(
    "--print-hash",
    is_flag=True,
    help="Print the hash (for ROSTER_SERVE_PASSWORD_HASH) instead of storing it in DIR.",
)
@friendly
def serve_password(folder: Path, print_hash: bool) -> None:
    """Set the password of the coordinator's pages of `roster serve`.

    Only an argon2 hash of it is kept, in DIR/.serve-password (readable by you alone), or
    printed with --print-hash for the ROSTER_SERVE_PASSWORD_HASH variable. A running server
    takes the new password within a second.

    \b
    Example:
      roster serve-password examples/xingwang
    """
    from server.auth import hash_password, write_password_hash

    if not folder.is_dir():
        raise RosterError(f"{folder}: no such folder; give the roster folder")
    password = click.prompt(
        "Password for the coordinator's pages", hide_input=True, confirmation_prompt=True
    )
    if print_hash:
        click.echo(hash_password(password))
        return
    path = write_password_hash(folder, password)
    click.echo(f"Password hash stored in {path}; open /coordinator and sign in with any name.")
