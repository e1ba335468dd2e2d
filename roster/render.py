"""Schedules for people: aligned terminal tables (CJK counts double), CSV and Markdown."""

from __future__ import annotations

import csv
import io
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from wcwidth import wcswidth

from .schedule import Schedule, SlotOut

_LABELS = {
    "zh": {
        "date": "日期",
        "time": "时间",
        "post": "岗位",
        "people": "人员",
        "short": "缺",
        "status": "求解状态",
        "objective": "罚分",
        "bound": "下界",
        "gap": "差距",
        "time_used": "用时",
        "workers": "线程",
        "seed": "种子",
        "hours": "工时（小时）",
        "min": "最少",
        "median": "中位",
        "max": "最多",
        "shortages": "缺员",
        "none": "无",
        "slots_short": "个班次缺员，共缺",
        "persons": "人",
        "name": "姓名",
        "shifts": "班次",
        "nights": "夜班",
        "weekday": "一二三四五六日",
        "no_duties": "无班次",
        "quota_shortages": "配额缺员",
        # Shared with the calendar feeds (calendars/words.py) and prints (roster/printing.py).
        "list_sep": "、",
        "with_phone": "{name}（电话 {phone}）",
        "coordinator": "负责人：{name}",
        "coordinator_phone": "负责人：{name}，电话 {phone}",
        "short_n": "缺 {n} 人",
        "roster_title": "{roster} · 值班表",
        "generated": "排班更新于 {when}",
        # Prints only.
        "field": "{label}：{value}",
        "period": "{start} 至 {end}",
        "not_run": "不设此班",
    },
    "en": {
        "date": "Date",
        "time": "Time",
        "post": "Post",
        "people": "People",
        "short": "short",
        "status": "Status",
        "objective": "Penalty",
        "bound": "Bound",
        "gap": "gap",
        "time_used": "Time",
        "workers": "workers",
        "seed": "seed",
        "hours": "Hours",
        "min": "min",
        "median": "median",
        "max": "max",
        "shortages": "Shortages",
        "none": "none",
        "slots_short": "slots short, missing",
        "persons": "people",
        "name": "Name",
        "shifts": "Shifts",
        "nights": "Nights",
        "weekday": "MTWTFSS",
        "no_duties": "no duties",
        "quota_shortages": "Quota shortages",
        # Shared with the calendar feeds (calendars/words.py) and prints (roster/printing.py).
        "list_sep": ", ",
        "with_phone": "{name} (phone {phone})",
        "coordinator": "Coordinator: {name}",
        "coordinator_phone": "Coordinator: {name}, phone {phone}",
        "short_n": "Short of {n}",
        "roster_title": "{roster} · roster",
        "generated": "Roster last changed {when}",
        # Prints only.
        "field": "{label}: {value}",
        "period": "{start} to {end}",
        "not_run": "no shift",
    },
}


#: roster.csv's headings by language; the id columns (post, person, slot) are kept beside the
#: names so a spreadsheet can still join on them.
CSV_HEADINGS = {
    "zh": ["日期", "开始", "结束", "岗位编号", "岗位", "人员编号", "姓名", "班次编号", "缺员"],
    "en": [
        *("date", "start", "end", "post", "post_name"),
        *("person", "person_name", "slot", "shortage"),
    ],
}


def labels(language: str) -> dict[str, str]:
    """The words of tables and summaries in the roster's language (English when unknown)."""
    return _LABELS.get(language, _LABELS["en"])


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
    """A date with its weekday in the roster's language: 2020-02-03 周一, 2020-02-03 M."""
    weekday = labels(language)["weekday"][day.weekday()]
    return f"{day.isoformat()} {'周' + weekday if language == 'zh' else weekday}"


def _rows(schedule: Schedule, keep: Filter) -> list[list[str]]:
    people, posts = _names(schedule)
    short = labels(schedule.language)["short"]
    rows = []
    for slot in schedule.slots:
        if not keep.keep(slot):
            continue
        names = "、".join(people.get(p, p) for p in slot.assigned)
        if slot.shortage:
            names += f" [{short} {slot.shortage}]" if names else f"[{short} {slot.shortage}]"
        rows.append(
            [
                day_label(schedule.language, slot.start.date()),
                _time_span(slot),
                posts.get(slot.post, slot.post),
                names,
            ]
        )
    return rows


def render_table(schedule: Schedule, keep: Filter = Filter()) -> str:
    """The roster as an aligned terminal table, one row per slot."""
    words = labels(schedule.language)
    header = [words["date"], words["time"], words["post"], words["people"]]
    return table(header, _rows(schedule, keep))


def render_markdown(schedule: Schedule, keep: Filter = Filter()) -> str:
    """The roster as Markdown: a heading and a table per day."""
    words = labels(schedule.language)
    out = [f"# {schedule.roster}", ""]
    current = None
    for row in _rows(schedule, keep):
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
    writer.writerow(CSV_HEADINGS.get(schedule.language, CSV_HEADINGS["en"]))
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


def render_summary(schedule: Schedule) -> str:
    """Status, penalty and bound with the gap, each penalty term, the spread of hours, shortages
    and staffing hints: what a coordinator reads first."""
    words = labels(schedule.language)
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
    for term in schedule.objective_terms:
        label = f"  ({term.label})" if term.label else ""
        lines.append(f"  {term.rule:<16} {term.penalty:>8}{label}")
    worked = [p.hours for p in schedule.people]
    if worked:
        lines.append(
            f"{words['hours']}: {words['min']} {min(worked):g}  {words['median']} "
            f"{statistics.median(worked):g}  {words['max']} {max(worked):g}"
        )
        idle = [p for p in schedule.people if p.hours == 0]
        if idle:
            # A minimum of 0 is usually someone away all period: say who, and why.
            if schedule.language == "zh":
                named = [f"{p.name}（{'；'.join(p.away)}）" if p.away else p.name for p in idle]
                lines.append(f"  {words['no_duties']}：{'，'.join(named)}")
            else:
                named = [f"{p.name} ({'; '.join(p.away)})" if p.away else p.name for p in idle]
                lines.append(f"  {words['no_duties']}: {', '.join(named)}")
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


def render_people(schedule: Schedule) -> str:
    """Hours, shifts and nights per person, as an aligned table."""
    words = labels(schedule.language)
    rows = [[p.id, p.name, f"{p.hours:g}", str(p.shifts), str(p.nights)] for p in schedule.people]
    return table(["id", words["name"], words["hours"], words["shifts"], words["nights"]], rows)
