"""Who may take a slot at all: skills, tags, leave and night limits, with the reason when not."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from fractions import Fraction

from .history import History
from .load import Roster
from .models import Person, Post
from .slots import Period, Shift, Slot


@dataclass(frozen=True)
class Reason:
    """Why a person cannot take a slot: a stable id for counting and a sentence for people."""

    id: str
    text: str


def may_take_post(person: Person, post: Post) -> bool:
    """Whether ``person`` has every skill of ``post`` and one of its tags (when it names any): the
    part of ``ineligibility`` that depends on the post alone, not on the slot's time."""
    if any(skill not in person.skills for skill in post.skills):
        return False
    return not post.tags or any(tag in person.tags for tag in post.tags)


def open_posts(people: list[Person], posts: list[Post]) -> dict[str, frozenset[str]]:
    """For each person (by id), the ids of the posts they may take (``may_take_post``). People
    are looked up by tag for a post that names tags, so a district of a thousand people and
    hundreds of posts, each open to one community, costs the pairs that can match rather than
    every pair (a district's parts were found in 2 s, now in a few hundredths)."""
    by_tag: dict[str, list[Person]] = {}
    for person in people:
        for tag in person.tags:
            by_tag.setdefault(tag, []).append(person)
    out: dict[str, set[str]] = {person.id: set() for person in people}
    for post in posts:
        if post.tags:
            seen: dict[str, Person] = {}
            for tag in post.tags:
                for person in by_tag.get(tag, []):
                    seen.setdefault(person.id, person)
            pool: list[Person] = list(seen.values())
        else:
            pool = people
        for person in pool:
            if all(skill in person.skills for skill in post.skills):
                out[person.id].add(post.id)
    return {pid: frozenset(ids) for pid, ids in out.items()}


def ineligibilities(roster: Roster, person: Person, slot: Slot) -> list[Reason]:
    """Every reason ``person`` may not take ``slot`` (empty when they may), in the order below.

    The rules: every skill the post requires (rule ``skills``); at least one of the post's tags when
    it names any (rule ``tags``); not on leave at any moment of the slot (rule ``unavailable``); no
    night shift for people marked ``no_nights`` (rule ``no_nights``).
    """
    return list(_reasons(roster, person, slot))


def ineligibility(roster: Roster, person: Person, slot: Slot) -> Reason | None:
    """The first reason ``person`` may not take ``slot`` (see ``ineligibilities``), or None."""
    return next(_reasons(roster, person, slot), None)


def _reasons(roster: Roster, person: Person, slot: Slot) -> Iterator[Reason]:
    """The reasons lazily, so asking for the first one costs no more than the first check."""
    post = roster.post(slot.post)
    missing = [s for s in post.skills if s not in person.skills]
    if missing:
        labels = "、".join(roster.config.skills.get(s, s) for s in missing)
        yield Reason("skill", f"lacks skill {labels}")
    if post.tags and not any(t in person.tags for t in post.tags):
        labels = "、".join(roster.config.tags.get(t, t) for t in post.tags)
        yield Reason("tag", f"is not {labels}")
    for start, end, why in roster.away(person.id):
        if start < slot.end and slot.start < end:
            yield Reason("unavailable", f"on leave ({why})" if why else "on leave")
            break
    if slot.night and roster.rules_for(person).no_nights:
        yield Reason("no_nights", "does no night shifts")


def eligible(roster: Roster, person: Person, slot: Slot) -> bool:
    """Whether ``person`` may take ``slot`` at all."""
    return ineligibility(roster, person, slot) is None


def pinned(roster: Roster, slots: list[Slot]) -> list[tuple[int, Person, Slot | None]]:
    """The pins of the roster whose slot falls in the planning period, with their index in
    ``pins:``; the slot is None when the pin names a time at which its post has no shift."""
    by_id = {s.id: s for s in slots}
    days = {s.day for s in slots}
    out: list[tuple[int, Person, Slot | None]] = []
    for index, pin in enumerate(roster.config.pins):
        person = roster.person(pin.person)
        slot = by_id.get(pin.slot)
        if slot is None:
            stamp = pin.slot.partition("/")[2]
            if not any(stamp.startswith(d.isoformat()) for d in days):
                continue  # a pin for another week
        out.append((index, person, slot))
    return out


def _free_on(roster: Roster, away: list[tuple[datetime, datetime, str]], day: date) -> bool:
    """Whether no leave touches ``day``."""
    start = datetime.combine(day, time(), roster.zone)
    end = start + timedelta(days=1)
    return not any(a < end and start < b for a, b, _ in away)


