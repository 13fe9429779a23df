"""Accounting results: stored runs (inputs, choices, result, totals) and their lines.

Revision ID: c0001
Revises: 0001
Create Date: 2026-11-24 21:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "c0001"
down_revision: str | None = "0001"
branch_labels: tuple[str, ...] | None = ("accounting",)
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "accounting_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=True),
        sa.Column("unit_id", sa.String(length=200), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("factor_set", sa.String(length=32), nullable=True),
        sa.Column("factor_versions", sa.JSON(), nullable=False),
        sa.Column("gwp_set", sa.String(length=8), nullable=True),
        sa.Column("electricity_conversion", sa.String(length=16), nullable=True),
        sa.Column("source_name", sa.String(length=300), nullable=True),
        sa.Column("input_digest", sa.String(length=64), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("tco2", sa.Float(precision=53), nullable=True),
        sa.Column("tco2e", sa.Float(precision=53), nullable=True),
        sa.Column("energy_tce", sa.Float(precision=53), nullable=True),
        sa.Column("engine_version", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounting_runs")),
    )
    op.create_index("ix_accounting_runs_lookup", "accounting_runs", ["kind", "region", "year"], unique=False)
    op.create_index(op.f("ix_accounting_runs_input_digest"), "accounting_runs", ["input_digest"], unique=False)
    op.create_table(
        "accounting_lines",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("sector", sa.String(length=100), nullable=True),
        sa.Column("product", sa.String(length=200), nullable=True),
        sa.Column("gas", sa.String(length=16), nullable=True),
        sa.Column("activity", sa.Float(precision=53), nullable=False),
        sa.Column("activity_unit", sa.String(length=100), nullable=False),
        sa.Column("factor_id", sa.Text(), nullable=True),
        sa.Column("factor_value", sa.Float(precision=53), nullable=True),
        sa.Column("factor_unit", sa.String(length=100), nullable=True),
        sa.Column("factor_source", sa.Text(), nullable=True),
        sa.Column("factor_confidence", sa.String(length=1), nullable=True),
        sa.Column("formula", sa.Text(), nullable=True),
        sa.Column("tco2", sa.Float(precision=53), nullable=True),
        sa.Column("tco2e", sa.Float(precision=53), nullable=True),
        sa.Column("tce", sa.Float(precision=53), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["accounting_runs.id"],
                                name=op.f("fk_accounting_lines_run_id_accounting_runs"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "line_no", name=op.f("pk_accounting_lines")),
    )


def downgrade() -> None:
    op.drop_table("accounting_lines")
    op.drop_index(op.f("ix_accounting_runs_input_digest"), table_name="accounting_runs")
    op.drop_index("ix_accounting_runs_lookup", table_name="accounting_runs")
    op.drop_table("accounting_runs")
