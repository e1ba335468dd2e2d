"""The `roster` command line: thin commands over the roster, solver and calendars packages."""

from __future__ import annotations

import contextvars
import functools
import getpass
import json
import os
import re
import shlex
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import click
import yaml
from sqlalchemy.engine import make_url

from calendars.feeds import DEFAULT_ALARM_MINUTES, FeedIndex, check_base_url, write_feeds
from calendars.history import DEFAULT_WINDOW
from calendars.tokens import FeedKey, rotate
from roster.check import check as check_roster
from roster.cover import cover, swap
from roster.demand import demand_report
from roster.diff import ScheduleDiff, diff_schedules, shift_names
from roster.errors import InfeasibleError, PrintError, RosterError, SolveInterrupted
from roster.folder_edit import add_leave, parse_leave_spec
from roster.history import History
from roster.i18n import (
    LOCALES,
    _,
    choosing,
    current,
    pgettext,
    pgettext_in,
    speaking,
    speaking_for,
    translator,
)
from roster.inputs import inputs_digest
from roster.load import Roster, load_roster, peek_language
from roster.models import Leave, parse_moment
from roster.notify import notices
from roster.printing import FORMATS, check_day, contacts_of, default_name, format_of, render
from roster.render import (
    Filter,
    render_csv,
    render_markdown,
    render_people,
    render_summary,
    render_table,
)
from roster.report import assignment_of, build_schedule
from roster.schedule import Schedule, atomic_write, read_schedule
from roster.slots import Period, expand, make_period, period_label
from roster.verify import check_publishable, require_offsets, schedule_period
from roster.versions import Version
from solver.cluster import Cluster, ClusterError, ClusterSpec, parse_cluster
from solver.cluster import solve as solve_on_cluster
from solver.repair import repair as repair_roster
from solver.search import Stop, check_params
from solver.solve import Progress, SolveOptions, solve
from store import ENV, Store, open_store, store_location
from store.db import shown, to_url
from store.history import published_history
from store.report import history_rows, render_history

F = TypeVar("F", bound=Callable[..., Any])

EXAMPLES = Path(__file__).resolve().parent / "examples"


def _state(ctx: click.Context) -> dict[str, Any]:
    return ctx.ensure_object(dict)


class UserError(click.ClickException):
    """A ClickException whose "Error:" is in the message language of the command that raised it
    (Click prints it after the command's language has been let go, so the word is kept here)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.heading = _("Error: {message}")

    def show(self, file: Any = None) -> None:
        click.echo(self.heading.format(message=self.format_message()), err=True, file=file)


def speak(roster_language: str | None) -> None:
    """Messages of the rest of this command in the message language of a roster (or of a
    schedule) whose ``language`` is ``roster_language``; None when there is neither."""
    click.get_current_context().with_resource(speaking_for(roster_language))


def friendly(command: F) -> F:
    """Turn the library's typed errors into one-line messages (a traceback only with --debug),
    in the message language of the roster folder the command is given (``speak``).

    Every command takes it, after its options: new commands too, so their messages follow
    ``--lang`` and the roster (docs/i18n.md)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        # A command on a roster folder speaks the roster's language from the start, so that
        # errors in reading it already do (roster.i18n.message_language has the order).
        folder = kwargs.get("folder")
        speak(peek_language(folder) if isinstance(folder, Path) else None)
        try:
            return command(*args, **kwargs)
        except InfeasibleError as exc:
            if _state(click.get_current_context()).get("debug"):
                raise
            lines = [str(exc)] + [f"  - {c}" for c in exc.conflicts]
            raise UserError("\n".join(lines)) from None
        except RosterError as exc:
            if _state(click.get_current_context()).get("debug"):
                raise
            raise UserError(str(exc)) from None

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


history_option = click.option(
    "--history",
    "history_paths",
    type=click.Path(dir_okay=False, path_type=Path),
    multiple=True,
    metavar="SCHEDULE_JSON",
    help="A published schedule before the period (repeatable): rest, runs of days, window caps "
    "and fairness continue across the border [default: what the roster store holds before the "
    "period].",
)


db_option = click.option(
    "--db",
    envvar=ENV,
    show_envvar=True,
    help="The roster store: a SQLite file, or a postgresql://user@host/db URL shared by a "
    "district's coordinators [default: DIR/roster.db].",
)


def _store_history(store: Store, roster: Roster, schedule: Schedule) -> History | None:
    """What ``store`` holds before ``schedule``'s period, as its history (None when nothing)."""
    return published_history(store, roster, schedule_period(schedule, roster.config.timezone))[0]


def _history(
    roster: Roster, period: Period, paths: tuple[Path, ...], db: str | None = None
) -> History | None:
    """The history of ``period``: the published schedule files given, or else what the roster
    store holds before the period (None when there is no store or nothing in it); each duty left
    out, and where the history came from, is said on stderr."""
    if paths:
        history = History.from_schedules(roster, [read_schedule(p) for p in paths], period)
    else:
        location = store_location(db, roster.folder)
        if "://" not in location and not Path(location).is_file():
            return None
        with open_store(location, create=False) as store:
            found, versions = published_history(store, roster, period)
        if found is None:
            return None
        history = found
        published = ", ".join(
            f"{period_label(v.period_start, v.period_end)} v{v.number}" for v in versions
        )
        click.echo(
            _("history: {versions} (from {store})").format(versions=published, store=location),
            err=True,
        )
    for warning in history.warnings:
        click.echo(warning, err=True)
    return history


