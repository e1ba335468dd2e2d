"""The `roster` command line: thin commands over the roster, solver and calendars packages."""

from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import click
import yaml

from calendars.feeds import DEFAULT_ALARM_MINUTES, write_feeds
from calendars.tokens import FeedKey, rotate
from roster.check import check as check_roster
from roster.demand import demand_report
from roster.errors import InfeasibleError, RosterError, SolveInterrupted
from roster.load import load_roster
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
from roster.slots import Period, expand, make_period
from solver.search import Stop, check_params
from solver.solve import Progress, SolveOptions, solve

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


#: Exit status of a solve stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
INTERRUPTED = 130


def solve_options(command: F) -> F:
    """How long and how to search, the same on every command that solves: --time-limit,
    --repeatable with --work-units, --workers, --seed and the experts' --param."""
    options = [
        click.option(
            "--time-limit",
            type=click.FloatRange(min=0.1),
            default=10.0,
            show_default=True,
            help="Wall-clock seconds the solve may take once the folder is read (writing the "
            "files comes after).",
        ),
        click.option(
            "--repeatable",
            is_flag=True,
            help="Search so that the same input, seed and workers give the same roster on any "
            "machine, limited by --work-units instead of --time-limit (slower to a good roster).",
        ),
        click.option(
            "--work-units",
            type=click.FloatRange(min=0.1),
            default=10.0,
            show_default=True,
            help="With --repeatable: CP-SAT's budget in its deterministic time (work counted, "
            "not seconds; 1 to 5 wall seconds each on a busy 2-core machine).",
        ),
        click.option(
            "--workers",
            type=click.IntRange(min=1),
            default=None,
            help="CP-SAT worker threads (default: 8 for models under 5,000 Booleans, 2 above; "
            "with --repeatable under 2,000).",
        ),
        click.option("--seed", type=int, default=0, show_default=True, help="CP-SAT random seed."),
        click.option(
            "--param",
            "params",
            multiple=True,
            metavar="KEY=VALUE",
            help="For experts: a CP-SAT parameter by its name in sat_parameters.proto, e.g. "
            "linearization_level=2 or ignore_subsolvers=[core] (repeatable); set after the "
            "engine's own, so it can change the search.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def make_options(
    *,
    time_limit: float,
    repeatable: bool,
    work_units: float,
    workers: int | None,
    seed: int,
    params: tuple[str, ...],
    strict: bool = False,
) -> SolveOptions:
    """SolveOptions from the options of ``solve_options`` (the parameters checked)."""
    ctx = click.get_current_context()
    given = {
        name
        for name in ("time_limit", "work_units")
        if ctx.get_parameter_source(name) not in (None, click.core.ParameterSource.DEFAULT)
    }
    if repeatable and "time_limit" in given:
        raise click.UsageError(
            "--time-limit is seconds of the default search; with --repeatable "
            "give --work-units instead"
        )
    if not repeatable and "work_units" in given:
        raise click.UsageError(
            "--work-units limits the --repeatable search; add --repeatable, "
            "or give --time-limit in seconds"
        )
    extra = dict(_parse_param(text) for text in params)
    check_params(extra)
    return SolveOptions(
        time_limit=time_limit,
        repeatable=repeatable,
        work_units=work_units,
        workers=workers,
        seed=seed,
        strict=strict,
        extra=extra,
    )


def _parse_param(text: str) -> tuple[str, object]:
    """One ``KEY=VALUE`` of --param, the value read as YAML (numbers, true/false, [lists])."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise click.BadParameter(f"{text!r}: write KEY=VALUE", param_hint="--param")
    try:
        parsed: object = yaml.safe_load(value)
    except yaml.YAMLError:
        parsed = value
    if isinstance(parsed, dict):
        raise click.BadParameter(
            f"{text!r}: a single value or a [list], e.g. ignore_subsolvers=[core, no_lp]",
            param_hint="--param",
        )
    return key.strip(), parsed


class ProgressPrinter:
    """Progress on stderr once a solve has run for a second: elapsed time against the limit, best
    penalty and bound, at most twice a second on news and every few seconds without."""

    QUIET = 3.0

    def __init__(self, options: SolveOptions) -> None:
        self.started = time.monotonic()
        if options.repeatable:
            self.limit = f" ({options.work_units:g} work units)"
        else:
            self.limit = f" of {options.time_limit:g} s"
        self.latest: Progress | None = None
        self.printed = 0.0
        self.lock = threading.Lock()

    def report(self, progress: Progress) -> None:
        """A new best roster or bound (called from the solver's threads)."""
        with self.lock:
            self.latest = progress
        if time.monotonic() - self.printed >= 0.5:
            self.print()

    def tick(self) -> None:
        """Called while waiting: a line when nothing was said for a while."""
        if time.monotonic() - self.printed >= self.QUIET:
            self.print()

    def print(self) -> None:
        now = time.monotonic()
        elapsed = now - self.started
        if elapsed < 1.0:
            return
        with self.lock:
            progress = self.latest
            self.printed = now
        line = f"  … {elapsed:5.1f} s{self.limit}"
        if progress is None:
            click.echo(f"{line}  no roster yet", err=True)
            return
        # A solve in independent parts (communities) reports how many parts have a roster; its
        # penalty covers only those, so it rises as parts are found.
        parts = getattr(progress, "parts", 1)
        found = f"  parts {getattr(progress, 'parts_found', 0)}/{parts}" if parts > 1 else ""
        click.echo(
            f"{line}  penalty {round(progress.objective)}  bound {round(progress.bound)}{found}",
            err=True,
        )


class SignalStop:
    """The handler of Ctrl-C and SIGTERM during a solve: the first interrupts ``stop`` (the solve
    returns its best roster so far), a second ends the process at once through ``exit``, writing
    nothing."""

    def __init__(self, stop: Stop, exit: Callable[[int], object] = os._exit) -> None:
        self.stop = stop
        self.exit = exit

    def __call__(self, signum: int, frame: object) -> None:
        if self.stop.interrupted:
            click.echo("stopped; nothing written", err=True)
            self.exit(INTERRUPTED)
            return
        click.echo(
            "interrupted: stopping the search to write the best roster found so far "
            "(press Ctrl-C again to stop at once, writing nothing)",
            err=True,
        )
        self.stop.interrupt()


def solve_interruptibly(roster: Any, period: Period, options: SolveOptions) -> Schedule:
    """``solve()`` with progress on stderr, stoppable by Ctrl-C or SIGTERM: the first stops the
    search and returns the best roster found so far (marked interrupted); a second ends the
    process at once, writing nothing. The solve runs in a thread so that the signals, which
    Python handles in the main thread only, are heard while CP-SAT searches."""
    printer = ProgressPrinter(options)
    stop = Stop()
    options.on_progress = printer.report
    options.stop = stop
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["schedule"] = solve(roster, period, options)
        except BaseException as exc:  # re-raised in the main thread below
            outcome["error"] = exc

    thread = threading.Thread(target=work, name="solve", daemon=True)
    main_thread = threading.current_thread() is threading.main_thread()
    previous = {}
    if main_thread:
        handler = SignalStop(stop)
        previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        thread.start()
        while thread.is_alive():
            thread.join(0.2)
            if stop.interrupted:
                stop.interrupt()  # runs that started since the signal
            else:
                printer.tick()
    finally:
        for sig, before in previous.items():
            signal.signal(sig, before)
    if "error" in outcome:
        raise outcome["error"]
    schedule: Schedule = outcome["schedule"]
    return schedule


@main.command(name="solve")
@roster_dir
@period_options
@solve_options
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
    repeatable: bool,
    work_units: float,
    workers: int | None,
    seed: int,
    params: tuple[str, ...],
    strict: bool,
    out_dir: Path | None,
    fmt: str,
) -> None:
    """Assign people to every slot of a planning period and write the roster.

    Writes schedule.json (for other tools), roster.csv (for spreadsheets) and roster.md,
    then prints a summary: status, penalty with its terms, spread of hours, shortages.
    The solve ends within --time-limit seconds; with --repeatable the same input, seed and
    workers give the same roster. Ctrl-C writes the best roster found so far, marked as
    interrupted, and exits with status 130; a second Ctrl-C stops at once.

    \b
    Example:
      roster solve examples/xingwang --week 2020-W06 --time-limit 20
    """
    options = make_options(
        time_limit=time_limit,
        repeatable=repeatable,
        work_units=work_units,
        workers=workers,
        seed=seed,
        params=params,
        strict=strict,
    )
    roster = load_roster(folder)
    period = _period(roster.config.timezone, week, first, last)
    try:
        schedule = solve_interruptibly(roster, period, options)
    except SolveInterrupted as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(INTERRUPTED)
    target = out_dir or Path("out") / folder.resolve().name
    write_outputs(schedule, target)
    if fmt == "json":
        click.echo(schedule.to_json(), nl=False)
    else:
        click.echo(render_summary(schedule), nl=False)
        click.echo(f"→ {target / 'schedule.json'}, {target / 'roster.csv'}, {target / 'roster.md'}")
    if schedule.solver.interrupted:
        sys.exit(INTERRUPTED)


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
