"""Explanations that need the solver: the smallest set of contradicting hard rules, and how many
more people of which kind would fill every place.

Both re-solve a variant of the roster's model after the main solve, with a single worker, a fixed
seed and deterministic time limits, so the same input gives the same explanation.
"""

from __future__ import annotations

import itertools
import re
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as dt_time

from ortools.sat.python import cp_model

from roster.eligibility import ineligibility
from roster.errors import InfeasibleError
from roster.explain import PersonalChecker, reason_phrase
from roster.load import Roster
from roster.models import Leave, Person, RuleSet
from roster.slots import Period, Slot

from .build import build_model
from .limits import WALL_SLACK
from .model import HardRule, Penalty, RosterModel
from .search import Guard, new_solver

#: Deterministic-time budgets (CP-SAT's work units, about a second each on a laptop) and a wall
#: clock cap on top, so a loaded machine can neither change the answer nor hang the command.
CONFLICT_BUDGET = 20.0
HINT_BUDGET = 5.0
WALL_FACTOR = 20.0
#: Most virtual people offered per kind when computing the staffing hint.
MAX_VIRTUAL = 30
#: Rules of virtual people beyond the global and tag rules: no minimum of hours or of days in a
#: row, so one who is not needed need not work (and one who is, works only where needed).
NO_MINIMUMS = RuleSet(
    min_hours=0, min_hours_per_week=0, min_consecutive_days=1, min_consecutive_days_off=1
)
#: Virtual people of each kind offered to CP-SAT beyond what the greedy first fit used.
SLACK = 2

