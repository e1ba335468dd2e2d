"""Reading a roster folder (roster.yaml plus people.csv or people.xlsx) into validated models."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .errors import LoadError, LoadErrors
from .models import DEFAULT_RULES, Leave, Person, Post, RosterConfig, RuleSet, parse_moment

ROSTER_FILE = "roster.yaml"
PEOPLE_FILES = ("people.csv", "people.xlsx")

#: People-file columns besides the rule columns (any key of RuleSet may be a column too).
PEOPLE_COLUMNS = ("id", "name", "tags", "skills", "phone", "share_phone", "unavailable", "note")
#: Chinese column headings coordinators use, and the column each stands for.
COLUMN_ALIASES = {
    "编号": "id",
    "姓名": "name",
    "标签": "tags",
    "身份": "tags",
    "技能": "skills",
    "电话": "phone",
    "公开电话": "share_phone",
    "不可排班": "unavailable",
    "请假": "unavailable",
    "备注": "note",
    "不值夜班": "no_nights",
    "每周最多小时": "max_hours_per_week",
}
_LIST_SPLIT = re.compile(r"[;；]")
_DAY = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
_UNAVAILABLE = re.compile(rf"^({_DAY})(?:\s*(?:\.\.|~|～|至|–)\s*({_DAY}))?\s*(.*)$")
_BOOL_WORDS = {"是": "true", "否": "false", "对": "true", "√": "true", "×": "false"}


@dataclass
class Roster:
    """A loaded roster folder: the configuration and every person, cross-checked."""

    folder: Path
    config: RosterConfig
    people: list[Person]
    leave: dict[str, list[Leave]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._people = {p.id: p for p in self.people}
        self._posts = {p.id: p for p in self.config.posts}
        self._rules: dict[str, RuleSet] = {}

    @property
    def name(self) -> str:
        """The community's name."""
        return self.config.name

    @property
    def zone(self) -> ZoneInfo:
        """The community's time zone."""
        return ZoneInfo(self.config.timezone)

    def person(self, person_id: str) -> Person:
        """The person with this id."""
        return self._people[person_id]

    def post(self, post_id: str) -> Post:
        """The post with this id."""
        return self._posts[post_id]

    def rules_for(self, person: Person) -> RuleSet:
        """The rules in force for a person: defaults < global < each of their tags < their own."""
        cached = self._rules.get(person.id)
        if cached is not None:
            return cached
        merged = DEFAULT_RULES.model_dump(exclude_none=True)
        merged.update(self.config.rules.model_dump(exclude_none=True))
        for tag, rules in self.config.rules_by_tag.items():
            if tag in person.tags:
                merged.update(rules.model_dump(exclude_none=True))
        merged.update(person.rules.model_dump(exclude_none=True))
        resolved = RuleSet.model_validate(merged)
        self._rules[person.id] = resolved
        return resolved

    def away(self, person_id: str) -> list[tuple[datetime, datetime, str]]:
        """The person's leave as aware (start, end, reason) intervals in the community's zone."""
        out = []
        for item in self.leave.get(person_id, []):
            out.append(
                (
                    _aware(item.start, self.zone, False),
                    _aware(item.end, self.zone, True),
                    item.reason,
                )
            )
        return out


def _aware(value: date | datetime, zone: ZoneInfo, end: bool) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    day = value + timedelta(days=1) if end else value
    return datetime.combine(day, time(), zone)


# --- YAML ---------------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1's base-60 numbers, so 8:00 and 25:00 stay text to validate."""


