"""Writes docs/rules.md, the rules reference, from the rules' code, the checker and the models.

Each rule's meaning is its solver function's docstring; its keys' types, defaults and meanings are
the pydantic fields'; its code, checker twin and tests are found from the rule id (tests carry
``@pytest.mark.rule("<id>")``). What only a person can say (hard or soft, the penalty's unit, an
example) is in ``RULES`` below, and tests/test_docs.py checks it against the code.
"""

from __future__ import annotations

import ast
import inspect
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from modeldoc import ROOT, cell, default_text, docstring, nested_models, resolve, type_text
from pydantic import BaseModel

from roster import check, eligibility
from roster.models import DEFAULT_RULES, RosterConfig, Weights
from solver.rules import RULES as SOLVER_RULES

TARGET = ROOT / "docs" / "rules.md"


@dataclass(frozen=True)
class RuleDoc:
    """What the reference says about a rule beyond its code."""

    id: str
    kind: str  # "hard", "soft", or both, in words
    keys: tuple[str, ...]  # key paths in roster.yaml
    terms: tuple[str, ...]  # the terms it adds to the objective (none for a hard rule)
    unit: str  # what one unit of its penalty is, before the weight
    example: str  # a piece of roster.yaml
    checker: str = ""  # its twin in roster/check.py, when not named as the rule
    also: tuple[str, str] = ("", "")  # a term and the function of roster/eligibility.py defining it


