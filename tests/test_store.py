"""The roster store on both backends: versions, conflicts, history, feeds, migrations, races."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from roster.schedule import PeriodOut, PersonOut, Schedule, SlotOut, SolverInfo
from store import Store, StoreConflict, StoreError, VersionNotFound, open_store
from store.db import make_engine, to_url
from store.migrate import head
from store.schema import metadata

# The store's errors are messages; their English wording is tested here (ROSTER_LANG=en),
# tests/test_command_messages.py has them in Chinese.
pytestmark = pytest.mark.usefixtures("english")

ZONE = ZoneInfo("Asia/Shanghai")
COMMUNITY = "兴旺社区"
PEOPLE = {"p01": "张海燕", "p02": "王芳", "p03": "李明"}


def week_start(week: int) -> datetime:
    return datetime.combine(date.fromisocalendar(2020, week, 1), time(), ZONE)


def make_schedule(
    week: int = 6, people: tuple[str, ...] = ("p01",), community: str = COMMUNITY
) -> Schedule:
    """A one-slot-a-day schedule of an ISO week of 2020, the gate's 06:00 shift to ``people``."""
    start = week_start(week)
    slots = []
    for day in range(7):
        begin = start + timedelta(days=day, hours=6)
        slots.append(
            SlotOut(
                id=f"gate/{begin:%Y-%m-%dT%H:%M}",
                post="gate",
                start=begin,
                end=begin + timedelta(hours=4),
                min=1,
                target=1,
                max=2,
                assigned=list(people),
                shortage=0,
            )
        )
    return Schedule(
        roster=community,
        timezone="Asia/Shanghai",
        period=PeriodOut(start=start, end=start + timedelta(days=7)),
        solver=SolverInfo(
            status="OPTIMAL", objective=0, bound=0, wall_seconds=0.1, workers=1, seed=0
        ),
        objective_terms=[],
        slots=slots,
        people=[PersonOut(id=p, name=n, hours=0, shifts=0, nights=0) for p, n in PEOPLE.items()],
    )


DIGEST = "ab" * 32
AT = datetime(2020, 2, 7, 2, 2, tzinfo=UTC)  # 10:02 in Xining


@pytest.fixture
def store(store_url: str) -> Any:
    with open_store(store_url) as opened:
        yield opened


def publish(store: Store, schedule: Schedule, parent: int | None, **extra: Any) -> Any:
    values: dict[str, Any] = {"inputs_digest": DIGEST, "author": "王芳", "message": "第一版"}
    values.update(extra)
    return store.publish(schedule, parent=parent, **values)


def test_a_published_version_comes_back_as_it_went_in(store: Store) -> None:
    schedule = make_schedule()
    version = publish(store, schedule, None, published_at=AT, message="初稿：体温检测岗")
    assert (version.number, version.parent, version.author) == (1, None, "王芳")
    again = store.get(COMMUNITY, schedule.period.start, schedule.period.end, 1)
    assert again == version
    assert again.schedule.to_json() == schedule.to_json()
    assert again.published_at == AT and again.published_at.tzinfo is not None
    assert again.message == "初稿：体温检测岗"
    assert again.period_start == schedule.period.start


def test_versions_of_a_period_form_a_line(store: Store) -> None:
    first = make_schedule(people=("p01",))
    publish(store, first, None)
    publish(store, make_schedule(people=("p02",)), 1, author="李明", message="换人")
    publish(store, make_schedule(people=("p03",)), 2)
    versions = store.versions(COMMUNITY)
    assert [(v.number, v.parent) for v in versions] == [(1, None), (2, 1), (3, 2)]
    latest = store.latest(COMMUNITY, first.period.start, first.period.end)
    assert latest is not None and latest.number == 3
    assert latest.schedule.slots[0].assigned == ["p03"]
    assert store.get(COMMUNITY, first.period.start, first.period.end, 2).author == "李明"


