"""Schedules for people: aligned terminal tables (CJK counts double), CSV and Markdown."""

from __future__ import annotations

import csv
import io
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from wcwidth import wcswidth

from .i18n import N_, NP_, pgettext_in, translator
from .report import term_label
from .schedule import Schedule, SlotOut

#: The words of tables and summaries, by key: English, as the catalogue's msgids; ``time_used``
#: has a context because Chinese says "used time" apart from a table's "Time".
_LABELS: dict[str, str | tuple[str, str]] = {
    "date": N_("Date"),
    "time": N_("Time"),
    "post": N_("Post"),
    "people": N_("People"),
    "short": N_("short"),
    "status": N_("Status"),
    "objective": N_("Penalty"),
    "bound": N_("Bound"),
    "gap": N_("gap"),
    "time_used": NP_("duration", "Time"),
    "workers": N_("workers"),
    "seed": N_("seed"),
    "hours": N_("Hours"),
    "min": N_("min"),
    "median": N_("median"),
    "max": N_("max"),
    "shortages": N_("Shortages"),
    "none": N_("none"),
    "slots_short": N_("slots short, missing"),
    "persons": N_("people"),
    "name": N_("Name"),
    "shifts": N_("Shifts"),
    "nights": N_("Nights"),
    # The weekdays' initials, Monday first: seven characters.
    "weekday": N_("MTWTFSS"),
    "no_duties": N_("no duties"),
    "quota_shortages": N_("Quota shortages"),
    # A heading and a list of names: "no duties: A, B" or "无班次：A，B".
    "label_sep": NP_("list", ": "),
    "list_sep": NP_("list", ", "),
    "away_open": NP_("list", " ("),
    "away_close": NP_("list", ")"),
    "away_sep": NP_("list", "; "),
    # Shared with the calendar feeds (calendars/words.py) and prints (roster/printing.py): the
    # feeds' own msgids, so a phrase reads the same in a calendar and on paper.
    "names_sep": NP_("feeds", ", "),
    "with_phone": NP_("feeds", "{name} (phone {phone})"),
    "coordinator": NP_("feeds", "Coordinator: {name}"),
    "coordinator_phone": NP_("feeds", "Coordinator: {name}, phone {phone}"),
    "short_n": NP_("feeds", "Short of {n}"),
    "roster_title": NP_("feeds", "{roster} · roster"),
    "generated": NP_("feeds", "Roster last changed {when}"),
    # Prints only.
    "field": NP_("print", "{label}: {value}"),
    "period": NP_("print", "{start} to {end}"),
    "not_run": NP_("print", "no shift"),
    # The rolling window of published weeks (roster/history.py).
    "window": N_("Rolling window"),
    "weeks": N_("weeks"),
    "published": N_("published"),
    "weekends": N_("Weekends"),
    "interrupted": N_(
        "Interrupted: the best roster found before the stop; solve again with more time for a "
        "better one"
    ),
    "wall_guard": N_(
        "The wall-clock guard stopped the search before its work units: this roster may differ "
        "from another machine's (solve again on a less busy machine, or with fewer --work-units)"
    ),
}

#: roster.csv's headings (the id columns, post, person and slot, are kept beside the names so a
#: spreadsheet can still join on them), as msgids with the context "csv".
_CSV_HEADINGS = [
    NP_("csv", "date"),
    NP_("csv", "start"),
    NP_("csv", "end"),
    NP_("csv", "post"),
    NP_("csv", "post_name"),
    NP_("csv", "person"),
    NP_("csv", "person_name"),
    NP_("csv", "slot"),
    NP_("csv", "shortage"),
]


def labels(language: str) -> dict[str, str]:
    """The words of tables and summaries in ``language`` (English when it is not Chinese)."""
    return dict(_labels(language))


@cache
def _labels(language: str) -> dict[str, str]:
    out = {}
    for key, msg in _LABELS.items():
        if isinstance(msg, tuple):
            out[key] = pgettext_in(language, *msg)
        else:
            out[key] = translator(language)(msg)
    return out


def csv_headings(language: str) -> list[str]:
    """roster.csv's headings in ``language``."""
    return [pgettext_in(language, *heading) for heading in _CSV_HEADINGS]


def width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    w = wcswidth(text)
    return w if w >= 0 else len(text)


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table whose columns line up in a terminal, Chinese names included."""
    widths = [width(h) for h in header]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], width(cell))

    def line(cells: Sequence[str]) -> str:
        padded = [c + " " * (widths[i] - width(c)) for i, c in enumerate(cells)]
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)]) + "\n"


@dataclass(frozen=True)
class Filter:
    """Which slots to show: one person's, one post's, one day's (all when None)."""

    person: str | None = None
    post: str | None = None
    day: date | None = None

    def keep(self, slot: SlotOut) -> bool:
        """Whether ``slot`` passes the filter."""
        if self.person is not None and self.person not in slot.assigned:
            return False
        if self.post is not None and slot.post != self.post:
            return False
        return self.day is None or slot.start.date() == self.day