#: Every rule, in the order the model adds them; ``eligibility`` is first, as the model has no
#: variable for a person a slot is closed to.
RULES: tuple[RuleDoc, ...] = (
    RuleDoc(
        "eligibility",
        "hard",
        ("posts[].skills", "posts[].tags", "leave[]", "rules.no_nights"),
        (),
        "",
        """\
posts:
  - id: gate-temp
    name: 体温检测岗
    shifts: [{start: "06:00", hours: 6}]
    skills: [thermometer]          # every skill listed
    tags: [party_member, staff]    # at least one of these
leave:
  - {person: p06, from: 2020-02-03, to: 2020-02-05, reason: 病假}
  - {person: p12, from: "2020-02-04T18:00", to: "2020-02-05T08:00", reason: 家中有事}
""",
    ),
    RuleDoc(
        "headcount",
        "hard maximum; minimum priced as a shortage (hard with `--strict`); soft target",
        (
            "posts[].headcount",
            "posts[].shifts[].headcount",
            "weights.shortage",
            "weights.under_target",
            "weights.over_target",
        ),
        ("shortage", "under_target", "over_target"),
        "a person missing below a slot's minimum or target, or above its target",
        """\
posts:
  - id: gate-temp
    name: 体温检测岗
    shifts: [{start: "06:00", hours: 6}]
    headcount: {min: 2, target: 3, max: 3, under_weight: 50}
""",
    ),
    RuleDoc(
        "quotas",
        "hard maximum; minimum priced as a shortage (hard with `--strict`)",
        ("posts[].quotas[]", "weights.shortage"),
        ("quota",),
        "a person with the tag missing below a quota's minimum on a slot",
        """\
posts:
  - id: gate-temp
    name: 体温检测岗
    shifts: [{start: "06:00", hours: 6}]
    headcount: {min: 2}
    quotas: [{tag: party_member, min: 1}]   # at least one party member on each shift
""",
    ),
    RuleDoc("no_overlap", "hard", (), (), "", ""),
    RuleDoc(
        "max_shifts_per_day",
        "hard",
        ("rules.max_shifts_per_day",),
        (),
        "",
        "rules: {max_shifts_per_day: 2}   # a morning round and an evening gate shift\n",
    ),
    RuleDoc(
        "rest",
        "hard",
        ("rules.min_rest_hours", "rules.long_shift_hours", "rules.rest_after_long_shift_hours"),
        (),
        "",
        """\
rules:
  min_rest_hours: 8
  long_shift_hours: 24
  rest_after_long_shift_hours: 24   # a day off after a 24-hour turn
""",
    ),
    RuleDoc(
        "hours",
        "hard",
        (
            "rules.max_hours_per_week",
            "rules.min_hours_per_week",
            "rules.max_hours",
            "rules.min_hours",
            "rules.max_hours_per_window",
        ),
        (),
        "",
        """\
rules: {max_hours_per_week: 48}
rules_by_tag:
  volunteer: {max_hours_per_week: 24}
""",
    ),
    RuleDoc(
        "successions",
        "hard, or soft when the succession has a `weight`",
        ("successions[]",),
        ("successions",),
        "a pair of shifts on consecutive days that a weighted succession discourages",
        """\
successions:
  - {after: [night], then: [day]}                        # never
  - {after: [duty-24h], then: [gate-temp], weight: 20}   # allowed, at 20 each time
""",
    ),
    RuleDoc(
        "max_consecutive_days",
        "hard",
        ("rules.max_consecutive_days",),
        (),
        "",
        """\
rules: {max_consecutive_days: 5}
rules_by_tag:
  volunteer: {max_consecutive_days: 3}
""",
    ),
    RuleDoc(
        "min_consecutive_days",
        "hard",
        ("rules.min_consecutive_days",),
        (),
        "",
        "rules: {min_consecutive_days: 2}   # no single working day between days off\n",
    ),
    RuleDoc(
        "min_consecutive_days_off",
        "hard",
        ("rules.min_consecutive_days_off",),
        (),
        "",
        "rules: {min_consecutive_days_off: 2}   # days off come at least two together\n",
    ),
    RuleDoc(
        "max_weekends",
        "hard",
        ("rules.max_weekends", "rules.max_weekends_per_window"),
        (),
        "",
        "rules: {max_weekends: 1}\n",
    ),
    RuleDoc(
        "max_shifts_per_post",
        "hard",
        ("rules.max_shifts_per_post",),
        (),
        "",
        """\
rules: {max_shifts_per_post: {duty-24h: 2}}
rules_by_tag:
  senior: {max_shifts_per_post: {duty-24h: 0}}   # never the 24-hour turn
""",
    ),
    RuleDoc(
        "requests",
        "soft",
        ("requests[]",),
        ("requests",),
        "an unmet `prefer` request, or a shift worked against an `avoid` request (each "
        "request has its own `weight`)",
        """\
requests:
  - {person: p05, kind: avoid, weekday: sun, weight: 3}        # church on Sundays
  - {person: p07, kind: avoid, time: {start: "18:00", end: "22:00"}, weight: 2}
  - {person: p02, kind: prefer, post: gate-temp, date: 2020-02-06, weight: 5}
""",
    ),
    RuleDoc(
        "nights",
        "hard",
        (
            "rules.max_nights_per_week",
            "rules.max_nights",
            "rules.max_nights_per_window",
            "rules.no_nights",
            "night",
        ),
        (),
        "",
        """\
night: {start: "22:00", end: "06:00"}
rules: {max_nights_per_week: 3}
rules_by_tag:
  senior: {no_nights: true}
""",
    ),
    RuleDoc(
        "pins",
        "hard",
        ("pins[]",),
        (),
        "",
        """\
pins:
  - {person: p03, slot: "duty-24h/2020-02-05T08:00"}   # <post>/<local start>
""",
    ),
    RuleDoc(
        "fair_hours",
        "soft",
        ("weights.fair_hours",),
        ("fair_hours",),
        "an hour between a person's hours and their fair share, rounded up per person",
        "weights: {fair_hours: 1}\n",
        checker="fairness",
        also=("Pools", "fairness_pools"),
    ),
    RuleDoc(
        "fair_nights",
        "soft",
        ("weights.fair_nights", "night"),
        ("fair_nights",),
        "a night shift between a person's count and their fair share, rounded up per person",
        "weights: {fair_nights: 5}\n",
        checker="fairness",
        also=("Pools", "fairness_pools"),
    ),
    RuleDoc(
        "fair_weekends",
        "soft",
        ("weights.fair_weekends",),
        ("fair_weekends",),
        "a weekend shift (one starting on a Saturday or Sunday) between a person's count and "
        "their fair share, rounded up per person",
        "weights: {fair_weekends: 2}\n",
        checker="fairness",
        also=("Pools", "fairness_pools"),
    ),
    RuleDoc(
        "preferred_consecutive_days",
        "soft",
        ("rules.preferred_consecutive_days", "weights.preferred_consecutive_days"),
        ("preferred_consecutive_days",),
        "a day by which a run of working days is longer than `max` or shorter than `min`",
        """\
rules: {preferred_consecutive_days: {min: 3, max: 5}}
rules_by_tag:
  volunteer: {preferred_consecutive_days: {max: 2}}
weights: {preferred_consecutive_days: 30}
""",
    ),
    RuleDoc(
        "preferred_consecutive_days_off",
        "soft",
        ("rules.preferred_consecutive_days_off", "weights.preferred_consecutive_days_off"),
        ("preferred_consecutive_days_off",),
        "a day by which a run of days off is longer than `max` or shorter than `min`",
        "rules: {preferred_consecutive_days_off: {min: 2, max: 3}}\n",
    ),
    RuleDoc(
        "preferred_consecutive_shifts",
        "soft",
        ("rules.preferred_consecutive_shifts", "weights.preferred_consecutive_shifts"),
        ("preferred_consecutive_shifts",),
        "a day by which a run of days on one shift is longer than `max` or shorter than `min`",
        """\
rules:
  preferred_consecutive_shifts:
    夜班: {min: 2, max: 3}     # a shift pattern's name
    duty-24h: {max: 1}         # or a post id
""",
    ),
    RuleDoc(
        "complete_weekends",
        "soft",
        ("rules.complete_weekends", "weights.complete_weekends"),
        ("complete_weekends",),
        "a weekend worked on its Saturday or its Sunday only",
        "rules_by_tag:\n  staff: {complete_weekends: true}\n",
    ),
    RuleDoc(
        "preferred_total_shifts",
        "soft",
        (
            "rules.preferred_total_shifts",
            "rules.preferred_total_shifts_per_window",
            "weights.preferred_total_shifts",
        ),
        ("preferred_total_shifts",),
        "a shift by which a person's total over the period (or the window) is above `max` or "
        "below `min`",
        "rules: {preferred_total_shifts: {min: 4, max: 6}}\n",
    ),
    RuleDoc(
        "preferred_max_weekends",
        "soft",
        (
            "rules.preferred_max_weekends",
            "rules.preferred_max_weekends_per_window",
            "weights.preferred_max_weekends",
        ),
        ("preferred_max_weekends",),
        "a weekend worked above the preferred most",
        "rules: {preferred_max_weekends: 2}\n",
    ),
    RuleDoc(
        "priority",
        "soft",
        ("posts[].priority", "weights.shortage"),
        ("priority",),
        "a place missing (a person below a minimum or a team quota) on a post above the lowest "
        "priority",
        """\
posts:
  - id: gate-temp
    name: 体温检测岗
    shifts: [{start: "06:00", hours: 6}]
    headcount: {min: 2}
    priority: 3              # filled before everything else when people are short
  - id: broadcast
    name: 广播防疫提醒
    shifts: [{start: "10:00", hours: 1}]
    priority: 1              # the default: filled last
""",
    ),
    RuleDoc(
        "rounds",
        "soft",
        ("posts[].rounds", "weights.rounds"),
        ("rounds",),
        "a round of an area that nobody takes on a day, priced by its place in the day",
        """\
posts:
  - id: disinfect-corridors
    name: 楼道消杀
    shifts: [{start: "08:00", hours: 2}, {start: "15:00", hours: 2}]
    headcount: {min: 2}
    skills: [disinfection]
    rounds: true             # every area once a day before any area twice
  - id: disinfect-lifts
    name: 电梯间消杀
    shifts: [{start: "08:00", hours: 2}, {start: "15:00", hours: 2}]
    skills: [disinfection]
    rounds: true
""",
    ),
)

