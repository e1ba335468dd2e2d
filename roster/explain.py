"""Why a slot is short: for each person who might have taken it, what kept them away, in words.

No solver is needed: a person either may not take the slot at all (``ineligibility``: skill, tag,
leave, no nights), or adding them to it would break a hard rule. The second is found by adding
them to a copy of the roster and running the checker's hard checks on their shifts alone, so every
rule of ``roster/check.py`` (the ones added later too) explains shortages without code here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from . import check as checker
from .check import Ctx
from .eligibility import ineligibility
from .load import Roster
from .models import Person
from .schedule import ShortageOut
from .slots import Period, Slot

#: The reason of a person who could have been added without breaking any hard rule: the solver
#: left them out for a soft rule, or it stopped before it was optimal.
FREE = "free"

#: How each reason reads after a count of people, by reason id: (English, Chinese). Reasons of the
#: eligibility check and of ``hours`` are phrased from the person and slot (``reason_phrase``);
#: an id missing here reads as "kept away by rule <id>".
PHRASES: dict[str, tuple[str, str]] = {
    "no_nights": ("doing no night shifts", "不值夜班"),
    "no_overlap": ("on an overlapping shift", "已排在时间重叠的班次"),
    "max_shifts_per_day": ("already on their most shifts that day", "当天班次已满"),
    "rest": ("resting after an earlier shift", "前一班后需休息"),
    "quotas": ("over a team quota of the shift", "超出本班身份配额"),
    "headcount": ("over the shift's maximum", "超出本班人数上限"),
    "max_consecutive_days": ("at their most working days in a row", "连续工作天数已满"),
    "min_consecutive_days": ("needing longer runs of working days", "连续工作天数会不足"),
    "min_consecutive_days_off": ("needing their days off in a row", "需连续休息"),
    "max_weekends": ("at their most working weekends", "周末班次已满"),
    "max_nights": ("at their most night shifts", "夜班次数已满"),
    "nights": ("at their most night shifts", "夜班次数已满"),
    "max_shifts_per_post": ("at their most shifts of this post", "本岗位班次已满"),
    "successions": ("barred by the shift before it (succession)", "与前一天的班次不能衔接"),
    "pins": ("pinned elsewhere", "已固定在其他班次"),
    FREE: ("free but not chosen", "可排但未排入"),
}


@dataclass(frozen=True)
class Blocker:
    """Why one person did not take a short slot: a reason id and a phrase in the roster's language,
    plus the checker's own sentence (naming the rule's numbers) for the detail."""

    person: str
    reason: str
    phrase: str
    detail: str


def _zh(roster: Roster) -> bool:
    return roster.config.language.lower().startswith("zh")


def _labels(table: dict[str, str], ids: Iterable[str]) -> list[str]:
    return [table.get(i, i) for i in ids]


def reason_phrase(roster: Roster, person: Person, slot: Slot, reason: str, detail: str) -> str:
    """The phrase of one reason for one person, in the roster's language."""
    zh = _zh(roster)
    post = roster.post(slot.post)
    config = roster.config
    if reason == "skill":
        missing = [s for s in post.skills if s not in person.skills]
        # Skill labels may be long descriptions; the id is the short name in English.
        return (
            f"无{'、'.join(_labels(config.skills, missing))}技能"
            if zh
            else f"without skill {', '.join(missing)}"
        )
    if reason == "tag":
        return (
            f"不是{'或'.join(_labels(config.tags, post.tags))}"
            if zh
            else f"not {' or '.join(post.tags)}"
        )
    if reason == "unavailable":
        why = next((w for s, e, w in roster.away(person.id) if s < slot.end and slot.start < e), "")
        if zh:
            return why or "请假"
        return f"on leave ({why})" if why else "on leave"
    if reason == "hours":
        weekly = "-W" in detail
        if zh:
            return "本周工时已满" if weekly else "本期工时已满"
        return "with weekly hours used up" if weekly else "with hours for the period used up"
    if reason in PHRASES:
        en, cn = PHRASES[reason]
        return cn if zh else en
    return f"受规则 {reason} 限制" if zh else f"kept away by rule {reason}"


#: Soft checks that only price a roster and never report a violation. They are skipped when
#: looking for the rule a person would break: fairness compares everyone and would be slow.
PRICE_ONLY = frozenset({"fairness", "requests"})


