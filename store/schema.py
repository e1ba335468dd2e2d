"""The store's tables, as SQLAlchemy Core metadata; the migrations in ``store/migrations`` build
the same schema (a test compares them)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)

#: Constraint names are spelt out so that both backends and every migration agree on them.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(constraint_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime kept as naive UTC, which SQLite and PostgreSQL compare alike; it comes
    back aware (UTC). A naive datetime is refused: its zone would be a guess."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"{value!r} has no time zone")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # SQLite hands back text when read through raw SQL
            value = datetime.fromisoformat(value)
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


versions = Table(
    "versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("community", String(200), nullable=False, comment="The roster's name."),
    Column("period_start", UTCDateTime(), nullable=False, comment="Start of the period (UTC)."),
    Column("period_end", UTCDateTime(), nullable=False, comment="End of the period (UTC)."),
    Column("number", Integer, nullable=False, comment="1, 2, … within the period."),
    Column("parent", Integer, nullable=True, comment="The version this one replaces."),
    Column("published_at", UTCDateTime(), nullable=False, comment="When (UTC)."),
    Column("author", String(200), nullable=False, comment="Who published it."),
    Column("message", Text, nullable=False, comment="Why it was published."),
    Column("inputs_digest", String(64), nullable=False, comment="SHA-256 of the folder's files."),
    Column("schedule_digest", String(64), nullable=False, comment="SHA-256 of the schedule text."),
    Column("schedule", Text, nullable=False, comment="schedule.json, as published."),
    # One number per period: two publishers racing for the same number cannot both win.
    UniqueConstraint("community", "period_start", "period_end", "number"),
    # The parent is a published version of the same period.
    ForeignKeyConstraint(
        ["community", "period_start", "period_end", "parent"],
        ["versions.community", "versions.period_start", "versions.period_end", "versions.number"],
        name="parent",
    ),
    # Versions of a period form a line: 1 has no parent, N has N - 1.
    CheckConstraint(
        "(number = 1 AND parent IS NULL) OR (parent IS NOT NULL AND parent = number - 1)",
        name="line",
    ),
    Index(None, "community", "period_end"),
)