_SLOT_ID = re.compile(r"([A-Za-z0-9][A-Za-z0-9_.-]*)/(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def _zh(roster: Roster) -> bool:
    return roster.config.language.lower().startswith("zh")


# --- conflicts ----------------------------------------------------------------------------------


class _Names:
    """Turns the ids in a rule's text into what people read: names, post names and times."""

    def __init__(self, roster: Roster) -> None:
        self.roster = roster
        self.people = {p.id: f"{p.name} ({p.id})" for p in roster.people}
        self.posts = {p.id: p.name for p in roster.config.posts}
        self.tags = roster.config.tags

    def slot(self, match: re.Match[str]) -> str:
        post, day, clock = match.group(1), match.group(2), match.group(3)
        return f"{self.posts.get(post, post)} {day} {clock}"

    def words(self, text: str) -> str:
        """Every slot id as post name and time, every person id as name (id), every post id as its
        name and every tag as its label. Person ids are replaced at the start of the text (where
        every rule puts them) or when they hold a digit, so an id never swallows a word."""
        out: list[str] = []
        pos = 0
        for match in _SLOT_ID.finditer(text):
            out.append(self._tokens(text[pos : match.start()], first=pos == 0))
            out.append(self.slot(match))
            pos = match.end()
        out.append(self._tokens(text[pos:], first=pos == 0))
        return "".join(out)

    def _tokens(self, text: str, *, first: bool) -> str:
        def swap(match: re.Match[str]) -> str:
            token = match.group(0)
            if token in self.people and (
                (first and match.start() == 0) or any(c.isdigit() for c in token)
            ):
                return self.people[token]
            if token in self.posts:
                return self.posts[token]
            if token in self.tags:
                return self.tags[token]
            return token

        return _TOKEN.sub(swap, text)


#: Chinese sentences for the guards' texts of the rules, as (pattern on the text, template). The
#: groups are turned into names by ``_Names.words``; a text matching none is shown as it is.
_ZH: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"^(?P<p>\S+) works at most (?P<n>[\d.]+) h in (?P<w>\d{4}-W\d{2})$"),
        "{p}在{w}周最多工作{n}小时",
    ),
    (
        re.compile(r"^(?P<p>\S+) works at least (?P<n>[\d.]+) h in (?P<w>\d{4}-W\d{2})$"),
        "{p}在{w}周至少工作{n}小时",
    ),
    (
        re.compile(r"^(?P<p>\S+) works at most (?P<n>[\d.]+) h in the period$"),
        "{p}在本期最多工作{n}小时",
    ),
    (
        re.compile(r"^(?P<p>\S+) works at least (?P<n>[\d.]+) h in the period$"),
        "{p}在本期至少工作{n}小时",
    ),
    (re.compile(r"^(?P<p>\S+) in one of (?P<s>.+)$"), "{p}不能同时上时间重叠的{s}"),
    (
        re.compile(r"^(?P<p>\S+) rests between (?P<s>.+)$"),
        "{p}在{s}之间须休息够时间，只能上其中一班",
    ),
    (
        re.compile(r"^(?P<p>\S+) takes at most (?P<n>\d+) shift\(s\) on (?P<d>\S+)$"),
        "{p}在{d}最多上{n}个班",
    ),
    (re.compile(r"^(?P<s>\S+/\S+) takes at most (?P<n>\d+)$"), "{s}最多{n}人"),
    (re.compile(r"^(?P<s>\S+/\S+) needs at least (?P<n>\d+)$"), "{s}至少需要{n}人"),
    (re.compile(r"^(?P<s>\S+/\S+) takes at most (?P<n>\d+) (?P<t>\S+)$"), "{s}最多{n}名{t}"),
    (re.compile(r"^(?P<s>\S+/\S+) needs at least (?P<n>\d+) (?P<t>\S+)$"), "{s}至少需要{n}名{t}"),
    (
        re.compile(r"^(?P<p>\S+) is pinned to (?P<s>\S+) \((?P<r>pins\[\d+\])\), but (?P<w>.+)$"),
        "{p}被固定排在{s}（{r}），但{w}",
    ),
    (
        re.compile(r"^(?P<p>\S+) is pinned to (?P<s>\S+) \((?P<r>pins\[\d+\])\)$"),
        "{p}被固定排在{s}（{r}）",
    ),
    (
        re.compile(
            r"^(?P<p>\S+) works at most (?P<n>\d+) days in a row \((?P<a>\S+) … (?P<b>\S+)\)$"
        ),
        "{p}最多连续工作{n}天（{a}至{b}）",
    ),
    (
        re.compile(
            r"^(?P<p>\S+) takes at most (?P<n>\d+) night shift\(s\) in (?P<w>\d{4}-W\d{2})$"
        ),
        "{p}在{w}周最多上{n}个夜班",
    ),
    (
        re.compile(r"^(?P<p>\S+) takes at most (?P<n>\d+) night shift\(s\) in the period$"),
        "{p}在本期最多上{n}个夜班",
    ),
    (re.compile(r"^(?P<p>\S+) works at most (?P<n>\d+) weekends$"), "{p}最多工作{n}个周末"),
    (re.compile(r"^(?P<p>\S+) takes at most (?P<n>\d+) of (?P<o>\S+)$"), "{p}最多上{n}次{o}"),
    (
        re.compile(
            r"^(?P<p>\S+) works none of (?P<t>.+) on (?P<d2>\S+) after (?P<a>.+) "
            r"on (?P<d1>\S+)$"
        ),
        "{p}在{d1}上了{a}后，{d2}不能上{t}",
    ),
    # Across the border with the published week before (roster/history.py).
    (
        re.compile(r"^(?P<p>\S+) is on (?P<s>\S+) \(published, (?P<w>[^)]+)\) until (?P<t>.+)$"),
        "{p}在已发布的{w}值{s}，到{t}才下班",
    ),
    (
        re.compile(
            r"^(?P<p>\S+) rests after (?P<s>\S+) \(published, (?P<w>[^)]+)\) until (?P<t>.+)$"
        ),
        "{p}上完已发布的{w}的{s}后，须休息到{t}",
    ),
    (
        re.compile(
            r"^(?P<p>\S+) works none of (?P<t>.+) on (?P<d>\S+) after (?P<a>\S+) "
            r"\(published, (?P<w>[^)]+)\)$"
        ),
        "{p}上完已发布的{w}的{a}后，{d}不能上{t}",
    ),
    (
        re.compile(
            r"^(?P<p>\S+) works at most (?P<n>[\d.]+) h in (?P<a>\S+) … (?P<b>\S+)"
            r", (?P<x>[\d.]+) h published$"
        ),
        "{p}在{a}至{b}最多工作{n}小时（已发布的班次已有{x}小时）",
    ),
    (
        re.compile(r"^(?P<p>\S+) works at most (?P<n>[\d.]+) h in (?P<a>\S+) … (?P<b>\S+)$"),
        "{p}在{a}至{b}最多工作{n}小时",
    ),
    (
        re.compile(
            r"^(?P<p>\S+) takes at most (?P<n>\d+) night shift\(s\) in (?P<a>\S+) … "
            r"(?P<b>\S+), (?P<x>\d+) published$"
        ),
        "{p}在{a}至{b}最多上{n}个夜班（已发布的班次已有{x}个）",
    ),
    (
        re.compile(
            r"^(?P<p>\S+) takes at most (?P<n>\d+) night shift\(s\) in (?P<a>\S+) … (?P<b>\S+)$"
        ),
        "{p}在{a}至{b}最多上{n}个夜班",
    ),
    (
        re.compile(
            r"^(?P<p>\S+) works at most (?P<n>\d+) weekends in (?P<a>\S+) … (?P<b>\S+)"
            r", (?P<x>\d+) published$"
        ),
        "{p}在{a}至{b}最多工作{n}个周末（已发布的班次已有{x}个）",
    ),
    (
        re.compile(r"^(?P<p>\S+) works at most (?P<n>\d+) weekends in (?P<a>\S+) … (?P<b>\S+)$"),
        "{p}在{a}至{b}最多工作{n}个周末",
    ),
]


