"""The documentation that is generated must be current."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from clidoc import TARGET, render  # noqa: E402 - tools/ is not a package


def test_cli_reference_is_current() -> None:
    assert TARGET.read_text(encoding="utf-8") == render(), "run `make docs`"


def test_readme_opens_with_the_two_setup_commands() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    block = lines[lines.index("```sh") + 1 : lines.index("```sh") + 3]
    assert [line.split("#")[0].strip() for line in block] == ["make demo", "make test"]


def test_readme_roster_yaml_example_is_valid() -> None:
    import yaml

    from roster.models import RosterConfig

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("### roster.yaml\n\n```yaml\n", 1)[1].split("```", 1)[0]
    config = RosterConfig.model_validate(yaml.safe_load(block))
    assert [p.id for p in config.posts] == ["gate-temp", "duty-24h"]
