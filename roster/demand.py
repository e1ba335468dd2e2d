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

from .eligibility import ineligibility, takers
from .i18n import _, current, pgettext, speaking_for
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
    """Names of posts, skills and tags in the message language: in Chinese the labels of
    roster.yaml, in English the ids (the labels are written in the roster's own language)."""

    def __init__(self, roster: Roster) -> None:
        self.zh = current() == "zh"
        self.config = roster.config

    def post(self, post: Post) -> str:
        return _("post {id} ({name})").format(id=post.id, name=post.name)

    def skills(self, ids: Iterable[str]) -> str:
        ids = list(ids)
        names = [self.config.skills.get(s, s) for s in ids] if self.zh else ids
        return pgettext("skills", " and ").join(names)

    def tags(self, ids: Iterable[str]) -> str:
        ids = list(ids)
        names = [self.config.tags.get(t, t) for t in ids] if self.zh else ids
        return pgettext("tags", " or ").join(names)


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
    qualified = takers(roster)
    for post in roster.config.posts:
        able = qualified[post.id]
        heads = _post_heads(post)
        most_min = max(lo for lo, _hi in heads)
        if not able and most_min > 0:
            with_skills = [p for p in roster.people if all(s in p.skills for s in post.skills)]
            if post.skills and not with_skills:
                why = _("no one has skill {skills}").format(skills=words.skills(post.skills))
            elif post.skills:
                why = _("no one with skill {skills} is {tags}").format(
                    skills=words.skills(post.skills), tags=words.tags(post.tags)
                )
            elif post.tags:
                why = _("no one is {tags}").format(tags=words.tags(post.tags))
            else:
                # Open to everyone and still nobody: the list of people is empty.
                why = _("the list of people is empty")
            text = _("{post}: nobody may take it: {why}").format(post=words.post(post), why=why)
            out.append(DemandWarning("post_nobody", text))
            continue
        if able and len(able) < most_min:
            text = _(
                "{post}: {least} people needed on a shift, but only {able} may take it"
            ).format(post=words.post(post), least=most_min, able=len(able))
            out.append(DemandWarning("headcount_over_people", text))
        least_max = min(hi for _lo, hi in heads)
        for quota in post.quotas:
            label = words.tags([quota.tag])
            if quota.min > least_max:
                text = _(
                    "{post}: quota of at least {min} {label} on a shift, "
                    "but at most {max} people on a shift"
                ).format(post=words.post(post), min=quota.min, label=label, max=least_max)
                out.append(DemandWarning("quota_over_max", text))
                continue
            holders = sum(1 for p in able if quota.tag in p.tags)
            if quota.min > holders:
                text = _(
                    "{post}: quota of at least {min} {label} on a shift, "
                    "but only {holders} {label} may take it"
                ).format(post=words.post(post), min=quota.min, label=label, holders=holders)
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
    everyone_label = _("everyone")
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
    qualified = takers(roster)
    empty: dict[str, list[Slot]] = {}
    for slot in slots:
        able = qualified[slot.post]
        if slot.min > 0 and able and all(ineligibility(roster, p, slot) for p in able):
            empty.setdefault(slot.post, []).append(slot)
    for post in roster.config.posts:
        missed = empty.get(post.id, [])
        if not missed:
            continue
        times = pgettext("skills", ", ").join(
            f"{s.start:%Y-%m-%d %H:%M}" for s in missed[:MAX_LISTED]
        )
        more = len(missed) - MAX_LISTED
        if more > 0:
            times = _("{times} and {more} more (of {all})").format(
                times=times, more=more, all=len(missed)
            )
        text = _(
            "{post}: nobody may take the shift(s) at {times} (everyone who could is on leave "
            "or does no night shifts)"
        ).format(post=words.post(post), times=times)
        out.append(DemandWarning("shift_nobody", text))
    for need in found:
        if not need.short or not need.holders:
            continue  # nobody holds it at all: said once, as a post or quota nobody may take
        needed, given = _h(need.demand_hours), _h(need.supply_hours)
        if need.kind == "all":
            text = _(
                "everyone: {needed} h needed, the {holders} people can give at most {given} h"
            ).format(needed=needed, holders=need.holders, given=given)
        else:
            what = (_("skill {label}") if need.kind == "skill" else _("tag {label}")).format(
                label=need.label
            )
            text = _(
                "{what}: {needed} h needed, its {holders} holder(s) can give at most {given} h"
            ).format(what=what, needed=needed, holders=need.holders, given=given)
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
    with speaking_for(roster.config.language):
        report = DemandReport(warnings=static_warnings(roster))
        if period is not None and slots is not None:
            report.needs = needs(roster, period, slots)
            report.warnings.extend(period_warnings(roster, period, slots, report.needs))
    return report