def conflict_sentence(roster: Roster, rule: HardRule) -> str:
    """One guarded hard rule instance as a sentence in the roster's language, naming the people,
    posts and times (for rules whose wording is unknown here: the rule's own text, with names)."""
    names = _Names(roster)
    if _zh(roster):
        for pattern, template in _ZH:
            match = pattern.match(rule.text)
            if match:
                parts = {
                    k: names.words(v).replace(", ", "、") if k != "p" else names.people.get(v, v)
                    for k, v in match.groupdict().items()
                }
                return template.format(**parts)
    return names.words(rule.text)


def _wall(budget: float, deadline: float | None) -> float:
    """The wall-clock stop of one explaining run: the guard for its deterministic ``budget``, and
    never past ``deadline``."""
    guard = budget * WALL_FACTOR + WALL_SLACK
    if deadline is None:
        return guard
    return max(0.01, min(guard, deadline - time.monotonic()))


@dataclass(frozen=True)
class _Check:
    """One feasibility test of the model under some assumptions."""

    status: int
    core: list[int]
    work: float


def _feasible_under(
    m: RosterModel, assumed: list[int], budget: float, seed: int, deadline: float | None = None
) -> _Check:
    """Solve ``m`` (without objective) assuming the guards ``assumed``; the sufficient core when
    it is infeasible. One worker: CP-SAT fills the core only in single-thread search. Never past
    ``deadline`` (``time.monotonic()``) when one is given."""
    model = m.model
    model.clear_assumptions()
    model.add_assumptions([model.get_bool_var_from_proto_index(i) for i in assumed])
    solver = new_solver()
    params = solver.parameters
    params.num_workers = 1
    params.random_seed = seed
    params.max_deterministic_time = max(0.05, budget)
    params.max_time_in_seconds = _wall(budget, deadline)
    status = solver.solve(model)
    core: list[int] = []
    if status == cp_model.INFEASIBLE:
        wanted = set(assumed)
        # Presolve can report a literal that is not an assumption (or-tools #5141): keep guards.
        core = [i for i in solver.sufficient_assumptions_for_infeasibility() if i in wanted]
    return _Check(int(status), core, solver.response_proto.deterministic_time)


@dataclass(frozen=True)
class Conflict:
    """Hard rule instances that cannot hold together, in the order the rules were added;
    ``minimal`` when each was shown to be needed (without any one the rest can hold)."""

    rules: list[HardRule]
    minimal: bool


