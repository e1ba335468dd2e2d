"""INRC-II (Second International Nurse Rostering Competition) files and scoring, written from the
format description in shared/benchmarks/inrc2/README.md (sections 3 to 6) alone.

Reads the text files (scenario, history, week data, solution), writes solutions, computes the
history the simulator leaves after a week, and scores a run: hard constraints H1–H4 and soft
S1–S7 with the competition's weights, runs carried across week borders, S6 and S7 once on the
final counters. Nothing here knows the engine; ``benchmarks/inrc2.py`` maps an instance onto it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from roster.errors import RosterError

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

#: The competition's weights (README 4): they are in no file.
W_OPTIMAL = 30  # S1, per nurse below the optimal coverage
W_CONS_WORK = 30  # S2, per day of a working run outside the contract's range
W_CONS_SHIFT = 15  # S2, per day of a run on one shift type outside its range
W_CONS_OFF = 30  # S3, per day of a run of days off outside the contract's range
W_PREFERENCE = 10  # S4, per shift-off request broken
W_COMPLETE = 30  # S5, per weekend worked on one day only
W_TOTAL = 20  # S6, per assignment below or above the contract's total range
W_WEEKENDS = 30  # S7, per working weekend above the contract's maximum


class InrcFileError(RosterError):
    """Raised when an INRC-II file cannot be read: the message names the file, the place and
    what was expected there."""


# --- the files ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShiftType:
    """A shift type: the range of a run of days on it (S2) and the types forbidden the next day
    (H3)."""

    name: str
    min_consecutive: int
    max_consecutive: int
    forbidden_next: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contract:
    """A contract: total assignments over the horizon (S6), working and day-off runs (S2, S3),
    most working weekends (S7), and whether weekends are worked whole (S5)."""

    name: str
    min_total: int
    max_total: int
    min_consecutive_work: int
    max_consecutive_work: int
    min_consecutive_off: int
    max_consecutive_off: int
    max_weekends: int
    complete_weekends: bool


@dataclass(frozen=True)
class Nurse:
    """A nurse, her contract and skills."""

    name: str
    contract: str
    skills: tuple[str, ...]


@dataclass
class Scenario:
    """A scenario file ``Sc-<dataset>.txt``."""

    name: str
    weeks: int
    skills: list[str]
    shift_types: list[ShiftType]
    contracts: dict[str, Contract]
    nurses: list[Nurse]

    def shift(self, name: str) -> ShiftType:
        """The shift type called ``name``."""
        return next(s for s in self.shift_types if s.name == name)

    def contract_of(self, nurse: str) -> Contract:
        """The contract of nurse ``nurse``."""
        return self.contracts[next(n.contract for n in self.nurses if n.name == nurse)]


@dataclass(frozen=True)
class NurseHistory:
    """One nurse's line of a history file: two counters and the runs ending on the last Sunday."""

    nurse: str
    total_assignments: int
    total_weekends: int
    last_shift: str | None
    consecutive_same_shift: int
    consecutive_work: int
    consecutive_off: int


@dataclass
class History:
    """A history file: weeks already planned, and a line per nurse."""

    week: int
    scenario: str
    nurses: dict[str, NurseHistory]


