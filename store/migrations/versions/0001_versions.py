"""Published versions of each period's roster, never changed or deleted.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_SQLITE_GUARDS = [
    """CREATE TRIGGER versions_never_change BEFORE UPDATE ON versions
    BEGIN SELECT RAISE(ABORT, 'published versions are never changed'); END""",
    """CREATE TRIGGER versions_never_delete BEFORE DELETE ON versions
    BEGIN SELECT RAISE(ABORT, 'published versions are never deleted'); END""",
]
_POSTGRESQL_GUARDS = [
    """CREATE FUNCTION versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'published versions are never changed or deleted'; END $$""",
    """CREATE TRIGGER versions_never_change BEFORE UPDATE OR DELETE ON versions
    FOR EACH ROW EXECUTE FUNCTION versions_immutable()""",
    """CREATE TRIGGER versions_never_truncate BEFORE TRUNCATE ON versions
    FOR EACH STATEMENT EXECUTE FUNCTION versions_immutable()""",
]


def upgrade() -> None:
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("community", sa.String(length=200), nullable=False, comment="The roster's name."),
        sa.Column(
            "period_start", sa.DateTime(), nullable=False, comment="Start of the period (UTC)."
        ),
        sa.Column("period_end", sa.DateTime(), nullable=False, comment="End of the period (UTC)."),
        sa.Column("number", sa.Integer(), nullable=False, comment="1, 2, … within the period."),
        sa.Column("parent", sa.Integer(), nullable=True, comment="The version this one replaces."),
        sa.Column("published_at", sa.DateTime(), nullable=False, comment="When (UTC)."),
        sa.Column("author", sa.String(length=200), nullable=False, comment="Who published it."),
        sa.Column("message", sa.Text(), nullable=False, comment="Why it was published."),
        sa.Column(
            "inputs_digest",
            sa.String(length=64),
            nullable=False,
            comment="SHA-256 of the folder's files.",
        ),
        sa.Column(
            "schedule_digest",
            sa.String(length=64),
            nullable=False,
            comment="SHA-256 of the schedule text.",
        ),
        sa.Column("schedule", sa.Text(), nullable=False, comment="schedule.json, as published."),
        sa.CheckConstraint(
            "(number = 1 AND parent IS NULL) OR (parent IS NOT NULL AND parent = number - 1)",
            name=op.f("ck_versions_line"),
        ),
        sa.ForeignKeyConstraint(
            ["community", "period_start", "period_end", "parent"],
            [
                "versions.community",
                "versions.period_start",
                "versions.period_end",
                "versions.number",
            ],
            name=op.f("fk_versions_parent"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_versions")),
        sa.UniqueConstraint(
            "community",
            "period_start",
            "period_end",
            "number",
            name=op.f("uq_versions_community_period_start_period_end_number"),
        ),
    )
    op.create_index(
        op.f("ix_versions_community_period_end"),
        "versions",
        ["community", "period_end"],
        unique=False,
    )
    guards = _POSTGRESQL_GUARDS if op.get_bind().dialect.name == "postgresql" else _SQLITE_GUARDS
    for statement in guards:
        op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT count(*) FROM versions")).scalar_one():
        raise RuntimeError("the store holds published versions, which are never deleted")
    op.drop_index(op.f("ix_versions_community_period_end"), table_name="versions")
    op.drop_table("versions")
    if bind.dialect.name == "postgresql":
        op.execute("DROP FUNCTION versions_immutable()")
