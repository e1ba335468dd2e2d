"""The solved roster: ``schedule.json`` (dutyroster.schedule/1), read and written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import ScheduleFileError
from .i18n import _

FORMAT = "dutyroster.schedule/1"


class Open(BaseModel):
    """Base of the schedule's parts: readers ignore fields added by later versions."""

    model_config = ConfigDict(extra="ignore")


class PeriodOut(Open):
    """The planning period: local midnight of the first day to local midnight after the last."""

    start: datetime = Field(description="Aware start of the period.")
    end: datetime = Field(description="Aware end of the period (exclusive).")


class SolverInfo(Open):
    """How the solver ran and how good the result is."""

    status: str = Field(description="OPTIMAL, FEASIBLE, INFEASIBLE, MODEL_INVALID or UNKNOWN.")
    objective: int | None = Field(description="Total penalty of the roster.")
    bound: int | None = Field(description="Proven lower bound on the total penalty.")
    wall_seconds: float = Field(description="Time the solve took.")
    workers: int = Field(description="CP-SAT worker count used.")
    seed: int = Field(description="CP-SAT random seed used.")
    mode: str = Field(
        "repeatable",
        description="wall: limited by wall-clock seconds; repeatable: by CP-SAT's deterministic "
        "work, so the same input, seed and workers give the same roster.",
    )
    interrupted: bool = Field(
        False, description="True when the solve was stopped (Ctrl-C) and this is its best so far."
    )
    wall_guard: bool = Field(
        False,
        description="Repeatable mode: true when the wall-clock guard (a multiple of the work "
        "units in seconds) stopped the search, or the proof of its shortage, before its work "
        "units, on a machine far slower or busier than CP-SAT's estimate; this roster may then "
        "differ from another machine's. Written only when true.",
    )
    shortages_unexplained: int = Field(
        0,
        description="Wall-clock mode: shortages (entries of shortages and quota_shortages) listed "
        "without their reasons because the time limit ran out before they were explained (their "
        'reasons read {"unexplained": missing}). Written only when above 0.',
    )
    shortage_proven: bool | None = Field(
        None,
        description="Whether the roster's shortage (people and quota places missing) is proven "
        "unavoidable: true when no roster leaves less missing (by priority), false when it was "
        "only not filled within the time limit; null when nothing is missing.",
    )
    shortage_bound: int | None = Field(
        None,
        description="Places (people below minimums and team quotas) that every roster leaves "
        "missing, as proven; null when nothing is missing.",
    )


class ObjectiveTerm(Open):
    """One named part of the objective."""

    rule: str = Field(description="Rule id, e.g. shortage or fair_hours.")
    penalty: int = Field(description="Weighted penalty of this rule in the roster.")
    label: str = Field("", description="What the rule means, in words.")


class SlotOut(Open):
    """One slot with the people assigned to it."""

    id: str = Field(description="Slot id: <post>/<local start, YYYY-MM-DDTHH:MM>.")
    post: str = Field(description="Post id.")
    start: datetime = Field(description="Aware start, in the roster's time zone.")
    end: datetime = Field(description="Aware end (exclusive).")
    min: int = Field(description="Hard minimum of people.")
    target: int = Field(description="Number of people wanted.")
    max: int = Field(description="Hard maximum of people.")
    assigned: list[str] = Field(description="Person ids, in the roster's order of people.")
    shortage: int = Field(description="People missing below the minimum.")


class PostOut(Open):
    """A post as workers see it: its name and place."""

    id: str = Field(description="Post id.")
    name: str = Field(description="Name shown to people.")
    location: str = Field("", description="Where it is.")


class PersonOut(Open):
    """One person's load in the roster."""

    id: str = Field(description="Person id.")
    name: str = Field(description="Name as people know it.")
    hours: float = Field(description="Hours on duty in the period.")
    shifts: int = Field(description="Shifts in the period.")
    nights: int = Field(description="Night shifts in the period.")
    away: list[str] = Field(
        default_factory=list, description="Leave overlapping the period: dates and reason."
    )