@dataclass
class WeekData:
    """A week-data file: requirements by (shift type, skill), seven (minimum, optimal) pairs,
    and shift-off requests as (nurse, shift type or ``Any``, day index 0–6)."""

    scenario: str
    requirements: dict[tuple[str, str], list[tuple[int, int]]]
    requests: list[tuple[str, str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Assignment:
    """One line of a solution: nurse, day index (0 = Monday), shift type, skill."""

    nurse: str
    day: int
    shift: str
    skill: str


@dataclass
class Solution:
    """A solution file: the week's index within the instance and its assignments."""

    week: int
    scenario: str
    assignments: list[Assignment]


_TOKEN = re.compile(r"\(\s*-?\d+\s*,\s*-?\d+\s*\)|=|[^\s=]+")
_PAIR = re.compile(r"\(\s*(-?\d+)\s*,\s*(-?\d+)\s*\)")


class _Tokens:
    """The tokens of a file, read one at a time, each error naming the file and the token."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            text = path.read_text(encoding="ascii", errors="strict")
        except FileNotFoundError:
            raise InrcFileError(f"{path}: no such file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InrcFileError(f"{path}: cannot be read as plain ASCII text ({exc})") from None
        self.items: list[str] = _TOKEN.findall(text.replace("\r", ""))
        self.at = 0

    def fail(self, expected: str) -> InrcFileError:
        found = repr(self.items[self.at]) if self.at < len(self.items) else "the end of the file"
        return InrcFileError(
            f"{self.path}: token {self.at + 1}: expected {expected}, found {found}"
        )

    def more(self) -> bool:
        return self.at < len(self.items)

    def peek(self) -> str:
        return self.items[self.at] if self.more() else ""

    def word(self, expected: str = "a name") -> str:
        if not self.more():
            raise self.fail(expected)
        self.at += 1
        return self.items[self.at - 1]

    def keyword(self, word: str) -> None:
        if self.peek() != word:
            raise self.fail(word)
        self.at += 1

    def number(self, what: str = "a whole number") -> int:
        token = self.peek()
        if not re.fullmatch(r"-?\d+", token):
            raise self.fail(what)
        self.at += 1
        return int(token)

    def pair(self, what: str = "a pair (a,b)") -> tuple[int, int]:
        match = _PAIR.fullmatch(self.peek())
        if not match:
            raise self.fail(what)
        self.at += 1
        return int(match.group(1)), int(match.group(2))

    def count(self, section: str) -> int:
        self.keyword(section)
        self.keyword("=")
        return self.number(f"the number of {section.lower()}")


def read_scenario(path: Path) -> Scenario:
    """Read ``Sc-<dataset>.txt`` (README 3.1)."""
    t = _Tokens(path)
    t.keyword("SCENARIO")
    t.keyword("=")
    name = t.word("the scenario name")
    t.keyword("WEEKS")
    t.keyword("=")
    weeks = t.number("the number of weeks")
    skills = [t.word("a skill") for _ in range(t.count("SKILLS"))]
    bounds: list[tuple[str, tuple[int, int]]] = []
    for _ in range(t.count("SHIFT_TYPES")):
        bounds.append((t.word("a shift type"), t.pair("(min,max) consecutive days")))
    t.keyword("FORBIDDEN_SHIFT_TYPES_SUCCESSIONS")
    forbidden: dict[str, tuple[str, ...]] = {}
    for _ in bounds:
        first = t.word("a shift type")
        forbidden[first] = tuple(t.word("a shift type") for _ in range(t.number("a count")))
    shift_types = [ShiftType(n, lo, hi, forbidden.get(n, ())) for n, (lo, hi) in bounds]
    contracts: dict[str, Contract] = {}
    for _ in range(t.count("CONTRACTS")):
        cname = t.word("a contract name")
        total = t.pair("(min,max) total assignments")
        work = t.pair("(min,max) consecutive working days")
        off = t.pair("(min,max) consecutive days off")
        weekends = t.number("the most working weekends")
        complete = t.number("1 or 0 (complete weekends)")
        contracts[cname] = Contract(cname, *total, *work, *off, weekends, complete == 1)
    nurses: list[Nurse] = []
    for _ in range(t.count("NURSES")):
        nname = t.word("a nurse name")
        contract = t.word("a contract name")
        if contract not in contracts:
            t.at -= 1
            raise t.fail(f"one of the contracts {', '.join(contracts)}")
        own = tuple(t.word("a skill") for _ in range(t.number("the number of skills")))
        nurses.append(Nurse(nname, contract, own))
    return Scenario(name, weeks, skills, shift_types, contracts, nurses)


def read_history(path: Path) -> History:
    """Read a history file (README 3.3): the initial ``H0-…`` or one the simulator wrote."""
    t = _Tokens(path)
    t.keyword("HISTORY")
    week = t.number("the number of weeks planned")
    scenario = t.word("the scenario name")
    t.keyword("NURSE_HISTORY")
    nurses: dict[str, NurseHistory] = {}
    while t.more():
        name = t.word("a nurse name")
        assignments = t.number("total assignments")
        weekends = t.number("total working weekends")
        last = t.word("the last shift type or None")
        same = t.number("consecutive days on the last shift type")
        work = t.number("consecutive working days")
        off = t.number("consecutive days off")
        last_shift = None if last == "None" else last
        nurses[name] = NurseHistory(name, assignments, weekends, last_shift, same, work, off)
    return History(week, scenario, nurses)


def read_week(path: Path) -> WeekData:
    """Read a week-data file ``WD-<dataset>-<j>.txt`` (README 3.2)."""
    t = _Tokens(path)
    t.keyword("WEEK_DATA")
    scenario = t.word("the scenario name")
    t.keyword("REQUIREMENTS")
    requirements: dict[tuple[str, str], list[tuple[int, int]]] = {}
    while t.more() and t.peek() != "SHIFT_OFF_REQUESTS":
        shift, skill = t.word("a shift type"), t.word("a skill")
        requirements[(shift, skill)] = [t.pair("(minimum,optimal)") for _ in DAYS]
    requests: list[tuple[str, str, int]] = []
    for _ in range(t.count("SHIFT_OFF_REQUESTS")):
        nurse, shift, day = t.word("a nurse"), t.word("a shift type or Any"), t.word("a day")
        if day not in DAYS:
            t.at -= 1
            raise t.fail("a day, Mon … Sun")
        requests.append((nurse, shift, DAYS.index(day)))
    return WeekData(scenario, requirements, requests)


def read_solution(path: Path) -> Solution:
    """Read a solution file (README 3.4); text after the N assignment lines is ignored."""
    t = _Tokens(path)
    t.keyword("SOLUTION")
    week = t.number("the week index")
    scenario = t.word("the scenario name")
    assignments: list[Assignment] = []
    for _ in range(t.count("ASSIGNMENTS")):
        nurse, day = t.word("a nurse"), t.word("a day")
        if day not in DAYS:
            t.at -= 1
            raise t.fail("a day, Mon … Sun")
        assignments.append(Assignment(nurse, DAYS.index(day), t.word("a shift"), t.word("a skill")))
    return Solution(week, scenario, assignments)


def solution_text(solution: Solution) -> str:
    """A solution in the competition's text format, assignments by nurse order then day."""
    lines = [
        "SOLUTION",
        f"{solution.week} {solution.scenario}",
        "",
        f"ASSIGNMENTS = {len(solution.assignments)}",
    ]
    lines += [f"{a.nurse} {DAYS[a.day]} {a.shift} {a.skill}" for a in solution.assignments]
    return "\n".join(lines) + "\n"


def history_text(history: History) -> str:
    """A history in the format the simulator writes."""
    lines = ["HISTORY", f"{history.week} {history.scenario}", "", "NURSE_HISTORY"]
    for h in history.nurses.values():
        lines.append(
            f"{h.nurse} {h.total_assignments} {h.total_weekends} {h.last_shift or 'None'} "
            f"{h.consecutive_same_shift} {h.consecutive_work} {h.consecutive_off}"
        )
    return "\n".join(lines) + "\n"


# --- scoring ------------------------------------------------------------------------------------


def grid(scenario: Scenario, solution: Solution) -> dict[str, list[str | None]]:
    """Each nurse's week as seven shift types (None: day off); on a day with two assignments the
    first is kept (H1 reports it)."""
    out: dict[str, list[str | None]] = {n.name: [None] * 7 for n in scenario.nurses}
    for a in solution.assignments:
        if a.nurse in out and 0 <= a.day < 7 and out[a.nurse][a.day] is None:
            out[a.nurse][a.day] = a.shift
    return out


def run_cost(flags: list[bool], carried: int, low: int, high: int) -> int:
    """Days outside ``low``–``high`` for the runs of true values of one week (README 5.3), the
    run of ``carried`` days that ended on the previous Sunday included: a run continuing from
    last week has length carried + days and is charged only for days over the maximum not
    charged before; a run that ended on that Sunday is checked against the minimum now; a run
    still open on Sunday is not checked against the minimum."""
    cost = 0
    if carried > 0 and not flags[0]:
        cost += max(0, low - carried)
    day = 0
    while day < len(flags):
        if not flags[day]:
            day += 1
            continue
        start = day
        while day < len(flags) and flags[day]:
            day += 1
        length = day - start
        before = carried if start == 0 else 0
        total = before + length
        cost += max(0, total - high) - max(0, before - high)
        if day < len(flags):
            cost += max(0, low - total)
    return cost


@dataclass
class WeekCost:
    """One week's hard violations (in words) and soft costs S1–S5."""

    hard: list[str]
    optimal_coverage: int = 0  # S1
    consecutive: int = 0  # S2, working days and shift types together
    days_off: int = 0  # S3
    preferences: int = 0  # S4
    complete_weekends: int = 0  # S5

    @property
    def cost(self) -> int:
        """S1 + S2 + S3 + S4 + S5."""
        return (
            self.optimal_coverage
            + self.consecutive
            + self.days_off
            + self.preferences
            + self.complete_weekends
        )


def week_cost(scenario: Scenario, history: History, week: WeekData, solution: Solution) -> WeekCost:
    """Score one week against the history before it: H1–H4 and S1–S5 (README 4, 5.3)."""
    out = WeekCost(hard=[])
    nurses = {n.name: n for n in scenario.nurses}
    shifts = {s.name: s for s in scenario.shift_types}
    seen: set[tuple[str, int]] = set()
    counts: dict[tuple[int, str, str], int] = {}
    for a in solution.assignments:
        where = f"{a.nurse} {DAYS[a.day] if 0 <= a.day < 7 else a.day} {a.shift} {a.skill}"
        if a.nurse not in nurses or a.shift not in shifts or a.skill not in scenario.skills:
            out.hard.append(f"{where}: unknown nurse, shift type or skill")
            continue
        if (a.nurse, a.day) in seen:
            out.hard.append(f"H1 {where}: a second assignment that day")
            continue
        seen.add((a.nurse, a.day))
        if a.skill not in nurses[a.nurse].skills:
            out.hard.append(f"H4 {where}: {a.nurse} lacks the skill")
        counts[(a.day, a.shift, a.skill)] = counts.get((a.day, a.shift, a.skill), 0) + 1
    for (shift, skill), pairs in week.requirements.items():
        for day, (minimum, optimal) in enumerate(pairs):
            n = counts.get((day, shift, skill), 0)
            if n < minimum:
                out.hard.append(f"H2 {DAYS[day]} {shift} {skill}: {n} nurses, minimum {minimum}")
            out.optimal_coverage += W_OPTIMAL * max(0, optimal - n)
    days = grid(scenario, solution)
    for nurse in scenario.nurses:
        row = days[nurse.name]
        past = history.nurses[nurse.name]
        contract = scenario.contracts[nurse.contract]
        previous = [past.last_shift, *row]
        for day in range(7):
            first, second = previous[day], previous[day + 1]
            if first is not None and second is not None and second in shifts[first].forbidden_next:
                out.hard.append(f"H3 {nurse.name} {DAYS[day]}: {first} then {second}")
        worked = [s is not None for s in row]
        out.consecutive += W_CONS_WORK * run_cost(
            worked,
            past.consecutive_work,
            contract.min_consecutive_work,
            contract.max_consecutive_work,
        )
        for kind in scenario.shift_types:
            carried = past.consecutive_same_shift if past.last_shift == kind.name else 0
            on = [s == kind.name for s in row]
            out.consecutive += W_CONS_SHIFT * run_cost(
                on, carried, kind.min_consecutive, kind.max_consecutive
            )
        out.days_off += W_CONS_OFF * run_cost(
            [not w for w in worked],
            past.consecutive_off,
            contract.min_consecutive_off,
            contract.max_consecutive_off,
        )
        if contract.complete_weekends and worked[5] != worked[6]:
            out.complete_weekends += W_COMPLETE
    for nurse_name, shift_name, day in week.requests:
        taken = days.get(nurse_name, [None] * 7)[day]
        if taken is not None and shift_name in ("Any", taken):
            out.preferences += W_PREFERENCE
    return out


def next_history(scenario: Scenario, history: History, solution: Solution) -> History:
    """The history the simulator writes after this week (README 5.2)."""
    days = grid(scenario, solution)
    nurses: dict[str, NurseHistory] = {}
    for nurse in scenario.nurses:
        row = days[nurse.name]
        h = history.nurses[nurse.name]
        worked = [s is not None for s in row]
        weekend = 1 if worked[5] or worked[6] else 0
        last = row[6]
        if last is None:
            off = _tail(worked, False)
            off += h.consecutive_off if off == 7 else 0
            nurses[nurse.name] = NurseHistory(
                nurse.name,
                h.total_assignments + sum(worked),
                h.total_weekends + weekend,
                None,
                0,
                0,
                off,
            )
            continue
        work = _tail(worked, True)
        work += h.consecutive_work if work == 7 else 0
        same = _tail([s == last for s in row], True)
        same += h.consecutive_same_shift if same == 7 and h.last_shift == last else 0
        nurses[nurse.name] = NurseHistory(
            nurse.name,
            h.total_assignments + sum(worked),
            h.total_weekends + weekend,
            last,
            same,
            work,
            0,
        )
    return History(history.week + 1, history.scenario, nurses)


def _tail(flags: list[bool], value: bool) -> int:
    """How many of the last flags, counted back from the end, equal ``value``."""
    n = 0
    for flag in reversed(flags):
        if flag != value:
            break
        n += 1
    return n


@dataclass
class Evaluation:
    """A whole run: each week's cost, S6 and S7 on the final counters, the total."""

    weeks: list[WeekCost]
    total_assignments: int  # S6
    working_weekends: int  # S7
    histories: list[History]

    @property
    def feasible(self) -> bool:
        """No week breaks H1–H4."""
        return not any(w.hard for w in self.weeks)

    @property
    def total(self) -> int:
        """Σ weeks (S1 + … + S5) + S6 + S7 (README 6)."""
        return sum(w.cost for w in self.weeks) + self.total_assignments + self.working_weekends


def final_costs(scenario: Scenario, history: History) -> tuple[int, int]:
    """S6 and S7 on the counters of the history left by the last week."""
    s6 = s7 = 0
    for nurse in scenario.nurses:
        h = history.nurses[nurse.name]
        contract = scenario.contracts[nurse.contract]
        s6 += W_TOTAL * (
            max(0, contract.min_total - h.total_assignments)
            + max(0, h.total_assignments - contract.max_total)
        )
        s7 += W_WEEKENDS * max(0, h.total_weekends - contract.max_weekends)
    return s6, s7


def evaluate(
    scenario: Scenario, initial: History, weeks: list[WeekData], solutions: list[Solution]
) -> Evaluation:
    """Score a run of consecutive weeks from the initial history, week by week (README 6)."""
    if len(weeks) != len(solutions):
        raise InrcFileError(f"{len(weeks)} week-data files but {len(solutions)} solutions")
    history = initial
    costs: list[WeekCost] = []
    histories = [initial]
    for week, solution in zip(weeks, solutions, strict=True):
        costs.append(week_cost(scenario, history, week, solution))
        history = next_history(scenario, history, solution)
        histories.append(history)
    s6, s7 = final_costs(scenario, history)
    return Evaluation(costs, s6, s7, histories)


def dataset_files(folder: Path, history: int, weeks: list[int]) -> Iterator[Path]:
    """The scenario, history and week-data files of an instance in a dataset folder laid out as
    ``n005w4/`` is (``Sc-<d>.txt``, ``H0-<d>-<i>.txt``, ``WD-<d>-<j>.txt``)."""
    name = folder.resolve().name
    yield folder / f"Sc-{name}.txt"
    yield folder / f"H0-{name}-{history}.txt"
    for j in weeks:
        yield folder / f"WD-{name}-{j}.txt"
