"""CP-SAT parameters on a benchmark's command line: ``--param KEY=VALUE``, repeatable, shared by
``benchmarks.curtois`` and ``benchmarks.district``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import click
import yaml


def param_option(example: str) -> Callable[[Any], Any]:
    """The ``--param`` option (into the argument ``params``), its help showing ``example``."""
    return click.option(
        "--param",
        "params",
        multiple=True,
        metavar="KEY=VALUE",
        help=f"A CP-SAT parameter (SolveOptions.extra), e.g. {example} (repeatable).",
    )


def parse_param(text: str) -> tuple[str, object]:
    """One ``KEY=VALUE``: the value read as YAML, so true/false, numbers and lists such as
    ``ignore_subsolvers=[core, no_lp]`` come out typed (``solver.model.apply_params`` fills a
    repeated parameter from a list); a mapping is refused."""
    key, sep, value = text.partition("=")
    if not sep:
        raise click.BadParameter(f"{text!r}: write KEY=VALUE", param_hint="--param")
    parsed: object = yaml.safe_load(value)
    if isinstance(parsed, dict):
        raise click.BadParameter(
            f"{text!r}: a single value or a list, e.g. ignore_subsolvers=[core, no_lp]",
            param_hint="--param",
        )
    return key.strip(), parsed


def parse_params(items: Iterable[str]) -> dict[str, object]:
    """Every ``--param`` given, by key (a later one wins)."""
    return dict(parse_param(item) for item in items)