roster_dir = click.argument(
    "folder", type=click.Path(file_okay=False, path_type=Path), metavar="DIR"
)
schedule_file = click.argument(
    "schedule_path", type=click.Path(dir_okay=False, path_type=Path), metavar="SCHEDULE_JSON"
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="dutyroster", prog_name="roster")
@click.option("--debug", is_flag=True, help="Show a traceback on errors (for bug reports).")
@click.option(
    "--lang",
    type=click.Choice(sorted(LOCALES)),
    help="Language of messages: zh or en [default: $ROSTER_LANG, else the roster's language].",
)
@click.pass_context
def main(ctx: click.Context, debug: bool, lang: str | None) -> None:
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
    ctx.with_resource(choosing(lang))


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
        raise RosterError(
            _("the bundled example {name!r} is missing from {folder}").format(
                name=example, folder=EXAMPLES
            )
        )
    if folder.exists() and any(folder.iterdir()):
        raise RosterError(
            _("{folder}: the folder is not empty; choose a new folder").format(folder=folder)
        )
    folder.mkdir(parents=True, exist_ok=True)
    for item in sorted(source.iterdir()):
        if item.is_file() and not item.name.startswith("."):
            shutil.copyfile(item, folder / item.name)
    click.echo(
        _(
            "Wrote {folder}/: edit roster.yaml and the people file, then run "
            "`roster validate {folder}`."
        ).format(folder=folder)
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
        _("{folder}: OK — {roster}: {people} people, {posts} posts").format(
            folder=folder, roster=roster.name, people=summary["people"], posts=summary["posts"]
        )
    )
    if "slots" in summary:
        click.echo(
            _("{slots} slots, {hours} person-hours at the minimum headcount").format(
                slots=summary["slots"], hours=f"{summary['demand_hours']:g}"
            )
        )
    for need in demand.needs:
        if need.kind == "all":
            who = need.label
        elif need.kind == "skill":
            who = _("skill {label}").format(label=need.label)
        else:
            who = _("tag {label}").format(label=need.label)
        click.echo(
            _("  {who}: {needed} h needed, {holders} people can give at most {supply} h").format(
                who=who,
                needed=f"{need.demand_hours:g}",
                holders=need.holders,
                supply=f"{need.supply_hours:g}",
            )
        )
    for warning in demand.warnings:
        click.echo(_("warning: {text}").format(text=warning.text))


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
            _(
                "--time-limit is seconds of the default search; with --repeatable "
                "give --work-units instead"
            )
        )
    if not repeatable and "work_units" in given:
        raise click.UsageError(
            _(
                "--work-units limits the --repeatable search; add --repeatable, "
                "or give --time-limit in seconds"
            )
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
        raise click.BadParameter(
            _("{text!r}: write KEY=VALUE").format(text=text), param_hint="--param"
        )
    try:
        parsed: object = yaml.safe_load(value)
    except yaml.YAMLError:
        parsed = value
    if isinstance(parsed, dict):
        raise click.BadParameter(
            _("{text!r}: a single value or a [list], e.g. ignore_subsolvers=[core, no_lp]").format(
                text=text
            ),
            param_hint="--param",
        )
    return key.strip(), parsed


class ProgressPrinter:
    """Progress on stderr once a solve has run for a second: elapsed time against the limit, best
    penalty and bound, at most twice a second on news and every few seconds without."""

    QUIET = 3.0

    def __init__(self, options: SolveOptions) -> None:
        self.started = time.monotonic()
        self.options = options
        # Lines are printed from the solver's threads too, which do not share the command's
        # context: the message language is taken here, once.
        self.language = current()
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
        click.echo(self.line(elapsed, progress), err=True)

    def line(self, elapsed: float, progress: Progress | None) -> str:
        """``  … 12.0 s of 60 s  penalty 1320  bound 1290``: elapsed against the limit, then
        the best penalty and bound so far, in the message language the printer was made in."""
        with speaking(self.language):
            return self._line(elapsed, progress)

    def _line(self, elapsed: float, progress: Progress | None) -> str:
        seconds = f"{elapsed:5.1f}"
        if self.options.repeatable:
            spent = _("{elapsed} s ({units} work units)").format(
                elapsed=seconds, units=f"{self.options.work_units:g}"
            )
        else:
            spent = _("{elapsed} s of {limit} s").format(
                elapsed=seconds, limit=f"{self.options.time_limit:g}"
            )
        if progress is None:
            return f"  … {spent}  " + _("no roster yet")
        found = _("penalty {penalty}  bound {bound}").format(
            penalty=round(progress.objective), bound=round(progress.bound)
        )
        # A solve in independent parts (communities) reports how many parts have a roster; its
        # penalty covers only those, so it rises as parts are found.
        parts = getattr(progress, "parts", 1)
        if parts > 1:
            found += "  " + _("parts {found}/{parts}").format(
                found=getattr(progress, "parts_found", 0), parts=parts
            )
        return f"  … {spent}  {found}"


class SignalStop:
    """The handler of Ctrl-C and SIGTERM during a solve: the first interrupts ``stop`` (the solve
    returns its best roster so far), a second ends the process at once through ``exit``, writing
    nothing."""

    def __init__(self, stop: Stop, exit: Callable[[int], object] = os._exit) -> None:
        self.stop = stop
        self.exit = exit
        self.language = current()

    def __call__(self, signum: int, frame: object) -> None:
        with speaking(self.language):
            if self.stop.interrupted:
                click.echo(_("stopped; nothing written"), err=True)
                self.exit(INTERRUPTED)
                return
            click.echo(
                _(
                    "interrupted: stopping the search to write the best roster found so far "
                    "(press Ctrl-C again to stop at once, writing nothing)"
                ),
                err=True,
            )
        self.stop.interrupt()


def solve_interruptibly(
    roster: Any, period: Period, options: SolveOptions, cluster: Cluster | None = None
) -> Schedule:
    """``solve()`` with progress on stderr, stoppable by Ctrl-C or SIGTERM: the first stops the
    search and returns the best roster found so far (marked interrupted); a second ends the
    process at once, writing nothing. The solve runs in a thread so that the signals, which
    Python handles in the main thread only, are heard while CP-SAT searches. With a ``cluster``
    the parts are solved on its workers; a Stop already in ``options`` (its deadline set before
    the cluster started) is kept."""
    printer = ProgressPrinter(options)
    stop = options.stop or Stop()
    options.on_progress = printer.report
    options.stop = stop
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            if cluster is not None:
                outcome["schedule"] = solve_on_cluster(roster, period, options, cluster)
            else:
                outcome["schedule"] = solve(roster, period, options)
        except BaseException as exc:  # re-raised in the main thread below
            outcome["error"] = exc

    # The solve's own messages (SolveInterrupted) are in the command's message language.
    context = contextvars.copy_context()
    thread = threading.Thread(target=context.run, args=(work,), name="solve", daemon=True)
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


def _cluster_spec(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """``--cluster``'s value read (``solver.cluster.parse_cluster``)."""
    if value is None:
        return None
    try:
        return parse_cluster(value)
    except ClusterError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


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
    "--cluster",
    callback=_cluster_spec,
    default=None,
    metavar="ADDRESS",
    help="Solve the roster's independent parts (its communities) on a Dask cluster: "
    "tcp://HOST:8786 for a running scheduler (docs/cluster.md), local or local:N for N worker "
    "processes on this machine for this command. Each part gets --workers CP-SAT workers "
    "(default 1).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write schedule.json, roster.csv, roster.md [default: out/<DIR name>].",
)
@history_option
@db_option
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
    cluster: ClusterSpec | None,
    out_dir: Path | None,
    history_paths: tuple[Path, ...],
    db: str | None,
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
      roster solve examples/xingwang --week 2020-W07 --history out/w06/schedule.json
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
    options.history = _history(roster, period, history_paths, db)
    try:
        if cluster is None:
            schedule = solve_interruptibly(roster, period, options)
        else:
            schedule = _solve_on_cluster(cluster, roster, period, options)
    except SolveInterrupted as exc:
        click.echo(_("Error: {message}").format(message=exc), err=True)
        sys.exit(INTERRUPTED)
    target = out_dir or Path("out") / folder.resolve().name
    write_outputs(schedule, target)
    if fmt == "json":
        click.echo(schedule.to_json(), nl=False)
    else:
        click.echo(render_summary(schedule, current()), nl=False)
        click.echo(f"→ {target / 'schedule.json'}, {target / 'roster.csv'}, {target / 'roster.md'}")
    if schedule.solver.interrupted:
        sys.exit(INTERRUPTED)


#: Seconds kept from a wall-clock limit for closing a local cluster (its worker processes) after
#: the solve, so that the command still ends within --time-limit plus writing.
LOCAL_CLOSE = 1.0


def _solve_on_cluster(
    spec: ClusterSpec, roster: Roster, period: Period, options: SolveOptions
) -> Schedule:
    """``solve_interruptibly`` with the parts on the cluster of ``spec``: the time limit counts
    from before the cluster is reached or started, and a local one is closed before returning."""
    if not options.repeatable:
        reserve = LOCAL_CLOSE if spec.address is None else 0.0
        options.stop = Stop(time.monotonic() + max(0.1, options.time_limit - reserve))
    with Cluster(spec) as cluster:
        click.echo(cluster.describe(options.workers), err=True)
        schedule = solve_interruptibly(roster, period, options, cluster)
        if cluster.retried:
            click.echo(
                _("{count} part(s) sent again after their worker died").format(
                    count=cluster.retried
                ),
                err=True,
            )
    return schedule


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
    speak(schedule.language)
    if person is not None and person not in {p.id for p in schedule.people}:
        raise RosterError(
            _("{file}: no person with id {id!r}").format(file=schedule_path, id=person)
        )
    if post is not None and post not in {s.post for s in schedule.slots}:
        raise RosterError(_("{file}: no post with id {id!r}").format(file=schedule_path, id=post))
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
        click.echo(render_people(schedule, current()), nl=False)
    else:
        click.echo(render_table(schedule, keep, current()), nl=False)


@main.command(name="check")
@roster_dir
@schedule_file
@click.option("--strict", is_flag=True, help="Count shortages below minimums as violations.")
@history_option
@db_option
@format_option("table", "json", help="table for people, json for scripts.")
@friendly
def check_command(
    folder: Path,
    schedule_path: Path,
    strict: bool,
    history_paths: tuple[Path, ...],
    db: str | None,
    fmt: str,
) -> None:
    """Check a schedule against every rule of a roster folder, without the solver.

    Lists each violation and recomputes the penalty; exits 1 when any rule is broken
    (for instance after editing schedule.json by hand, or after the people changed).
    Rules count across the border with the weeks published before (the roster store's, or
    the schedules given with --history), and violations that come from the border say so.

    \b
    Example:
      roster check examples/xingwang out/xingwang/schedule.json
      roster check examples/xingwang out/w07/schedule.json --history out/w06/schedule.json
    """
    roster = load_roster(folder)
    schedule = read_schedule(schedule_path)
    start = schedule.period.start.astimezone(roster.zone)
    end = schedule.period.end.astimezone(roster.zone)
    period = Period(
        start.date(), date.fromordinal(end.date().toordinal() - 1), roster.config.timezone
    )
    slots = expand(roster.config, period)
    history = _history(roster, period, history_paths, db)
    report = check_roster(
        roster, period, slots, assignment_of(schedule), strict=strict, history=history
    )
    violations = [(v.rule, v.text, v.border) for v in report.violations]
    expected = {s.id for s in slots}
    listed = {s.id for s in schedule.slots}
    for sid in sorted(expected - listed):
        violations.append(("slots", _("{slot} is missing from the schedule").format(slot=sid), ""))
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "violations": [
                        {"rule": r, "text": t, **({"border": b} if b else {})}
                        for r, t, b in violations
                    ],
                    "objective_terms": report.terms,
                    "penalty": report.penalty,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for rule, text, _border in violations:
            click.echo(pgettext("list", ": ").join((rule, text)))
        state = (
            _("{count} violation(s)").format(count=len(violations))
            if violations
            else _("no violations")
        )
        click.echo(
            _("{file}: {state}; penalty {penalty} (schedule says {objective})").format(
                file=schedule_path,
                state=state,
                penalty=report.penalty,
                objective=schedule.solver.objective,
            )
        )
    if violations:
        sys.exit(1)


@main.command(name="print")
@schedule_file
@click.option("--day", type=click.DateTime(["%Y-%m-%d"]), help="One day's roster, YYYY-MM-DD.")
@click.option(
    "--week",
    "whole",
    is_flag=True,
    help="The whole period as a grid of posts and days, a week a page (the default).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="png: a picture for chat groups (1080 px wide); pdf: A4 for printing; html: one "
    "self-contained page. [default: from --out's extension, else png]",
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write [default: roster-<day or week>.<format> beside SCHEDULE_JSON].",
)
@click.option(
    "--roster",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="The roster folder, for the coordinator and the phones people share (shown at the top "
    "and with the 24-hour duty); without it the print has names only.",
)
@friendly
def print_command(
    schedule_path: Path,
    day: datetime | None,
    whole: bool,
    fmt: str | None,
    out_file: Path | None,
    folder: Path | None,
) -> None:
    """Print a day's roster or the week's grid as a picture, a PDF or a web page.

    A day: the community, the date, the coordinator and the 24-hour duty with phones at the top,
    then posts down and shifts across with the names in the cells; shortages in red. A week:
    posts and shifts down, days across. In the roster's language, with Chinese fonts.

    \b
    Example:
      roster print out/xingwang/schedule.json --day 2020-02-03 --roster examples/xingwang
      roster print out/xingwang/schedule.json --week --format pdf --roster examples/xingwang
    """
    if day is not None and whole:
        raise click.UsageError(_("give --day or --week, not both"))
    schedule = read_schedule(schedule_path)
    if folder is None:
        # Without a roster folder, messages go by the schedule's language (as `show`).
        speak(schedule.language)
    chosen = day.date() if day is not None else None
    if chosen is not None:
        check_day(schedule, chosen, str(schedule_path))
    if fmt is None:
        fmt = format_of(out_file) if out_file is not None else FORMATS[0]
    contacts = None
    if folder is not None:
        roster = load_roster(folder)
        if roster.name != schedule.roster:
            raise PrintError(
                _(
                    "{folder}: this is the roster folder of {roster}, but {file} is the roster "
                    "of {other}; give the folder it was solved from"
                ).format(
                    folder=folder, roster=roster.name, file=schedule_path, other=schedule.roster
                )
            )
        contacts = contacts_of(roster)
    target = out_file or schedule_path.parent / default_name(schedule, chosen, fmt)
    atomic_write(target, render(schedule, fmt, chosen, contacts))
    click.echo(f"→ {target}")


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
        _(
            "Wrote {people} person feeds ({duties} duties), {posts} post feeds and the whole "
            "roster to {folder}/"
        ).format(people=len(index.people), duties=duties, posts=len(index.posts), folder=target)
    )
    click.echo(
        _("Subscribe links: {page} (keep it private: it lists every link)").format(
            page=target / "index.html"
        )
    )


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
        raise RosterError(_("{file}: no person with id {id!r}").format(file=folder, id=person_id))
    rotate(roster.folder, FeedKey("person", person_id))
    click.echo(
        _(
            "New feed link for {name} ({id}); "
            "run `roster feeds` to publish it and retire the old one."
        ).format(name=roster.person(person_id).name, id=person_id)
    )


