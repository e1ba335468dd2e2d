"""Turning an assignment into a Schedule: loads per person, penalties recomputed by the checker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from datetime import time as dt_time

from .check import check
from .explain import UNEXPLAINED, explain_quota_shortages, explain_shortages
from .history import History, iso_week
from .i18n import N_, translator
from .load import Roster
from .schedule import (
    ObjectiveTerm,
    PeriodOut,
    PersonOut,
    PostOut,
    Schedule,
    SlotOut,
    SolverInfo,
    WindowOut,
    WindowPersonOut,
)
from .slots import Period, Slot

#: What each objective term means, for the summary and the schedule file (msgids of the
#: catalogue; the schedule file stores them in the roster's language).
TERM_LABELS = {
    "shortage": N_("people missing below a slot's minimum"),
    "quota": N_("people missing below a team quota"),
    "under_target": N_("people below a slot's target"),
    "over_target": N_("people above a slot's target"),
    "successions": N_("discouraged shift successions"),
    "requests": N_("wishes not met"),
    "fair_hours": N_("hours away from each person's fair share"),
    "fair_nights": N_("night shifts away from each person's fair share"),
    "fair_weekends": N_("weekend shifts away from each person's fair share"),
    "preferred_consecutive_days": N_("days of work runs outside the preferred range"),
    "preferred_consecutive_days_off": N_("days of day-off runs outside the preferred range"),
    "preferred_consecutive_shifts": N_("days of runs on one shift outside the preferred range"),
    "complete_weekends": N_("weekends worked on one day only"),
    "preferred_total_shifts": N_("shifts outside each person's preferred total"),
    "preferred_max_weekends": N_("weekends worked above each person's preferred most"),
    "priority": N_("people missing on posts of higher priority, beyond the shortage"),
    "rounds": N_("rounds of an area that nobody took, the first of a day dearest"),
}


#: Rules a roster names for some people only (the INRC-II vocabulary): their term appears in
#: the schedule when somebody has the rule, so a roster without them is not told six zeros.
PER_PERSON_TERMS = (
    "preferred_consecutive_days",
    "preferred_consecutive_days_off",
    "preferred_consecutive_shifts",
    "complete_weekends",
    "preferred_total_shifts",
    "preferred_max_weekends",
)


def terms_in_use(roster: Roster) -> set[str]:
    """The per-person terms (PER_PERSON_TERMS) some person of ``roster`` has a rule for."""
    used: set[str] = set()
    for person in roster.people:
        rules = roster.rules_for(person)
        for rule in PER_PERSON_TERMS:
            # The ``*_per_window`` keys of the totals cost under the same term.
            for key in (rule, f"{rule}_per_window"):
                value = getattr(rules, key, None)
                # ``preferred_max_weekends: 0`` is a rule; None, False and {} are none.
                if value is not None and value is not False and value != {}:
                    used.add(rule)
    return used


def term_label(rule: str, language: str) -> str:
    """What the objective term of ``rule`` means, in ``language`` ("" for a rule not listed)."""
    label = TERM_LABELS.get(rule)
    return translator(language)(label) if label else ""


def build_schedule(
    roster: Roster,
    period: Period,
    slots: list[Slot],
    assignment: dict[str, list[str]],
    solver: SolverInfo,
    *,
    strict: bool = False,
    generated_at: datetime | None = None,
    history: History | None = None,
    deadline: float | None = None,
) -> Schedule:
    """The schedule of an assignment, with every penalty recomputed from the roster itself (so an
    intermediate solution's slack never overstates the penalty). With ``history`` the rules count
    across the border, and the schedule holds each person's totals over the rolling window. Past
    ``deadline`` (``time.monotonic()``, a wall-clock solve's limit) the shortages not yet explained
    are listed without their reasons, counted in ``solver.shortages_unexplained`` and said in a
    hint."""
    report = check(roster, period, slots, assignment, strict=strict, history=history)
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
    shortage_out = explain_shortages(roster, period, slots, assignment, short, history, deadline)
    quota_out = explain_quota_shortages(
        roster, period, slots, assignment, report.quota_shortages, history, deadline
    )
    hints: list[str] = []
    left = sum(1 for item in [*shortage_out, *quota_out] if UNEXPLAINED in item.reasons)
    if left:
        t = translator(roster.config.language)
        hints.append(
            t(
                "{count} of {total} shortages are listed without their reasons: the time limit "
                "ran out before they were explained (give more --time-limit, or solve with "
                "--repeatable, for every reason)"
            ).format(count=left, total=len(shortage_out) + len(quota_out))
        )
    used = terms_in_use(roster)
    terms = [
        ObjectiveTerm(rule=rule, penalty=value, label=term_label(rule, roster.config.language))
        for rule, value in report.terms.items()
        if value or rule not in PER_PERSON_TERMS or rule in used
    ]
    solver = solver.model_copy(update={"objective": report.penalty, "shortages_unexplained": left})
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
        hints=hints,
        window=window_totals(roster, period, slots, assignment, history) if history else None,
    )


def window_totals(
    roster: Roster,
    period: Period,
    slots: list[Slot],
    assignment: dict[str, list[str]],
    history: History,
) -> WindowOut:
    """Each person's hours, night shifts and weekends worked over the rolling window: the
    published weeks in it and the period."""
    by_id = {s.id: s for s in slots}
    planned: dict[str, list[Slot]] = {p.id: [] for p in roster.people}
    for sid, on_slot in assignment.items():
        for pid in on_slot:
            if pid in planned and sid in by_id:
                planned[pid].append(by_id[sid])
    first = history.window_start()
    people: list[WindowPersonOut] = []
    for person in roster.people:
        past = history.in_window(person.id)
        mine = planned[person.id]
        minutes = sum(d.minutes for d in past) + sum(s.minutes for s in mine)
        nights = sum(d.night for d in past) + sum(s.night for s in mine)
        weekends = {iso_week(d.day) for d in past if d.weekend}
        weekends |= {iso_week(s.day) for s in mine if s.day.weekday() >= 5}
        people.append(
            WindowPersonOut(
                id=person.id, hours=round(minutes / 60, 2), nights=nights, weekends=len(weekends)
            )
        )
    published = [label for _, last, label in history.sources if last >= first]
    return WindowOut(
        first=first,
        last=period.last,
        weeks=history.window_weeks,
        published=list(dict.fromkeys(published)),
        people=people,
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