def test_periods_and_communities_are_kept_apart(store: Store) -> None:
    assert store.revision(COMMUNITY) == 0
    publish(store, make_schedule(week=6), None)
    first = store.revision(COMMUNITY)
    publish(store, make_schedule(week=7), None)
    second = store.revision(COMMUNITY)
    publish(store, make_schedule(week=6, community="幸福社区"), None)
    assert 0 < first < second == store.revision(COMMUNITY)
    assert [v.number for v in store.versions(COMMUNITY)] == [1, 1]
    assert store.communities() == sorted([COMMUNITY, "幸福社区"])
    w6 = store.versions(COMMUNITY, week_start(6), week_start(7))
    assert [v.period_start for v in w6] == [week_start(6)]
    assert store.latest(COMMUNITY, week_start(8), week_start(9)) is None


def test_publishing_on_an_old_version_is_refused_and_names_the_one_to_rebase_on(
    store: Store,
) -> None:
    schedule = make_schedule()
    publish(store, schedule, None)
    publish(store, schedule, 1, published_at=AT)
    with pytest.raises(StoreConflict) as raised:
        publish(store, schedule, 1, author="李明")
    assert str(raised.value) == (
        "兴旺社区 2020-W06 is already at version 2 (by 王芳, 2020-02-07 10:02), "
        "which this schedule does not build on: rebase on version 2"
    )
    assert raised.value.latest is not None and raised.value.latest.number == 2
    with pytest.raises(StoreConflict, match="is already at version 2"):
        publish(store, schedule, None)
    with pytest.raises(StoreConflict) as raised:
        publish(store, schedule, 5)
    assert str(raised.value) == (
        "兴旺社区 2020-W06 has no version 5: its latest is version 2; rebase on version 2"
    )
    assert [v.number for v in store.versions(COMMUNITY)] == [1, 2]


def test_a_parent_for_a_period_never_published_is_refused(store: Store) -> None:
    with pytest.raises(StoreConflict) as raised:
        publish(store, make_schedule(), 1)
    assert str(raised.value) == (
        "兴旺社区 2020-W06 has no version 1: nothing is published for it yet; "
        "publish it as the first version"
    )
    assert store.versions(COMMUNITY) == []


def test_asking_for_a_version_never_published(store: Store) -> None:
    start, end = week_start(6), week_start(7)
    with pytest.raises(VersionNotFound) as raised:
        store.get(COMMUNITY, start, end, 1)
    assert str(raised.value) == "兴旺社区 2020-W06 has never been published"
    publish(store, make_schedule(), None)
    with pytest.raises(VersionNotFound) as raised:
        store.get(COMMUNITY, start, end, 4)
    assert str(raised.value) == "兴旺社区 2020-W06 has no version 4: its versions are 1 to 1"


def test_a_past_version_never_changes(store: Store, store_url: str) -> None:
    first = publish(store, make_schedule(people=("p01",)), None)
    publish(store, make_schedule(people=("p02",)), 1)
    start, end = week_start(6), week_start(7)
    assert store.get(COMMUNITY, start, end, 1) == first
    # Not even by hand: the database itself refuses to change or delete a published version.
    engine = make_engine(to_url(store_url))
    try:
        for statement in (
            "UPDATE versions SET author = '某人' WHERE number = 1",
            "DELETE FROM versions WHERE number = 1",
        ):
            with pytest.raises(sa.exc.DBAPIError, match="never"), engine.begin() as conn:
                conn.execute(sa.text(statement))
    finally:
        engine.dispose()
    assert store.get(COMMUNITY, start, end, 1) == first


def test_history_before_a_week_is_the_latest_of_each_published_week_oldest_first(
    store: Store,
) -> None:
    for week in (3, 4, 5, 6, 8):
        publish(store, make_schedule(week=week), None)
    publish(store, make_schedule(week=5, people=("p02",)), 1)
    history = store.history_before(COMMUNITY, week_start(7), weeks=2)
    assert [(v.period_start, v.number) for v in history] == [(week_start(5), 2), (week_start(6), 1)]
    assert history[0].schedule.slots[0].assigned == ["p02"]
    four = store.history_before(COMMUNITY, week_start(7), weeks=4)
    assert [v.period_start for v in four] == [week_start(w) for w in (3, 4, 5, 6)]
    # A week that ends exactly where the window begins is outside it.
    assert [v.period_start for v in store.history_before(COMMUNITY, week_start(7), 1)] == [
        week_start(6)
    ]
    assert store.history_before(COMMUNITY, week_start(3), weeks=4) == []
    assert store.history_before("幸福社区", week_start(7), weeks=4) == []


