"""Demand against supply before solving: hours each skill and tag is needed for against the hours
its holders can give, and early warnings about demands no roster can meet (``roster validate``).

Every figure is a bound, not a forecast: supply counts each person's most hours under their weekly
and period limits, their leave and their shifts per day, as if they worked only for that skill or
tag. So a warning here means certain shortage; no warning does not promise a full roster.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

from .eligibility import ineligibility, may_take_post
from .load import Roster
from .models import Person, Post
from .slots import Period, Slot

#: Most slot times listed in one warning; the rest are counted.
MAX_LISTED = 3


@dataclass(frozen=True)
class Need:
    """Demand against supply for one skill, or one tag (or a post's any-of group of tags), or for
    everyone (kind ``all``, key ``*``)."""

    kind: Literal["skill", "tag", "all"]
    key: str
    label: str
    demand_hours: float
    supply_hours: float
    holders: int

    @property
    def short(self) -> bool:
        """Whether the holders cannot give the hours needed even at their limits."""
        return self.demand_hours > self.supply_hours + 1e-9


@dataclass(frozen=True)
class DemandWarning:
    """A demand no roster can meet, found before solving: a stable code and a sentence."""

    code: str
    text: str


@dataclass
class DemandReport:
    """What ``roster validate`` shows: the needs (with a period) and the warnings."""

    needs: list[Need] = field(default_factory=list)
    warnings: list[DemandWarning] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (hours rounded to 0.1)."""
        return {
            "needs": [
                {
                    **asdict(n),
                    "demand_hours": round(n.demand_hours, 1),
                    "supply_hours": round(n.supply_hours, 1),
                    "short": n.short,
                }
                for n in self.needs
            ],
            "warnings": [asdict(w) for w in self.warnings],
        }


class _Words:
    """The sentences of this module in the roster's language (zh or en)."""

    def __init__(self, roster: Roster) -> None:
        self.zh = roster.config.language.lower().startswith("zh")
        self.config = roster.config

    def post(self, post: Post) -> str:
        return f"{post.name}（{post.id}）" if self.zh else f"post {post.id} ({post.name})"

    def skills(self, ids: Iterable[str]) -> str:
        ids = list(ids)
        if self.zh:
            return "、".join(self.config.skills.get(s, s) for s in ids)
        return " and ".join(ids)

    def tags(self, ids: Iterable[str]) -> str:
        ids = list(ids)
        if self.zh:
            return "或".join(self.config.tags.get(t, t) for t in ids)
        return " or ".join(ids)


def _post_heads(post: Post) -> list[tuple[int, int]]:
    """(min, max) headcounts of the post's shifts (a shift may override the post's)."""
    out = []
    for pattern in post.shifts:
        head = pattern.headcount or post.headcount
        out.append((head.min, head.effective_max))
    return out


def static_warnings(roster: Roster) -> list[DemandWarning]:
    """Warnings that need no period: a post nobody may take, a quota larger than the headcount
    maximum or than the people who may take the post, a minimum larger than those people."""
    words = _Words(roster)
    out: list[DemandWarning] = []
    for post in roster.config.posts:
        able = [p for p in roster.people if may_take_post(p, post)]
        heads = _post_heads(post)
        most_min = max(lo for lo, _ in heads)
        if not able and most_min > 0:
            with_skills = [p for p in roster.people if all(s in p.skills for s in post.skills)]
            if post.skills and not with_skills:
                why = (
                    f"没有人有{words.skills(post.skills)}技能"
                    if words.zh
                    else f"no one has skill {words.skills(post.skills)}"
                )
            elif post.skills:
                why = (
                    f"有{words.skills(post.skills)}技能的人都不是{words.tags(post.tags)}"
                    if words.zh
                    else f"no one with skill {words.skills(post.skills)} is {words.tags(post.tags)}"
                )
            elif post.tags:
                why = (
                    f"没有人是{words.tags(post.tags)}"
                    if words.zh
                    else f"no one is {words.tags(post.tags)}"
                )
            else:
                # Open to everyone and still nobody: the list of people is empty.
                why = "名单上没有人" if words.zh else "the list of people is empty"
            text = (
                f"{words.post(post)}无人可排：{why}"
                if words.zh
                else f"{words.post(post)}: nobody may take it: {why}"
            )
            out.append(DemandWarning("post_nobody", text))
            continue
        if able and len(able) < most_min:
            text = (
                f"{words.post(post)}每班至少{most_min}人，但只有{len(able)}人可排"
                if words.zh
                else f"{words.post(post)}: {most_min} people needed on a shift, but only "
                f"{len(able)} may take it"
            )
            out.append(DemandWarning("headcount_over_people", text))
        least_max = min(hi for _, hi in heads)
        for quota in post.quotas:
            label = roster.config.tags.get(quota.tag, quota.tag) if words.zh else quota.tag
            if quota.min > least_max:
                text = (
                    f"{words.post(post)}配额每班至少{quota.min}名{label}，但每班最多{least_max}人"
                    if words.zh
                    else f"{words.post(post)}: quota of at least {quota.min} {label} on a shift, "
                    f"but at most {least_max} people on a shift"
                )
                out.append(DemandWarning("quota_over_max", text))
                continue
            holders = sum(1 for p in able if quota.tag in p.tags)
            if quota.min > holders:
                text = (
                    f"{words.post(post)}配额每班至少{quota.min}名{label}，"
                    f"但可排此岗的{label}只有{holders}人"
                    if words.zh
                    else f"{words.post(post)}: quota of at least {quota.min} {label} on a shift, "
                    f"but only {holders} {label} may take it"
                )
                out.append(DemandWarning("quota_over_people", text))
    return out


def capacity_hours(roster: Roster, person: Person, period: Period, slots: list[Slot]) -> float:
    """The most hours ``person`` can work in the period: on each day, their longest shifts allowed
    that day (up to ``max_shifts_per_day``, leave and no-nights respected), then capped by
    ``max_hours_per_week`` in each ISO week and ``max_hours`` over the period."""
    rules = roster.rules_for(person)
    per_day: dict[date, list[float]] = {}
    for slot in slots:
        if ineligibility(roster, person, slot) is None:
            per_day.setdefault(slot.day, []).append(slot.hours)
    per_week: dict[tuple[int, int], float] = {}
    for day, lengths in per_day.items():
        best = sorted(lengths, reverse=True)
        if rules.max_shifts_per_day is not None:
            best = best[: rules.max_shifts_per_day]
        iso = day.isocalendar()
        per_week[(iso.year, iso.week)] = per_week.get((iso.year, iso.week), 0.0) + sum(best)
    if rules.max_hours_per_week is not None:
        per_week = {k: min(v, rules.max_hours_per_week) for k, v in per_week.items()}
    total = sum(per_week.values())
    if rules.max_hours is not None:
        total = min(total, rules.max_hours)
    return total


def needs(roster: Roster, period: Period, slots: list[Slot]) -> list[Need]:
    """Hours needed at the minimum headcount by the posts requiring each skill, and by each tag
    (a post's required tags as one any-of group, a team quota's tag on its own), against the hours
    the holders can give (``capacity_hours``), in the order of the roster's skills and tags."""
    demand: dict[tuple[str, tuple[str, ...]], float] = {}
    for slot in slots:
        post = roster.post(slot.post)
        for skill in post.skills:
            key: tuple[str, tuple[str, ...]] = ("skill", (skill,))
            demand[key] = demand.get(key, 0.0) + slot.min * slot.hours
        wanted: dict[tuple[str, ...], int] = {}
        if post.tags:
            wanted[tuple(post.tags)] = slot.min
        for quota in post.quotas:
            single: tuple[str, ...] = (quota.tag,)
            wanted[single] = max(wanted.get(single, 0), quota.min)
        for tags, people in wanted.items():
            key = ("tag", tags)
            demand[key] = demand.get(key, 0.0) + people * slot.hours
    capacity = {p.id: capacity_hours(roster, p, period, slots) for p in roster.people}
    words = _Words(roster)
    order = {s: i for i, s in enumerate(roster.config.skills)}
    order.update({t: i for i, t in enumerate(roster.config.tags)})
    out: list[Need] = []
    for (kind, group), hours in sorted(
        demand.items(), key=lambda kv: (kv[0][0], [order.get(g, 99) for g in kv[0][1]])
    ):
        if kind == "skill":
            holders = [p for p in roster.people if group[0] in p.skills]
            label = words.skills(group)
        else:
            holders = [p for p in roster.people if any(t in p.tags for t in group)]
            label = words.tags(group)
        supply = sum(capacity[p.id] for p in holders)
        out.append(
            Need(kind, "|".join(group), label, hours, supply, len(holders))  # type: ignore[arg-type]
        )
    everyone = sum(s.min * s.hours for s in slots)
    everyone_label = "全体人员" if words.zh else "everyone"
    out.append(
        Need("all", "*", everyone_label, everyone, sum(capacity.values()), len(roster.people))
    )
    return out


def period_warnings(
    roster: Roster, period: Period, slots: list[Slot], found: list[Need]
) -> list[DemandWarning]:
    """Warnings about the period: shifts nobody may take (everyone who could is on leave or does
    no nights), and skills or tags whose holders cannot give the hours needed."""
    words = _Words(roster)
    out: list[DemandWarning] = []
    qualified = {
        post.id: [p for p in roster.people if may_take_post(p, post)]
        for post in roster.config.posts
    }
    empty: dict[str, list[Slot]] = {}
    for slot in slots:
        able = qualified[slot.post]
        if slot.min > 0 and able and all(ineligibility(roster, p, slot) for p in able):
            empty.setdefault(slot.post, []).append(slot)
    for post in roster.config.posts:
        missed = empty.get(post.id, [])
        if not missed:
            continue
        times = "、".join(f"{s.start:%Y-%m-%d %H:%M}" for s in missed[:MAX_LISTED])
        if not words.zh:
            times = ", ".join(f"{s.start:%Y-%m-%d %H:%M}" for s in missed[:MAX_LISTED])
        more = len(missed) - MAX_LISTED
        if words.zh:
            tail = f"等{len(missed)}班" if more > 0 else ""
            text = f"{words.post(post)}在{times}{tail}无人可排（可排的人请假或不值夜班）"
        else:
            tail = f" and {more} more" if more > 0 else ""
            text = (
                f"{words.post(post)}: nobody may take the shift(s) at {times}{tail} (everyone "
                "who could is on leave or does no night shifts)"
            )
        out.append(DemandWarning("shift_nobody", text))
    for need in found:
        if not need.short or not need.holders:
            continue  # nobody holds it at all: said once, as a post or quota nobody may take
        needed, given = _h(need.demand_hours), _h(need.supply_hours)
        if words.zh:
            what = {"skill": f"技能{need.label}", "tag": f"身份{need.label}"}.get(
                need.kind, need.label
            )
            who = f"{need.holders}人" if need.kind == "all" else f"{need.holders}名持有者"
            text = f"{what}：需要{needed}小时，{who}最多能提供{given}小时"
        elif need.kind == "all":
            text = (
                f"everyone: {needed} h needed, the {need.holders} people can give at most {given} h"
            )
        else:
            text = (
                f"{need.kind} {need.label}: {needed} h needed, its {need.holders} holder(s) "
                f"can give at most {given} h"
            )
        out.append(DemandWarning(f"{need.kind}_short", text))
    return out


def _h(hours: float) -> str:
    """Hours as people write them: 336, 25.5."""
    return f"{round(hours, 1):g}"


def demand_report(
    roster: Roster, period: Period | None = None, slots: list[Slot] | None = None
) -> DemandReport:
    """Needs and warnings for ``roster validate``; without a period only the warnings that need
    none (posts nobody may take, quotas beyond the headcount or the people)."""
    report = DemandReport(warnings=static_warnings(roster))
    if period is not None and slots is not None:
        report.needs = needs(roster, period, slots)
        report.warnings.extend(period_warnings(roster, period, slots, report.needs))
    return report
