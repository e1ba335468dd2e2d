"""The generated city (benchmarks/city.py): the district's generator at a city's size, written as
one roster folder that loads as ``roster solve`` loads it, one part per community."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from benchmarks.city import main, measure_city, project, write_city
from roster.load import load_roster
from solver.components import find_parts


def test_city_folder_loads_with_one_part_per_community(tmp_path: Path) -> None:
    folder = write_city(tmp_path / "city", seed=3, communities=4, people=96)
    roster = load_roster(folder)
    assert roster.config.name == "西宁市（4个社区）"
    assert len(roster.people) == 96
    assert len(find_parts(roster)) == 4
    header = (folder / "roster.yaml").read_text(encoding="utf-8").splitlines()[:2]
    assert header[0].startswith("# 生成的城市：")
    assert header[1] == "# python -m benchmarks.city generate --seed 3 --communities 4 --people 96"


def test_same_seed_same_files_another_seed_others(tmp_path: Path) -> None:
    def files(name: str, seed: int) -> tuple[bytes, bytes]:
        folder = write_city(tmp_path / name, seed=seed, communities=3, people=70)
        return (folder / "roster.yaml").read_bytes(), (folder / "people.csv").read_bytes()

    assert files("a", 1) == files("b", 1)
    assert files("c", 2) != files("a", 1)


def test_figures_count_the_model(tmp_path: Path) -> None:
    f = measure_city(tmp_path / "city", seed=0, communities=3, people=75)
    assert (f.communities, f.people, f.parts) == (3, 75, 3)
    # Every community keeps at least the duty, gate, registration, two disinfection posts,
    # broadcast and screening of the reference.
    assert f.posts >= 3 * 6
    assert f.slots > 0 and f.booleans > f.slots
    assert f.time_limit is None and f.solve_seconds is None
    assert f.peak_mb > 0


def test_run_solves_a_small_city_and_rechecks_it() -> None:
    """One community, so the test costs one small solve (the parts are tested with the engine)."""
    outcome = CliRunner().invoke(
        main,
        [
            *("run", "--communities", "1", "--people", "14", "--time-limit", "1"),
            *("--workers", "1", "--repeatable"),
        ],
    )
    assert outcome.exit_code == 0, outcome.output
    assert "| city | 1 communities, 14 people, week 2020-W06 |" in outcome.output
    assert "| checker violations | 0 |" in outcome.output
    status = next(line for line in outcome.output.splitlines() if "status / objective" in line)
    assert "OPTIMAL" in status or "FEASIBLE" in status


def test_projection_is_bounded_by_the_largest_part_and_by_the_sum_over_lanes() -> None:
    assert project([3.0, 1.0, 1.0, 1.0], 2) == 3.0  # the largest part alone on its lane
    assert project([1.0, 1.0, 1.0, 1.0], 2) == 2.0  # the sum over the lanes
    assert project([1.0, 1.0, 1.0, 1.0], 100) == 1.0  # no lane has more than one part
    assert project([1.0, 1.0], 1, overhead=0.5) == 3.0  # every part pays its overhead
    # Handed out in order: a large part last lands beside the others, not alone.
    assert project([1.0, 1.0, 2.0], 2) == 3.0