def test_feed_versions_are_every_version_of_the_most_recent_periods(store: Store) -> None:
    for week in (2, 3, 4, 5, 6):
        publish(store, make_schedule(week=week), None, published_at=AT)
    publish(store, make_schedule(week=6, people=("p02",)), 1, published_at=AT)
    publish(store, make_schedule(week=3, people=("p02",)), 1, published_at=AT)
    versions = store.feed_versions(COMMUNITY, periods=4)
    assert [(v.period_start, v.number) for v in versions] == [
        (week_start(3), 1),
        (week_start(3), 2),
        (week_start(4), 1),
        (week_start(5), 1),
        (week_start(6), 1),
        (week_start(6), 2),
    ]
    assert [v.number for v in store.feed_versions(COMMUNITY, periods=1)] == [1, 2]
    assert store.feed_versions("幸福社区") == []


def test_feed_versions_keep_the_week_being_worked_when_weeks_ahead_are_published(
    store: Store,
) -> None:
    # Published on Friday of week 6 (AT), four weeks ahead: week 6 is not over, so it stays.
    for week in (4, 5, 6, 8, 9, 10, 11):
        publish(store, make_schedule(week=week), None, published_at=AT)
    shown = [v.period_start for v in store.feed_versions(COMMUNITY, periods=4)]
    assert shown == [week_start(w) for w in (6, 8, 9, 10, 11)]
    later = store.feed_versions(COMMUNITY, periods=4, now=week_start(12))
    assert [v.period_start for v in later] == [week_start(w) for w in (8, 9, 10, 11)]


def test_migrations_build_the_schema_of_the_models(store_url: str) -> None:
    open_store(store_url).close()
    engine = make_engine(to_url(store_url))
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert context.get_current_revision() == head()
            # Fails when a change to store/schema.py has no migration: run
            # `python -m store revision "what changed"` and review the file it writes.
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()


def test_a_store_from_a_newer_dutyroster_is_refused(store_url: str) -> None:
    open_store(store_url).close()
    engine = make_engine(to_url(store_url))
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(StoreError, match="schema revision 9999, newer than this dutyroster"):
        open_store(store_url)


def test_sqlite_store_is_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "新建" / "roster.db"
    with open_store(path) as store:
        assert store.backend == "sqlite" and store.location == str(path)
    engine = make_engine(to_url(path))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_opening_for_reading_does_not_create_a_store(tmp_path: Path) -> None:
    path = tmp_path / "roster.db"
    with pytest.raises(StoreError) as raised:
        open_store(path, create=False)
    assert str(raised.value) == (
        f"{path}: no roster store here yet; `roster publish` creates it "
        "(or give the store with --db or ROSTER_DB)"
    )
    assert not path.exists()


def test_a_store_that_cannot_be_reached_is_one_sentence() -> None:
    with pytest.raises(StoreError) as raised:
        open_store("postgresql://roster:secret@127.0.0.1:1/roster")
    text = str(raised.value)
    assert text.startswith("postgresql+psycopg://roster:***@127.0.0.1:1/roster: cannot open")
    assert "secret" not in text and text.endswith("check --db or ROSTER_DB")
    with pytest.raises(StoreError, match="not mysql"):
        open_store("mysql://localhost/roster")


# --- two publishers at once ---------------------------------------------------------------------


def _racer(url: str, barrier: Any, results: Any, who: str) -> None:
    with open_store(url) as store:
        schedule = make_schedule(people=(who,))
        latest = store.latest(COMMUNITY, schedule.period.start, schedule.period.end)
        parent = latest.number if latest else None
        barrier.wait(timeout=60)  # everyone has read version 1 before anyone publishes
        try:
            version = store.publish(
                schedule, inputs_digest=DIGEST, author=who, message="", parent=parent
            )
            results.put((who, "published", version.number))
        except StoreConflict as exc:
            results.put((who, "conflict", str(exc)))


