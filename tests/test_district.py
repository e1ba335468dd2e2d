"""The generated district (benchmarks/district.py) and solving a roster in independent parts."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest

from benchmarks.district import (
    HEAVIER,
    LIGHTER,
    REFERENCE,
    WEEK,
    _capacity,
    _Watch,
    alone_markdown,
    build_district,
    choose_level,
    community_sizes,
    demand_levels,
    makespan,
    reach_alone,
    write_district,
)
from roster.check import check
from roster.eligibility import eligible
from roster.load import Roster, load_roster, read_yaml
from roster.report import assignment_of
from roster.schedule import Schedule
from roster.slots import Period, expand, make_period
from solver.components import (
    FIRST_SHARE,
    MIN_FIRST,
    MIN_PART_TIME,
    MIN_SLICE,
    PART_PARAMS,
    WALL_PART_WORKERS,
    PartProgress,
    PartRun,
    WallPlan,
    _better,
    _soft,
    candidates,
    find_parts,
    first_pass,
    first_share,
    part_options,
    search_part,
    second_pass,
    solve_in_parts,
    sub_roster,
)
from solver.solve import SolveOptions, solve, solve_one

DAY = date(2020, 2, 3)


def district(tmp_path: Path, communities: int = 3, people: int = 30, seed: int = 0) -> Roster:
    """A small generated district, loaded."""
    return load_roster(write_district(tmp_path / "district", seed, communities, people))


def one_day(roster: Roster) -> Period:
    return make_period(roster.config.timezone, None, DAY, DAY)


def options(**kw: object) -> SolveOptions:
    options = SolveOptions(repeatable=True, work_units=20, workers=1, seed=0)
    return replace(options, **kw)  # type: ignore[arg-type]


# --- the generator ------------------------------------------------------------------------------


def test_same_seed_same_district() -> None:
    assert build_district(seed=4, communities=3, people=30) == build_district(
        seed=4, communities=3, people=30
    )


def test_another_seed_another_district() -> None:
    assert build_district(seed=4, communities=3, people=30) != build_district(
        seed=5, communities=3, people=30
    )


def test_same_seed_same_files(tmp_path: Path) -> None:
    a = write_district(tmp_path / "a", 1, 3, 30)
    b = write_district(tmp_path / "b", 1, 3, 30)
    for name in ("roster.yaml", "people.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes()


def test_sizes_add_up_and_differ() -> None:
    import random

    sizes = community_sizes(random.Random(0), 29, 1057)
    assert sum(sizes) == 1057
    assert len(sizes) == 29
    assert min(sizes) < max(sizes)


def test_loads_with_every_person(tmp_path: Path) -> None:
    roster = district(tmp_path, communities=3, people=30)
    assert len(roster.people) == 30
    tags = {p.tags[0] for p in roster.people}
    assert tags == {"c01", "c02", "c03"}


def test_the_full_district_loads(tmp_path: Path) -> None:
    roster = district(tmp_path, communities=29, people=1057)
    assert len(roster.people) == 1057
    assert len({p.tags[0] for p in roster.people}) == 29
    assert roster.config.leave == [] and roster.leave  # leave comes from people.csv
    assert roster.config.requests


def test_each_community_has_the_posts_of_its_demand_level(tmp_path: Path) -> None:
    reference = load_roster(REFERENCE)
    roster = district(tmp_path, communities=3, people=120)
    _, made = build_district(0, 3, 120)
    levels = _levels()
    ids = {p.id for p in roster.config.posts}
    for community in made:
        own = {p.removeprefix(community.id + "-") for p in ids if p.startswith(community.id + "-")}
        assert own == {p["id"] for p in levels[community.level][0]}
        assert own <= {p.id for p in reference.config.posts}
        assert {"duty-24h", "gate-temp", "gate-register"} <= own


def _levels() -> dict[int, tuple[list[dict[str, object]], float]]:
    raw = read_yaml(REFERENCE / "roster.yaml")
    return demand_levels(
        raw["posts"], "Asia/Shanghai", make_period("Asia/Shanghai", WEEK, None, None)
    )


def test_demand_levels_go_from_lightest_to_heaviest() -> None:
    levels = _levels()
    assert sorted(levels) == list(range(-len(LIGHTER), len(HEAVIER) + 1))
    hours = [levels[k][1] for k in sorted(levels)]
    assert hours == sorted(hours) and len(set(hours)) == len(hours)
    # The reference: 4 people at the gate around the clock, 24-hour duty, disinfection,
    # broadcast and screening (examples/xingwang/roster.yaml: 973 hours).
    assert levels[0][1] == 973


def test_the_lightest_level_keeps_one_person_at_each_gate_post_by_day() -> None:
    posts = {p["id"]: p for p in _levels()[-len(LIGHTER)][0]}
    assert "gate-turnback" not in posts
    assert posts["gate-temp"]["headcount"]["min"] == 1
    assert posts["gate-temp"]["quotas"] == [{"tag": "party_member", "min": 1}]
    assert [s["start"] for s in posts["gate-temp"]["shifts"]] == ["06:00", "12:00", "18:00"]
    assert posts["duty-24h"]["headcount"] == {"min": 1}


def test_a_level_fits_when_capacity_is_exactly_its_hours_times_the_slack() -> None:
    levels = _levels()
    hours = levels[0][1]
    assert choose_level(levels, hours * 1.5, 1.5) == 0
    assert choose_level(levels, hours * 1.5 - 0.01, 1.5) == -1
    assert choose_level(levels, 0.0, 1.5) == -len(LIGHTER)
    assert choose_level(levels, 1e9, 1.5) == len(HEAVIER)


def test_demand_follows_the_size_of_each_community() -> None:
    _, made = build_district(0, 29, 1057)
    levels = _levels()
    period = make_period("Asia/Shanghai", WEEK, None, None)
    slack = _capacity(load_roster(REFERENCE), period) / levels[0][1]
    assert 1.4 < slack < 1.6  # the reference: about 1,450 hours to give for 973 needed
    for community in made:
        assert community.demand == levels[community.level][1]
        if community.level > -len(LIGHTER):
            assert community.capacity >= slack * community.demand
        heavier = levels.get(community.level + 1)
        if heavier is not None:
            assert community.capacity < slack * heavier[1]
    by_size = sorted(made, key=lambda c: c.capacity)
    assert by_size[0].demand < by_size[-1].demand
    assert [c.level for c in by_size] == sorted(c.level for c in by_size)


def test_posts_open_only_to_their_own_community(tmp_path: Path) -> None:
    roster = district(tmp_path)
    able = candidates(roster)
    for post in roster.config.posts:
        community = post.id.split("-")[0]
        assert all(p.id.startswith(community + "-") for p in able[post.id]), post.id


def test_prefilter_misses_nobody_eligible(tmp_path: Path) -> None:
    roster = district(tmp_path, communities=2, people=20)
    able = candidates(roster)
    for slot in expand(roster.config, one_day(roster)):
        for person in roster.people:
            if eligible(roster, person, slot):
                assert person in able[slot.post]


# --- parts --------------------------------------------------------------------------------------


def test_two_communities_are_two_parts(tmp_path: Path) -> None:
    roster = district(tmp_path, communities=2, people=20)
    parts = find_parts(roster)
    assert len(parts) == 2
    for part, community in zip(parts, ("c01", "c02"), strict=True):
        assert all(p.startswith(community + "-") for p in part.people)
        assert all(p.startswith(community + "-") for p in part.posts)


def test_one_community_is_one_part(tmp_path: Path) -> None:
    roster = district(tmp_path, communities=1, people=12)
    assert len(find_parts(roster)) == 1


def test_a_person_of_both_joins_the_parts(tmp_path: Path) -> None:
    roster = district(tmp_path, communities=2, people=20)
    bridge = roster.people[0].model_copy(update={"tags": [*roster.people[0].tags, "c02"]})
    joined = Roster(roster.folder, roster.config, [bridge, *roster.people[1:]], roster.leave)
    assert len(find_parts(joined)) == 1


@dataclass
class Solved:
    """A two-community district solved for one day, with the progress reports of the solve."""

    roster: Roster
    period: Period
    schedule: Schedule
    seen: list[PartProgress]


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> Solved:
    roster = district(tmp_path_factory.mktemp("solved"), communities=2, people=20)
    seen: list[PartProgress] = []
    schedule = solve(roster, one_day(roster), options(on_progress=seen.append))
    return Solved(roster, one_day(roster), schedule, seen)


def test_merged_roster_is_each_part_solved_alone(solved: Solved) -> None:
    merged = assignment_of(solved.schedule)
    objective = 0
    for part in find_parts(solved.roster):
        # Parts search with CP-SAT's portfolio trimmed (PART_PARAMS): the part alone too.
        alone = solve(sub_roster(solved.roster, part), solved.period, options(extra=PART_PARAMS))
        assert alone.solver.status == "OPTIMAL"
        for slot_id, people in assignment_of(alone).items():
            assert merged[slot_id] == people
        objective += alone.solver.objective or 0
    assert solved.schedule.solver.objective == objective


def test_merged_roster_passes_the_checker(solved: Solved) -> None:
    roster, period, schedule = solved.roster, solved.period, solved.schedule
    report = check(roster, period, expand(roster.config, period), assignment_of(schedule))
    assert report.violations == []
    assert report.penalty == schedule.solver.objective
    assert schedule.solver.status == "OPTIMAL"
    assert schedule.solver.bound == schedule.solver.objective


def test_progress_counts_parts(solved: Solved) -> None:
    seen = solved.seen
    assert seen and all(isinstance(p, PartProgress) for p in seen)
    assert seen[-1].parts == 2
    assert seen[-1].parts_done == 2
    assert seen[-1].complete


def test_parts_side_by_side_give_the_same_roster(solved: Solved) -> None:
    parts = find_parts(solved.roster)
    side_by_side = solve_in_parts(solved.roster, solved.period, options(), solve, parts, parallel=2)
    assert assignment_of(side_by_side) == assignment_of(solved.schedule)
    assert side_by_side.solver.objective == solved.schedule.solver.objective


def test_parts_by_the_wall_clock_give_a_valid_roster_of_the_whole(solved: Solved) -> None:
    """The wall-clock mode shares seconds, not work: the roster may differ from the repeatable
    one, but it is a roster of the whole that keeps every rule, and says which mode made it."""
    wall = solve(solved.roster, solved.period, SolveOptions(time_limit=30, workers=1, seed=0))
    assert wall.solver.mode == "wall" and not wall.solver.interrupted
    assert wall.solver.status in ("OPTIMAL", "FEASIBLE")
    slots = expand(solved.roster.config, solved.period)
    assert check(solved.roster, solved.period, slots, assignment_of(wall)).violations == []
    assert set(assignment_of(wall)) == {s.id for s in slots}


def test_an_interrupted_district_keeps_the_parts_it_has_and_leaves_the_rest_empty(
    solved: Solved,
) -> None:
    from solver.components import merge
    from solver.search import Stop

    parts = find_parts(solved.roster)
    first = solve(sub_roster(solved.roster, parts[0]), solved.period, options(extra=PART_PARAMS))
    stop = Stop()
    stop.interrupt()
    merged = merge(solved.roster, solved.period, [first, None], options(stop=stop), 0.0)
    assert merged.solver.status == "UNKNOWN" and merged.solver.interrupted
    kept = assignment_of(merged)
    assert all(kept[slot] == people for slot, people in assignment_of(first).items())
    others = [s.id for s in merged.slots if s.post in parts[1].posts]
    assert others and all(kept[slot] == [] for slot in others)


def test_first_pass_shares_half_the_limit_equally() -> None:
    assert first_pass(4, 40.0) == dict.fromkeys(range(4), 5.0)
    # Never under the least a part gets, never over the whole limit.
    assert first_pass(29, 10.0) == dict.fromkeys(range(29), MIN_PART_TIME)
    assert first_pass(3, 0.5) == dict.fromkeys(range(3), 0.5)


def test_second_pass_follows_the_gaps() -> None:
    assert second_pass({0: 30, 1: 0, 2: 10}, 20.0) == {0: 15.0, 2: 5.0}
    # A share under the least a part gets goes to the others, smallest gap first.
    tiny = MIN_PART_TIME / 2
    assert second_pass({0: 99, 1: 1}, 100 * tiny) == {0: 100 * tiny}
    assert second_pass({0: 5}, tiny) == {}
    assert second_pass({0: 0, 1: 0}, 50.0) == {}


# --- the wall-clock plan ------------------------------------------------------------------------


def test_a_first_search_shares_its_part_of_the_lanes_seconds_equally() -> None:
    assert first_share(29, 2, 58.0) == pytest.approx(FIRST_SHARE * 2 * 58.0 / 29)
    # Never under the least a first search gets, never over the seconds there are.
    assert first_share(1000, 2, 10.0) == MIN_FIRST
    assert first_share(3, 2, 0.2) == 0.2
    assert first_share(3, 2, -1.0) == 0.0


def test_every_part_gets_its_first_search_before_any_part_a_second() -> None:
    plan = WallPlan(3, 2, 30.0)
    share = first_share(3, 2, 30.0)
    first = [plan.next(30.0), plan.next(30.0)]
    assert first == [PartRun(0, share, "first"), PartRun(1, share, "first")]
    plan.finished(0, 50)
    # Part 0 has the largest gap of all, but part 2 has had no search yet. Its share is of the
    # seconds left, among itself and the search still running.
    assert plan.next(25.0) == PartRun(2, first_share(2, 2, 25.0), "first")
    # Parts 1 and 2 are running and part 0 alone has a gap: the lanes' seconds left are its.
    assert plan.next(25.0) == PartRun(0, 25.0, "improve")


def test_first_searches_follow_the_plans_order_and_a_quick_part_leaves_its_time_to_the_next() -> (
    None
):
    plan = WallPlan(3, 1, 30.0, order=[2, 0, 1])
    assert plan.next(30.0) == PartRun(2, first_share(3, 1, 30.0), "first")
    plan.finished(2, 0)  # proven after 2 s of its 8
    # The 28 s left are shared by the two parts still to start: more than a third of 30 s each.
    assert plan.next(28.0) == PartRun(0, first_share(2, 1, 28.0), "first")
    assert first_share(2, 1, 28.0) > first_share(3, 1, 30.0)
    plan.finished(0, 10)
    assert plan.next(10.0) == PartRun(1, first_share(1, 1, 10.0), "first")
    plan.finished(1, 4)
    # Every part has had its first search: the seconds left go to the gaps (part 2 is proven).
    assert plan.next(5.0) == PartRun(0, 5.0 * 10 / 14, "improve")


def test_a_part_without_a_roster_is_searched_again_before_any_part_is_improved() -> None:
    plan = WallPlan(2, 2, 5.0)
    share = first_share(2, 2, 5.0)
    for _ in range(2):
        plan.next(5.0)
    plan.finished(0, None)
    plan.finished(1, 80)
    assert plan.next(15.0) == PartRun(0, 2 * share, "retry")
    plan.finished(0, None)
    # Twice as long each time, never past the seconds left.
    assert plan.next(3.5) == PartRun(0, 3.5, "retry")
    plan.finished(0, 10)
    assert plan.next(3.0) == PartRun(1, 3.0, "improve")


def test_the_largest_gap_is_improved_first_for_its_share_of_the_seconds_left() -> None:
    plan = WallPlan(4, 2, 40.0)
    for index, gap in enumerate((30, 0, 2, 60)):
        plan.next(40.0)
        plan.finished(index, gap)
    left = 20.0
    # Two lanes for 20 s are 40 lane-seconds; part 3 has 60 of the 92 of gap.
    assert plan.next(left) == PartRun(3, left, "improve")  # 26 s asked, 20 left
    assert plan.next(left) == PartRun(0, 2 * left * 30 / 92, "improve")
    # A small gap still gets a search worth its restart; a proven part (gap 0) never.
    assert plan.next(left) == PartRun(2, MIN_SLICE, "improve")
    assert plan.next(left) is None
    for index in (3, 0, 2):
        plan.finished(index, 0)
    assert plan.next(left) is None


def test_a_part_whose_gap_did_not_narrow_yields_to_one_with_more_than_half_its_gap() -> None:
    plan = WallPlan(2, 1, 40.0)
    for index, gap in enumerate((100, 60)):
        plan.next(40.0)
        plan.finished(index, gap)
    assert plan.next(30.0) == PartRun(0, 30.0 * 100 / 160, "improve")
    plan.finished(0, 100)  # no better roster, no better bound: counts as 50 now
    assert plan.next(20.0) == PartRun(1, 20.0 * 60 / 110, "improve")
    plan.finished(1, 40)
    assert plan.next(10.0) == PartRun(0, 10.0 * 50 / 90, "improve")
    plan.finished(0, 90)  # narrowed: counts in full again
    assert plan.next(10.0) == PartRun(0, 10.0 * 90 / 130, "improve")


def test_no_search_starts_at_the_deadline_and_none_to_improve_in_less_than_a_slice() -> None:
    plan = WallPlan(2, 1, 10.0)
    assert plan.next(0.0) is None
    assert plan.next(0.3) == PartRun(0, 0.3, "first")  # a first roster is worth any time
    plan.finished(0, 5)
    assert plan.next(MIN_SLICE / 2) == PartRun(1, first_share(1, 1, MIN_SLICE / 2), "first")
    plan.finished(1, 5)
    assert plan.next(MIN_SLICE / 2) is None
    assert plan.next(MIN_SLICE) == PartRun(0, MIN_SLICE, "improve")


def test_every_part_has_a_roster_however_little_work_it_is_given(solved: Solved) -> None:
    roster, period = solved.roster, solved.period
    schedule = solve(roster, period, options(work_units=0.001))
    slots = expand(roster.config, period)
    assert check(roster, period, slots, assignment_of(schedule)).violations == []
    for part in find_parts(roster):
        assert any(s.assigned for s in schedule.slots if s.post in part.posts)


def test_every_part_has_a_roster_however_few_seconds_it_is_given(tmp_path: Path) -> None:
    """A wall-clock solve far too short for three parts still gives each a roster (searched past
    the deadline until it has one): a district roster beats none."""
    roster = district(tmp_path, communities=3, people=45)
    period = one_day(roster)
    schedule = solve(roster, period, SolveOptions(time_limit=0.01, workers=2, seed=0))
    assert schedule.solver.mode == "wall" and not schedule.solver.interrupted
    slots = expand(roster.config, period)
    assert check(roster, period, slots, assignment_of(schedule)).violations == []
    for part in find_parts(roster):
        assert any(s.assigned for s in schedule.slots if s.post in part.posts)


def test_a_part_s_search_crosses_to_another_process_and_back(solved: Solved) -> None:
    """What a cluster's executor runs: ``search_part`` and its arguments pickle, and a pool of
    processes gives the roster threads give (repeatable mode)."""
    import pickle
    from concurrent.futures import ProcessPoolExecutor

    part = find_parts(solved.roster)[0]
    sub = sub_roster(solved.roster, part)
    call = (solve_one, sub, solved.period, part_options(options(), 2.0), 1000)
    found = search_part(*pickle.loads(pickle.dumps(call)))
    assert found is not None
    assert pickle.loads(pickle.dumps(found)) == found
    parts = find_parts(solved.roster)
    with ProcessPoolExecutor(max_workers=2) as pool:
        roster, period = solved.roster, solved.period
        merged = solve_in_parts(roster, period, options(), solve, parts, executor=pool)
    assert assignment_of(merged) == assignment_of(solved.schedule)
    assert merged.solver.objective == solved.schedule.solver.objective


def _with(schedule: Schedule, status: str, objective: int, bound: int) -> Schedule:
    info = schedule.solver.model_copy(
        update={"status": status, "objective": objective, "bound": bound}
    )
    return schedule.model_copy(update={"solver": info})


def test_a_second_search_keeps_the_better_roster_and_bound(solved: Solved) -> None:
    first = _with(solved.schedule, "FEASIBLE", 10, 2)
    kept = _better(first, _with(solved.schedule, "FEASIBLE", 12, 6))
    assert (kept.solver.objective, kept.solver.bound, kept.solver.status) == (10, 6, "FEASIBLE")
    kept = _better(first, _with(solved.schedule, "FEASIBLE", 8, 8))
    assert (kept.solver.objective, kept.solver.bound, kept.solver.status) == (8, 8, "OPTIMAL")


def test_shortages_count_only_the_community_s_own_people(solved: Solved) -> None:
    parts = find_parts(solved.roster)
    assert solved.schedule.shortages, "ten people a community cannot fill a day"
    for item in solved.schedule.shortages:
        (part,) = [p for p in parts if item.post in p.posts]
        assert set(item.people) <= set(part.people)
        assert sum(item.reasons.values()) == len(item.people)


def test_param_takes_single_values_and_lists_but_not_mappings() -> None:
    import click

    from benchmarks.params import parse_param as _param

    assert _param("interleave_search=false") == ("interleave_search", False)
    assert _param("ignore_subsolvers=[core, no_lp]") == ("ignore_subsolvers", ["core", "no_lp"])
    with pytest.raises(click.BadParameter, match="a single value or a list"):
        _param("x={a: 1}")
    with pytest.raises(click.BadParameter, match="KEY=VALUE"):
        _param("interleave_search")


# --- parts searched among the rosters that fill every place -------------------------------------


def test_a_part_that_can_be_staffed_is_searched_with_every_place_hard(tmp_path: Path) -> None:
    roster = district(tmp_path, communities=2, people=90)
    period = one_day(roster)
    schedule = solve(roster, period, options())
    assert schedule.shortages == []
    merged = assignment_of(schedule)
    for part in find_parts(roster):
        # The same roster as the part solved with --strict (minimum headcounts and quotas hard).
        alone = solve(sub_roster(roster, part), period, options(strict=True, extra=PART_PARAMS))
        for slot_id, people in assignment_of(alone).items():
            assert merged[slot_id] == people
    report = check(roster, period, expand(roster.config, period), merged)
    assert report.violations == []
    assert report.penalty == schedule.solver.objective
    assert schedule.solver.bound is not None
    assert schedule.solver.bound <= schedule.solver.objective


def test_a_part_short_of_people_falls_back_to_soft_places(solved: Solved) -> None:
    # Ten people a community cannot fill a day: no roster fills every place, and the part is
    # solved as without the hard search, with its shortages listed (see the tests above).
    assert solved.schedule.shortages
    assert solved.schedule.solver.status == "OPTIMAL"


def test_a_bound_from_the_hard_search_holds_up_to_the_cost_of_one_missing_person(
    solved: Solved,
) -> None:
    # Any roster with someone missing costs at least the shortage weight (here 1,000): the hard
    # search's bound and its optimality hold for the soft model only up to it.
    kept = _soft(_with(solved.schedule, "OPTIMAL", 90, 90), 1000)
    assert (kept.solver.status, kept.solver.objective, kept.solver.bound) == ("OPTIMAL", 90, 90)
    kept = _soft(_with(solved.schedule, "OPTIMAL", 1500, 1500), 1000)
    assert (kept.solver.status, kept.solver.bound) == ("FEASIBLE", 1000)
    kept = _soft(_with(solved.schedule, "FEASIBLE", 300, 120), 1000)
    assert (kept.solver.status, kept.solver.bound) == ("FEASIBLE", 120)


def test_part_solves_one_community_alone() -> None:
    from click.testing import CliRunner

    from benchmarks.district import main

    runner = CliRunner()
    result = runner.invoke(
        main, ["part", "c26", "--repeatable", "--work-units", "1", "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("c26: 24 people, ")
    result = runner.invoke(main, ["part", "c99"])
    assert result.exit_code == 2
    assert "'c99': no such community" in result.output


def test_a_repeatable_part_gets_one_worker_whatever_the_lanes() -> None:
    """A part's search does not depend on how many parts run beside it, so a cluster of one
    lane or many gives the roster of this process; ``--workers`` still wins."""
    repeatable = SolveOptions(repeatable=True, work_units=10, seed=0)
    assert part_options(repeatable, 2.0).workers == 1
    assert part_options(replace(repeatable, workers=3), 2.0).workers == 3
    assert part_options(SolveOptions(time_limit=10), 2.0).workers == WALL_PART_WORKERS


# --- each community alone (benchmarks.district alone) ------------------------------------------


def test_makespan_gives_each_free_machine_the_longest_job_left() -> None:
    assert makespan([60, 50, 40, 10], 1) == 160
    # 60 | 50 + 10 | 40: the longest two go first, the short job joins the shorter load.
    assert makespan([10, 40, 50, 60], 3) == 60
    assert makespan([30, 30, 30], 2) == 60
    assert makespan([5.0], 29) == 5.0


def test_each_community_alone_stops_within_the_target_or_at_its_limit(tmp_path: Path) -> None:
    roster = district(tmp_path)
    rows = reach_alone(roster, one_day(roster), 10.0, 0.01, workers=1)
    assert [r.community for r in rows] == ["c01", "c02", "c03"]
    assert sum(r.people for r in rows) == 30
    for row in rows:
        assert row.bound <= row.objective
        if row.reached is not None:
            assert row.objective <= 1.01 * row.bound
            assert row.reached <= row.wall
    table = alone_markdown(rows, 0.01, [1, 3], "python -m benchmarks.district alone")
    assert "| machines | 1 | 3 |" in table
    # On one machine the communities take their summed time; on three, the longest one's.
    walls = [r.wall for r in rows]
    assert f"| wall (s) | {sum(walls):.0f} | {max(walls):.0f} |" in table


def test_the_watch_stops_the_run_once_the_roster_is_within_the_target() -> None:
    class Solver:
        stopped = 0

        def stop_search(self) -> None:
            self.stopped += 1

    solver = Solver()
    watch = _Watch(solver, 0.01)
    assert watch.whole_bound() == 0  # no bound said yet
    watch.found(105, 99.5)
    assert watch.reached is None and watch.whole_bound() == 100
    watch.bounded(103.2)  # 105 is within 1 % of 104, the bound rounded up
    assert watch.reached is not None and solver.stopped == 1
    watch.found(104, 104)
    assert solver.stopped == 1 and watch.objective == 104