#: A roster.yaml an example is laid over, so that each example can be read on its own.
EXAMPLE_BASE = {
    "name": "兴旺社区",
    "posts": [
        {"id": "duty-24h", "name": "24小时值班", "shifts": [{"start": "08:00", "hours": 24}]}
    ],
}


def example_config(rule: RuleDoc) -> RosterConfig:
    """The rule's example read as roster.yaml (over ``EXAMPLE_BASE``); raises when invalid."""
    data = {**EXAMPLE_BASE, **(yaml.safe_load(rule.example) or {})}
    return RosterConfig.model_validate(data)


def rel(path: str) -> str:
    """A path of the repository as seen from docs/."""
    return f"../{path}"


def source_of(func: Callable[..., object]) -> str:
    """The repository path of the file a function is defined in."""
    return Path(inspect.getfile(func)).resolve().relative_to(ROOT).as_posix()


def solver_function(rule: RuleDoc) -> Callable[..., object]:
    """The rule's function in the model (for eligibility, which the model states by having no
    variable for a closed pair: the function that says why a slot is closed)."""
    if rule.id == "eligibility":
        return eligibility.ineligibility
    return next(f for f in SOLVER_RULES if f.__name__ == rule.id)


def checker_function(rule: RuleDoc) -> Callable[..., object]:
    """The rule's solver-free twin in roster/check.py."""
    func: Callable[..., object] = getattr(check, rule.checker or rule.id)
    return func