def _names(schedule: Schedule) -> tuple[dict[str, str], dict[str, str]]:
    people = {p.id: p.name for p in schedule.people}
    posts = {p.id: p.name for p in schedule.posts}
    return people, posts


def _time_span(slot: SlotOut) -> str:
    days = (slot.end.date() - slot.start.date()).days
    suffix = f" (+{days})" if days else ""
    return f"{slot.start:%H:%M}–{slot.end:%H:%M}{suffix}"


def day_label(language: str, day: date) -> str:
    weekday = labels(language)["weekday"][day.weekday()]
    t = translator(language)
    return t("{date} {weekday}").format(date=day.isoformat(), weekday=weekday)


def _rows(schedule: Schedule, keep: Filter, language: str) -> list[list[str]]:
    people, posts = _names(schedule)
    short = labels(language)["short"]
    rows = []
    for slot in schedule.slots:
        if not keep.keep(slot):
            continue
        # A list of Chinese names reads with 、 in either language.
        names = "、".join(people.get(p, p) for p in slot.assigned)
        if slot.shortage:
            names += f" [{short} {slot.shortage}]" if names else f"[{short} {slot.shortage}]"
        rows.append(
            [
                day_label(language, slot.start.date()),
                _time_span(slot),
                posts.get(slot.post, slot.post),
                names,
            ]
        )
    return rows


def render_table(schedule: Schedule, keep: Filter = Filter(), language: str | None = None) -> str:
    """The roster as an aligned terminal table, one row per slot, in ``language`` (default: the
    roster's)."""
    language = language or schedule.language
    words = labels(language)
    header = [words["date"], words["time"], words["post"], words["people"]]
    return table(header, _rows(schedule, keep, language))


def render_markdown(schedule: Schedule, keep: Filter = Filter()) -> str:
    """The roster as Markdown: a heading and a table per day."""
    words = labels(schedule.language)
    out = [f"# {schedule.roster}", ""]
    current = None
    for row in _rows(schedule, keep, schedule.language):
        if row[0] != current:
            current = row[0]
            out += [
                "",
                f"## {current}",
                "",
                f"| {words['time']} | {words['post']} | {words['people']} |",
                "| --- | --- | --- |",
            ]
        cells = [c.replace("|", "\\|") for c in row[1:]]
        out.append(f"| {' | '.join(cells)} |")
    return "\n".join(out).replace("\n\n\n", "\n\n") + "\n"


def render_csv(schedule: Schedule, keep: Filter = Filter()) -> str:
    """The roster as CSV for spreadsheets, one row per person on a slot (a short slot adds a row
    with an empty person and the count missing)."""
    people, posts = _names(schedule)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(csv_headings(schedule.language))
    zone = ZoneInfo(schedule.timezone)
    for slot in schedule.slots:
        if not keep.keep(slot):
            continue
        start = slot.start.astimezone(zone)
        # "YYYY-MM-DD HH:MM" in the community's zone: Excel and WPS read it as a date and time,
        # which they do not with an ISO offset.
        base = [
            start.date().isoformat(),
            f"{start:%Y-%m-%d %H:%M}",
            f"{slot.end.astimezone(zone):%Y-%m-%d %H:%M}",
            slot.post,
            posts.get(slot.post, slot.post),
        ]
        for pid in slot.assigned:
            if keep.person is None or pid == keep.person:
                writer.writerow([*base, pid, people.get(pid, pid), slot.id, 0])
        if slot.shortage and keep.person is None:
            writer.writerow([*base, "", "", slot.id, slot.shortage])
    return buffer.getvalue()


