"""An evaluator of Curtois & Qu solutions, written from the format description alone
(shared/benchmarks/README.md, 1.3-1.4): it reads the instance file itself and shares no code
with the engine, the adapter (``benchmarks.curtois``) or the direct model
(``benchmarks.direct_curtois``), so every column of the benchmark tables has the same judge.

A solution is the CSV both benchmark scripts write: a header ``employee,day,shift``, then one row
per worked day (days off have no row).
"""

from __future__ import annotations

import csv
from pathlib import Path

#: (employee, day) → shift worked; a day off has no entry.
Roster = dict[tuple[str, int], str]


def _sections(path: Path) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    name = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            name = line
            out[name] = []
        else:
            out[name].append(line.split(","))
    return out


def evaluate(instance: Path, roster: Roster) -> tuple[int, list[str]]:
    """The objective of ``roster`` and its hard-constraint violations (empty when feasible)."""
    sec = _sections(instance)
    h = int(sec["SECTION_HORIZON"][0][0])
    length = {r[0]: int(r[1]) for r in sec["SECTION_SHIFTS"]}
    cannot = {r[0]: set(filter(None, r[2].split("|"))) for r in sec["SECTION_SHIFTS"]}
    bad: list[str] = []
    staff = [r[0] for r in sec["SECTION_STAFF"]]
    for e, d in roster:
        if e not in staff or not 0 <= d < h or roster[(e, d)] not in length:
            bad.append(f"unknown cell {e},{d},{roster[(e, d)]}")
    for row in sec["SECTION_STAFF"]:
        e = row[0]
        limits = {k: int(v) for k, v in (p.split("=") for p in row[1].split("|") if p)}
        max_min, min_min, max_cons, min_cons, min_off, max_we = (int(x) for x in row[2:8])
        days = [roster.get((e, d)) for d in range(h)]
        for d in range(h - 1):
            today, tomorrow = days[d], days[d + 1]
            if today is not None and tomorrow in cannot.get(today, set()):
                bad.append(f"{e}: {tomorrow} after {today} on day {d + 1}")
        for shift in length:
            if days.count(shift) > limits.get(shift, 0):
                bad.append(f"{e}: {days.count(shift)} x {shift} > {limits.get(shift, 0)}")
        minutes = sum(length.get(s, 0) for s in days if s)
        if not min_min <= minutes <= max_min:
            bad.append(f"{e}: {minutes} minutes outside {min_min}..{max_min}")
        worked = [s is not None for s in days]
        for first in range(h - max_cons):
            if all(worked[first : first + max_cons + 1]):
                bad.append(f"{e}: more than {max_cons} days in a row from day {first}")
        runs: list[tuple[int, int, bool]] = []  # (start, length, worked)
        for d, w in enumerate(worked):
            if runs and runs[-1][2] == w:
                runs[-1] = (runs[-1][0], runs[-1][1] + 1, w)
            else:
                runs.append((d, 1, w))
        for start, n, w in runs:
            if start == 0 or start + n == h:
                continue  # runs touching the horizon ends are not checked
            if w and n < min_cons:
                bad.append(f"{e}: {n} working days from day {start} < {min_cons}")
            if not w and n < min_off:
                bad.append(f"{e}: {n} days off from day {start} < {min_off}")
        weekends = sum(1 for k in range(h // 7) if worked[7 * k + 5] or worked[7 * k + 6])
        if weekends > max_we:
            bad.append(f"{e}: {weekends} weekends > {max_we}")
    for row in sec.get("SECTION_DAYS_OFF", []):
        for listed in row[1:]:
            if listed and (row[0], int(listed)) in roster:
                bad.append(f"{row[0]}: works on fixed day off {listed}")
    objective = 0
    for who, day, shift, weight in sec.get("SECTION_SHIFT_ON_REQUESTS", []):
        objective += int(weight) if roster.get((who, int(day))) != shift else 0
    for who, day, shift, weight in sec.get("SECTION_SHIFT_OFF_REQUESTS", []):
        objective += int(weight) if roster.get((who, int(day))) == shift else 0
    on_duty: dict[tuple[int, str], int] = {}
    for (_, d), s in roster.items():
        on_duty[d, s] = on_duty.get((d, s), 0) + 1
    for day, shift, req, under, over in sec["SECTION_COVER"]:
        n = on_duty.get((int(day), shift), 0)
        objective += int(under) * max(0, int(req) - n) + int(over) * max(0, n - int(req))
    return objective, bad


def read_solution(path: Path) -> Roster:
    """A solution CSV as (employee, day) → shift.

    Raises ValueError naming the file and line when the header is not ``employee,day,shift``, a
    row is malformed, or an employee has two shifts on one day."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    if not rows or rows[0] != ["employee", "day", "shift"]:
        raise ValueError(f"{path}: line 1: the header must be employee,day,shift")
    out: Roster = {}
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != 3 or not row[1].isdigit():
            raise ValueError(f"{path}: line {number}: write employee,day,shift (day a number)")
        e, d, s = row[0], int(row[1]), row[2]
        if (e, d) in out:
            raise ValueError(f"{path}: line {number}: {e} has a second shift on day {d}")
        out[(e, d)] = s
    return out


def roster_of(rows: list[tuple[str, int, str]]) -> Roster:
    """``(employee, day, shift)`` rows as a roster; a second shift on one day is an error."""
    out: Roster = {}
    for e, d, s in rows:
        if (e, d) in out:
            raise ValueError(f"{e} has a second shift on day {d}")
        out[(e, d)] = s
    return out


__all__ = ["Roster", "evaluate", "read_solution", "roster_of"]