class PersonalChecker:
    """The hard violations of one person's own shifts, checked on a roster of that person alone,
    so the cost per question does not grow with the number of people (a district has 1,000)."""

    def __init__(self, roster: Roster, period: Period) -> None:
        self.roster = roster
        self.period = period
        self._solo: dict[str, Roster] = {}

    def solo(self, pid: str) -> Roster:
        """The roster with only this person (and only their pins and requests)."""
        cached = self._solo.get(pid)
        if cached is None:
            config = self.roster.config
            mine = config.model_copy(
                update={
                    "pins": [p for p in config.pins if p.person == pid],
                    "requests": [r for r in config.requests if r.person == pid],
                }
            )
            person = self.roster.person(pid)
            cached = Roster(
                self.roster.folder, mine, [person], {pid: self.roster.leave.get(pid, [])}
            )
            self._solo[pid] = cached
        return cached

    def violations(self, pid: str, shifts: list[Slot]) -> list[checker.Violation]:
        """Violations of every rule of the checker but eligibility (``ineligibility`` answers it
        first) by the roster made of ``pid`` on ``shifts`` and nobody else: the rules about one
        person's shifts (overlap, rest, hours, days in a row, successions…) see their own roster."""
        ctx = Ctx(self.solo(pid), self.period, shifts, {s.id: [pid] for s in shifts})
        found: list[checker.Violation] = []
        for hard in checker.HARD:
            if hard is not checker.eligibility:
                found.extend(hard(ctx))
        for soft in checker.SOFT:
            if soft.__name__ not in PRICE_ONLY:
                found.extend(soft(ctx)[0])
        return found


def team_violations(
    roster: Roster, period: Period, slot: Slot, people: list[str]
) -> list[checker.Violation]:
    """Violations of the rules about one shift's team (headcount and quota maximums) when
    ``people`` are on ``slot``; checked on a roster of those people alone."""
    team = Roster(roster.folder, roster.config, [roster.person(p) for p in people], {})
    ctx = Ctx(team, period, [slot], {slot.id: people})
    found: list[checker.Violation] = []
    for soft in checker.SOFT:
        if soft.__name__ not in PRICE_ONLY:
            found.extend(soft(ctx)[0])
    return found