def minimal_conflict(
    m: RosterModel, *, budget: float = CONFLICT_BUDGET, seed: int = 0, wall: float | None = None
) -> Conflict | None:
    """A set of guarded hard rule instances of ``m`` (built with ``explain=True``) that cannot
    hold together, shrunk to a minimal one when the limits allow; None when the model is not
    shown infeasible within the budget, or is infeasible for a reason no guard covers.

    The solver's sufficient core is shrunk by deletion: each rule is dropped in turn and kept
    out when the rest is still infeasible (then the new, possibly smaller core is taken). When the
    budget or the wall-clock stop runs out first, or a rule's check ends undecided, the set found
    so far is returned, still a conflict, with ``minimal`` false: the caller says so, since what
    a wall-clock stop cut depends on the machine.
    ``wall`` (seconds), when given, bounds the whole search in wall-clock time too."""
    m.model.clear_objective()  # type: ignore[no-untyped-call]
    deadline = time.monotonic() + (budget * WALL_FACTOR + WALL_SLACK if wall is None else wall)
    first = _feasible_under(m, sorted(m.guards), budget / 2, seed, deadline)
    if first.status != cp_model.INFEASIBLE:
        return None
    none_assumed = _feasible_under(m, [], budget / 4, seed, deadline) if not first.core else None
    if none_assumed is not None and none_assumed.status == cp_model.INFEASIBLE:
        return None  # infeasible with every guard off: a constraint no guard covers
    core = sorted(first.core) if first.core else sorted(m.guards)
    # Counted in deterministic work, not seconds, so where the shrinking stops does not depend on
    # the machine's load (the wall-clock deadline is only a safety net).
    spent = first.work
    i = 0
    undecided = False
    while i < len(core) and len(core) > 1 and spent < budget and time.monotonic() < deadline:
        trial = core[:i] + core[i + 1 :]
        check = _feasible_under(m, trial, max(0.1, min(budget / 4, budget - spent)), seed, deadline)
        spent += check.work
        if check.status == cp_model.INFEASIBLE:
            keep = set(check.core) if check.core else set(trial)
            kept_before = [c for c in core[:i] if c in keep]
            core = kept_before + [c for c in core[i + 1 :] if c in keep]
            i = len(kept_before)
        else:
            # Needed, or not disproved in time: it stays either way.
            undecided = undecided or check.status == cp_model.UNKNOWN
            i += 1
    m.model.clear_assumptions()
    minimal = len(core) == 1 or (i >= len(core) and not undecided)
    return Conflict([m.guards[i] for i in core], minimal)


# --- staffing hint ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """A kind of person a short post asks for: the skills and the tags they hold."""

    skills: tuple[str, ...]
    tags: tuple[str, ...]

    def words(self, roster: Roster, count: int) -> str:
        """``count`` people of this kind, in the roster's language."""
        config = roster.config
        if _zh(roster):
            labels = [config.skills.get(s, s) for s in self.skills]
            # Skill labels are often written as abilities already (会使用体温仪).
            skills = "、".join(labels)
            if skills and not all(label.startswith("会") for label in labels):
                skills = "会" + skills
            tags = "".join(config.tags.get(t, t) for t in self.tags) or "人员"
            return f"{count}名" + (f"{skills}的" if skills else "") + tags
        who = "person" if count == 1 else "people"
        parts = []
        if self.skills:
            parts.append(f"skill {' and '.join(self.skills)}")
        if self.tags:
            parts.append(f"tag {' and '.join(self.tags)}")
        return f"{count} more {who}" + (f" with {' and '.join(parts)}" if parts else "")


def kinds_for(roster: Roster, slots: Iterable[Slot]) -> dict[Kind, int]:
    """The kinds of person the posts of ``slots`` ask for, each with a bound on how many could be
    of use (the places of those slots): the post's skills with its first required tag, and the
    same plus the tags of its team minimums (so quotas can be filled too)."""
    out: dict[Kind, int] = {}
    for slot in slots:
        post = roster.post(slot.post)
        skills = tuple(sorted(post.skills))
        base = tuple(post.tags[:1])
        quota_tags = tuple(sorted({q.tag for q in post.quotas if q.min > 0} - set(base)))
        for kind in {Kind(skills, base), Kind(skills, tuple(sorted(base + quota_tags)))}:
            out[kind] = out.get(kind, 0) + max(slot.min, 1)
    return dict(sorted(out.items(), key=lambda kv: (kv[0].skills, kv[0].tags)))


