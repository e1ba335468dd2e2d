"""The documentation that is generated must be current, and the rules reference complete."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import clidoc  # noqa: E402 - tools/ is not a package
import formatdoc  # noqa: E402
import ruledoc  # noqa: E402

from roster import check  # noqa: E402
from roster.models import RuleSet, Weights  # noqa: E402
from solver.rules import RULES as SOLVER_RULES  # noqa: E402


@pytest.mark.parametrize("tool", [clidoc, ruledoc, formatdoc], ids=lambda t: t.__name__)
def test_generated_reference_is_current(tool: object) -> None:
    target: Path = tool.TARGET  # type: ignore[attr-defined]
    assert target.read_text(encoding="utf-8") == tool.render(), "run `make docs`"  # type: ignore[attr-defined]


def test_every_rule_of_the_model_has_an_entry() -> None:
    documented = [r.id for r in ruledoc.RULES]
    assert documented == ["eligibility", *(f.__name__ for f in SOLVER_RULES)]


def test_every_rule_key_and_weight_belongs_to_a_rule() -> None:
    # A key of a range such as rules.preferred_total_shifts.min belongs to its rule's key.
    claimed = {
        key.split(".")[1]
        for rule in ruledoc.RULES
        for path in rule.keys
        for key, _ in ruledoc.resolve(ruledoc.RosterConfig, path)
        if key.startswith(("rules.", "weights."))
    }
    assert claimed == set(RuleSet.model_fields) | set(Weights.model_fields)


@pytest.mark.parametrize("rule", ruledoc.RULES, ids=lambda r: r.id)
def test_a_rule_leads_to_its_checker_twin_and_its_tests(rule: ruledoc.RuleDoc) -> None:
    twin = ruledoc.checker_function(rule)
    hard = rule.kind == "hard"
    assert twin in (check.HARD if hard else check.SOFT)
    assert ruledoc.marked_tests().get(rule.id), f"no test is marked @pytest.mark.rule({rule.id!r})"


@pytest.mark.parametrize("rule", ruledoc.RULES, ids=lambda r: r.id)
def test_a_rules_example_is_valid_roster_yaml(rule: ruledoc.RuleDoc) -> None:
    config = ruledoc.example_config(rule)
    assert config.name


def test_soft_rules_name_the_terms_the_checker_reports(small: Path) -> None:
    from roster.load import load_roster
    from roster.slots import expand, make_period

    # A post of higher priority and one with rounds, so that every term is reported.
    text = (small / "roster.yaml").read_text(encoding="utf-8")
    text = text.replace("    tags: [committee]\n", "    tags: [committee]\n    priority: 2\n")
    skills = "    skills: [thermometer]\n"
    text = text.replace(skills, skills + "    rounds: true\n")
    (small / "roster.yaml").write_text(text, encoding="utf-8")
    roster = load_roster(small)
    period = make_period(roster.config.timezone, "2020-W06", None, None)
    slots = expand(roster.config, period)
    report = check.check(roster, period, slots, {})
    documented = {t for rule in ruledoc.RULES for t in rule.terms}
    assert documented == set(report.terms)


def test_fair_weights_are_described_as_the_distance_from_a_share() -> None:
    # The rule prices each person's distance from their fair share (solver/rules/fairness.py),
    # not the gap between the most and the least loaded.
    for name in ("fair_hours", "fair_nights", "fair_weekends"):
        text = Weights.model_fields[name].description or ""
        assert "fair share" in text and "least" not in text


def test_readme_opens_with_the_two_setup_commands() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    block = lines[lines.index("```sh") + 1 : lines.index("```sh") + 3]
    assert [line.split("#")[0].strip() for line in block] == ["make demo", "make test"]


def test_readme_puts_roster_on_the_path_before_using_it_bare() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    first_bare = next(i for i, line in enumerate(lines) if line.startswith("roster "))
    before = "\n".join(lines[:first_bare])
    assert ". .venv/bin/activate" in before and "pipx install ." in before


def test_readme_is_the_coordinators_and_short() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) < 250
    assert "session" not in text.lower()
    for doc in ("docs/rules.md", "docs/formats.md", "docs/cli.md", "docs/solver.md"):
        assert f"({doc})" in text, f"the README links {doc}"
        assert (ROOT / doc).exists()


def test_readme_roster_folder_loads(tmp_path: Path) -> None:
    from roster.load import load_roster

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    yaml_block = text.split("### roster.yaml\n\n```yaml\n", 1)[1].split("```", 1)[0]
    csv_block = text.split("### people.csv\n\n```text\n", 1)[1].split("```", 1)[0]
    (tmp_path / "roster.yaml").write_text(yaml_block, encoding="utf-8")
    (tmp_path / "people.csv").write_text(csv_block, encoding="utf-8")
    roster = load_roster(tmp_path)
    assert [p.id for p in roster.config.posts] == ["gate-temp", "duty-24h"]
    assert [p.id for p in roster.people] == ["p01", "p06", "p21"]
    assert roster.rules_for(roster.person("p21")).no_nights is True


def _anchors(path: Path) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown file."""
    import re

    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            out.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return out


@pytest.mark.parametrize(
    "doc",
    ["README.md", *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md"))],
)
def test_links_between_documents_lead_somewhere(doc: str) -> None:
    import re

    source = ROOT / doc
    text = source.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if target.startswith(("http://", "https://")):
            continue
        path, _, anchor = target.partition("#")
        linked = (source.parent / path).resolve() if path else source
        assert linked.exists(), f"{doc}: {target} does not exist"
        if anchor:
            assert anchor in _anchors(linked), f"{doc}: no heading for #{anchor} in {path or doc}"
