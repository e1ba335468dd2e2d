"""Turning an assignment into a Schedule: loads per person, penalties recomputed by the checker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from datetime import time as dt_time

from .check import check
from .explain import explain_quota_shortages, explain_shortages
from .load import Roster
from .schedule import (
    ObjectiveTerm,
    PeriodOut,
    PersonOut,
    PostOut,
    Schedule,
    SlotOut,
    SolverInfo,
)
from .slots import Period, Slot

#: What each objective term means, for the summary and the schedule file, by language.
TERM_LABELS = {
    "en": {
        "shortage": "people missing below a slot's minimum",
        "quota": "people missing below a team quota",
        "under_target": "people below a slot's target",
        "over_target": "people above a slot's target",
        "successions": "discouraged shift successions",
        "requests": "wishes not met",
        "fair_hours": "hours away from each person's fair share",
        "fair_nights": "night shifts away from each person's fair share",
        "fair_weekends": "weekend shifts away from each person's fair share",
        "priority": "people missing on posts of higher priority, beyond the shortage",
        "rounds": "rounds of an area that nobody took, the first of a day dearest",
    },
    "zh": {
        "shortage": "低于最少人数的缺员",
        "quota": "班组配额（如党员）缺员",
        "under_target": "低于目标人数",
        "over_target": "高于目标人数",
        "successions": "不宜的班次衔接",
        "requests": "未满足的个人意愿",
        "fair_hours": "各人工时偏离应分担份额（小时）",
        "fair_nights": "各人夜班数偏离应分担份额",
        "fair_weekends": "各人周末班数偏离应分担份额",
        "priority": "优先岗位缺员的加重罚分",
        "rounds": "各区域未做的轮次（每天第一轮最重）",
    },
}


def build_schedule(
    roster: Roster,
    period: Period,
    slots: list[Slot],
    assignment: dict[str, list[str]],
    solver: SolverInfo,
    *,
    strict: bool = False,
    generated_at: datetime | None = None,
) -> Schedule:
    """The schedule of an assignment, with every penalty recomputed from the roster itself (so an
    intermediate solution's slack never overstates the penalty)."""
    report = check(roster, period, slots, assignment, strict=strict)
    order = {p.id: i for i, p in enumerate(roster.people)}
    slot_out = []
    minutes = dict.fromkeys(order, 0)
    count = dict.fromkeys(order, 0)
    nights = dict.fromkeys(order, 0)
    short = report.shortages
    for slot in slots:
        people = sorted(assignment.get(slot.id, []), key=lambda p: order.get(p, len(order)))
        for pid in people:
            if pid in minutes:
                minutes[pid] += slot.minutes
                count[pid] += 1
                nights[pid] += int(slot.night)
        slot_out.append(
            SlotOut(
                id=slot.id,
                post=slot.post,
                start=slot.start,
                end=slot.end,
                min=slot.min,
                target=slot.target,
                max=slot.max,
                assigned=people,
                shortage=short.get(slot.id, 0),
            )
        )
    people_out = [
        PersonOut(
            id=p.id,
            name=p.name,
            hours=round(minutes[p.id] / 60, 2),
            shifts=count[p.id],
            nights=nights[p.id],
            away=away_in(roster, p.id, period),
        )
        for p in roster.people
    ]
    # Each shortage with why the people not on the slot could not take it (roster/explain.py).
    shortage_out = explain_shortages(roster, period, slots, assignment, short)
    quota_out = explain_quota_shortages(roster, period, slots, assignment, report.quota_shortages)
    words = TERM_LABELS.get(roster.config.language, TERM_LABELS["en"])
    terms = [
        ObjectiveTerm(rule=rule, penalty=value, label=words.get(rule, ""))
        for rule, value in report.terms.items()
    ]
    solver = solver.model_copy(update={"objective": report.penalty})
    return Schedule(
        roster=roster.name,
        timezone=roster.config.timezone,
        period=PeriodOut(start=period.start, end=period.end),
        generated_at=generated_at or datetime.now(UTC).replace(microsecond=0),
        solver=solver,
        objective_terms=terms,
        language=roster.config.language,
        posts=[PostOut(id=p.id, name=p.name, location=p.location) for p in roster.config.posts],
        slots=slot_out,
        people=people_out,
        shortages=shortage_out,
        quota_shortages=quota_out,
    )


def away_in(roster: Roster, person_id: str, period: Period) -> list[str]:
    """The person's leave that overlaps the period, each as its dates and reason in words
    (``2020-02-03–2020-02-05 病假``; a leave given in hours shows its times)."""
    out = []
    for start, end, reason in roster.away(person_id):
        if end <= period.start or start >= period.end:
            continue
        whole = start.time() == end.time() == dt_time()
        if whole:
            span = f"{start:%Y-%m-%d}–{(end - timedelta(days=1)):%Y-%m-%d}"
        else:
            span = f"{start:%Y-%m-%d %H:%M}–{end:%Y-%m-%d %H:%M}"
        out.append(f"{span} {reason}".strip())
    return out


def assignment_of(schedule: Schedule) -> dict[str, list[str]]:
    """The slot id → person ids mapping of a schedule."""
    return {s.id: list(s.assigned) for s in schedule.slots}