def marked_tests() -> dict[str, list[tuple[str, str]]]:
    """Rule id → (test file, test name) for every test marked ``@pytest.mark.rule(id)``, or in a
    module whose ``pytestmark`` is, read from tests/ without importing it."""
    found: dict[str, list[tuple[str, str]]] = {}
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module_rules: list[str] = []
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets
            ):
                values = node.value.elts if isinstance(node.value, ast.List) else [node.value]
                module_rules.extend(r for v in values for r in _rule_marks(v))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                ids = module_rules + [r for d in node.decorator_list for r in _rule_marks(d)]
                for rule_id in dict.fromkeys(ids):
                    name = path.relative_to(ROOT).as_posix()
                    found.setdefault(rule_id, []).append((name, node.name))
    return found


def _rule_marks(node: ast.expr) -> list[str]:
    """The rule ids of a ``pytest.mark.rule("a", "b")`` expression (none for other marks)."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "rule"
    ):
        return [a.value for a in node.args if isinstance(a, ast.Constant) and type(a.value) is str]
    return []


def summary(rule: RuleDoc) -> str:
    """What a rule's module says it is about: its docstring's first line after "Rule `id`: "."""
    module = sys.modules[solver_function(rule).__module__]
    first = docstring(module).split("\n", 1)[0].rstrip(".")
    return first.split(": ", 1)[1] if first.startswith("Rule") else first


def meaning(rule: RuleDoc) -> tuple[str, str]:
    """The rule as a coordinator reads it (its docstring's first paragraph), and how the model
    states it (the rest). Eligibility is no function of the model: its checker's words."""
    func = checker_function(rule) if rule.id == "eligibility" else solver_function(rule)
    first, _, rest = docstring(func).partition("\n\n")
    return first, rest


def weight_of(term: str) -> str:
    """Where a penalty term's weight is set, with its default."""
    weights = Weights()
    if term in ("shortage", "quota"):
        return f"`weights.shortage` ({weights.shortage})"
    if term == "priority":
        return (
            "what every place of the lower priorities costs together, all missing at once (a "
            f"place of the lowest costs `weights.shortage`, {weights.shortage}); the `shortage` or "
            "`quota` term adds its own weight to it"
        )
    if term == "rounds":
        return (
            f"`weights.rounds` ({weights.rounds}) for an area's last round of a day; an "
            "earlier round, that plus every later round of every area that day"
        )
    if term in ("under_target", "over_target"):
        side = term.split("_")[0]
        default = getattr(weights, term)
        return f"the slot's `{side}_weight`, else `weights.{term}` ({default})"
    if term in ("successions", "requests"):
        return f"each entry's `weight` under `{term}:`"
    return f"`weights.{term}` ({getattr(weights, term)})"


def keys_table(rule: RuleDoc) -> str:
    """The rule's keys: where they are written, type, default and meaning."""
    rows = ["| key | type | default | meaning |", "| --- | --- | --- | --- |"]
    shown: set[type[BaseModel]] = set()
    for path in rule.keys:
        # A model already listed key by key (a post's headcount) is named once more as a whole.
        models = set(nested_models(resolve(RosterConfig, path, expand=False)[0][1].annotation))
        for key, field in resolve(RosterConfig, path, expand=not models & shown):
            default = None
            if key.startswith("rules.") and "." not in key.removeprefix("rules."):
                default = getattr(DEFAULT_RULES, key.removeprefix("rules."))
            rows.append(
                f"| `{key}` | {cell(type_text(field.annotation, link=False))} "
                f"| {default_text(field, default)} | {cell(field.description or '')} |"
            )
        shown |= models
    return "\n".join(rows) + "\n"


def links(rule: RuleDoc, tests: list[tuple[str, str]]) -> list[str]:
    """Table rows leading from the rule to its code, its checker twin and its tests."""
    func = solver_function(rule)
    twin = checker_function(rule)
    code = source_of(func)
    by_file: dict[str, list[str]] = {}
    for path, name in tests:
        by_file.setdefault(path, []).append(f"`{name}`")
    listed = "; ".join(f"[`{p}`]({rel(p)}): {', '.join(n)}" for p, n in by_file.items())
    return [
        f"| code | [`{code}`]({rel(code)}) `{func.__name__}()` |",
        f"| checker | [`roster/check.py`]({rel('roster/check.py')}) `{twin.__name__}()` |",
        f"| tests | {listed or 'none'} |",
    ]


def section(rule: RuleDoc, tests: list[tuple[str, str]]) -> str:
    """The reference entry of one rule."""
    first, how = meaning(rule)
    what = summary(rule)
    lines = [f"## `{rule.id}`\n", f"*{what[:1].upper()}{what[1:]}.*\n", first + "\n"]
    term, name = rule.also
    if name:
        helper: Callable[..., object] = getattr(eligibility, name)
        source = source_of(helper)
        text = docstring(helper).partition("\n\n")[0]
        lines.append(f"**{term}.** {text} ([`{source}`]({rel(source)}) `{name}()`)\n")
    lines.append("| | |\n| --- | --- |")
    lines.append(f"| kind | {rule.kind} |")
    if rule.terms:
        terms = "; ".join(f"`{t}`, weight {weight_of(t)}" for t in rule.terms)
        lines.append(f"| penalty terms | {terms} |")
        lines.append(f"| penalty unit | {rule.unit} |")
    else:
        lines.append("| penalty terms | none: never broken |")
    lines.extend(links(rule, tests))
    lines.append("")
    if rule.keys:
        lines.append(keys_table(rule))
    if rule.example:
        lines.append(f"```yaml\n{rule.example.rstrip()}\n```\n")
    if how:
        lines.append(f"**In the model.** {how}\n")
    return "\n".join(lines)


INTRO = """\
# Rules

Generated from the code by `make docs` (`tools/ruledoc.py`); a test fails when it is out of date.
Each rule's meaning is its function's docstring in `solver/rules/`; each key's type, default and
meaning come from `roster/models.py`.

A rule is **hard** when no roster breaks it, **soft** when breaking it costs a penalty: the solver
finds the roster with the least total penalty (the sum of each term times its weight), and the
summary and `schedule.json` split that penalty into the terms named below. A shortage (fewer people
than a post's minimum) is priced, so a roster is always made; `roster solve --strict` makes
minimums and quota minimums hard.

A rule's id names three things: the function in `solver/rules/` that states it in the CP-SAT model,
its twin in `roster/check.py` that checks a finished roster without the solver (`roster check` runs
them all), and its tests, marked `@pytest.mark.rule("<id>")` (`pytest --rule <id>` runs them).

Keys under `rules:` hold for everyone; the same keys under `rules_by_tag: {<tag>: …}` hold for
people with the tag (a later tag wins over an earlier one), and under a person's `rules:` (or as a
column of the people file) for that person. The order: default < `rules:` < each tag in the order
of `rules_by_tag` < the person's own. Hours count on the date a shift starts; a *working day* is a
date on which one of the person's shifts starts; a *night shift* is one that overlaps the `night:`
window. The file formats are in [formats.md](formats.md), how the model states the rules in
[solver.md](solver.md).
"""


def render() -> str:
    """The whole reference: an index, then one section per rule."""
    tests = marked_tests()
    parts = [INTRO, "| rule | what | kind | penalty terms |", "| --- | --- | --- | --- |"]
    for rule in RULES:
        kind = rule.kind if rule.kind in ("hard", "soft") else "hard and soft"
        terms = ", ".join(f"`{t}`" for t in rule.terms) or "–"
        what = summary(rule)
        what = what[:1].upper() + what[1:]
        parts.append(f"| [`{rule.id}`](#{rule.id}) | {cell(what)} | {kind} | {terms} |")
    parts.append("")
    for rule in RULES:
        parts.append(section(rule, tests.get(rule.id, [])))
    return "\n".join(parts).rstrip() + "\n"


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {TARGET}\n")