@dataclass(frozen=True)
class StaffingHint:
    """How many virtual people of each kind the re-solve used, and what was still missing."""

    used: dict[Kind, int]
    still_missing: int
    proven: bool


def staffing_hint(
    roster: Roster,
    period: Period,
    slots: list[Slot],
    short_slots: list[str],
    assignment: dict[str, list[str]],
    *,
    budget: float = HINT_BUDGET,
    seed: int = 0,
    wall: float | None = None,
) -> StaffingHint:
    """Add virtual people of each kind the unfilled posts ask for (each with the global and tag
    rules, no leave) to the roster found, and count how many are needed to fill every minimum and
    quota: first greedily (the unfilled places in time order, each to the first virtual person of
    its kind who can take it without breaking a hard rule), then with CP-SAT, given as many people
    of each kind as the greedy answer used, to use fewer. The roster found is kept as it is.
    ``wall`` (seconds), when given, bounds the CP-SAT step in wall-clock time."""
    deadline = None if wall is None else time.monotonic() + wall
    by_id = {s.id: s for s in slots}
    short = [by_id[sid] for sid in short_slots]
    pool: dict[Kind, list[str]] = {}
    extra: list[Person] = []
    for k, (kind, bound) in enumerate(kinds_for(roster, short).items()):
        pool[kind] = []
        for j in range(min(bound, MAX_VIRTUAL)):
            pid = f"virtual-{k + 1}-{j + 1}"
            extra.append(
                Person(
                    id=pid,
                    name=pid,
                    tags=list(kind.tags),
                    skills=list(kind.skills),
                    rules=NO_MINIMUMS,
                )
            )
            pool[kind].append(pid)
    bigger = _with_people(roster, period, extra, short)
    greedy, unfilled = _greedy(bigger, period, short, assignment, pool)
    if not greedy:
        return StaffingHint({}, unfilled, False)
    # A little room beyond the greedy counts, so the solver may trade one kind for another.
    kept = {pid for kind, pids in pool.items() for pid in pids[: greedy.get(kind, 0) + SLACK]}
    solved = _solve_hint(
        _with_people(roster, period, [p for p in extra if p.id in kept], short),
        period,
        slots,
        short_slots,
        assignment,
        {pid: kind for kind, pids in pool.items() for pid in pids if pid in kept},
        budget=budget,
        seed=seed,
        deadline=deadline,
    )
    if solved is None or solved.still_missing > unfilled:
        return StaffingHint(greedy, unfilled, False)
    return solved


def _with_people(roster: Roster, period: Period, extra: list[Person], busy: list[Slot]) -> Roster:
    """The roster with ``extra`` people, who are away whenever none of ``busy`` runs (so a model
    has no variable for them on the slots already filled)."""
    away = _away_except(period, busy)
    leave = dict(roster.leave)
    for person in extra:
        leave[person.id] = [
            Leave.model_validate({"person": person.id, "from": a, "to": b}) for a, b in away
        ]
    return Roster(roster.folder, roster.config, [*roster.people, *extra], leave)


def _greedy(
    roster: Roster,
    period: Period,
    short: list[Slot],
    assignment: dict[str, list[str]],
    pool: dict[Kind, list[str]],
) -> tuple[dict[Kind, int], int]:
    """Virtual people used per kind by first-fit over the unfilled places, and places left."""
    shifts: dict[str, list[Slot]] = {pid: [] for pids in pool.values() for pid in pids}
    personal = PersonalChecker(roster, period)
    left = 0
    for slot in short:
        post = roster.post(slot.post)
        on = [roster.person(p) for p in assignment.get(slot.id, [])]
        skills = tuple(sorted(post.skills))
        base = tuple(post.tags[:1])
        while True:
            need_tag = [q.tag for q in post.quotas if sum(q.tag in p.tags for p in on) < q.min]
            if len(on) >= slot.min and not need_tag:
                break
            if len(on) >= slot.max:
                left += max(0, slot.min - len(on)) + len(need_tag)
                break
            quota_tags = {q.tag for q in post.quotas if q.min > 0} - set(base)
            kind = (
                Kind(skills, tuple(sorted(set(base) | quota_tags)))
                if need_tag
                else Kind(skills, base)
            )
            taker = next(
                (
                    pid
                    for pid in pool.get(kind, [])
                    if ineligibility(roster, roster.person(pid), slot) is None
                    and not _breaks(personal, pid, shifts[pid], slot)
                ),
                None,
            )
            if taker is None:
                left += max(0, slot.min - len(on)) or 1
                break
            shifts[taker].append(slot)
            on.append(roster.person(taker))
    used = {kind: sum(1 for pid in pids if shifts[pid]) for kind, pids in pool.items()}
    return {k: n for k, n in used.items() if n}, left