_Loader.yaml_implicit_resolvers = {
    key: [
        (tag, rx)
        for tag, rx in resolvers
        if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
    ]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


def _timestamp_or_text(loader: _Loader, node: yaml.ScalarNode) -> Any:
    """YAML's dates, except that one not on the calendar (2020-02-30) stays text, so validation
    names its place instead of the YAML reader failing with a bare ValueError."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file; errors name the file, the line and the column."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise LoadError(str(path), "", "no such file; `roster init DIR` writes a starter") from None
    except UnicodeDecodeError:
        raise LoadError(str(path), "", "not UTF-8 text; save it as UTF-8") from None
    try:
        return yaml.load(text, Loader=_Loader)  # _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = f"bad YAML: {exc.problem}"
        if "'\\t'" in (exc.problem or ""):
            problem += "; YAML indents with spaces only: replace the tab with spaces"
        raise LoadError(str(path), where, problem) from None
    except yaml.YAMLError as exc:
        raise LoadError(str(path), "", f"bad YAML: {exc}") from None


def format_loc(loc: Iterable[int | str]) -> str:
    """``('posts', 2, 'shifts', 0, 'end')`` as ``posts[2].shifts[0].end``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _model_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model class found by following ``loc`` from ``model`` (None when it leaves models)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or not (
            isinstance(current, type) and issubclass(current, BaseModel)
        ):
            continue
        info = current.model_fields.get(part)
        if info is None:
            # A dict key such as a tag name under rules_by_tag: stay on the dict's value model.
            continue
        current = _inner_model(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def explain_error(root: type[BaseModel], error: ErrorDetails) -> tuple[str, str]:
    """A pydantic error as (path, problem) in a coordinator's words."""
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        owner = _model_at(root, loc[:-1])
        known = ", ".join(owner.model_fields) if owner else ""
        where = format_loc(loc[:-1])
        problem = f"unknown key {loc[-1]!r}" + (f"; expected one of: {known}" if known else "")
        return where, problem
    if kind == "missing":
        owner = _model_at(root, loc[:-1])
        info = owner.model_fields.get(str(loc[-1])) if owner else None
        what = f" ({info.description})" if info and info.description else ""
        return format_loc(loc[:-1]), f"missing key {loc[-1]!r}{what}"
    if kind == "too_short":
        owner = _model_at(root, loc[:-1])
        info = owner.model_fields.get(str(loc[-1])) if owner else None
        least = (error.get("ctx") or {}).get("min_length", 1)
        described = (info.description or "").rstrip(".") if info else ""
        what = f" ({described[:1].lower()}{described[1:]})" if described else ""
        return format_loc(loc), f"is empty; list at least {least}{what}"
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    elif "input" in error and not isinstance(error["input"], dict | list):
        message = f"{error['input']!r}: {message}"
    return format_loc(loc), message


# --- people files -------------------------------------------------------------------------------


def _rows_csv(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # WPS and Excel on Chinese Windows save "CSV" in the local code page.
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise LoadError(str(path), "", "not UTF-8 text; save it as CSV UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    yield from _rows(path, reader)


def _rows_xlsx(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise LoadError(str(path), "", f"cannot open as an Excel workbook ({exc})") from None
    sheet = book.worksheets[0]
    rows = ([_cell_text(c) for c in row] for row in sheet.iter_rows(values_only=True))
    yield from _rows(path, rows)
    book.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    return str(value)


def _is_title_row(row: list[str]) -> bool:
    """A row above the headings: blank, or one filled cell that names no column."""
    filled = [cell.strip() for cell in row if cell and cell.strip()]
    if len(filled) > 1:
        return False
    return not filled or COLUMN_ALIASES.get(filled[0], filled[0]) not in ("id", "name")


def _rows(path: Path, rows: Iterable[list[str]]) -> Iterator[tuple[int, dict[str, str]]]:
    iterator = iter(rows)
    header = next(iterator, None)
    heading_row = 1
    # Spreadsheets often open with a title (one merged cell, "兴旺社区人员名单") or blank rows
    # above the headings: skip rows with at most one filled cell that is not itself a heading.
    while header is not None and _is_title_row(header):
        header = next(iterator, None)
        heading_row += 1
    if header is None:
        raise LoadError(str(path), "", "the file is empty; the first row names the columns")
    columns = [COLUMN_ALIASES.get(h.strip(), h.strip()) for h in header]
    allowed = set(PEOPLE_COLUMNS) | set(RuleSet.model_fields)
    for number, name in enumerate(columns, start=1):
        if name and name not in allowed:
            raise LoadError(
                str(path),
                f"row {heading_row}, column {number}",
                f"unknown column {name!r}; expected id, name and any of: "
                + ", ".join(c for c in (*PEOPLE_COLUMNS[2:], *RuleSet.model_fields)),
            )
    for required in ("id", "name"):
        if required not in columns:
            raise LoadError(
                str(path), f"row {heading_row}", f"no column {required!r}; id and name come first"
            )
    for number, row in enumerate(iterator, start=heading_row + 1):
        cells = {
            c: (row[i].strip() if i < len(row) and row[i] else "")
            for i, c in enumerate(columns)
            if c
        }
        if not any(cells.values()):
            continue
        yield number, cells


def _person_from_row(path: Path, number: int, cells: dict[str, str]) -> Person:
    data: dict[str, Any] = {}
    rules: dict[str, Any] = {}
    for column, value in cells.items():
        if value == "":
            continue
        if column in ("tags", "skills"):
            data[column] = [v.strip() for v in _LIST_SPLIT.split(value) if v.strip()]
        elif column == "unavailable":
            continue
        elif column == "share_phone":
            data[column] = _BOOL_WORDS.get(value, value)
        elif column in PEOPLE_COLUMNS:
            data[column] = value
        elif column == "max_shifts_per_post":
            rules[column] = _parse_mapping(path, number, column, value)
        else:
            rules[column] = _BOOL_WORDS.get(value, value)
    data["rules"] = rules
    try:
        return Person.model_validate(data)
    except ValidationError as exc:
        where, problem = explain_error(Person, exc.errors()[0])
        column = where.split(".")[-1] if where else ""
        raise LoadError(str(path), f"row {number}, column {column}", problem) from None


def _parse_mapping(path: Path, number: int, column: str, value: str) -> dict[str, str]:
    out = {}
    for part in _LIST_SPLIT.split(value):
        if not part.strip():
            continue
        key, sep, count = part.partition("=")
        if not sep:
            raise LoadError(
                str(path),
                f"row {number}, column {column}",
                f"{part.strip()!r} should read post=count, e.g. duty=2",
            )
        out[key.strip()] = count.strip()
    return out


def _leave_from_cell(path: Path, number: int, person: str, value: str) -> list[Leave]:
    out = []
    for part in _LIST_SPLIT.split(value):
        part = part.strip()
        if not part:
            continue
        match = _UNAVAILABLE.match(part)
        if not match:
            raise LoadError(
                str(path),
                f"row {number}, column unavailable",
                f"{part!r} is not a date or a range of dates; write 2020-02-05 or "
                "2020-02-05..2020-02-08, then the reason",
            )
        try:
            first = parse_moment(match.group(1), times=False)
            last = parse_moment(match.group(2), times=False) if match.group(2) else first
        except ValueError as exc:
            raise LoadError(
                str(path), f"row {number}, column unavailable", f"{part!r}: {exc}"
            ) from None
        if last < first:
            raise LoadError(
                str(path),
                f"row {number}, column unavailable",
                f"{part!r}: the range ends before it starts",
            )
        out.append(
            Leave.model_validate(
                {"person": person, "from": first, "to": last, "reason": match.group(3).strip()}
            )
        )
    return out


# --- the folder ---------------------------------------------------------------------------------


def load_roster(folder: Path | str) -> Roster:
    """Load and cross-check a roster folder; every problem is reported with its file and place."""
    folder = Path(folder)
    if not folder.is_dir():
        raise LoadError(str(folder), "", "no such folder; `roster init DIR` writes a starter")
    path = folder / ROSTER_FILE
    raw = read_yaml(path)
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise LoadError(str(path), "", "should be a mapping of keys (name:, posts:, …)")
    try:
        config = RosterConfig.model_validate(raw)
    except ValidationError as exc:
        problems = [LoadError(str(path), *explain_error(RosterConfig, e)) for e in exc.errors()]
        raise LoadErrors(problems) from None

    people: list[Person] = list(config.people)
    # Where each person is defined: (file, place prefix, whether it is a spreadsheet row).
    origin: dict[str, tuple[str, str, bool]] = {
        p.id: (str(path), f"people[{i}]", False) for i, p in enumerate(people)
    }
    leave: list[Leave] = list(config.leave)
    people_path = _people_path(folder, config)
    errors: list[LoadError] = []
    if people_path is not None:
        rows = _rows_xlsx(people_path) if people_path.suffix == ".xlsx" else _rows_csv(people_path)
        for number, cells in rows:
            try:
                person = _person_from_row(people_path, number, cells)
                leave.extend(
                    _leave_from_cell(people_path, number, person.id, cells.get("unavailable", ""))
                )
            except LoadError as exc:
                errors.append(exc)
                continue
            if person.id in origin:
                file, place, _ = origin[person.id]
                errors.append(
                    LoadError(
                        str(people_path),
                        f"row {number}, column id",
                        f"id {person.id!r} is already used by {file}: {place}",
                    )
                )
                continue
            origin[person.id] = (str(people_path), f"row {number}", True)
            people.append(person)
    no_people = _no_people_hint(folder, people_path)
    errors.extend(_cross_check(path, config, people, origin, no_people))
    if not people and not errors:
        # Nothing can be rostered with nobody: say where people were looked for.
        errors.append(LoadError(str(folder), "", no_people))
    if errors:
        raise LoadErrors(errors)
    by_person: dict[str, list[Leave]] = {}
    for item in leave:
        by_person.setdefault(item.person, []).append(item)
    return Roster(folder=folder, config=config, people=people, leave=by_person)


def _people_path(folder: Path, config: RosterConfig) -> Path | None:
    if config.people_file:
        path = folder / config.people_file
        if not path.is_file():
            raise LoadError(
                str(folder / ROSTER_FILE),
                "people_file",
                f"{config.people_file!r} does not exist in {folder}",
            )
        if path.suffix.lower() not in (".csv", ".xlsx"):
            raise LoadError(
                str(folder / ROSTER_FILE),
                "people_file",
                f"{config.people_file!r}: use a .csv or .xlsx file",
            )
        return path
    found = [folder / name for name in PEOPLE_FILES if (folder / name).is_file()]
    if len(found) > 1:
        raise LoadError(
            str(folder),
            "",
            "both people.csv and people.xlsx exist; keep one, or "
            "name it in roster.yaml as people_file",
        )
    return found[0] if found else None


def _no_people_hint(folder: Path, people_path: Path | None) -> str:
    """Why a folder has nobody, and the fix: an empty people file, a people file under a name
    that is not read (people.txt), or none at all."""
    if people_path is not None:
        return f"{people_path.name} has no rows of people; add one row per person under its heading"
    near = sorted(
        p.name
        for p in folder.iterdir()
        if p.is_file()
        and p.stem.lower() in ("people", "人员", "名单")
        and p.name not in PEOPLE_FILES
    )
    if near:
        return f"no people file is read; save {near[0]} as people.csv (or people.xlsx)"
    return (
        "no people are declared; add people.csv (or people.xlsx) to the folder, "
        "or list them under people: in roster.yaml"
    )


def _cross_check(
    path: Path,
    config: RosterConfig,
    people: list[Person],
    origin: dict[str, tuple[str, str, bool]],
    no_people: str = "",
) -> list[LoadError]:
    """References between parts of the folder: tags, skills, posts and people that must exist.
    ``no_people`` says where people come from, for a folder that declares none."""
    file = str(path)
    errors: list[LoadError] = []
    tags, skills = set(config.tags), set(config.skills)
    post_ids: dict[str, int] = {}
    person_ids = {p.id for p in people}

    def unknown(kind: str, value: str, known: Iterable[str]) -> str:
        names = sorted(known)
        if not names and kind == "person":
            return f"unknown person {value!r}: {no_people}"
        listed = ", ".join(names) if names else f"none declared; add it under {kind}s:"
        return f"unknown {kind} {value!r} (known: {listed})"

    for i, post in enumerate(config.posts):
        if post.id in post_ids:
            errors.append(
                LoadError(
                    file,
                    f"posts[{i}].id",
                    f"post id {post.id!r} is already used by posts[{post_ids[post.id]}]",
                )
            )
        post_ids.setdefault(post.id, i)
        for j, skill in enumerate(post.skills):
            if skill not in skills:
                errors.append(
                    LoadError(file, f"posts[{i}].skills[{j}]", unknown("skill", skill, skills))
                )
        for j, tag in enumerate(post.tags):
            if tag not in tags:
                errors.append(LoadError(file, f"posts[{i}].tags[{j}]", unknown("tag", tag, tags)))
        for j, quota in enumerate(post.quotas):
            if quota.tag not in tags:
                errors.append(
                    LoadError(file, f"posts[{i}].quotas[{j}].tag", unknown("tag", quota.tag, tags))
                )
        starts: dict[tuple[Any, ...], int] = {}
        for j, pattern in enumerate(post.shifts):
            for key in [(pattern.start, d) for d in (pattern.dates or pattern.days)]:
                if key in starts:
                    other = starts[key]
                    errors.append(
                        LoadError(
                            file,
                            f"posts[{i}].shifts[{j}]",
                            f"starts at {pattern.start:%H:%M} on the same day as shifts[{other}];"
                            " give one of them another start time",
                        )
                    )
                    break
                starts[key] = j
    for tag in config.rules_by_tag:
        if tag not in tags:
            errors.append(LoadError(file, f"rules_by_tag.{tag}", unknown("tag", tag, tags)))
    seen: dict[str, int] = {}
    for i, person in enumerate(config.people):
        if person.id in seen:
            errors.append(
                LoadError(
                    file,
                    f"people[{i}].id",
                    f"id {person.id!r} is already used by people[{seen[person.id]}]",
                )
            )
        seen.setdefault(person.id, i)

    def at(person: Person, key: str, index: int | None = None) -> tuple[str, str]:
        source, place, sheet = origin[person.id]
        if sheet:
            return source, f"{place}, column {key}"
        return source, f"{place}.{key}" + (f"[{index}]" if index is not None else "")

    for person in people:
        for j, tag in enumerate(person.tags):
            if tag not in tags:
                errors.append(LoadError(*at(person, "tags", j), unknown("tag", tag, tags)))
        for j, skill in enumerate(person.skills):
            if skill not in skills:
                errors.append(LoadError(*at(person, "skills", j), unknown("skill", skill, skills)))
        for post_id in person.rules.max_shifts_per_post or {}:
            if post_id not in post_ids:
                source, place, sheet = origin[person.id]
                where = f"{place}, column " if sheet else f"{place}.rules."
                errors.append(
                    LoadError(
                        source, where + "max_shifts_per_post", unknown("post", post_id, post_ids)
                    )
                )
    rule_sets = [("rules", config.rules)] + [
        (f"rules_by_tag.{t}", r) for t, r in config.rules_by_tag.items()
    ]
    for where, rules in rule_sets:
        for post_id in rules.max_shifts_per_post or {}:
            if post_id not in post_ids:
                errors.append(
                    LoadError(
                        file, f"{where}.max_shifts_per_post", unknown("post", post_id, post_ids)
                    )
                )
    for i, item in enumerate(config.leave):
        if item.person not in person_ids:
            errors.append(
                LoadError(file, f"leave[{i}].person", unknown("person", item.person, person_ids))
            )
    for i, request in enumerate(config.requests):
        if request.person not in person_ids:
            errors.append(
                LoadError(
                    file, f"requests[{i}].person", unknown("person", request.person, person_ids)
                )
            )
        if request.post is not None and request.post not in post_ids:
            errors.append(
                LoadError(file, f"requests[{i}].post", unknown("post", request.post, post_ids))
            )
        request_post = (request.slot or "").partition("/")[0]
        if request.slot is not None and request_post not in post_ids:
            errors.append(
                LoadError(
                    file,
                    f"requests[{i}].slot",
                    unknown("post", request_post, post_ids)
                    + "; a slot id reads <post>/<YYYY-MM-DDTHH:MM>",
                )
            )
    for i, pin in enumerate(config.pins):
        if pin.person not in person_ids:
            errors.append(
                LoadError(file, f"pins[{i}].person", unknown("person", pin.person, person_ids))
            )
        pin_post = pin.slot.partition("/")[0]
        if pin_post not in post_ids:
            errors.append(
                LoadError(
                    file,
                    f"pins[{i}].slot",
                    unknown("post", pin_post, post_ids)
                    + "; a slot id reads <post>/<YYYY-MM-DDTHH:MM>",
                )
            )
    for i, succession in enumerate(config.successions):
        for side, names in (("after", succession.after), ("then", succession.then)):
            for j, name in enumerate(names):
                if name not in post_ids and name not in ("night", "day"):
                    errors.append(
                        LoadError(
                            file,
                            f"successions[{i}].{side}[{j}]",
                            unknown("post", name, [*post_ids, "night", "day"]),
                        )
                    )
    return errors
