"""Rule ``successions``: a shift of one kind may not be followed the next day by one of another."""

from __future__ import annotations

from datetime import date, timedelta

from ortools.sat.python import cp_model

from roster.check import slot_is
from roster.slots import Slot

from ..model import Penalty, RosterModel


def successions(m: RosterModel) -> list[Penalty]:
    """A shift of ``after`` (post ids, ``night`` or ``day``) on one date may not be followed by a
    shift of ``then`` on the next date (the dates the shifts start on). Hard when the succession
    has no weight; otherwise each such pair of shifts costs the weight (term ``successions``,
    unit: occurrences). A published shift on the day before the period and a shift on its first
    day are a succession too (across the border)."""
    penalties: list[Penalty] = _across_border(m)
    # Hard successions stated as cliques (see below), by person and day: the next day's shifts
    # a group forbids → the day's shifts that forbid them. Rules forbidding the same next-day
    # shifts share one clique (Curtois & Qu 13: 14 rules, 6 distinct "then" sets).
    cliques: dict[tuple[str, date], dict[frozenset[int], dict[int, cp_model.IntVar]]] = {}
    nexts_of: dict[frozenset[int], list[cp_model.IntVar]] = {}
    # Each person's slots by day, built once for all the rules.
    days_of: dict[str, dict[date, list[tuple[Slot, cp_model.IntVar]]]] = {}
    for index, rule in enumerate(m.roster.config.successions):
        for person in m.people:
            # In explain mode the one-a-day limit is guarded and may be switched off: pairs then.
            one_a_day = m.rules(person).max_shifts_per_day == 1 and not m.explain
            by_day = days_of.get(person.id)
            if by_day is None:
                by_day = days_of[person.id] = {}
                for slot, var in m.of_person(person):
                    by_day.setdefault(slot.day, []).append((slot, var))
            for day in sorted(by_day):
                firsts = [(s, v) for s, v in by_day[day] if any(slot_is(s, n) for n in rule.after)]
                nexts = [
                    (s, v)
                    for s, v in by_day.get(day + timedelta(days=1), [])
                    if any(slot_is(s, n) for n in rule.then)
                ]
                if not firsts or not nexts:
                    continue
                if rule.weight is None:
                    guard = m.guard(
                        "successions",
                        f"{person.id} works none of {', '.join(rule.then)} on "
                        f"{day + timedelta(days=1)} after {', '.join(rule.after)} on {day}",
                    )
                    if one_a_day and not guard:
                        # At most one shift a day, so the shifts of `after` on the day and of
                        # `then` on the next form one clique: a single at-most-one states the
                        # rule, with |after| + |then| literals instead of |after| × |then| pairs.
                        # (Not in explain mode: the clique leans on the guarded one-a-day limit,
                        # and this rule must be switched off by its own guard.)
                        key = frozenset(v.index for _, v in nexts)
                        nexts_of[key] = [v for _, v in nexts]
                        group = cliques.setdefault((person.id, day), {}).setdefault(key, {})
                        group.update((v.index, v) for _, v in firsts)
                        continue
                    for _, first in firsts:
                        for _, second in nexts:
                            m.model.add_bool_or([first.Not(), second.Not()]).only_enforce_if(guard)
                elif rule.weight > 0:
                    for a, first in firsts:
                        for b, second in nexts:
                            both = m.model.new_bool_var(
                                f"successions(rule={index},person={person.id},{a.id},{b.id})"
                            )
                            m.model.add_bool_or([first.Not(), second.Not(), both])
                            # Exact, so a solution's objective is the roster's penalty.
                            m.model.add_implication(both, first)
                            m.model.add_implication(both, second)
                            penalties.append(
                                Penalty(
                                    "successions",
                                    both,
                                    rule.weight,
                                    people=(person.id,),
                                    days=(a.day, b.day),
                                )
                            )
    for groups in cliques.values():
        for key, firsts_ in groups.items():
            m.model.add_at_most_one([*firsts_.values(), *nexts_of[key]])
    return penalties


def _across_border(m: RosterModel) -> list[Penalty]:
    """Successions from the published day before the period to its first day: the shifts of
    ``then`` on the first day are barred (hard), or each costs the weight once per published
    shift of ``after`` the day before (soft)."""
    penalties: list[Penalty] = []
    eve = m.period.first - timedelta(days=1)
    for rule in m.roster.config.successions:
        for person in m.people:
            firsts = [
                d for d in m.past(person) if d.day == eve and any(slot_is(d, n) for n in rule.after)
            ]
            if not firsts:
                continue
            nexts = [
                (s, v)
                for s, v in m.of_person(person)
                if s.day == m.period.first and any(slot_is(s, n) for n in rule.then)
            ]
            if not nexts:
                continue
            if rule.weight is None:
                guard = m.guard(
                    "successions",
                    f"{person.id} works none of {', '.join(rule.then)} on {m.period.first} "
                    f"after {firsts[0].slot} (published, {firsts[0].source})",
                )
                m.model.add_bool_and([v.Not() for _, v in nexts]).only_enforce_if(guard)
            elif rule.weight > 0:
                penalties.extend(
                    Penalty(
                        "successions",
                        var,
                        rule.weight * len(firsts),
                        people=(person.id,),
                        days=(slot.day,),
                    )
                    for slot, var in nexts
                )
    return penalties