@dataclass(frozen=True)
class Pool:
    """People whose loads are compared for fairness, the posts they share, and each person's
    share of the pool's work: what they can give over what all of them can give."""

    people: list[Person]
    posts: frozenset[str]
    share: dict[str, Fraction]

    def expected(self, person: Person, total: int) -> int:
        """A person's fair part of ``total``, rounded half up to an integer."""
        return int(self.share[person.id] * total + Fraction(1, 2))


def fairness_pools(roster: Roster, period: Period, history: History | None = None) -> list[Pool]:
    """Groups of people whose load is compared for fairness: people who may take a post in
    common (by skills and tags), directly or through others, so every post belongs to one pool.
    What each can give is their weekly hour limit (when anyone in the pool has one) times their
    days not on leave; their share of the pool's work is in proportion to it, so a part-timer or
    someone off sick for two days is not expected to do a full week. People on leave the whole
    period are left out. Only pools of two or more.

    With a ``history``, fairness shares the rolling window's work: the published dates of the
    window on which a person was in the roster (their schedule lists them) count towards what they
    can give as well. Someone who joined since is asked for a share of the planned period alone,
    not to make up for weeks they were not there."""
    days = period.days
    able: list[tuple[Person, int, frozenset[str]]] = []
    open_to = open_posts(roster.people, roster.config.posts)
    for person in roster.people:
        away = roster.away(person.id)
        free = sum(1 for day in days if _free_on(roster, away, day))
        posts = open_to[person.id]
        if free and posts:
            if history is not None:
                window = history.window_days(person.id)
                free += sum(1 for day in window if _free_on(roster, away, day))
            able.append((person, free, posts))
    # People who may take a post in common share a pool, and so do people linked through others:
    # the pools are the connected parts of "may take the same post" (a union-find over posts).
    parent: dict[str, str] = {}

    def root(post: str) -> str:
        while parent.setdefault(post, post) != post:
            parent[post] = parent[parent[post]]
            post = parent[post]
        return post

    for _, _, posts in able:
        first, *rest = sorted(posts)
        for other in rest:
            parent[root(other)] = root(first)
    groups: dict[str, list[tuple[Person, int, frozenset[str]]]] = {}
    for person, free, posts in able:
        groups.setdefault(root(min(posts)), []).append((person, free, posts))
    pools = []
    for members in groups.values():
        limits = [roster.rules_for(p).max_hours_per_week for p, _, _ in members]
        widest = max((x for x in limits if x is not None), default=1.0)
        capacity = {
            p.id: Fraction(limit if limit is not None else widest).limit_denominator(100) * free
            for (p, free, _), limit in zip(members, limits, strict=True)
        }
        total = sum(capacity.values())
        people = [p for p, _, _ in members if capacity[p.id] > 0]
        if len(people) < 2 or total == 0:
            continue
        posts = frozenset().union(*(posts for _, _, posts in members))
        pools.append(Pool(people, posts, {p.id: capacity[p.id] / total for p in people}))
    return pools


@dataclass(frozen=True)
class Measure:
    """A load compared for fairness: its rule id (also its weight's name in ``weights:``), the
    amount each slot adds, and the unit the gap is counted in (rounded up)."""

    rule: str
    size: Callable[[Shift], int]
    unit: int


#: Shift counts are kept in tenths, so that a part-timer's one night can count as 1.5.
TENTHS = 10

FAIR_HOURS = Measure("fair_hours", lambda s: s.minutes, 60)
FAIR_NIGHTS = Measure("fair_nights", lambda s: TENTHS * int(s.night), TENTHS)
FAIR_WEEKENDS = Measure("fair_weekends", lambda s: TENTHS * int(s.day.weekday() >= 5), TENTHS)
FAIRNESS = (FAIR_HOURS, FAIR_NIGHTS, FAIR_WEEKENDS)


def pool_work(pool: Pool, slots: list[Slot], measure: Measure) -> int:
    """The work of a pool in a measure: the measure of every slot of its posts, times the slot's
    target headcount."""
    return sum(measure.size(s) * s.target for s in slots if s.post in pool.posts)


def past_load(history: History | None, pool: Pool, person_id: str, measure: Measure) -> int:
    """A person's published load in the rolling window, in a measure: their past duties on the
    pool's posts (none without a history)."""
    if history is None:
        return 0
    return sum(measure.size(d) for d in history.in_window(person_id) if d.post in pool.posts)


def past_work(history: History | None, pool: Pool, measure: Measure) -> int:
    """The pool's published work in the rolling window: its people's past loads."""
    return sum(past_load(history, pool, p.id, measure) for p in pool.people)
