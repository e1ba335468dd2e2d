"""The decision variables in one container: works(person, slot), penalties, and explain mode."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ortools.sat.python import cp_model

from roster.eligibility import eligible, takers
from roster.history import History, PastDuty
from roster.load import Roster
from roster.models import Person, RuleSet
from roster.slots import Period, Slot, expand

# --- who may take a post, without a call per (person, slot) --------------------------------------


def candidates(roster: Roster) -> dict[str, list[Person]]:
    """For each post id, the people who may take some of its slots, in the roster's order.

    A superset of who is eligible for each slot (leave and night limits are per slot): the model
    still asks ``eligible()`` for these pairs, and skips the rest, which at district scale is
    nearly all of them."""
    return takers(roster)


def count_pairs(roster: Roster, period: Period) -> int:
    """Eligible (person, slot) pairs of a period: the number of Booleans of the model(s)."""
    able = candidates(roster)
    return sum(
        1
        for slot in expand(roster.config, period)
        for p in able[slot.post]
        if eligible(roster, p, slot)
    )


# --- the model -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Penalty:
    """One term of the objective: ``coef * var``, counted under ``rule`` in the report.

    ``people`` and ``days`` say where the term lives (the people who could change it, the days it
    is about), when a rule knows: the large-neighbourhood search (solver/lns.py) frees the cells
    around a term that costs something, to repair it."""

    rule: str
    var: cp_model.IntVar
    coef: int
    people: tuple[str, ...] = ()
    days: tuple[date, ...] = ()


@dataclass(frozen=True)
class HardRule:
    """A hard rule instance that can be switched off in explain mode, described in words."""

    rule: str
    text: str


@dataclass
class RosterModel:
    """A CP-SAT model of one roster: a Boolean per eligible (person, slot) pair and nothing else.

    Rules add constraints through this object and return their penalties. In explain mode every
    hard rule instance is guarded by an assumption literal, so the solver can name a conflict.
    """

    roster: Roster
    period: Period
    slots: list[Slot]
    strict: bool = False
    explain: bool = False
    #: The duties published before the period (roster/history.py): the rules carry rest, runs of
    #: days, window caps and fairness across the border. None: the period stands alone.
    history: History | None = None
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    guards: dict[int, HardRule] = field(default_factory=dict)
    #: The objective's terms, once every rule is added (solver.build.build_model).
    penalties: list[Penalty] = field(default_factory=list)
    _x: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)
    _by_slot: dict[str, list[tuple[Person, cp_model.IntVar]]] = field(default_factory=dict)
    _by_person: dict[str, list[tuple[Slot, cp_model.IntVar]]] = field(default_factory=dict)
    #: The at-most-ones already stated, by their variables (see ``at_most_one``).
    _cliques: set[frozenset[int]] = field(default_factory=set)

    def __post_init__(self) -> None:
        for slot in self.slots:
            self._by_slot[slot.id] = []
        for person in self.roster.people:
            self._by_person[person.id] = []
        # Only people with the post's skills and tags can be eligible (``candidates``): asking
        # eligible() about everyone else is what made districts slow to build.
        able = candidates(self.roster)
        for slot in self.slots:
            for person in able[slot.post]:
                if not eligible(self.roster, person, slot):
                    continue
                var = self.model.new_bool_var(f"works({person.id},{slot.id})")
                self._x[(person.id, slot.id)] = var
                self._by_slot[slot.id].append((person, var))
                self._by_person[person.id].append((slot, var))

    @property
    def people(self) -> list[Person]:
        """Everyone in the roster, in its order."""
        return self.roster.people

    def works(self, person_id: str, slot_id: str) -> cp_model.IntVar | None:
        """The Boolean "person works slot", or None when they may not take it at all."""
        return self._x.get((person_id, slot_id))

    def on_slot(self, slot: Slot) -> list[tuple[Person, cp_model.IntVar]]:
        """The eligible people of a slot with their Booleans."""
        return self._by_slot[slot.id]

    def of_person(self, person: Person) -> list[tuple[Slot, cp_model.IntVar]]:
        """The slots a person may take, in time order, with their Booleans."""
        return self._by_person[person.id]

    def rules(self, person: Person) -> RuleSet:
        """Rules in force for ``person``."""
        return self.roster.rules_for(person)

    def past(self, person: Person) -> list[PastDuty]:
        """The person's duties published before the period, by start (none without a history)."""
        return self.history.of(person.id) if self.history is not None else []

    def variable_count(self) -> int:
        """Number of (person, slot) Booleans."""
        return len(self._x)

    def guard(self, rule: str, text: str) -> list[cp_model.IntVar]:
        """Enforcement literals for one hard rule instance: none normally; in explain mode a fresh
        literal, assumed true, whose falsity the solver may report as part of a conflict."""
        if not self.explain:
            return []
        lit = self.model.new_bool_var(f"{rule}: {text}")
        self.guards[lit.index] = HardRule(rule, text)
        return [lit]

    def at_most_one(self, lits: Sequence[cp_model.IntVar], rule: str, text: str) -> None:
        """At most one of ``lits`` is true (a hard rule instance). Stated once: rules that say the
        same thing (no overlap, one shift a day, rest between shifts when every shift of a day
        overlaps the others) would otherwise each add the same clique for every person and day,
        three copies CP-SAT's presolve must find and remove (9,360 at-most-ones for 3,120 on
        Curtois & Qu 13). In explain mode each rule keeps its own guarded copy."""
        if len(lits) < 2:
            return
        guard = self.guard(rule, text)
        if guard:
            self.model.add(sum(lits) <= 1).only_enforce_if(guard)
            return
        key = frozenset(lit.index for lit in lits)
        if key in self._cliques:
            return
        self._cliques.add(key)
        self.model.add_at_most_one(lits)

    def fix(self, assignment: dict[str, list[str]]) -> None:
        """Fix every Boolean to the given roster (for checking a roster with the model)."""
        chosen = {(p, s) for s, people in assignment.items() for p in people}
        for key, var in self._x.items():
            self.model.add(var == (1 if key in chosen else 0))
        if any(key not in self._x for key in chosen):
            # Someone is on a slot they may not take at all: no variable can say so.
            self.model.add_bool_or([])

    def hint(self, assignment: dict[str, list[str]]) -> None:
        """Start the search from a roster (a previous week's, or the one being repaired)."""
        chosen = {(p, s) for s, people in assignment.items() for p in people}
        for key, var in self._x.items():
            self.model.add_hint(var, key in chosen)

    def extract(self, solver: cp_model.CpSolver) -> dict[str, list[str]]:
        """The roster in the solver's current solution: slot id → person ids in roster order."""
        out: dict[str, list[str]] = {}
        for slot in self.slots:
            out[slot.id] = [p.id for p, var in self._by_slot[slot.id] if solver.boolean_value(var)]
        return out


def apply_params(params: Any, extra: dict[str, object]) -> None:
    """Set CP-SAT parameters by name (``SolveOptions.extra``); a list value fills a repeated
    parameter such as ``ignore_subsolvers``, which plain assignment rejects."""
    for key, value in extra.items():
        if isinstance(value, list):
            field_ = getattr(params, key)
            field_.clear()
            field_.extend(value)
        else:
            setattr(params, key, value)
