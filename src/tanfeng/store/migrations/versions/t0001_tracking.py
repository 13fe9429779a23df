"""Tracking: versioned indicator values, dispatch periods and dispatch entries.

Revision ID: t0001
Revises: 0001
Create Date: 2026-11-24 21:15:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "t0001"
down_revision: str | None = "0001"
branch_labels: tuple[str, ...] | None = ("tracking",)
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "indicator_values",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("indicator", sa.String(length=100), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(precision=53), nullable=False),
        sa.Column("unit", sa.String(length=100), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("certainty", sa.String(length=1), nullable=False),
        sa.Column("sample", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("entered_by", sa.String(length=200), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["region"], ["regions.code"], name=op.f("fk_indicator_values_region_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_values")),
        sa.UniqueConstraint("region", "indicator", "period", "version",
                            name=op.f("uq_indicator_values_region_indicator_period_version")),
    )
    op.create_index("ix_indicator_values_lookup", "indicator_values", ["region", "indicator", "year"], unique=False)
    op.create_table(
        "dispatch_periods",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(length=200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatch_periods")),
    )
    op.create_table(
        "dispatch_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("responsible_unit", sa.String(length=200), nullable=False),
        sa.Column("item", sa.String(length=120), nullable=False),
        sa.Column("target_id", sa.String(length=100), nullable=True),
        sa.Column("measure_id", sa.String(length=100), nullable=True),
        sa.Column("actual_value", sa.Float(precision=53), nullable=True),
        sa.Column("value_unit", sa.String(length=100), nullable=True),
        sa.Column("measure_status", sa.String(length=16), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("entered_by", sa.String(length=200), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["period"], ["dispatch_periods.id"],
                                name=op.f("fk_dispatch_entries_period_dispatch_periods")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatch_entries")),
        sa.UniqueConstraint("period", "responsible_unit", "item", "version",
                            name=op.f("uq_dispatch_entries_period_responsible_unit_item_version")),
    )
    op.create_index("ix_dispatch_entries_lookup", "dispatch_entries", ["period", "responsible_unit"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_dispatch_entries_lookup", table_name="dispatch_entries")
    op.drop_table("dispatch_entries")
    op.drop_table("dispatch_periods")
    op.drop_index("ix_indicator_values_lookup", table_name="indicator_values")
    op.drop_table("indicator_values")