def _breaks(personal: PersonalChecker, pid: str, shifts: list[Slot], slot: Slot) -> bool:
    """Whether taking ``slot`` breaks a rule for ``pid`` that their shifts so far keep."""
    before = Counter(v.rule for v in personal.violations(pid, shifts))
    after = Counter(v.rule for v in personal.violations(pid, [*shifts, slot]))
    return any(n > before[rule] for rule, n in after.items())


def _solve_hint(
    roster: Roster,
    period: Period,
    slots: list[Slot],
    short_slots: list[str],
    assignment: dict[str, list[str]],
    virtual: dict[str, Kind],
    *,
    budget: float,
    seed: int,
    deadline: float | None = None,
) -> StaffingHint | None:
    """The fewest of the ``virtual`` people (of ``roster``) that fill every place, by CP-SAT."""
    m, penalties = build_model(roster, period, slots, strict=False)
    chosen = {(p, s) for s, people in assignment.items() for p in people}
    unfilled = set(short_slots)
    used: dict[str, cp_model.IntVar] = {}
    for person in roster.people:
        if person.id not in virtual:
            for slot, var in m.of_person(person):
                m.model.add(var == int((person.id, slot.id) in chosen))
            continue
        lit = m.model.new_bool_var(f"hired({person.id})")
        for slot, var in m.of_person(person):
            if slot.id in unfilled:
                m.model.add_implication(var, lit)
            else:
                m.model.add(var == 0)
        used[person.id] = lit
    # Virtual people of one kind are interchangeable: use them in order (symmetry breaking).
    ids = list(used)
    for a, b in itertools.pairwise(ids):
        if virtual[a] == virtual[b]:
            m.model.add_implication(used[b], used[a])
    missing = _missing(penalties)
    # Filling one more place beats using one fewer extra person, which beats asking for a more
    # specific kind (a skill or tag more) than needed.
    per_person = sum(len(k.skills) + len(k.tags) for k in virtual.values()) + 1
    m.model.minimize(
        (len(used) + 1) * per_person * sum(missing)
        + sum(
            (per_person + len(virtual[pid].skills) + len(virtual[pid].tags)) * lit
            for pid, lit in used.items()
        )
    )
    solver = new_solver()
    params = solver.parameters
    params.num_workers = 1
    params.random_seed = seed
    params.max_deterministic_time = budget
    if deadline is None:
        # The repeatable mode: its work is the limit, kept on a machine far too slow by the
        # engine's guard, not CP-SAT's (which stops early by its longest gap between looks at
        # the clock; solver.search.Guard), so the hint is the same on any machine.
        status = Guard().run(solver, m.model, _wall(budget, None))
    else:
        params.max_time_in_seconds = _wall(budget, deadline)
        status = solver.solve(m.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    count: dict[Kind, int] = {}
    for pid, lit in used.items():
        if solver.boolean_value(lit):
            count[virtual[pid]] = count.get(virtual[pid], 0) + 1
    left = sum(solver.value(v) for v in missing)
    return StaffingHint(count, int(left), status == cp_model.OPTIMAL)


def _away_except(period: Period, busy: list[Slot]) -> list[tuple[datetime, datetime]]:
    """The stretches around the period (a day either side) when none of ``busy`` runs."""
    out = []
    cursor = period.start - timedelta(days=1)
    for slot in sorted(busy, key=lambda s: s.start):
        if slot.start > cursor:
            out.append((cursor, slot.start))
        cursor = max(cursor, slot.end)
    end = period.end + timedelta(days=3)
    if cursor < end:
        out.append((cursor, end))
    return out


def _missing(penalties: list[Penalty]) -> list[cp_model.IntVar]:
    """The variables counting people missing below minimums and team quotas."""
    return [p.var for p in penalties if p.rule in ("shortage", "quota")]


def hint_sentences(roster: Roster, hint: StaffingHint, impossible: int = 0) -> list[str]:
    """The staffing hint in the roster's language, e.g. 再加2名会测温的党员即可排满.

    ``impossible`` counts quota places above their shift's maximum headcount: no number of
    people fills them, so the hint says so instead of "still missing"."""
    parts = [kind.words(roster, n) for kind, n in hint.used.items() if n]
    zh = _zh(roster)
    if impossible and hint.still_missing <= impossible:
        tail = (
            f"{hint.still_missing}个配额名额超过班次人数上限，增加人员也无法满足：请降低配额或提高人数上限"
            if zh
            else f"{hint.still_missing} quota place(s) exceed their shift's maximum headcount, "
            "which no number of people can fill: lower the quota or raise the maximum"
        )
        if not parts:
            return [tail]
        if zh:
            return [f"再加{'、'.join(parts)}即可排满其余；{tail}"]
        joined = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
        return [f"{joined} would fill the rest; {tail}"]
    if not parts:
        if hint.still_missing:
            return [
                "增加人员也无法排满：请检查岗位要求和规则"
                if zh
                else "More people would not fill every place: check the posts' needs and the rules"
            ]
        return []
    if zh:
        joined = "、".join(parts)
        if hint.still_missing:
            return [f"再加{joined}后仍缺{hint.still_missing}人"]
        return [f"再加{joined}即可排满"]
    joined = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    if hint.still_missing:
        return [f"{joined} would still leave {hint.still_missing} place(s) unfilled"]
    return [f"{joined} would fill every place"]


# --- the entry points solve() calls ---------------------------------------------------------------


def conflict_error(
    roster: Roster, m: RosterModel, *, budget: float, seed: int, wall: float | None = None
) -> InfeasibleError:
    """The error for an infeasible roster, naming the smallest conflicting set of hard rules found
    in ``m`` (a model of it built with ``explain=True``), followed by the facts behind them: the
    leave of the people named, and who may not take the shifts named. ``wall`` as in
    ``minimal_conflict``."""
    conflict = minimal_conflict(m, budget=budget, seed=seed, wall=wall)
    found = conflict.rules if conflict is not None else []
    zh = _zh(roster)
    if not found:
        message = (
            "硬性规则相互矛盾，无法排班（未能在限时内找出是哪几条）"
            if zh
            else "the hard rules contradict each other; no roster exists (the conflicting rules "
            "were not found in time)"
        )
        return InfeasibleError(message, [])
    if len(found) == 1:
        message = (
            "有一条硬性规则做不到，无法排班，须放宽它"
            if zh
            else "a hard rule cannot hold, so no roster exists; relax it"
        )
    else:
        message = (
            f"硬性规则相互矛盾，无法排班：以下{len(found)}条不能同时满足，至少要放宽其中一条"
            if zh
            else f"the hard rules contradict each other, so no roster exists: these {len(found)} "
            "cannot all hold; relax at least one of them"
        )
    if conflict is not None and not conflict.minimal and len(found) > 1:
        message += (
            "（限时内未能确认这是最少的一组，可能有几条并不相干）"
            if zh
            else " (the time ran out before this set was shown to be the smallest: some of "
            "them may not take part)"
        )
    sentences = [conflict_sentence(roster, rule) for rule in _focus(found)]
    return InfeasibleError(message, sentences + conflict_facts(roster, m.slots, found))


_CLIQUE = re.compile(r"^(?P<head>\S+ (?:rests between|in one of) )(?P<slots>.+)$")


def _focus(found: list[HardRule]) -> list[HardRule]:
    """The conflict with each "only one of these shifts" rule (rest, overlap) cut down to the
    shifts the other rules of the conflict name, when two or more are left: still true (one of
    fewer shifts at most), and it shows which shifts clash instead of a whole day of them."""
    named = {
        m.group(0)
        for rule in found
        if not _CLIQUE.match(rule.text)
        for m in _SLOT_ID.finditer(rule.text)
    }
    out = []
    for rule in found:
        match = _CLIQUE.match(rule.text)
        if match:
            slots = [s for s in match.group("slots").split(", ") if s in named]
            if len(slots) >= 2:
                rule = HardRule(rule.rule, match.group("head") + ", ".join(slots))
        out.append(rule)
    return out


def conflict_facts(roster: Roster, slots: list[Slot], found: list[HardRule]) -> list[str]:
    """What the rules of a conflict run into that is not a rule: leave of the people they name
    during the period, and why the others may not take the shifts they name."""
    zh = _zh(roster)
    names = _Names(roster)
    by_id = {s.id: s for s in slots}
    start, end = (min(s.start for s in slots), max(s.end for s in slots)) if slots else (None, None)
    people: list[str] = []
    shifts: list[Slot] = []
    for rule in found:
        head = rule.text.split(" ", 1)[0]
        if head in names.people and head not in people:
            people.append(head)
        elif head in by_id and by_id[head] not in shifts:
            shifts.append(by_id[head])
    out: list[str] = []
    for pid in people:
        for away_from, away_to, why in roster.away(pid):
            if start is None or end is None or not (away_from < end and start < away_to):
                continue
            span = _span(away_from, away_to, zh)
            if zh:
                out.append(f"{names.people[pid]}{span}{why or '请假'}，不能排班")
            else:
                out.append(f"{names.people[pid]} is on leave{f' ({why})' if why else ''} {span}")
    for slot in shifts:
        groups: dict[str, int] = {}
        able = 0
        for person in roster.people:
            reason = ineligibility(roster, person, slot)
            if reason is None:
                able += 1
                continue
            phrase = reason_phrase(roster, person, slot, reason.id, reason.text)
            groups[phrase] = groups.get(phrase, 0) + 1
        where = names.words(slot.id)
        if zh:
            others = "，".join(f"{n}人{p}" for p, n in groups.items())
            out.append(f"{where}只有{able}人可排" + (f"（{others}）" if others else ""))
        else:
            others = ", ".join(f"{n} {p}" for p, n in groups.items())
            out.append(f"only {able} may take {where}" + (f" ({others})" if others else ""))
    return out


def _span(first: datetime, end: datetime, zh: bool) -> str:
    """A stretch of time as people write it: whole days as dates, both ends included."""
    if first.time() == end.time() == dt_time():
        a, b = first.date().isoformat(), (end - timedelta(days=1)).date().isoformat()
    else:
        a, b = f"{first:%Y-%m-%d %H:%M}", f"{end:%Y-%m-%d %H:%M}"
    if a == b:
        return a
    return f"{a}至{b}" if zh else f"from {a} to {b}"


def unfilled_slots(
    roster: Roster, slots: list[Slot], assignment: dict[str, list[str]]
) -> list[str]:
    """Slots below their minimum or below a team quota's minimum, in slot order."""
    out = []
    for slot in slots:
        people = [roster.person(p) for p in assignment.get(slot.id, [])]
        quotas = roster.post(slot.post).quotas
        if len(people) < slot.min or any(
            sum(q.tag in p.tags for p in people) < q.min for q in quotas
        ):
            out.append(slot.id)
    return out


def staffing_hints(
    roster: Roster,
    period: Period,
    slots: list[Slot],
    assignment: dict[str, list[str]],
    *,
    budget: float = HINT_BUDGET,
    seed: int = 0,
    wall: float | None = None,
) -> list[str]:
    """The staffing hint sentences for a solved roster; none when every place is filled. ``wall``
    as in ``staffing_hint``."""
    short = unfilled_slots(roster, slots, assignment)
    if not short:
        return []
    hint = staffing_hint(
        roster, period, slots, short, assignment, budget=budget, seed=seed, wall=wall
    )
    impossible = sum(
        max(0, quota.min - slot.max) for slot in slots for quota in roster.post(slot.post).quotas
    )
    return hint_sentences(roster, hint, impossible)