class ShortageOut(Open):
    """A slot short of its minimum, with why the people who might have taken it could not."""

    slot: str = Field(description="Slot id.")
    post: str = Field(description="Post id.")
    start: datetime = Field(description="Start of the slot.")
    missing: int = Field(description="People missing below the minimum.")
    reasons: dict[str, int] = Field(
        default_factory=dict, description="Reason id → how many people it kept away."
    )
    text: str = Field("", description="The reasons in words.")
    people: dict[str, str] = Field(
        default_factory=dict, description="Person id → why they could not take it (the rule)."
    )
    tag: str | None = Field(
        None, description="For a team quota's shortfall: the tag missing (None: the headcount)."
    )


class WindowPersonOut(Open):
    """One person's totals over the rolling window: published weeks and this period together."""

    id: str
    hours: float = Field(description="Hours worked in the window.")
    nights: int = Field(description="Night shifts in the window.")
    weekends: int = Field(description="Weekends worked (Saturday or Sunday) in the window.")


class WindowOut(Open):
    """The rolling window a schedule was made with (only when published weeks were known)."""

    first: date = Field(description="First date of the window (a Monday).")
    last: date = Field(description="Last date of the window: the period's last.")
    weeks: int = Field(description="ISO weeks in the window (window_weeks).")
    published: list[str] = Field(
        default_factory=list, description="The published periods counted, e.g. 2020-W05."
    )
    people: list[WindowPersonOut] = Field(default_factory=list)


class Schedule(Open):
    """The result for a planning period."""

    format: Literal["dutyroster.schedule/1"] = Field(
        "dutyroster.schedule/1", description="Name and version of the format."
    )
    roster: str = Field(description="Name of the community.")
    timezone: str = Field(description="IANA time zone.")
    period: PeriodOut = Field(description="The planning period.")
    generated_at: datetime | None = Field(
        None, description="When the roster was generated; feeds use it as DTSTAMP."
    )
    solver: SolverInfo = Field(description="How the solver ran.")
    objective_terms: list[ObjectiveTerm] = Field(
        description="The penalty split by rule; the terms add up to solver.objective. The "
        "per-person rules (preferred_*, complete_weekends) appear only when somebody has one."
    )
    language: str = Field("zh", description="Language of the texts for people (zh or en).")
    posts: list[PostOut] = Field(default_factory=list, description="Names of the posts.")
    slots: list[SlotOut] = Field(description="Every slot of the period, in time order.")
    people: list[PersonOut] = Field(description="Every person's load.")
    shortages: list[ShortageOut] = Field(
        default_factory=list, description="Slots short of their minimum, with the reasons."
    )
    quota_shortages: list[ShortageOut] = Field(
        default_factory=list,
        description="Shifts with fewer people of a tag than a team quota asks, each with why.",
    )
    hints: list[str] = Field(default_factory=list, description="Staffing hints, in words.")
    window: WindowOut | None = Field(
        None, description="Totals per person over the rolling window, when a history was used."
    )

    def to_json(self) -> str:
        """The JSON text, UTF-8 characters kept as they are, keys in the documented order."""
        data = self.model_dump(mode="json", exclude_none=False)
        if data.get("window") is None:
            data.pop("window", None)  # a schedule made without history reads as before
        if not data["solver"].get("wall_guard"):
            data["solver"].pop("wall_guard", None)  # written only when the guard stopped a run
        if not data["solver"].get("shortages_unexplained"):
            data["solver"].pop("shortages_unexplained", None)
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def current_umask() -> int:
    """The process's file-creation mask (Python 3.11 has no ``os.getumask``)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: Path, text: str | bytes, mode: int | None = None) -> None:
    """Write ``path`` through a temporary file in the same folder and rename it into place, so a
    reader never sees half a file and a failure leaves the old file untouched.

    The file gets ``mode``, or by default what the umask gives a new file (0644 under the usual
    022): the temporary file is created 0600, and a rename keeps the mode it has.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode if mode is not None else 0o666 & ~current_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_schedule(path: Path) -> Schedule:
    """Read a ``schedule.json``; errors name the file and what is wrong with it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ScheduleFileError(
            _("{path}: no such file; run `roster solve` first").format(path=path)
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ScheduleFileError(
            _("{path}: not a JSON file ({reason})").format(path=path, reason=exc)
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ScheduleFileError(
            _("{path}: not a dutyroster schedule (format is not {format})").format(
                path=path, format=FORMAT
            )
        )
    try:
        return Schedule.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ScheduleFileError(f"{path}: {where}: {first['msg']}") from None