def test_two_coordinators_publishing_at_once_one_wins_nothing_is_lost(store_url: str) -> None:
    with open_store(store_url) as store:
        publish(store, make_schedule(), None)
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(3)
    results = context.Queue()
    racers = [
        context.Process(target=_racer, args=(store_url, barrier, results, who))
        for who in ("p01", "p02", "p03")
    ]
    for racer in racers:
        racer.start()
    outcomes = sorted(results.get(timeout=120) for _ in racers)
    for racer in racers:
        racer.join(timeout=60)
        assert racer.exitcode == 0
    won = [o for o in outcomes if o[1] == "published"]
    lost = [o for o in outcomes if o[1] == "conflict"]
    assert len(won) == 1 and won[0][2] == 2
    assert len(lost) == 2
    for _, _, text in lost:
        assert text.startswith(f"兴旺社区 2020-W06 is already at version 2 (by {won[0][0]}, ")
        assert text.endswith("rebase on version 2")
    with open_store(store_url) as store:
        versions = store.versions(COMMUNITY)
    assert [(v.number, v.parent, v.author) for v in versions] == [
        (1, None, "王芳"),
        (2, 1, won[0][0]),
    ]
    assert versions[1].schedule.slots[0].assigned == [won[0][0]]


def test_a_number_taken_between_the_check_and_the_insert_is_a_conflict(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import store.store as module

    publish(store, make_schedule(), None, author="李明", published_at=AT)
    real = module._latest_query
    calls = []

    def stale(key: Any) -> Any:
        # The first look sees the period as another machine saw it a moment ago: unpublished.
        calls.append(key)
        query = real(key)
        return query.where(sa.false()) if len(calls) == 1 else query

    monkeypatch.setattr(module, "_latest_query", stale)
    with pytest.raises(StoreConflict) as raised:
        publish(store, make_schedule(people=("p02",)), None)
    assert str(raised.value) == (
        "兴旺社区 2020-W06 is already at version 1 (by 李明, 2020-02-07 10:02), "
        "which this schedule does not build on: rebase on version 1"
    )
    assert [v.author for v in store.versions(COMMUNITY)] == ["李明"]


def test_a_cached_store_hands_out_the_same_parsed_schedule(store_url: str) -> None:
    with open_store(store_url) as plain:
        for week in (5, 6, 7):
            publish(plain, make_schedule(week=week), None)
        expected = plain.feed_versions(COMMUNITY)
    with open_store(store_url, cache=3) as cached:
        first = cached.feed_versions(COMMUNITY)
        again = cached.feed_versions(COMMUNITY)
        assert first == again == expected
        assert all(a.schedule is b.schedule for a, b in zip(first, again, strict=True))
    with open_store(store_url, cache=1) as small:
        w5 = small.get(COMMUNITY, week_start(5), week_start(6), 1)
        assert small.get(COMMUNITY, week_start(5), week_start(6), 1).schedule is w5.schedule
        small.get(COMMUNITY, week_start(6), week_start(7), 1)  # pushes week 5 out
        later = small.get(COMMUNITY, week_start(5), week_start(6), 1)
        assert later == w5 and later.schedule is not w5.schedule


def test_the_migrations_ship_in_the_package() -> None:
    # open_store runs them from the installed package: every migration folder is a package (so
    # its .py files are installed) and every other file there is package data.
    import fnmatch
    import tomllib

    root = Path(__file__).resolve().parent.parent
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    assert "store*" in config["setuptools"]["packages"]["find"]["include"]
    data = config["setuptools"]["package-data"]["store"]
    for path in (root / "store" / "migrations").rglob("*"):
        if "__pycache__" in path.parts or path.is_dir():
            continue
        if path.suffix == ".py":
            assert (path.parent / "__init__.py").is_file(), path
        else:
            relative = path.relative_to(root / "store").as_posix()
            assert any(fnmatch.fnmatch(relative, g) for g in data), relative