# Publishing: versions in the roster store (store package)


def _open(folder: Path, db: str | None, *, create: bool) -> Store:
    return open_store(store_location(db, folder), create=create)


def _publishing_time() -> datetime | None:
    """``SOURCE_DATE_EPOCH`` (seconds since 1970, the reproducible-builds convention) when set,
    so a demo or a test publishes at a fixed time and gives the same feeds; else None (now)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch:
        return None
    try:
        return datetime.fromtimestamp(int(epoch), UTC)
    except (ValueError, OverflowError):
        raise RosterError(
            _("SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970; unset it").format(
                epoch=epoch
            )
        ) from None


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER", "") or "unknown"


def publish_feeds(roster: Roster, store: Store, out: Path, base_url: str | None) -> FeedIndex:
    """The one place publishing writes calendar feeds: from every version of the periods the
    feeds show (the recent ones and those not yet over), so a duty a new version removed stays
    as a cancelled event and next week's publishing keeps this week's duties."""
    versions = store.feed_versions(roster.name, periods=DEFAULT_WINDOW)
    return write_feeds(roster, versions, out, base_url, window=DEFAULT_WINDOW)


def _period_args(start: datetime, end: datetime, timezone: str) -> str:
    """The options naming a period on the command line: --week, or --from and --to."""
    label = period_label(start, end)
    if "W" in label:
        return f"--week {label}"
    zone = ZoneInfo(timezone)
    last = date.fromordinal(end.astimezone(zone).date().toordinal() - 1)
    return f"--from {start.astimezone(zone).date()} --to {last}"


def _db_args(db: str | None, folder: Path) -> str:
    """The ``--db`` option that names the store ``db`` (the option's value) again in a command
    suggested to the user: none when that command would open the same store without it (the
    folder's own, or the one ``$ROSTER_DB`` names: ``store_location``), else the store as given,
    quoted for the shell, a URL's password hidden as *** (for the user to fill in)."""
    if not db or shown(to_url(db)) == shown(to_url(store_location(None, folder))):
        return ""
    text = make_url(db).render_as_string(hide_password=True) if "://" in db else db
    return f" --db {shlex.quote(text)}"


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
    require_offsets(schedule, str(schedule_path))
    check_base_url(base_url)
    with _open(folder, db, create=True) as store:
        start, end = schedule.period.start, schedule.period.end
        latest = store.latest(schedule.roster, start, end)
        if parent is None:
            parent = latest.number if latest else 0
        report = check_publishable(
            roster, schedule, str(schedule_path), _store_history(store, roster, schedule)
        )
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
                published_at=_publishing_time(),
            )
            diff = diff_schedules(latest.schedule, schedule) if latest else None
        index = None
        target = feeds_dir or schedule_path.parent / "feeds"
        if not no_feeds:
            try:
                index = publish_feeds(roster, store, target, base_url)
            except RosterError as exc:
                raise RosterError(
                    _(
                        "{roster} {period} version {number} is published, but its feeds are not "
                        "written: {error}"
                    ).format(
                        roster=schedule.roster,
                        period=period_label(start, end),
                        number=version.number,
                        error=exc,
                    )
                ) from None
        location = store.location
    label = period_label(start, end)
    if fmt == "json":
        data = {"published": not unchanged, **_version_json(version), "store": location}
        data["changes"] = diff.to_dict() if diff else None
        data["feeds"] = str(target) if index else None
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    fill = {"roster": schedule.roster, "period": label, "number": version.number}
    if unchanged:
        click.echo(
            _(
                "{roster} {period}: no duty differs from version {number} (by {author}); nothing "
                "new recorded in {store}"
            ).format(**fill, author=version.author, store=location)
        )
    else:
        published = (
            _("Published {roster} {period} version {number} after version {parent} by {author}")
            if version.parent
            else _("Published {roster} {period} version {number} by {author}")
        )
        click.echo(
            published.format(**fill, parent=version.parent, author=version.author)
            + f" → {location}"
        )
        if diff is not None:
            click.echo(
                _("{changes} (listed by {command})").format(
                    changes=diff.count(current()),
                    command=f"roster diff {folder} {version.parent} {version.number} "
                    f"{_period_args(start, end, roster.config.timezone)}" + _db_args(db, folder),
                )
            )
    if report.penalty != schedule.solver.objective:
        click.echo(
            _(
                "Note: {file} says its penalty is {stated}, the rules of {folder} give {penalty} "
                "(edited by hand, or the folder changed since?)"
            ).format(
                file=schedule_path,
                stated=schedule.solver.objective,
                folder=folder,
                penalty=report.penalty,
            ),
            err=True,
        )
    if index is not None:
        click.echo(
            _("Feeds of {people} → {folder}/").format(
                people=_people(len(index.people)), folder=target
            )
        )


def _people(count: int) -> str:
    """``1 person``, ``3 people`` (``3 人``)."""
    return (_("{count} person") if count == 1 else _("{count} people")).format(count=count)


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
    and how many shifts changed and people it affected against the version before.

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
        if start and end:
            click.echo(
                _("{roster}: nothing published for {period} yet").format(
                    roster=roster.name, period=period_label(start, end)
                )
            )
        else:
            click.echo(_("{roster}: nothing published yet").format(roster=roster.name))
        return
    click.echo(render_history(rows, current(), roster.config.timezone), nl=False)


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
    text is in the roster's language, ready to paste into a chat group: how many shifts
    changed and people it affected (as repair, publish and history count them), then one
    line per person.

    \b
    Example:
      roster diff examples/xingwang 1 2 --week 2020-W06 --db out/xingwang/roster.db
      roster diff examples/xingwang 2 out/xingwang/schedule.json --db out/xingwang/roster.db
    """
    roster = load_roster(folder)
    # The two sides are named in the roster's words: they head the text for the chat group.
    t = translator(roster.config.language)
    sides: list[tuple[Schedule, str] | int] = []
    for text in (old, new):
        if re.fullmatch(r"\d+", text):
            sides.append(int(text))
        else:
            read = read_schedule(Path(text))
            require_offsets(read, text)
            sides.append((read, text))
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
                _(
                    "say which period versions {old} and {new} are of: --week 2020-W06 (or --from "
                    "and --to)"
                ).format(old=old, new=new)
            )
        with _open(folder, db, create=False) as store:
            for side in sides:
                if isinstance(side, int):
                    version = store.get(roster.name, start, end, side)
                    resolved.append((version.schedule, t("version {number}").format(number=side)))
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


# Changes after publishing: repair, cover, swap (solver/repair.py, roster/cover.py)


def publishing_options(message_help: str, feeds_help: str) -> Callable[[F], F]:
    """-m, --by, --feeds, --base-url and --db: the same on every command that records a version
    (the first and the feeds' help say what this command's defaults are)."""
    options = [
        click.option("-m", "--message", default="", help=message_help),
        click.option("--by", "author", help="Who publishes it [default: your login name]."),
        click.option(
            "--feeds",
            "feeds_dir",
            type=click.Path(file_okay=False, path_type=Path),
            help=feeds_help,
        ),
        click.option("--base-url", help="Web address the feeds folder is served at."),
        db_option,
    ]

    def decorate(command: F) -> F:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def _now_option(command: F) -> F:
    return click.option(
        "--now",
        "now_text",
        help="The moment the roster changes from, YYYY-MM-DDTHH:MM in the roster's time zone: "
        "everything that starts before it is kept [default: the current time].",
    )(command)


def _moment(roster: Roster, text: str | None) -> datetime:
    zone = roster.zone
    if text is None:
        return datetime.now(zone).replace(second=0, microsecond=0)
    try:
        value = parse_moment(text.strip().replace(" ", "T"))
    except ValueError as exc:
        raise RosterError(_("--now: {error}").format(error=exc)) from None
    if not isinstance(value, datetime):
        value = datetime.combine(value, datetime.min.time())
    return value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)


def _published(store: Store, roster: Roster, period: Period) -> Version:
    latest = store.latest(roster.name, period.start, period.end)
    if latest is None:
        raise RosterError(
            _(
                "{roster} {period} has no published version in {store}; solve it and `roster "
                "publish` it first"
            ).format(
                roster=roster.name,
                period=period_label(period.start, period.end),
                store=store.location,
            )
        )
    return latest


@main.command()
@roster_dir
@period_options
@_now_option
@click.option(
    "--leave",
    "leave_specs",
    multiple=True,
    metavar="PERSON:FROM[..TO][:REASON]",
    help="New leave, e.g. p07:2020-02-06..2020-02-08:发热 (repeatable); also written to "
    "roster.yaml's leave list. Leave before --now starts at --now.",
)
@click.option(
    "--drop",
    "drops",
    multiple=True,
    metavar="PERSON",
    help="Take a person off every duty from --now to the end of the period (repeatable).",
)
@solve_options
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the repaired schedule.json, roster.csv, roster.md "
    "[default: out/<DIR name>].",
)
@click.option("--publish", "do_publish", is_flag=True, help="Record it as the next version.")
@publishing_options(
    "Why (with --publish) [default: the event].",
    "Folder for the calendar feeds, with --publish [default: feeds/ beside the schedule].",
)
@format_option("text", "json", help="text for people, json for scripts.")
@friendly
def repair(
    folder: Path,
    week: str | None,
    first: datetime | None,
    last: datetime | None,
    now_text: str | None,
    leave_specs: tuple[str, ...],
    drops: tuple[str, ...],
    time_limit: float,
    repeatable: bool,
    work_units: float,
    workers: int | None,
    seed: int,
    params: tuple[str, ...],
    out_dir: Path | None,
    do_publish: bool,
    message: str,
    author: str | None,
    feeds_dir: Path | None,
    base_url: str | None,
    db: str | None,
    fmt: str,
) -> None:
    """Repair the published roster after someone drops out, changing as little as possible.

    Starts from the latest published version of the period. Everything before --now stays as
    it is. The repair fills the places first, then changes the fewest assignments (a change
    sooner, or to someone the event did not touch, weighs more), then keeps the usual rules'
    penalty low. It prints each change and a message for everyone to tell.

    \b
    Example:
      roster repair examples/xingwang --week 2020-W06 --now 2020-02-06T07:00 \\
          --leave p07:2020-02-06..2020-02-08:发热 --db out/xingwang/roster.db
    """
    options = make_options(
        time_limit=time_limit,
        repeatable=repeatable,
        work_units=work_units,
        workers=workers,
        seed=seed,
        params=params,
    )
    roster = load_roster(folder)
    period = _period(roster.config.timezone, week, first, last)
    now = _moment(roster, now_text)
    known = {p.id for p in roster.people}
    # What goes into roster.yaml, the version's message, the diff and the notices is the
    # roster's words; what the command reports is in the message language.
    t = translator(roster.config.language)
    new_leave = []
    for spec in leave_specs:
        entry = parse_leave_spec(spec)
        if entry.person not in known:
            raise RosterError(
                _("--leave {spec}: unknown person {id!r}").format(spec=spec, id=entry.person)
            )
        new_leave.append(entry)
    for pid in drops:
        if pid not in known:
            raise RosterError(_("--drop {id}: unknown person {id!r}").format(id=pid))
        reason = t("off the roster")
        new_leave.append(
            Leave(
                person=pid,
                start=now.replace(tzinfo=None),
                end=period.end.replace(tzinfo=None),
                reason=reason,
            )
        )
    clipped = [_from_now(entry, now) for entry in new_leave]
    with _open(folder, db, create=False) as store:
        base = _published(store, roster, period)
        if clipped:
            add_leave(roster.folder, clipped)
            roster = load_roster(folder)
        absent = tuple(dict.fromkeys(e.person for e in clipped))
        options.history = _store_history(store, roster, base.schedule)
        result = repair_roster(roster, period, base.schedule, now, options, absent=absent)
        target = out_dir or Path("out") / folder.resolve().name
        write_outputs(result.schedule, target)
        names = (t("version {number}").format(number=base.number), t("repaired"))
        diff = diff_schedules(
            base.schedule, result.schedule, shifts=shift_names(roster, result.schedule)
        )
        told = notices(roster, diff)
        published = None
        if do_publish and result.changes:
            check_publishable(
                roster, result.schedule, str(target / "schedule.json"), options.history
            )
            what = message or _event_words(roster, clipped)
            published = store.publish(
                result.schedule,
                inputs_digest=inputs_digest(roster),
                author=author or _login(),
                message=what,
                parent=base.number,
            )
            publish_feeds(roster, store, feeds_dir or target / "feeds", check_base_url(base_url))
    if fmt == "json":
        data = {
            "base_version": base.number,
            "now": now.isoformat(),
            "absent": list(result.absent),
            "changes": len(result.added),
            "assignments_changed": diff.assignments_changed,
            "shifts_changed": diff.shifts_changed,
            "people_affected": diff.people_affected,
            "change_cost": result.change_cost,
            "change_bound": result.change_bound,
            "proven_minimal": result.proven_minimal,
            "frozen_slots": result.frozen_slots,
            "parts_repaired": result.parts_repaired,
            "people_touched": result.people_touched,
            "shortages": sum(s.missing for s in result.schedule.shortages),
            "diff": diff.to_dict(),
            "notify": [vars(n) for n in told],
            "published": published.number if published else None,
            "schedule": str(target / "schedule.json"),
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    proof = (
        _("proven minimal")
        if result.proven_minimal
        else _("lower bound {bound}").format(bound=result.change_bound)
    )
    # Counted from the diff, as publish, history and diff count the same change.
    click.echo(
        _("Kept the {frozen} shifts before {now}; {changes}; change cost {cost} ({proof})").format(
            frozen=result.frozen_slots,
            now=f"{now:%Y-%m-%d %H:%M}",
            changes=diff.count(current()),
            cost=result.change_cost,
            proof=proof,
        )
    )
    # The diff and the messages are for the chat group: the roster's words.
    click.echo(diff.render(*names), nl=False)
    if told:
        click.echo(_("To tell:"))
        for notice in told:
            phone = f" {notice.phone}" if notice.phone else ""
            click.echo(
                _("  {name}{phone}: {message}").format(
                    name=notice.name, phone=phone, message=notice.message
                )
            )
    click.echo(render_summary(result.schedule, current()), nl=False)
    click.echo(f"→ {target / 'schedule.json'}")
    if published is not None:
        click.echo(
            _("Published version {number} → {store}").format(
                number=published.number, store=store.location
            )
        )
    elif not diff.people:
        click.echo(_("Nothing changed: nothing to publish"))
    else:
        # The notices above are for once it is published: say that it is not yet.
        click.echo(
            _(
                "Not published yet: check it, then `roster publish {folder} {schedule}` records "
                "it as version {number} (or repair with --publish)"
            ).format(
                folder=folder,
                schedule=f"{target / 'schedule.json'}{_db_args(db, folder)}",
                number=base.number + 1,
            )
        )


def _from_now(entry: Leave, now: datetime) -> Leave:
    """Leave that would start before ``now`` starts at ``now``: the past is not rewritten."""
    local = now.replace(tzinfo=None)
    start = (
        entry.start
        if isinstance(entry.start, datetime)
        else datetime.combine(entry.start, datetime.min.time())
    )
    if start >= local:
        return entry
    return Leave(person=entry.person, start=local, end=entry.end, reason=entry.reason)


def _event_words(roster: Roster, leave: list[Leave]) -> str:
    """A default message for a repair: who is away and why (the version's message, in the
    roster's words)."""
    t = translator(roster.config.language)
    parts = [
        t("{name} ({reason})").format(name=roster.person(e.person).name, reason=e.reason)
        if e.reason
        else roster.person(e.person).name
        for e in leave
    ]
    if not parts:
        return t("repair")
    return t("repair: {who}").format(
        who=pgettext_in(roster.config.language, "feeds", ", ").join(parts)
    )


@main.command()
@roster_dir
@click.argument("slot_id", metavar="SLOT_ID")
@period_options
@_now_option
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="At most this many candidates.",
)
@db_option
@format_option("text", "json", help="text for people, json for scripts.")
@friendly
def cover_command(
    folder: Path,
    slot_id: str,
    week: str | None,
    first: datetime | None,
    last: datetime | None,
    now_text: str | None,
    limit: int,
    db: str | None,
    fmt: str,
) -> None:
    """Who can take SLOT_ID now without breaking a hard rule, cheapest first.

    Reads the latest published version of the slot's period (the week of the slot unless
    --week or --from/--to say otherwise). Each candidate shows the change in penalty and any
    duty of theirs that would have to go to someone else first; everyone else is listed with
    the rule that rules them out. Rest and runs of days count across the border with the weeks
    published before.

    \b
    Example:
      roster cover examples/xingwang gate-temp/2020-02-06T12:00 --db out/xingwang/roster.db
    """
    roster = load_roster(folder)
    period = _slot_period(roster, slot_id, week, first, last)
    now = _moment(roster, now_text) if now_text else None
    with _open(folder, db, create=False) as store:
        base = _published(store, roster, period)
        history = _store_history(store, roster, base.schedule)
    report = cover(
        roster,
        period,
        base.schedule,
        slot_id,
        now=now,
        limit=limit,
        history=history,
        language=current(),
    )
    if fmt == "json":
        data = {
            "slot": slot_id,
            "version": base.number,
            "on_slot": report.on_slot,
            "dropped": report.dropped,
            "candidates": [vars(c) | {"knock_on": list(c.knock_on)} for c in report.candidates],
            "ruled_out": [vars(r) for r in report.ruled_out],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    names = {p.id: p.name for p in roster.people}
    # Names of Chinese people read with 、 in either language (as the tables do).
    on = "、".join(names.get(p, p) for p in report.on_slot) or _("nobody")
    click.echo(
        _("{slot} (version {number}) on it: {people}").format(
            slot=slot_id, number=base.number, people=on
        )
    )
    if report.dropped:
        gone = "、".join(names.get(p, p) for p in report.dropped)
        click.echo(_("  no longer able to: {people}").format(people=gone))
    full = len(report.on_slot) >= report.slot.max
    if full and not report.candidates:
        # Nobody is missing: a change of person is a swap, not a cover.
        click.echo(
            _(
                "The shift is full ({on}/{max}): nothing to cover; to change who is on it, use "
                "roster swap"
            ).format(on=len(report.on_slot), max=report.slot.max)
        )
    elif not report.candidates:
        click.echo(_("Nobody can take it"))
    for rank, c in enumerate(report.candidates, start=1):
        line = _("  {rank}. {name} ({id})  penalty {change}").format(
            rank=rank, name=c.name, id=c.person, change=f"{c.penalty_change:+d}"
        )
        if c.knock_on:
            line += _("; first hand {slot} to someone else ({why})").format(
                slot=c.knock_on[0], why=c.note
            )
        click.echo(line)
    if report.ruled_out:
        click.echo(_("Ruled out:"))
        for r in report.ruled_out:
            click.echo(
                _("  {name} ({id}): {reason}").format(name=r.name, id=r.person, reason=r.reason)
            )


def _slot_period(
    roster: Roster, slot_id: str, week: str | None, first: datetime | None, last: datetime | None
) -> Period:
    """The period named by the options, or else the ISO week the slot id's date falls in."""
    if week or first or last:
        return _period(roster.config.timezone, week, first, last)
    stamp = slot_id.partition("/")[2][:10]
    try:
        day = date.fromisoformat(stamp)
    except ValueError:
        raise RosterError(
            _("{slot!r} is not a slot id; a slot id reads <post>/<YYYY-MM-DDTHH:MM>").format(
                slot=slot_id
            )
        ) from None
    year, number, _weekday = day.isocalendar()
    return _period(roster.config.timezone, f"{year}-W{number:02d}", None, None)


@main.command(name="swap")
@roster_dir
@click.argument("person_a", metavar="PERSON_A")
@click.argument("person_b", metavar="PERSON_B")
@click.argument("slot_a", metavar="SLOT_A")
@click.argument("slot_b", metavar="[SLOT_B]", required=False)
@_now_option
@publishing_options(
    "Why [default: the swap in words].",
    "Folder for the calendar feeds [default: out/<DIR name>/feeds].",
)
@format_option("text", "json", help="text for people, json for scripts.")
@friendly
def swap_command(
    folder: Path,
    person_a: str,
    person_b: str,
    slot_a: str,
    slot_b: str | None,
    now_text: str | None,
    message: str,
    author: str | None,
    feeds_dir: Path | None,
    base_url: str | None,
    db: str | None,
    fmt: str,
) -> None:
    """Check a swap two people agreed on and, when it keeps every rule, publish it.

    PERSON_B takes SLOT_A from PERSON_A; with SLOT_B, PERSON_A takes SLOT_B from PERSON_B in
    return. An accepted swap becomes the next version of the period; a refused one names the
    rule it breaks and records nothing. Rest and runs of days count across the border with the
    weeks published before.

    \b
    Example:
      roster swap examples/xingwang p07 p12 gate-temp/2020-02-06T06:00 \\
          gate-temp/2020-02-07T06:00 --db out/xingwang/roster.db
    """
    roster = load_roster(folder)
    period = _slot_period(roster, slot_a, None, None, None)
    now = _moment(roster, now_text)
    # The version's message and the diff are the roster's words; the verdict is a message.
    t = translator(roster.config.language)
    with _open(folder, db, create=False) as store:
        base = _published(store, roster, period)
        history = _store_history(store, roster, base.schedule)
        report = swap(
            roster,
            period,
            base.schedule,
            person_a,
            person_b,
            slot_a,
            slot_b,
            now=now,
            history=history,
        )
        if not report.accepted:
            broken = pgettext("list", "; ").join(
                pgettext("list", ": ").join((v.rule, v.text)) for v in report.broken
            )
            raise RosterError(
                _("swap refused, version {number} unchanged: {broken}").format(
                    number=base.number, broken=broken
                )
            )
        slots = expand(roster.config, period)
        schedule = build_schedule(
            roster,
            period,
            slots,
            report.assignment,
            base.schedule.solver,
            history=history,
        )
        a, b = roster.person(person_a).name, roster.person(person_b).name
        what = message or t("swap: {a} and {b}").format(a=a, b=b)
        version = store.publish(
            schedule,
            inputs_digest=inputs_digest(roster),
            author=author or _login(),
            message=what,
            parent=base.number,
        )
        target = feeds_dir or Path("out") / folder.resolve().name / "feeds"
        publish_feeds(roster, store, target, check_base_url(base_url))
        diff = diff_schedules(base.schedule, schedule, shifts=shift_names(roster, schedule))
    if fmt == "json":
        data = {
            "accepted": True,
            "version": version.number,
            "penalty_change": report.penalty_change,
            "diff": diff.to_dict(),
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(
        _("Swap recorded as version {number} (penalty {change})").format(
            number=version.number, change=f"{report.penalty_change:+d}"
        )
    )
    click.echo(
        diff.render(
            t("version {number}").format(number=base.number),
            t("version {number}").format(number=version.number),
        ),
        nl=False,
    )


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
    default=0.25,
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
    from server.snapshot import check_sources

    config = ServeConfig(
        folder=folder.resolve(),
        db=store_location(db, folder),
        base_url=check_base_url(base_url),
        poll=poll,
    )
    # What a user can get wrong (folder, store, published versions, password hash) is said
    # here, once, before any worker starts; each worker then renders the feeds itself (and
    # `run` says it in one sentence should a worker's first build still fail).
    roster = load_roster(folder)
    with _open(folder, db, create=False) as store:
        revision = store.revision(roster.name)
        check_sources(roster, store, config.base_url)
        location = store.location
    load_password_hash(config.folder)
    shown = config.base_url or f"http://{host}:{port}"
    click.echo(
        _("Serving {roster} ({people}, store revision {revision}) at {address}/").format(
            roster=roster.name,
            people=_people(len(roster.people)),
            revision=revision,
            address=shown,
        )
    )
    if revision == 0:
        click.echo(
            _(
                "Nothing of {roster} is published in {store} yet: the feeds are empty calendars "
                "that people can subscribe to now, and they fill in as soon as `roster publish` "
                "records a version."
            ).format(roster=roster.name, store=location)
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
        raise RosterError(
            _("{folder}: no such folder; give the roster folder").format(folder=folder)
        )
    password = click.prompt(
        _("Password for the coordinator's pages"),
        hide_input=True,
        confirmation_prompt=_("Repeat for confirmation"),
    )
    if print_hash:
        click.echo(hash_password(password))
        return
    path = write_password_hash(folder, password)
    click.echo(
        _("Password hash stored in {file}; open /coordinator and sign in with any name.").format(
            file=path
        )
    )
