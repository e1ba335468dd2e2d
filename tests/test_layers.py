"""solver/ flows one way: each module imports only modules of its own floor or lower ones
(``solver.LAYERS``), wherever the import stands (top level, in a function, under TYPE_CHECKING)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from solver import LAYERS

SOLVER = Path(__file__).resolve().parent.parent / "solver"


def floor_of(module: str) -> int | None:
    """The floor of ``solver.x`` or ``solver.x.y`` (by its first name under solver), or None for
    the package itself."""
    parts = module.split(".")
    if len(parts) < 2:
        return None
    for index, names in enumerate(LAYERS):
        if parts[1] in names:
            return index
    raise AssertionError(f"{module}: not on any floor of solver.LAYERS; add it to one")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SOLVER.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(path: Path) -> list[tuple[int, str]]:
    """Every solver module the file ``path`` imports, with the line."""
    package = path.name == "__init__.py"
    return imports_of(path.read_text(encoding="utf-8"), module_name(path), package=package)


def imports_of(source: str, name: str, *, package: bool = False) -> list[tuple[int, str]]:
    """Every solver module the source of module ``name`` imports, with the line, in line order:
    ``from .x import y`` and ``from . import x`` resolved against the module's package."""
    tree = ast.parse(source)
    package_name = name if package else name.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("solver")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_name.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("solver"):
                continue
            if node.module is None or target == "solver":
                # ``from . import lns``: the names are modules.
                found += [(node.lineno, f"{target}.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, target))
    return sorted(found)


MODULES = sorted(SOLVER.rglob("*.py"))


def test_every_module_has_a_floor() -> None:
    for path in MODULES:
        name = module_name(path)
        if name != "solver":
            assert floor_of(name) is not None


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_imports_go_down(path: Path) -> None:
    name = module_name(path)
    own = floor_of(name)
    if own is None:
        return
    upward = [
        f"{path.name}:{line} imports {target} (floor {floor_of(target)}, above {own})"
        for line, target in imported(path)
        if (floor_of(target) or 0) > own
    ]
    assert upward == []


def test_the_check_sees_an_upward_import() -> None:
    """The parser finds the imports a circle was hidden behind: in a function and under
    TYPE_CHECKING, relative and absolute."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "from .model import RosterModel\n"
        "if TYPE_CHECKING:\n"
        "    from .solve import SolveOptions\n"
        "def f() -> None:\n"
        "    from solver import lns\n"
        "    import solver.explain\n"
        "    from .rules.rest import rest\n"
    )
    targets = [t for _, t in imports_of(source, "solver.search")]
    assert targets == [
        "solver.model",
        "solver.solve",
        "solver.lns",
        "solver.explain",
        "solver.rules.rest",
    ]
    own = floor_of("solver.search")
    assert own is not None
    assert [(floor_of(t) or 0) > own for t in targets] == [False, True, True, True, False]


def test_relative_imports_of_a_rule_resolve_in_its_package() -> None:
    source = "from ..model import Penalty\nfrom .days import runs\n"
    assert imports_of(source, "solver.rules.rest") == [
        (1, "solver.model"),
        (2, "solver.rules.days"),
    ]
    assert imports_of("from .model import X\n", "solver.rules", package=True) == [
        (1, "solver.rules.model")
    ]