class ShortageExplainer:
    """Finds the blockers of short slots in one solved roster; caches each person's own violations,
    so a roster with many short slots is explained in one pass over people per slot."""

    def __init__(
        self, roster: Roster, period: Period, slots: list[Slot], assignment: dict[str, list[str]]
    ) -> None:
        self.roster = roster
        self.period = period
        self.by_id = {s.id: s for s in slots}
        self.assignment = assignment
        self.shifts: dict[str, list[str]] = {p.id: [] for p in roster.people}
        for sid, people in assignment.items():
            for pid in people:
                if pid in self.shifts and sid in self.by_id:
                    self.shifts[pid].append(sid)
        self.personal = PersonalChecker(roster, period)
        self._own: dict[str, Counter[str]] = {}
        self._team: dict[str, Counter[str]] = {}

    def _personal(self, pid: str, slot_ids: list[str]) -> list[checker.Violation]:
        return self.personal.violations(pid, [self.by_id[s] for s in slot_ids])

    def blocker(self, person: Person, slot: Slot) -> Blocker:
        """Why ``person`` is not on ``slot``: the first reason found (eligibility first, then the
        hard rules in the checker's order, then the team rules of the shift)."""
        reason = ineligibility(self.roster, person, slot)
        if reason is not None:
            phrase = reason_phrase(self.roster, person, slot, reason.id, reason.text)
            return Blocker(person.id, reason.id, phrase, reason.text)
        own = self._own.get(person.id)
        if own is None:
            own = Counter(v.rule for v in self._personal(person.id, self.shifts[person.id]))
            self._own[person.id] = own
        with_slot = self._personal(person.id, [*self.shifts[person.id], slot.id])
        broken = self._new(own, with_slot)
        if broken is None:
            on_slot = [p for p in self.assignment.get(slot.id, []) if p in self.shifts]
            before = self._team.get(slot.id)
            if before is None:
                found = team_violations(self.roster, self.period, slot, on_slot)
                before = self._team[slot.id] = Counter(v.rule for v in found)
            after = team_violations(self.roster, self.period, slot, [*on_slot, person.id])
            broken = self._new(before, after)
        if broken is None:
            phrase = reason_phrase(self.roster, person, slot, FREE, "")
            return Blocker(person.id, FREE, phrase, "breaks no hard rule")
        phrase = reason_phrase(self.roster, person, slot, broken.rule, broken.text)
        return Blocker(person.id, broken.rule, phrase, broken.text)

    @staticmethod
    def _new(before: Counter[str], after: list[checker.Violation]) -> checker.Violation | None:
        """The first violation of a rule that is broken more often than before. Compared per rule,
        not per sentence: a minimum (of hours, say) still unmet reads differently but is not new."""
        seen: Counter[str] = Counter()
        for violation in after:
            seen[violation.rule] += 1
            if seen[violation.rule] > before[violation.rule]:
                return violation
        return None

    def explain(self, slot: Slot, missing: int) -> ShortageOut:
        """The shortage of ``slot`` with everyone not on it counted under their reason."""
        on_slot = set(self.assignment.get(slot.id, []))
        blockers = [
            self.blocker(person, slot) for person in self.roster.people if person.id not in on_slot
        ]
        reasons: Counter[str] = Counter(b.reason for b in blockers)
        # One part per distinct phrase (two leave reasons are two parts), in the order the
        # reasons are looked for, so every sentence reads the same way.
        order = _reason_order()
        groups: dict[tuple[str, str], int] = {}
        for b in blockers:
            groups[(b.reason, b.phrase)] = groups.get((b.reason, b.phrase), 0) + 1
        ranked = sorted(groups.items(), key=lambda item: order.get(item[0][0], len(order)))
        zh = _zh(self.roster)
        if zh:
            parts = [f"{n}人{phrase}" for (_, phrase), n in ranked]
            text = f"缺{missing}人" + (f"：{'，'.join(parts)}" if parts else "：没有其他人")
        else:
            parts = [f"{n} {phrase}" for (_, phrase), n in ranked]
            text = f"{missing} missing" + (f": {', '.join(parts)}" if parts else ": nobody else")
        return ShortageOut(
            slot=slot.id,
            post=slot.post,
            start=slot.start,
            missing=missing,
            reasons=dict(
                sorted(reasons.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
            ),
            text=text,
            people={b.person: b.detail for b in blockers},
        )

    def explain_quota(self, slot: Slot, tag: str, missing: int) -> ShortageOut:
        """The shortfall of ``slot`` below its post's quota of ``tag``: a quota larger than the
        shift can ever hold says so (more people cannot fill it); otherwise everyone with the tag
        who is not on the slot is counted under the reason that kept them away."""
        post = self.roster.post(slot.post)
        quota = next(q for q in post.quotas if q.tag == tag)
        label = self.roster.config.tags.get(tag, tag)
        zh = _zh(self.roster)
        on_slot = set(self.assignment.get(slot.id, []))
        blockers: list[Blocker] = []
        if quota.min > slot.max:
            text = (
                f"缺{missing}名{label}：配额要求每班至少{quota.min}名{label}，但本班最多{slot.max}人；"
                "增加人员也无法满足，请降低配额或提高人数上限"
                if zh
                else f"{missing} {label} missing: the quota asks for at least {quota.min} {label} "
                f"but the shift takes at most {slot.max}; more people cannot fill it: lower the "
                "quota or raise the headcount maximum"
            )
            reasons = {"quota_above_max": missing}
        else:
            blockers = [
                self.blocker(person, slot)
                for person in self.roster.people
                if tag in person.tags and person.id not in on_slot
            ]
            order = _reason_order()
            groups: dict[tuple[str, str], int] = {}
            for b in blockers:
                groups[(b.reason, b.phrase)] = groups.get((b.reason, b.phrase), 0) + 1
            ranked = sorted(groups.items(), key=lambda item: order.get(item[0][0], len(order)))
            if zh:
                parts = [f"{n}人{phrase}" for (_, phrase), n in ranked]
                text = f"缺{missing}名{label}" + (
                    f"：{'，'.join(parts)}" if parts else f"：没有其他{label}"
                )
            else:
                parts = [f"{n} {phrase}" for (_, phrase), n in ranked]
                text = f"{missing} {label} missing" + (
                    f": {', '.join(parts)}" if parts else f": no other {label}"
                )
            counted = Counter(b.reason for b in blockers)
            reasons = dict(
                sorted(counted.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
            )
        return ShortageOut(
            slot=slot.id,
            post=slot.post,
            start=slot.start,
            missing=missing,
            reasons=reasons,
            text=text,
            people={b.person: b.detail for b in blockers},
            tag=tag,
        )


def _reason_order() -> dict[str, int]:
    """Reason ids in the order they are looked for: eligibility, then the checker's rules (ids
    not named after a check come after them), and ``free`` last."""
    ids = ["skill", "tag", "unavailable", "no_nights"]
    ids += [check.__name__ for check in [*checker.HARD, *checker.SOFT]]
    order: dict[str, int] = {}
    for rule in ids:
        order.setdefault(rule, len(order))
    order[FREE] = len(order) + 1000
    return order


def explain_shortages(
    roster: Roster,
    period: Period,
    slots: list[Slot],
    assignment: dict[str, list[str]],
    shortages: dict[str, int],
) -> list[ShortageOut]:
    """One entry per short slot (slot id → people missing below its minimum), in slot order, with
    everyone who is not on the slot counted under the reason that kept them away."""
    explainer = ShortageExplainer(roster, period, slots, assignment)
    by_id = {s.id: s for s in slots}
    return [explainer.explain(by_id[sid], n) for sid, n in shortages.items()]


def explain_quota_shortages(
    roster: Roster,
    period: Period,
    slots: list[Slot],
    assignment: dict[str, list[str]],
    shortfalls: dict[str, dict[str, int]],
) -> list[ShortageOut]:
    """One entry per slot and tag below a team quota's minimum (slot id → tag → people missing),
    in slot order, each with why (see ``ShortageExplainer.explain_quota``)."""
    explainer = ShortageExplainer(roster, period, slots, assignment)
    by_id = {s.id: s for s in slots}
    return [
        explainer.explain_quota(by_id[sid], tag, n)
        for sid, tags in shortfalls.items()
        for tag, n in tags.items()
    ]
