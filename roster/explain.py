"""Why a slot is short: for each person who might have taken it, what kept them away, in words.

No solver is needed: a person either may not take the slot at all (``ineligibility``: skill, tag,
leave, no nights), or adding them to it would break a hard rule. The second is found by adding
them to a copy of the roster and running the checker's hard checks on their shifts alone, so every
rule of ``roster/check.py`` (the ones added later too) explains shortages without code here.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from . import check as checker
from .check import Ctx
from .eligibility import ineligibility
from .history import History
from .i18n import N_, _, pgettext_in, speaking, translator
from .load import Roster
from .models import Person
from .schedule import ShortageOut
from .slots import Period, Slot

#: The reason of a person who could have been added without breaking any hard rule: the solver
#: left them out for a soft rule, or it stopped before it was optimal.
FREE = "free"
#: The reason of a shortage the wall-clock limit left no time to explain (``unexplained``).
UNEXPLAINED = "unexplained"

#: How each reason reads after a count of people, by reason id (msgids of the catalogue; the
#: sentences are in the roster's language). Reasons of the eligibility check and of ``hours`` are
#: phrased from the person and slot (``reason_phrase``); an id missing here reads as "kept away by
#: rule <id>".
PHRASES: dict[str, str] = {
    "no_nights": N_("doing no night shifts"),
    "no_overlap": N_("on an overlapping shift"),
    "max_shifts_per_day": N_("already on their most shifts that day"),
    "rest": N_("resting after an earlier shift"),
    "quotas": N_("over a team quota of the shift"),
    "headcount": N_("over the shift's maximum"),
    "max_consecutive_days": N_("at their most working days in a row"),
    "min_consecutive_days": N_("needing longer runs of working days"),
    "min_consecutive_days_off": N_("needing their days off in a row"),
    "max_weekends": N_("at their most working weekends"),
    "max_nights": N_("at their most night shifts"),
    "nights": N_("at their most night shifts"),
    "max_shifts_per_post": N_("at their most shifts of this post"),
    "successions": N_("barred by the shift before it (succession)"),
    "pins": N_("pinned elsewhere"),
    FREE: N_("free but not chosen"),
}


@dataclass(frozen=True)
class Blocker:
    """Why one person did not take a short slot: a reason id and a phrase in the roster's language,
    plus the checker's own sentence (naming the rule's numbers) for the detail."""

    person: str
    reason: str
    phrase: str
    detail: str


def _zh(language: str) -> bool:
    return language.lower().startswith("zh")


def _labels(language: str, table: dict[str, str], ids: Iterable[str]) -> list[str]:
    """Skill or tag labels in Chinese; in English the ids, since the labels of roster.yaml are
    written in Chinese and may be long descriptions."""
    return [table.get(i, i) for i in ids] if _zh(language) else list(ids)


def reason_phrase(
    roster: Roster,
    person: Person,
    slot: Slot,
    reason: str,
    detail: str,
    language: str | None = None,
) -> str:
    """The phrase of one reason for one person, in ``language``: the roster's by default (the
    sentences of schedule.json), the message language where a command reports it (``cover``)."""
    language = language or roster.config.language
    t = translator(language)
    post = roster.post(slot.post)
    config = roster.config
    if reason == "skill":
        missing = [s for s in post.skills if s not in person.skills]
        return t("without skill {skills}").format(
            skills=pgettext_in(language, "skills", ", ").join(
                _labels(language, config.skills, missing)
            )
        )
    if reason == "tag":
        return t("not {tags}").format(
            tags=pgettext_in(language, "tags", " or ").join(
                _labels(language, config.tags, post.tags)
            )
        )
    if reason == "unavailable":
        why = next((w for s, e, w in roster.away(person.id) if s < slot.end and slot.start < e), "")
        return t("on leave ({reason})").format(reason=why) if why else t("on leave")
    if reason == "hours":
        weekly = "-W" in detail
        return t("with weekly hours used up") if weekly else t("with hours for the period used up")
    if reason in PHRASES:
        return t(PHRASES[reason])
    return t("kept away by rule {rule}").format(rule=reason)


#: Soft checks that only price a roster and never report a violation. They are skipped when
#: looking for the rule a person would break: fairness compares everyone and would be slow.
PRICE_ONLY = frozenset({"fairness", "requests"})


class PersonalChecker:
    """The hard violations of one person's own shifts, checked on a roster of that person alone,
    so the cost per question does not grow with the number of people (a district has 1,000)."""

    def __init__(self, roster: Roster, period: Period, history: History | None = None) -> None:
        self.roster = roster
        self.period = period
        self.history = history
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
        assignment = {s.id: [pid] for s in shifts}
        ctx = Ctx(self.solo(pid), self.period, shifts, assignment, history=self.history)
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
    so a roster with many short slots is explained in one pass over people per slot.

    Its phrases and details are in ``language``: the roster's by default, since the shortage
    sentences are stored in schedule.json as the roster's words; ``cover`` asks for the message
    language, since its list of who is ruled out is a report to the coordinator."""

    def __init__(
        self,
        roster: Roster,
        period: Period,
        slots: list[Slot],
        assignment: dict[str, list[str]],
        history: History | None = None,
        language: str | None = None,
    ) -> None:
        self.roster = roster
        self.language = language or roster.config.language
        self.period = period
        self.by_id = {s.id: s for s in slots}
        self.assignment = assignment
        self.shifts: dict[str, list[str]] = {p.id: [] for p in roster.people}
        for sid, people in assignment.items():
            for pid in people:
                if pid in self.shifts and sid in self.by_id:
                    self.shifts[pid].append(sid)
        self.personal = PersonalChecker(roster, period, history)
        self._own: dict[str, Counter[str]] = {}
        self._team: dict[str, Counter[str]] = {}

    def _personal(self, pid: str, slot_ids: list[str]) -> list[checker.Violation]:
        return self.personal.violations(pid, [self.by_id[s] for s in slot_ids])

    def blocker(self, person: Person, slot: Slot) -> Blocker:
        """Why ``person`` is not on ``slot``: the first reason found (eligibility first, then the
        hard rules in the checker's order, then the team rules of the shift)."""
        # The checker's sentences (the detail) in the explainer's language, as its phrases.
        with speaking(self.language):
            return self._blocker(person, slot)

    def _blocker(self, person: Person, slot: Slot) -> Blocker:
        reason = ineligibility(self.roster, person, slot)
        if reason is not None:
            phrase = self._phrase(person, slot, reason.id, reason.text)
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
            phrase = self._phrase(person, slot, FREE, "")
            return Blocker(person.id, FREE, phrase, _("breaks no hard rule"))
        phrase = self._phrase(person, slot, broken.rule, broken.text)
        return Blocker(person.id, broken.rule, phrase, broken.text)

    def _phrase(self, person: Person, slot: Slot, reason: str, detail: str) -> str:
        return reason_phrase(self.roster, person, slot, reason, detail, self.language)

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
        text = self._counted(missing, ranked)
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

    def _counted(
        self, missing: int, ranked: list[tuple[tuple[str, str], int]], label: str | None = None
    ) -> str:
        """``3 missing: 2 on leave (病假), 1 free but not chosen`` (or, with a quota's ``label``,
        ``1 党员 missing: …``) in the roster's language."""
        language = self.roster.config.language
        t = translator(language)
        parts = pgettext_in(language, "list", ", ").join(
            t("{count} {phrase}").format(count=n, phrase=phrase) for (_, phrase), n in ranked
        )
        if label is None:
            if parts:
                return t("{missing} missing: {parts}").format(missing=missing, parts=parts)
            return t("{missing} missing: nobody else").format(missing=missing)
        if parts:
            return t("{missing} {label} missing: {parts}").format(
                missing=missing, label=label, parts=parts
            )
        return t("{missing} {label} missing: no other {label}").format(missing=missing, label=label)

    def explain_quota(self, slot: Slot, tag: str, missing: int) -> ShortageOut:
        """The shortfall of ``slot`` below its post's quota of ``tag``: a quota larger than the
        shift can ever hold says so (more people cannot fill it); otherwise everyone with the tag
        who is not on the slot is counted under the reason that kept them away."""
        post = self.roster.post(slot.post)
        quota = next(q for q in post.quotas if q.tag == tag)
        label = self.roster.config.tags.get(tag, tag)
        t = translator(self.roster.config.language)
        on_slot = set(self.assignment.get(slot.id, []))
        blockers: list[Blocker] = []
        if quota.min > slot.max:
            text = t(
                "{missing} {label} missing: the quota asks for at least {min} {label} but the "
                "shift takes at most {max}; more people cannot fill it: lower the quota or raise "
                "the headcount maximum"
            ).format(missing=missing, label=label, min=quota.min, max=slot.max)
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
            text = self._counted(missing, ranked, label)
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


