"""A generated district like the reference case's (29 communities, about 1,057 people) and a
runner that solves one week of it and reports how fast and how well.

Every community is a copy of the reference community (``examples/xingwang``): its posts, rules and
mix of people, at a size of its own, with a demand that fits its size (a small community keeps
fewer people at its gate; see ``LIGHTER``). Communities share no people: each person carries their
community's tag and each community's posts are open only to that tag.

    python -m benchmarks.district generate OUT_DIR [--seed N] [--communities 29] [--people 1057]
    python -m benchmarks.district run [--time-limit S | --repeatable --work-units U] [--workers N]
        [--results FILE]
    python -m benchmarks.district part COMMUNITY [--time-limit S | --repeatable --work-units U]
        [--workers N] [--strict]
    python -m benchmarks.district alone [--time-limit 60] [--within 1] [--workers 2]
"""

from __future__ import annotations

import copy
import csv
import platform
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path
from typing import Any

import click
import yaml

from benchmarks.params import param_option, parse_params
from roster.load import Roster, load_roster, read_yaml
from roster.models import WEEKDAYS, Person, RosterConfig
from roster.slots import Period, expand, make_period

#: The reference community every community of the district copies.
REFERENCE = Path(__file__).resolve().parent.parent / "examples" / "xingwang"
#: The week the district is solved for, and the week its leave and requests fall in.
WEEK = "2020-W06"

_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
    "顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文祁冶鲁韩马"
)
_GIVEN = "建国永福海燕晓东玉兰志强文娟国栋春梅小军桂芳成林明德红霞丽娟静德荣生福秀英丽萍振华"
#: Community names (stems of 社区 names in the district of the report, and invented ones).
_STEMS = (
    "兴旺",
    "长江路",
    "南山",
    "北大街",
    "人民街",
    "饮马街",
    "礼让街",
    "南川东路",
    "南川西路",
    "总寨",
    "南滩",
    "仓门街",
    "水井巷",
    "法院街",
    "下南关",
    "东关",
    "花园",
    "石坡街",
    "同仁路",
    "西关",
    "新民街",
    "东稍门",
    "湟光",
    "昆仑路",
    "和平路",
    "园树",
    "兴胜巷",
    "南大街",
    "砖厂路",
    "瑞和",
    "德令哈路",
    "万达",
    "西门",
    "红光",
    "文汇",
    "七一路",
    "通海路",
)
_LEAVE_REASONS = ("病假", "发热留观", "居家隔离观察", "陪护住院家人", "复查", "腰扭伤")

#: Roles a community cannot do without, with the fewest people of each: duty needs enough
#: committee members for a 24-hour turn every day with a day's rest after each.
_MIN_ROLE = {"committee": 4, "grid_leader": 2}


@dataclass(frozen=True)
class Step:
    """One change of a community's demand from the reference's: the least headcount of ``posts``
    set to ``headcount`` (0 drops them; only on the shifts starting at ``at`` when given), or their
    shift starting at ``close`` dropped (closed at that time of day). Posts the reference does not
    have are skipped."""

    posts: tuple[str, ...]
    headcount: int | None = None
    close: str | None = None
    at: tuple[str, ...] = ()
    why: str = ""


#: The reference's gate posts, open around the clock in four shifts.
_GATE = ("gate-temp", "gate-register", "gate-turnback")
#: How a community smaller than the reference lightens its demand, one step after another, each
#: taken only while its people could not staff the demand with the reference's slack.
LIGHTER = (
    Step(("grid-screening",), headcount=1, why="网格长独自入户摸排"),
    Step(("disinfect-corridors",), headcount=1, why="楼道消杀一人一组"),
    Step(("gate-temp",), headcount=1, at=("00:00", "18:00"), why="夜班只用一台体温仪"),
    Step(("gate-temp",), headcount=1, why="只用一台体温仪"),
    Step(_GATE, close="00:00", why="门岗夜间 00:00–06:00 关闭"),
    Step(("gate-turnback",), headcount=0, why="登记点兼做劝返"),
)
#: How a community bigger than the reference adds to its demand, in order, each step taken only
#: while its people can still staff it with the reference's slack.
HEAVIER = (
    Step(("gate-register",), headcount=2, why="两张登记桌"),
    Step(("disinfect-lifts",), headcount=2, why="电梯消杀两人一组"),
    Step(("grid-screening",), headcount=3, why="三人入户摸排"),
    Step(("gate-turnback",), headcount=2, why="劝返点两人"),
    Step(("disinfect-corridors",), headcount=3, why="楼道消杀三人一组"),
)


@dataclass(frozen=True)
class Profile:
    """A person of the reference community, as a pattern for people of other communities."""

    tags: list[str]
    skills: list[str]
    rules: dict[str, str]
    note: str
    hours: float


@dataclass
class Community:
    """One generated community: its id (the tag its people carry), name, people rows, and how its
    demand was sized."""

    id: str
    name: str
    rows: list[dict[str, str]] = field(default_factory=list)
    #: Hours its people can give in the week: weekly limit times the share of days not on leave.
    capacity: float = 0.0
    #: Its demand level: steps of ``LIGHTER`` taken (negative) or of ``HEAVIER`` (positive).
    level: int = 0
    #: Hours of its posts at least headcount in the week.
    demand: float = 0.0


def community_sizes(rng: random.Random, communities: int, people: int) -> list[int]:
    """``communities`` sizes summing to ``people``, spread about ±35 % around the mean."""
    if communities < 1 or people < communities:
        raise click.BadParameter(f"{people} people cannot fill {communities} communities")
    weights = [rng.uniform(0.65, 1.35) for _ in range(communities)]
    total = sum(weights)
    sizes = [max(1, int(people * w / total)) for w in weights]
    # Hand out what rounding left over (or take it back) one person at a time, largest first.
    order = sorted(range(communities), key=lambda i: -weights[i])
    i = 0
    while sum(sizes) != people:
        k = order[i % communities]
        step = 1 if sum(sizes) < people else -1
        if sizes[k] + step >= 1:
            sizes[k] += step
        i += 1
    return sizes


