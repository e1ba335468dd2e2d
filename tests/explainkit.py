"""Factories for the explanation tests: tiny roster folders written from a few keywords."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from roster.load import Roster, load_roster
from roster.schedule import Schedule
from roster.slots import Period, Slot, expand
from solver.solve import SolveOptions, solve

#: Monday 3 February 2020, the reference week 2020-W06.
MONDAY = date(2020, 2, 3)


def person(pid: str, name: str, *tags: str, skills: tuple[str, ...] = (), **rules: Any) -> Any:
    """A person entry of roster.yaml."""
    return {"id": pid, "name": name, "tags": list(tags), "skills": list(skills), "rules": rules}


def post(
    pid: str,
    name: str,
    start: str = "08:00",
    hours: float = 6,
    *,
    need: int = 1,
    skills: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    quotas: tuple[tuple[str, int], ...] = (),
    **extra: Any,
) -> Any:
    """A post entry of roster.yaml with one shift a day, ``need`` people on it at least."""
    return {
        "id": pid,
        "name": name,
        "shifts": [{"start": start, "hours": hours}],
        "headcount": {"min": need},
        "skills": list(skills),
        "tags": list(tags),
        "quotas": [{"tag": t, "min": n} for t, n in quotas],
        **extra,
    }


def write_roster(
    folder: Path, posts: list[Any], people: list[Any], *, language: str = "zh", **config: Any
) -> Roster:
    """Write roster.yaml into ``folder`` and load it. Tags and skills are declared from the
    people and posts (labels: ``labels``, default the id)."""
    labels: dict[str, str] = config.pop("labels", {})
    tags = {t for p in people for t in p["tags"]} | {t for p in posts for t in p["tags"]}
    tags |= {q["tag"] for p in posts for q in p["quotas"]}
    skills = {s for p in people for s in p["skills"]} | {s for p in posts for s in p["skills"]}
    data = {
        "name": "测试社区" if language == "zh" else "Test community",
        "language": language,
        "tags": {t: labels.get(t, t) for t in sorted(tags)},
        "skills": {s: labels.get(s, s) for s in sorted(skills)},
        "posts": posts,
        "people": people,
        **config,
    }
    folder.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None)
    (folder / "roster.yaml").write_text(text, encoding="utf-8")
    return load_roster(folder)


def days(roster: Roster, count: int = 4) -> tuple[Period, list[Slot]]:
    """The period of ``count`` days from MONDAY and its slots."""
    last = date.fromordinal(MONDAY.toordinal() + count - 1)
    period = Period(MONDAY, last, roster.config.timezone)
    return period, expand(roster.config, period)


def solved(roster: Roster, count: int = 4, *, strict: bool = False) -> Schedule:
    """The roster solved over ``count`` days with a fixed seed and worker count."""
    period, _ = days(roster, count)
    return solve(
        roster,
        period,
        SolveOptions(repeatable=True, work_units=5, workers=2, seed=0, strict=strict),
    )
