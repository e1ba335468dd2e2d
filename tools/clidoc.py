"""Writes docs/cli.md, the command-line reference, from the commands' own --help texts."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.testing import CliRunner

from cli import main

TARGET = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def render() -> str:
    """The reference: the group's help, then each command's, in the order of `roster --help`."""
    runner = CliRunner()
    parts = [
        "# Command-line reference\n",
        "Generated from `roster --help` by `make docs`; a test fails when it is out of date.\n",
    ]
    commands: list[str] = ["", *sorted(main.commands)]
    for name in commands:
        args = [name, "--help"] if name else ["--help"]
        result = runner.invoke(main, args, prog_name="roster", terminal_width=100)
        if result.exit_code != 0:
            raise click.ClickException(f"roster {' '.join(args)} failed: {result.output}")
        title = f"roster {name}".strip()
        parts.append(f"## `{title}`\n\n```text\n{result.output.rstrip()}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {TARGET}\n")