def unexplained(roster: Roster, slot: Slot, missing: int, tag: str | None = None) -> ShortageOut:
    """A shortage left without its reasons: the time limit ran out before it was explained. Its
    reasons hold ``UNEXPLAINED`` (the people missing), its people none, and the sentence says
    so."""
    t = translator(roster.config.language)
    if tag is None:
        text = t("{missing} missing: not explained within the time limit").format(missing=missing)
    else:
        label = roster.config.tags.get(tag, tag)
        text = t("{missing} {label} missing: not explained within the time limit").format(
            missing=missing, label=label
        )
    return ShortageOut(
        slot=slot.id,
        post=slot.post,
        start=slot.start,
        missing=missing,
        reasons={UNEXPLAINED: missing},
        text=text,
        people={},
        tag=tag,
    )


def _past(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() >= deadline


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
    history: History | None = None,
    deadline: float | None = None,
) -> list[ShortageOut]:
    """One entry per short slot (slot id → people missing below its minimum), in slot order, with
    everyone who is not on the slot counted under the reason that kept them away (published duties
    before the period too, with ``history``). Past ``deadline`` (``time.monotonic()``; the
    wall-clock limit of a solve) the remaining entries come ``unexplained``."""
    explainer = ShortageExplainer(roster, period, slots, assignment, history)
    by_id = {s.id: s for s in slots}
    return [
        unexplained(roster, by_id[sid], n) if _past(deadline) else explainer.explain(by_id[sid], n)
        for sid, n in shortages.items()
    ]


def explain_quota_shortages(
    roster: Roster,
    period: Period,
    slots: list[Slot],
    assignment: dict[str, list[str]],
    shortfalls: dict[str, dict[str, int]],
    history: History | None = None,
    deadline: float | None = None,
) -> list[ShortageOut]:
    """One entry per slot and tag below a team quota's minimum (slot id → tag → people missing),
    in slot order, each with why (see ``ShortageExplainer.explain_quota``); past ``deadline``
    ``unexplained``."""
    explainer = ShortageExplainer(roster, period, slots, assignment, history)
    by_id = {s.id: s for s in slots}
    return [
        unexplained(roster, by_id[sid], n, tag)
        if _past(deadline)
        else explainer.explain_quota(by_id[sid], tag, n)
        for sid, tags in shortfalls.items()
        for tag, n in tags.items()
    ]