def _profiles(reference: Roster) -> dict[str, list[Profile]]:
    """The reference community's people grouped by their first tag (their main role)."""
    groups: dict[str, list[Profile]] = {}
    for person in reference.people:
        rules = {k: _cell(v) for k, v in person.rules.model_dump(exclude_none=True).items()}
        hours = _weekly_hours(reference, person)
        profile = Profile(list(person.tags), list(person.skills), rules, person.note, hours)
        groups.setdefault(person.tags[0] if person.tags else "", []).append(profile)
    return groups


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _role_counts(groups: dict[str, list[Profile]], size: int) -> dict[str, int]:
    """How many people of each main role a community of ``size`` has: the reference's shares,
    with the minimums of ``_MIN_ROLE`` where the size allows, the largest role taking the rest."""
    total = sum(len(g) for g in groups.values())
    counts = {role: round(size * len(g) / total) for role, g in groups.items()}
    for role, least in _MIN_ROLE.items():
        if role in counts:
            counts[role] = max(counts[role], min(least, size // 4))
    biggest = max(groups, key=lambda r: len(groups[r]))
    while sum(counts.values()) != size:
        step = 1 if sum(counts.values()) < size else -1
        role = biggest if step > 0 or counts[biggest] > 0 else max(counts, key=counts.__getitem__)
        counts[role] += step
    return counts


def _name(rng: random.Random) -> str:
    given = "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(_SURNAMES) + given


def _leave(rng: random.Random, first: date, last: date) -> tuple[str, int]:
    """A leave cell such as ``2020-02-05..2020-02-08 病假``, starting up to two days before the
    week and lasting one to seven days, and the number of days of the week it takes."""
    start = first + timedelta(days=rng.randint(-2, (last - first).days))
    end = start + timedelta(days=rng.randint(0, 6))
    reason = rng.choice(_LEAVE_REASONS)
    span = start.isoformat() if end == start else f"{start.isoformat()}..{end.isoformat()}"
    away = (min(end, last) - max(start, first)).days + 1
    return f"{span} {reason}", max(0, away)


def _weekly_hours(roster: Roster, person: Person) -> float:
    """A person's weekly hour limit; without one, every hour of the week."""
    limit = roster.rules_for(person).max_hours_per_week
    return 7 * 24.0 if limit is None else limit


def _capacity(roster: Roster, period: Period) -> float:
    """Hours the people of ``roster`` can give in ``period``: their weekly limits, each times the
    share of the days they are not on leave at all."""
    total = 0.0
    for person in roster.people:
        away = roster.away(person.id)
        free = 0
        for day in period.days:
            start = datetime.combine(day, time_of_day(), roster.zone)
            end = start + timedelta(days=1)
            if not any(a < end and start < b for a, b, _ in away):
                free += 1
        total += _weekly_hours(roster, person) * free / len(period.days)
    return total


def _demand(posts: list[dict[str, Any]], timezone: str, period: Period) -> float:
    """Hours of the posts at their least headcount in ``period``."""
    config = RosterConfig.model_validate({"name": "demand", "timezone": timezone, "posts": posts})
    return sum(slot.minutes * slot.min for slot in expand(config, period)) / 60


def _apply(posts: list[dict[str, Any]], step: Step) -> list[dict[str, Any]]:
    """``posts`` (copies) with one demand step applied."""
    out = []
    for post in posts:
        if post["id"] not in step.posts:
            out.append(post)
            continue
        post = copy.deepcopy(post)
        if step.headcount == 0:
            continue
        if step.headcount is not None:
            if step.at:
                for pattern in post["shifts"]:
                    if str(pattern.get("start")) in step.at:
                        pattern["headcount"] = _headcount(post, step.headcount)
            else:
                post["headcount"] = _headcount(post, step.headcount)
                for pattern in post["shifts"]:
                    pattern.pop("headcount", None)
            for quota in post.get("quotas") or []:
                quota["min"] = min(quota.get("min", 0), step.headcount)
        if step.close is not None:
            kept = [s for s in post["shifts"] if str(s.get("start")) != step.close]
            post["shifts"] = kept or post["shifts"]
        out.append(post)
    return out


def _headcount(post: dict[str, Any], least: int) -> dict[str, Any]:
    """The post's headcount with ``least`` as its minimum; a target or most given in the
    reference moves with it, never below it."""
    head = dict(post.get("headcount") or {})
    shift = least - head.get("min", 1)
    head["min"] = least
    for key in ("target", "max"):
        if head.get(key) is not None:
            head[key] = max(least, head[key] + shift)
    return head


def demand_levels(
    posts: list[dict[str, Any]], timezone: str, period: Period
) -> dict[int, tuple[list[dict[str, Any]], float]]:
    """The reference's posts at every demand level with their hours: level 0 is the reference,
    -k has the first k steps of ``LIGHTER``, +k the first k of ``HEAVIER``."""
    levels = {0: (posts, _demand(posts, timezone, period))}
    for sign, steps in ((-1, LIGHTER), (1, HEAVIER)):
        current = posts
        for k, step in enumerate(steps, start=1):
            current = _apply(current, step)
            levels[sign * k] = (current, _demand(current, timezone, period))
    return levels


def choose_level(levels: dict[int, tuple[list[Any], float]], capacity: float, slack: float) -> int:
    """The heaviest demand level that ``capacity`` hours staff with ``slack`` (the reference's
    capacity over its demand); the lightest when none does."""
    fits = [k for k, (_, hours) in levels.items() if hours * slack <= capacity]
    return max(fits) if fits else min(levels)


def _post_copy(post: dict[str, Any], cid: str, stem: str, restricted: set[str]) -> dict[str, Any]:
    """The reference post for community ``cid``: its id prefixed, open only to the community.

    Tags are "any of": a post the reference opens to everyone gets ``[cid]``; a post it opens to a
    role (``[committee]``) gets the community's own role tag (``[cid-committee]``), because "of this
    community AND a committee member" cannot be said with one any-of list."""
    out = copy.deepcopy(post)
    out["id"] = f"{cid}-{post['id']}"
    roles = post.get("tags") or []
    out["tags"] = [f"{cid}-{role}" for role in roles] if roles else [cid]
    restricted.update(roles)
    if "location" in out:
        out["location"] = str(out["location"]).replace("兴旺", stem)
    return out


def _expand_posts(
    names: list[str], ids: list[str], prefixes: list[str], exists: set[str]
) -> list[str]:
    """Reference post ids in a rule or succession, as the posts of every community that has them
    (other names, such as ``night``, as they are)."""
    out: list[str] = []
    for name in names:
        if name not in ids:
            out.append(name)
            continue
        out.extend(f"{c}-{name}" for c in prefixes if f"{c}-{name}" in exists)
    return out


def build_district(
    seed: int = 0, communities: int = 29, people: int = 1057, reference: Path = REFERENCE
) -> tuple[dict[str, Any], list[Community]]:
    """The district's roster.yaml (as data) and its communities with their people rows."""
    rng = random.Random(seed)
    ref = load_roster(reference)
    raw = read_yaml(reference / "roster.yaml")
    timezone = raw.get("timezone", "Asia/Shanghai")
    period = make_period(timezone, WEEK, None, None)
    first, last = period.days[0::6]
    groups = _profiles(ref)
    sizes = community_sizes(rng, communities, people)
    stems = list(_STEMS[: min(communities, len(_STEMS))])
    cids = [f"c{k + 1:02d}" for k in range(communities)]
    ref_ids = [p["id"] for p in raw["posts"]]
    levels = demand_levels(raw["posts"], timezone, period)
    # The reference's slack: hours its people can give over the hours its posts need (about 1.5).
    slack = _capacity(ref, period) / levels[0][1]

    posts: list[dict[str, Any]] = []
    restricted: set[str] = set()
    made: list[Community] = []
    for k, (cid, size) in enumerate(zip(cids, sizes, strict=True)):
        stem = stems[k] if k < len(stems) else f"第{k + 1}"
        community = Community(cid, f"{stem}社区")
        counts = _role_counts(groups, size)
        number = 0
        for role, profiles in groups.items():
            pool = profiles[:]
            rng.shuffle(pool)
            for j in range(counts[role]):
                number += 1
                profile = pool[j % len(pool)]
                row = {
                    "id": f"{cid}-p{number:03d}",
                    "name": _name(rng),
                    "tags": ";".join([cid, *profile.tags]),
                    "skills": ";".join(profile.skills),
                    "phone": f"138{rng.randrange(10**8):08d}",
                }
                leave, away = _leave(rng, first, last) if rng.random() < 0.08 else ("", 0)
                row.update(unavailable=leave, note=profile.note, **profile.rules)
                community.rows.append(row)
                community.capacity += profile.hours * (len(period.days) - away) / len(period.days)
        community.level = choose_level(levels, community.capacity, slack)
        chosen, community.demand = levels[community.level]
        posts.extend(_post_copy(p, cid, stem, restricted) for p in chosen)
        made.append(community)
    # Role tags restricted per community, once every post is known.
    for community in made:
        for row in community.rows:
            own = row["tags"].split(";")
            row["tags"] = ";".join(
                own + [f"{community.id}-{t}" for t in own[1:] if t in restricted]
            )

    tags = dict(raw.get("tags") or {})
    labels = dict(tags)
    for community in made:
        tags[community.id] = community.name
        for role in sorted(restricted):
            tags[f"{community.id}-{role}"] = f"{community.name}{labels.get(role, role)}"
    config: dict[str, Any] = {
        "name": f"城中区（{communities}个社区）",
        "timezone": raw.get("timezone", "Asia/Shanghai"),
        "language": raw.get("language", "zh"),
        "tags": tags,
        "skills": raw.get("skills") or {},
    }
    for key in ("night", "weights", "share_phones"):
        if key in raw:
            config[key] = raw[key]
    rules = copy.deepcopy(raw.get("rules") or {})
    by_tag = copy.deepcopy(raw.get("rules_by_tag") or {})
    exists = {p["id"] for p in posts}
    for ruleset in [rules, *by_tag.values()]:
        limits = ruleset.get("max_shifts_per_post")
        if limits:
            ruleset["max_shifts_per_post"] = {
                f"{c}-{p}": n for p, n in limits.items() for c in cids if f"{c}-{p}" in exists
            }
    config["rules"] = rules
    config["rules_by_tag"] = by_tag
    if raw.get("successions"):
        config["successions"] = [
            {
                **s,
                "after": _expand_posts(s["after"], ref_ids, cids, exists),
                "then": _expand_posts(s["then"], ref_ids, cids, exists),
            }
            for s in raw["successions"]
        ]
    config["posts"] = posts
    config["requests"] = _requests(rng, made, ref_ids, exists, first)
    return config, made


def _requests(
    rng: random.Random,
    communities: list[Community],
    ref_ids: list[str],
    exists: set[str],
    first: date,
) -> list[dict[str, Any]]:
    """About one person in eight asks for something: to avoid nights or a weekday, to prefer a
    post of their community or a day; weights 1 to 5."""
    out: list[dict[str, Any]] = []
    for community in communities:
        own = [f"{community.id}-{r}" for r in ref_ids if f"{community.id}-{r}" in exists]
        for row in community.rows:
            if rng.random() >= 0.125:
                continue
            request: dict[str, Any] = {"person": row["id"], "weight": rng.randint(1, 5)}
            choice = rng.randrange(4)
            if choice == 0:
                request.update(kind="avoid", time={"start": "22:00", "end": "06:00"})
            elif choice == 1:
                request.update(kind="avoid", weekday=rng.choice(WEEKDAYS))
            elif choice == 2:
                request.update(kind="prefer", post=rng.choice(own))
            else:
                request.update(kind="prefer", date=first + timedelta(days=rng.randrange(7)))
            out.append(request)
    return out


def write_district(
    out_dir: Path,
    seed: int = 0,
    communities: int = 29,
    people: int = 1057,
    reference: Path = REFERENCE,
) -> Path:
    """Generate the district into ``out_dir`` (roster.yaml and people.csv); returns the folder."""
    config, made = build_district(seed, communities, people, reference)
    out_dir.mkdir(parents=True, exist_ok=True)
    header = [
        "# 生成的城区：每个社区照搬参考社区（examples/xingwang）的岗位与规则，需求按人数增减。",
        f"# python -m benchmarks.district generate --seed {seed} "
        f"--communities {communities} --people {people}",
        "#",
        "# 社区  人数  可出工时  需求工时  需求调整",
    ]
    for c in made:
        steps = LIGHTER[: -c.level] if c.level < 0 else HEAVIER[: c.level]
        change = "；".join(dict.fromkeys(step.why for step in steps)) or "同参考社区"
        header.append(
            f"# {c.id} {c.name}  {len(c.rows)}  {c.capacity:.0f}  {c.demand:.0f}  {change}"
        )
    header.append("")
    body = yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=100)
    (out_dir / "roster.yaml").write_text("\n".join(header) + body, encoding="utf-8")
    columns = ["id", "name", "tags", "skills", "phone", "unavailable", "note"]
    extra = sorted({k for c in made for r in c.rows for k in r} - set(columns))
    with (out_dir / "people.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns + extra, lineterminator="\n")
        writer.writeheader()
        for community in made:
            writer.writerows(community.rows)
    return out_dir


# --- running ------------------------------------------------------------------------------------


@dataclass
class Figures:
    """What one run of the district measured."""

    people: int = 0
    communities: int = 0
    slots: int = 0
    variables: int = 0
    parts: int = 0
    workers: str = ""
    time_limit: float = 0.0
    #: "wall" (time_limit in seconds) or "repeatable" (in work units).
    mode: str = "wall"
    load_seconds: float = 0.0
    first_full: float | None = None
    within_1pct: float | None = None
    wall_seconds: float = 0.0
    status: str = ""
    objective: int | None = None
    bound: int | None = None
    shortages: int = 0
    terms: str = ""
    violations: int = 0
    peak_mb: float = 0.0


def peak_memory_mb() -> float:
    """Peak resident memory of this process and its finished children, in MiB (maxrss)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # Linux reports kibibytes, macOS bytes.
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return max(own, children) / scale


def run_district(
    time_limit: float,
    workers: int | None,
    seed: int = 0,
    communities: int = 29,
    people: int = 1057,
    on_line: Callable[[str], None] | None = None,
    parallel: int | None = None,
    lns: bool = False,
    params: dict[str, object] | None = None,
    min_part: float | None = None,
    repeatable: bool = False,
) -> Figures:
    """Generate the district in a temporary folder, solve WEEK and measure it: ``time_limit``
    wall-clock seconds, or work units with ``repeatable``; ``parallel`` parts side by side
    (default: the engine's ``PARALLEL``), ``lns`` for the large-neighbourhood loop (when the
    engine has it), ``params`` passed to CP-SAT."""
    from roster.check import check
    from roster.report import assignment_of
    from roster.slots import expand
    from solver import components
    from solver.components import find_parts
    from solver.solve import Progress, SolveOptions, solve

    figures = Figures(time_limit=time_limit, mode="repeatable" if repeatable else "wall")
    with tempfile.TemporaryDirectory(prefix="district-") as folder:
        write_district(Path(folder), seed, communities, people)
        started = time.monotonic()
        roster = load_roster(folder)
    figures.load_seconds = round(time.monotonic() - started, 2)
    period = make_period(roster.config.timezone, WEEK, None, None)
    slots = expand(roster.config, period)
    figures.people, figures.communities, figures.slots = len(roster.people), communities, len(slots)
    figures.parts = len(find_parts(roster))

    began = time.monotonic()

    def progress(p: Progress) -> None:
        complete = getattr(p, "complete", True)
        now = round(time.monotonic() - began, 2)
        if complete and figures.first_full is None:
            figures.first_full = now
        if (
            complete
            and figures.within_1pct is None
            and p.objective - p.bound <= 0.01 * max(abs(p.objective), 1e-9)
        ):
            figures.within_1pct = now
        if on_line is not None:
            on_line(_progress_line(p, now))

    options = SolveOptions(
        time_limit=time_limit,
        repeatable=repeatable,
        work_units=time_limit,
        workers=workers,
        seed=0,
        on_progress=progress,
        extra=params or {},
    )
    if lns:
        if not hasattr(options, "lns"):
            raise click.UsageError("this engine has no LNS loop (SolveOptions.lns)")
        options.lns = True
    if parallel is not None:
        components.PARALLEL = parallel
    parallel = components.PARALLEL
    if min_part is not None:
        components.MIN_PART_TIME = min_part
    schedule = solve(roster, period, options)
    figures.wall_seconds = round(time.monotonic() - began, 2)
    info = schedule.solver
    figures.status, figures.objective, figures.bound = info.status, info.objective, info.bound
    figures.workers = str(info.workers) if workers is not None else f"auto (up to {info.workers})"
    figures.workers += f" per part, {parallel} part(s) at a time" + (", LNS" if lns else "")
    figures.workers += "".join(f", {k}={v}" for k, v in (params or {}).items())
    if min_part is not None:
        unit = "units" if repeatable else "s"
        figures.workers += f", at least {min_part:g} {unit} a part"
    # The last part can finish without a new solution: its proof closes the gap silently.
    if (
        figures.within_1pct is None
        and info.objective is not None
        and info.bound is not None
        and info.objective - info.bound <= 0.01 * max(info.objective, 1)
    ):
        figures.within_1pct = figures.wall_seconds
    figures.variables = int(getattr(schedule, "variables", 0) or _variables(roster, period))
    figures.shortages = sum(s.missing for s in schedule.shortages)
    figures.terms = ", ".join(
        f"{t.rule} {t.penalty:,}" for t in schedule.objective_terms if t.penalty
    )
    report = check(roster, period, slots, assignment_of(schedule))
    figures.violations = len(report.violations)
    figures.peak_mb = round(peak_memory_mb(), 1)
    return figures


def _variables(roster: Roster, period: Any) -> int:
    from solver.components import count_pairs

    return count_pairs(roster, period)


def _progress_line(p: Any, elapsed: float) -> str:
    parts = ""
    if hasattr(p, "parts"):
        parts = f"parts {p.parts_done}/{p.parts} solved, {p.parts_found}/{p.parts} found; "
    return f"[{elapsed:7.2f} s] {parts}objective {p.objective:g}, bound {p.bound:g}"


def figures_markdown(f: Figures, command: str) -> str:
    """A Markdown block with one run's figures, for benchmarks/district.md and the README."""

    def sec(value: float | None) -> str:
        return "not reached" if value is None else f"{value:.1f} s"

    gap = ""
    if f.objective is not None and f.bound is not None and f.objective:
        gap = f" (gap {100 * (f.objective - f.bound) / f.objective:.2f} %)"
    rows = [
        (
            "district",
            f"{f.communities} communities, {f.people} people, {f.slots} slots, week {WEEK}",
        ),
        ("independent parts solved", str(f.parts)),
        ("(person, slot) Booleans", f"{f.variables:,}"),
        ("workers / time limit", f"{f.workers} / {_limit_text(f)}"),
        ("loading the folder", sec(f.load_seconds)),
        ("time to first full roster", sec(f.first_full)),
        ("time to within 1 % of the proven bound", sec(f.within_1pct)),
        ("wall time of the solve", sec(f.wall_seconds)),
        ("status / objective / bound", f"{f.status} / {f.objective} / {f.bound}{gap}"),
        ("objective by term", f.terms or "none"),
        ("people missing in short slots", str(f.shortages)),
        ("checker violations", str(f.violations)),
        ("peak memory (maxrss)", f"{f.peak_mb:.0f} MiB"),
    ]
    lines = [f"`{command}`", "", "| measure | value |", "| --- | --- |"]
    lines += [f"| {k} | {v} |" for k, v in rows]
    lines += [
        "",
        f"Machine: {platform.machine()}, {_cores()} cores, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}.",
        "",
    ]
    return "\n".join(lines)


def _limit_text(f: Figures) -> str:
    if f.mode == "repeatable":
        return f"{f.time_limit:g} units of deterministic time (repeatable)"
    return f"{f.time_limit:g} s of wall-clock time"


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 0


# --- engines side by side ----------------------------------------------------------------------

#: What ``compare`` runs in a child process for each engine: it imports only what every engine
#: since the wall-clock mode has (``load_roster``, ``make_period``, ``SolveOptions``, ``solve``),
#: so an older checkout on PYTHONPATH runs the same measurement. Prints one JSON line.
_CHILD = r"""
import json, os, re, resource, sys, time
args = json.loads(sys.argv[1])
load = os.getloadavg()[0]
from roster.errors import RosterError
from roster.load import load_roster
from roster.slots import make_period
from solver.solve import SolveOptions, solve
roster = load_roster(args["folder"])
period = make_period(roster.config.timezone, args["week"], None, None)
out = {"load": load}
first = []
began = time.monotonic()
def progress(p):
    if getattr(p, "complete", True) and not first:
        first.append(time.monotonic() - began)
options = SolveOptions(
    time_limit=args["time_limit"], workers=args["workers"], seed=args["seed"],
    on_progress=progress,
)
try:
    s = solve(roster, period, options)
    out.update(objective=s.solver.objective, bound=s.solver.bound, missing=0,
               people_missing=sum(x.missing for x in s.shortages))
except RosterError as exc:
    found = re.search(r"for (\d+) of (\d+) parts", str(exc))
    out.update(error=str(exc)[:300], missing=int(found.group(1)) if found else None)
out["wall"] = time.monotonic() - began
out["first_full"] = first[0] if first else None
usage = resource.getrusage(resource.RUSAGE_SELF)
out["cpu"] = usage.ru_utime + usage.ru_stime
out["peak_mb"] = usage.ru_maxrss / 1024
print(json.dumps(out))
"""


@dataclass
class Trial:
    """One solve of ``compare``: an engine, a solver seed, and what came of it."""

    engine: str
    seed: int
    result: dict[str, Any]

    @property
    def gap(self) -> float | None:
        objective, bound = self.result.get("objective"), self.result.get("bound")
        if objective is None or bound is None or not objective:
            return None
        return 100.0 * float(objective - bound) / float(objective)


def compare_engines(
    engines: list[tuple[str, Path]],
    folder: Path,
    week: str,
    time_limit: float,
    workers: int | None,
    seeds: list[int],
    on_line: Callable[[str], None] | None = None,
) -> list[Trial]:
    """Solve ``folder`` for ``week`` with each engine (a checkout, put first on PYTHONPATH of a
    child process) and each solver seed, engines taking turns within a seed so that they share
    the machine's load, and return the trials."""
    import json
    import os
    import subprocess

    trials = []
    for seed in seeds:
        for name, root in engines:
            args = {
                "folder": str(folder),
                "week": week,
                "time_limit": time_limit,
                "workers": workers,
                "seed": seed,
            }
            env = {**os.environ, "PYTHONPATH": str(root)}
            done = subprocess.run(
                [sys.executable, "-c", _CHILD, json.dumps(args)],
                cwd=root,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            lines = done.stdout.strip().splitlines()
            if done.returncode != 0 or not lines:
                result: dict[str, Any] = {"error": done.stderr.strip()[-300:] or "no output"}
            else:
                result = json.loads(lines[-1])
            trial = Trial(name, seed, result)
            trials.append(trial)
            if on_line is not None:
                on_line(f"{name} seed {seed}: {json.dumps(result, ensure_ascii=False)}")
    return trials


def trials_markdown(trials: list[Trial], command: str) -> str:
    """A Markdown table of ``compare``'s trials: one row per engine with the medians, then one
    row per trial."""
    from statistics import median

    def num(value: Any, digits: int = 0, unit: str = "") -> str:
        if value is None:
            return "–"
        return f"{value:,.{digits}f}{unit}"

    head = (
        "| engine | seed | penalty | bound | gap | parts without roster | people missing "
        "| first full roster | wall (CPU) | peak memory | load |"
    )
    lines = [f"`{command}`", "", head, "| --- " * 11 + "|"]
    engines = list(dict.fromkeys(t.engine for t in trials))
    for engine in engines:
        mine = [t for t in trials if t.engine == engine]
        solved = [t for t in mine if t.result.get("objective") is not None]

        def med(key: str, among: list[Trial]) -> float | None:
            values = [t.result[key] for t in among if t.result.get(key) is not None]
            return median(values) if values else None

        gaps = [t.gap for t in solved if t.gap is not None]
        lines.append(
            f"| **{engine}** (median of {len(mine)}) | | {num(med('objective', solved))} "
            f"| {num(med('bound', solved))} | {num(median(gaps) if gaps else None, 1, ' %')} "
            f"| {num(med('missing', mine))} | {num(med('people_missing', solved))} "
            f"| {num(med('first_full', mine), 1, ' s')} "
            f"| {num(med('wall', mine), 1, ' s')} ({num(med('cpu', mine), 1, ' s')}) "
            f"| {num(med('peak_mb', mine), 0, ' MiB')} | {num(med('load', mine), 1)} |"
        )
    for t in trials:
        r = t.result
        failed = " (no roster)" if r.get("objective") is None else ""
        lines.append(
            f"| {t.engine} | {t.seed} | {num(r.get('objective'))}{failed} | {num(r.get('bound'))} "
            f"| {num(t.gap, 1, ' %')} | {num(r.get('missing'))} | {num(r.get('people_missing'))} "
            f"| {num(r.get('first_full'), 1, ' s')} | {num(r.get('wall'), 1, ' s')} "
            f"({num(r.get('cpu'), 1, ' s')}) | {num(r.get('peak_mb'), 0, ' MiB')} "
            f"| {num(r.get('load'), 1)} |"
        )
    lines += [
        "",
        f"Machine: {platform.machine()}, {_cores()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}. Load: the 1-minute load average when each "
        "solve started.",
        "",
    ]
    return "\n".join(lines)


# --- CLI ----------------------------------------------------------------------------------------


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Generate a district of communities like the reference one, and measure solving it."""


@main.command()
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--seed", default=0, show_default=True, help="Seed of sizes, people, leave, requests."
)
@click.option("--communities", default=29, show_default=True, help="Number of communities.")
@click.option("--people", default=1057, show_default=True, help="People in all communities.")
def generate(out_dir: Path, seed: int, communities: int, people: int) -> None:
    """Write a district roster folder (roster.yaml, people.csv) to OUT_DIR.

    Example: python -m benchmarks.district generate out/district --seed 0
    """
    write_district(out_dir, seed, communities, people)
    click.echo(f"wrote {out_dir / 'roster.yaml'} and {out_dir / 'people.csv'}")


@main.command()
@click.option(
    "--time-limit",
    default=60.0,
    show_default=True,
    help="Wall-clock seconds of the whole solve.",
)
@click.option(
    "--repeatable",
    is_flag=True,
    help="The engine's repeatable search, limited by --work-units instead of --time-limit.",
)
@click.option(
    "--work-units",
    type=float,
    default=None,
    help="With --repeatable: CP-SAT deterministic time for the whole solve [default: 60].",
)
@click.option("--workers", type=int, default=None, help="CP-SAT workers; default: by model size.")
@click.option("--seed", default=0, show_default=True, help="Seed of the generated district.")
@click.option("--communities", default=29, show_default=True, help="Number of communities.")
@click.option("--people", default=1057, show_default=True, help="People in all communities.")
@click.option(
    "--results",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Append the Markdown block to this file.",
)
@click.option(
    "--parallel", type=int, default=None, help="Parts solved side by side; default: the engine's."
)
@click.option("--lns", is_flag=True, help="Improve each part with the engine's LNS loop.")
@param_option("interleave_search=false")
@click.option(
    "--min-part",
    type=float,
    default=None,
    help="Least time a part gets in a pass, in seconds or with --repeatable in work units "
    "(default: MIN_PART_TIME).",
)
@click.option("--quiet", is_flag=True, help="No progress lines on stderr.")
def run(
    time_limit: float,
    repeatable: bool,
    work_units: float | None,
    workers: int | None,
    seed: int,
    communities: int,
    people: int,
    results: Path | None,
    parallel: int | None,
    lns: bool,
    params: tuple[str, ...],
    min_part: float | None,
    quiet: bool,
) -> None:
    """Generate the district in a temporary folder, solve week 2020-W06 and print the figures.

    Example: python -m benchmarks.district run --time-limit 60 --workers 2
    """
    command = "python -m benchmarks.district run " + " ".join(sys.argv[2:])
    line = None if quiet else (lambda text: click.echo(text, err=True))
    if work_units is not None and not repeatable:
        raise click.UsageError("--work-units limits the --repeatable search; add --repeatable")
    figures = run_district(
        (work_units or 60.0) if repeatable else time_limit,
        workers,
        seed,
        communities,
        people,
        on_line=line,
        parallel=parallel,
        lns=lns,
        params=parse_params(params),
        min_part=min_part,
        repeatable=repeatable,
    )
    block = figures_markdown(figures, command.strip())
    click.echo(block)
    if results is not None:
        with results.open("a", encoding="utf-8") as handle:
            handle.write(block + "\n")


@main.command()
@click.argument("community")
@click.option("--time-limit", default=10.0, show_default=True, help="Wall-clock seconds.")
@click.option("--repeatable", is_flag=True, help="The repeatable search, limited by --work-units.")
@click.option(
    "--work-units",
    type=float,
    default=10.0,
    show_default=True,
    help="With --repeatable: CP-SAT deterministic time.",
)
@click.option("--workers", type=int, default=2, show_default=True, help="CP-SAT workers.")
@click.option("--seed", default=0, show_default=True, help="Seed of the generated district.")
@click.option("--strict", is_flag=True, help="Every place hard (as the parts' first search).")
@param_option("ignore_subsolvers=[core]")
def part(
    community: str,
    time_limit: float,
    repeatable: bool,
    work_units: float,
    workers: int,
    seed: int,
    strict: bool,
    params: tuple[str, ...],
) -> None:
    """Solve one community of the district (c01 … c29) alone, as a roster of its own, and print
    its objective, bound and terms: where a district's gap lives.

    Example: python -m benchmarks.district part c11 --time-limit 10 --workers 2
    """
    from solver.components import find_parts, sub_roster
    from solver.solve import SolveOptions, solve

    with tempfile.TemporaryDirectory(prefix="district-") as folder:
        write_district(Path(folder), seed, 29, 1057)
        roster = load_roster(folder)
    chosen = [p for p in find_parts(roster) if p.posts[0].startswith(f"{community}-")]
    if not chosen:
        raise click.BadParameter(f"{community!r}: no such community", param_hint="COMMUNITY")
    period = make_period(roster.config.timezone, WEEK, None, None)
    options = SolveOptions(
        time_limit=time_limit,
        repeatable=repeatable,
        work_units=work_units,
        workers=workers,
        seed=0,
        strict=strict,
        extra=parse_params(params),
    )
    started = time.monotonic()
    schedule = solve(sub_roster(roster, chosen[0]), period, options)
    info = schedule.solver
    terms = ", ".join(f"{t.rule} {t.penalty:,}" for t in schedule.objective_terms if t.penalty)
    click.echo(
        f"{community}: {len(chosen[0].people)} people, {info.status} {info.objective} / "
        f"{info.bound} ({terms}), {time.monotonic() - started:.1f} s"
    )


@main.command()
@click.option(
    "--engine",
    "engines",
    multiple=True,
    metavar="NAME=PATH",
    help="A checkout to measure (put first on PYTHONPATH); repeat for each. Default: this one.",
)
@click.option(
    "--roster",
    "folder",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Solve this roster folder instead of the generated district.",
)
@click.option("--week", default=WEEK, show_default=True, help="The week solved.")
@click.option("--time-limit", default=60.0, show_default=True, help="Wall-clock seconds.")
@click.option("--workers", type=int, default=None, help="CP-SAT workers; default: the engine's.")
@click.option("--seeds", default="0,1,2", show_default=True, help="Solver seeds, comma-separated.")
@click.option("--seed", default=0, show_default=True, help="Seed of the generated district.")
@click.option(
    "--results",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Append the Markdown table to this file.",
)
def compare(
    engines: tuple[str, ...],
    folder: Path | None,
    week: str,
    time_limit: float,
    workers: int | None,
    seeds: str,
    seed: int,
    results: Path | None,
) -> None:
    """Solve the district (or a roster folder) with several engines side by side, taking turns
    for each solver seed, each in a process of its own, and print a table with the medians.

    Example: python -m benchmarks.district compare --engine main=/work/main --engine new=.
    --time-limit 60 --workers 2
    """
    command = "python -m benchmarks.district compare " + " ".join(sys.argv[2:])
    chosen = []
    for item in engines or (f"this={REFERENCE.parent.parent}",):
        name, sep, root = item.partition("=")
        if not sep or not Path(root).is_dir():
            raise click.BadParameter(
                f"{item!r}: give NAME=PATH of a checkout", param_hint="--engine"
            )
        chosen.append((name, Path(root).resolve()))
    try:
        numbers = [int(x) for x in seeds.split(",") if x.strip()]
    except ValueError:
        raise click.BadParameter(f"{seeds!r}: give whole numbers such as 0,1,2") from None
    with tempfile.TemporaryDirectory(prefix="district-") as scratch:
        if folder is None:
            folder = write_district(Path(scratch), seed, 29, 1057)
        trials = compare_engines(
            chosen, folder.resolve(), week, time_limit, workers, numbers, on_line=_echo_err
        )
    block = trials_markdown(trials, command.strip())
    click.echo(block)
    if results is not None:
        with results.open("a", encoding="utf-8") as handle:
            handle.write(block + "\n")


@dataclass
class Alone:
    """One community solved alone on the whole machine (``reach_alone``): when its roster came
    within the target of its bound (None: not within the limit), and where it ended."""

    community: str
    people: int
    reached: float | None
    objective: float
    bound: int
    optimal: bool
    wall: float


class _Watch:
    """Stops a CP-SAT run as soon as its best roster is within ``within`` of its bound, noting
    when (``reached``); told of every roster and of every better bound, from CP-SAT's threads."""

    def __init__(self, solver: Any, within: float) -> None:
        import threading

        self.solver = solver
        self.within = within
        self.started = time.monotonic()
        self.objective = float("inf")
        self.bound = float("-inf")
        self.reached: float | None = None
        self._lock = threading.Lock()

    def found(self, objective: float, bound: float) -> None:
        with self._lock:
            self.objective = min(self.objective, objective)
            self._look(bound)

    def bounded(self, bound: float) -> None:
        with self._lock:
            self._look(bound)

    def whole_bound(self) -> int:
        """The bound as a whole number: the objective is one, so a fractional bound rounds up.
        0 before CP-SAT has said any (every term of the objective is 0 or more)."""
        import math

        return math.ceil(self.bound - 1e-6) if math.isfinite(self.bound) else 0

    def _look(self, bound: float) -> None:
        self.bound = max(self.bound, bound)
        if self.reached is None and self.objective <= (1 + self.within) * self.whole_bound():
            self.reached = time.monotonic() - self.started
            self.solver.stop_search()


def reach_alone(
    roster: Roster,
    period: Period,
    time_limit: float,
    within: float,
    workers: int,
    seed: int = 0,
    on_row: Callable[[Alone], None] | None = None,
) -> list[Alone]:
    """Solve each community of ``roster`` alone, one after the other, as the district's parts
    search first (every place hard, the parts' CP-SAT parameters, ``workers`` workers), each until
    its roster is within ``within`` (a fraction) of its bound or ``time_limit`` seconds: how long
    each part needs on this machine, to size a cluster by."""
    from ortools.sat.python import cp_model

    from solver.build import build_model
    from solver.components import WALL_PART_PARAMS, find_parts, sub_roster
    from solver.model import apply_params

    class Found(cp_model.CpSolverSolutionCallback):
        def __init__(self, watch: _Watch) -> None:
            super().__init__()
            self.watch = watch

        def on_solution_callback(self) -> None:
            self.watch.found(self.objective_value, self.best_objective_bound)

    rows = []
    for part in find_parts(roster):
        sub = sub_roster(roster, part)
        solver = cp_model.CpSolver()
        watch = _Watch(solver, within)
        m, _ = build_model(sub, period, expand(sub.config, period), strict=True)
        apply_params(solver.parameters, dict(WALL_PART_PARAMS))
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        solver.parameters.max_time_in_seconds = time_limit
        solver.best_bound_callback = watch.bounded
        status = solver.solve(m.model, Found(watch))
        wall = time.monotonic() - watch.started
        optimal = status == cp_model.OPTIMAL
        row = Alone(
            community=part.posts[0].split("-")[0],
            people=len(part.people),
            reached=wall if optimal and watch.reached is None else watch.reached,
            objective=watch.objective,
            bound=round(watch.objective) if optimal else watch.whole_bound(),
            optimal=optimal,
            wall=round(wall, 2),
        )
        rows.append(row)
        if on_row is not None:
            on_row(row)
    return rows


def makespan(seconds: list[float], machines: int) -> float:
    """The wall time of ``seconds`` of independent work on ``machines`` machines, each taking
    the longest job left when it is free (the parts' order on a cluster of that size)."""
    import heapq

    loads = [0.0] * max(1, machines)
    for job in sorted(seconds, reverse=True):
        heapq.heappush(loads, heapq.heappop(loads) + job)
    return max(loads)


def alone_markdown(rows: list[Alone], within: float, machines: list[int], command: str) -> str:
    objective = sum(r.objective for r in rows)
    bound = sum(r.bound for r in rows)
    reached = sorted(r.reached for r in rows if r.reached is not None)
    late = [r.community for r in rows if r.reached is None]
    walls = [r.wall for r in rows]
    lines = [
        f"Each community alone, until within {100 * within:g} % of its bound: "
        f"{len(reached)} of {len(rows)} got there "
        + (
            f"(median {reached[len(reached) // 2]:.1f} s, the longest {reached[-1]:.1f} s)"
            if reached
            else ""
        )
        + (f"; not within the limit: {', '.join(late)}" if late else "")
        + ".",
        f"Summed: {objective:,.0f} / {bound:,}, gap {100 * (objective - bound) / bound:.2f} %, "
        f"{sum(walls):.0f} s of this machine in all.",
        "",
        "| machines | " + " | ".join(str(k) for k in machines) + " |",
        "| --- | " + " | ".join("---:" for _ in machines) + " |",
        "| wall (s) | " + " | ".join(f"{makespan(walls, k):.0f}" for k in machines) + " |",
        "",
        f"Command: `{command}`",
        f"Machine: {platform.processor() or platform.machine()}, {_cores()} cores, "
        f"Python {platform.python_version()}.",
    ]
    return "\n".join(lines)


@main.command()
@click.option("--time-limit", default=60.0, show_default=True, help="Wall-clock seconds a part.")
@click.option(
    "--within", default=1.0, show_default=True, help="Percent above the bound to stop at."
)
@click.option("--workers", type=int, default=2, show_default=True, help="CP-SAT workers.")
@click.option("--seed", default=0, show_default=True, help="Seed of the generated district.")
@click.option("--solver-seed", default=0, show_default=True, help="CP-SAT's random seed.")
@click.option(
    "--machines",
    default="1,2,4,8,12,16,29",
    show_default=True,
    help="Cluster sizes to project the wall time on, comma-separated.",
)
def alone(
    time_limit: float, within: float, workers: int, seed: int, solver_seed: int, machines: str
) -> None:
    """Solve each community of the district alone on the whole machine until its roster is
    within --within percent of its bound (or --time-limit), and print how long each took, the
    summed gap, and the wall time on clusters of --machines such machines: how far a district is
    from the target with the whole machine for each part.

    Example: python -m benchmarks.district alone --time-limit 60 --workers 2
    """
    try:
        sizes = [int(x) for x in machines.split(",") if x.strip()]
    except ValueError:
        raise click.BadParameter(f"{machines!r}: give whole numbers such as 1,2,4") from None
    with tempfile.TemporaryDirectory(prefix="district-") as folder:
        write_district(Path(folder), seed, 29, 1057)
        roster = load_roster(folder)
    period = make_period(roster.config.timezone, WEEK, None, None)

    def line(row: Alone) -> None:
        reached = "-" if row.reached is None else f"{row.reached:.1f} s"
        click.echo(
            f"{row.community} ({row.people} people): {row.objective:g} / {row.bound}"
            f"{' optimal' if row.optimal else ''}, within {within:g} % at {reached}, "
            f"{row.wall:.1f} s",
            err=True,
        )

    rows = reach_alone(roster, period, time_limit, within / 100, workers, solver_seed, on_row=line)
    command = "python -m benchmarks.district alone " + " ".join(sys.argv[2:])
    click.echo(alone_markdown(rows, within / 100, sizes, command.strip()))


def _echo_err(text: str) -> None:
    click.echo(text, err=True)


if __name__ == "__main__":
    main()