def render_summary(schedule: Schedule, language: str | None = None) -> str:
    """Status, penalty and bound with the gap, each penalty term, the spread of hours, shortages
    and staffing hints: what a coordinator reads first. The labels are in ``language`` (default:
    the roster's); the sentences stored in the schedule (shortages, hints) stay in the roster's."""
    language = language or schedule.language
    words = labels(language)
    info = schedule.solver
    # The period's end is exclusive (midnight after the last day): show the last day itself.
    last = (schedule.period.end - timedelta(days=1)).date()
    lines = [f"{schedule.roster}  {schedule.period.start:%Y-%m-%d} – {last:%Y-%m-%d}"]
    gap = ""
    if info.objective is not None and info.bound is not None and info.status != "OPTIMAL":
        ratio = (info.objective - info.bound) / max(1, abs(info.objective))
        gap = f"  {words['gap']} {ratio:.1%}"
    lines.append(
        f"{words['status']}: {info.status}  {words['objective']} {info.objective}  "
        f"{words['bound']} {info.bound}{gap}  {words['time_used']} "
        f"{info.wall_seconds:.1f} s ({info.workers} {words['workers']}, "
        f"{words['seed']} {info.seed})"
    )
    if info.interrupted:
        lines.append(words["interrupted"])
    if info.wall_guard:
        lines.append(words["wall_guard"])
    # The rule column as wide as its longest id, so the penalties line up.
    rule_width = max((len(t.rule) for t in schedule.objective_terms), default=0)
    for term in schedule.objective_terms:
        text = term_label(term.rule, language) if language != schedule.language else term.label
        label = f"  ({text or term.label})" if text or term.label else ""
        lines.append(f"  {term.rule:<{rule_width}} {term.penalty:>8}{label}")
    worked = [p.hours for p in schedule.people]
    if worked:
        lines.append(
            f"{words['hours']}: {words['min']} {min(worked):g}  {words['median']} "
            f"{statistics.median(worked):g}  {words['max']} {max(worked):g}"
        )
        idle = [p for p in schedule.people if p.hours == 0]
        if idle:
            # A minimum of 0 is usually someone away all period: say who, and why.
            named = [
                p.name + words["away_open"] + words["away_sep"].join(p.away) + words["away_close"]
                if p.away
                else p.name
                for p in idle
            ]
            lines.append(
                f"  {words['no_duties']}{words['label_sep']}{words['list_sep'].join(named)}"
            )
    missing = sum(s.missing for s in schedule.shortages)
    if schedule.shortages:
        lines.append(
            f"{words['shortages']}: {len(schedule.shortages)} {words['slots_short']} "
            f"{missing} {words['persons']}"
        )
        for item in schedule.shortages:
            lines.append(f"  {item.slot}: -{item.missing}  {item.text}".rstrip())
    else:
        lines.append(f"{words['shortages']}: {words['none']}")
    if schedule.quota_shortages:
        # Quota places are counted apart from headcount: a shift can be full and still lack
        # its party member.
        short_quota = sum(s.missing for s in schedule.quota_shortages)
        lines.append(
            f"{words['quota_shortages']}: {len(schedule.quota_shortages)} "
            f"{words['slots_short']} {short_quota} {words['persons']}"
        )
        for item in schedule.quota_shortages:
            lines.append(f"  {item.slot}: -{item.missing}  {item.text}".rstrip())
    proof = _proof_line(schedule)
    if proof:
        lines.append(proof)
    lines.extend(schedule.hints)
    if schedule.window is not None:
        lines.append(render_window(schedule, language).rstrip("\n"))
    return "\n".join(lines) + "\n"


def _proof_line(schedule: Schedule) -> str:
    """Whether the shortage is proven unavoidable or only not filled within the time limit (empty
    when nothing is missing, or the schedule comes from a version that did not say)."""
    proven = schedule.solver.shortage_proven
    bound = schedule.solver.shortage_bound or 0
    zh = schedule.language == "zh"
    if proven is None:
        return ""
    if proven:
        if zh:
            return f"缺员已证实：任何排法都至少缺{bound}个名额，需增加人员或放宽规则"
        return (
            f"Shortage proven: every roster leaves at least {bound} place(s) unfilled; "
            "it takes more people or looser rules"
        )
    if zh:
        known = f"（已证实至少缺{bound}个名额）" if bound else ""
        return f"缺员未证实：可能有缺员更少的排法{known}"
    known = f" ({bound} place(s) proven unfillable)" if bound else ""
    return f"Shortage not proven: a roster may leave fewer places open{known}"


def render_window(schedule: Schedule, language: str | None = None) -> str:
    """Each person's hours, night shifts and weekends worked over the rolling window (the published
    weeks and this period), when the schedule was made with a history; empty otherwise."""
    window = schedule.window
    if window is None:
        return ""
    words = labels(language or schedule.language)
    names = {p.id: p.name for p in schedule.people}
    published = words["list_sep"].join(window.published) or words["none"]
    head = (
        f"{words['window']} {window.first:%Y-%m-%d} – {window.last:%Y-%m-%d} "
        f"({window.weeks} {words['weeks']}; {words['published']} {published}):"
    )
    rows = [
        [p.id, names.get(p.id, p.id), f"{p.hours:g}", str(p.nights), str(p.weekends)]
        for p in window.people
    ]
    header = ["id", words["name"], words["hours"], words["nights"], words["weekends"]]
    body = table(header, rows)
    return head + "\n" + "".join(f"  {line}\n" for line in body.splitlines())


def render_people(schedule: Schedule, language: str | None = None) -> str:
    """Hours, shifts and nights per person, as an aligned table in ``language`` (default: the
    roster's)."""
    words = labels(language or schedule.language)
    rows = [[p.id, p.name, f"{p.hours:g}", str(p.shifts), str(p.nights)] for p in schedule.people]
    return table(["id", words["name"], words["hours"], words["shifts"], words["nights"]], rows)
