"""Enterprises: key units, facilities, meters, the reading-batch ledger, annual reports and their versions,
energy budgets, responsibility assessments.

Revision ID: e0001
Revises: 0001
Create Date: 2026-11-24 21:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "e0001"
down_revision: str | None = "0001"
branch_labels: tuple[str, ...] | None = ("enterprises",)
depends_on: str | None = None


def _ts(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _unit_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["unit_code"], ["key_units.code"], name=op.f(f"fk_{table}_unit_code_key_units"),
                                   ondelete="CASCADE")


def _create_key_units() -> None:
    """The ``key_units`` table and its index."""
    op.create_table(
        "key_units",
        sa.Column("code", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("league", sa.String(length=6), nullable=False),
        sa.Column("county", sa.String(length=6), nullable=False),
        sa.Column("industry", sa.String(length=8), nullable=False),
        sa.Column("level", sa.String(length=32), nullable=False),
        sa.Column("products", sa.JSON(), nullable=False),
        sa.Column("contacts", sa.JSON(), nullable=False),
        sa.Column("sample", sa.Boolean(), nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_key_units")),
    )
    op.create_index("ix_key_units_league_industry", "key_units", ["league", "industry"], unique=False)


def _create_unit_facilities() -> None:
    """The ``unit_facilities`` table and its index."""
    op.create_table(
        "unit_facilities",
        sa.Column("facility_id", sa.String(length=100), nullable=False),
        sa.Column("unit_code", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("product", sa.String(length=100), nullable=True),
        _unit_fk("unit_facilities"),
        sa.PrimaryKeyConstraint("facility_id", name=op.f("pk_unit_facilities")),
    )
    op.create_index(op.f("ix_unit_facilities_unit_code"), "unit_facilities", ["unit_code"], unique=False)


def _create_unit_meters() -> None:
    """The ``unit_meters`` table and its index."""
    op.create_table(
        "unit_meters",
        sa.Column("meter_id", sa.String(length=100), nullable=False),
        sa.Column("unit_code", sa.String(length=18), nullable=False),
        sa.Column("facility_id", sa.String(length=100), nullable=True),
        sa.Column("product", sa.String(length=100), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("multiplier", sa.Float(precision=53), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("rollover_max", sa.Float(precision=53), nullable=True),
        sa.Column("sample", sa.Boolean(), nullable=False),
        _unit_fk("unit_meters"),
        sa.PrimaryKeyConstraint("meter_id", name=op.f("pk_unit_meters")),
    )
    op.create_index(op.f("ix_unit_meters_unit_code"), "unit_meters", ["unit_code"], unique=False)


def _create_reading_batches() -> None:
    """The ``reading_batches`` table and its index."""
    op.create_table(
        "reading_batches",
        sa.Column("batch_id", sa.String(length=80), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("meters", sa.Integer(), nullable=False),
        _ts("first_ts", nullable=True),
        _ts("last_ts", nullable=True),
        _ts("accepted_at"),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("path", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("sample", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("batch_id", name=op.f("pk_reading_batches")),
    )
    op.create_index(op.f("ix_reading_batches_accepted_at"), "reading_batches", ["accepted_at"], unique=False)


def _create_annual_reports() -> None:
    """The ``annual_reports`` table and its index."""
    op.create_table(
        "annual_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("unit_code", sa.String(length=18), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("comments", sa.Text(), nullable=True),
        _ts("created_at"),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        _ts("updated_at"),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        _ts("submitted_at", nullable=True),
        sa.Column("submitted_by", sa.String(length=200), nullable=True),
        _ts("reviewed_at", nullable=True),
        sa.Column("reviewed_by", sa.String(length=200), nullable=True),
        _unit_fk("annual_reports"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_reports")),
        sa.UniqueConstraint("unit_code", "year", "kind", name=op.f("uq_annual_reports_unit_code_year_kind")),
    )
    op.create_index(op.f("ix_annual_reports_unit_code"), "annual_reports", ["unit_code"], unique=False)


def _create_annual_report_versions() -> None:
    """The ``annual_report_versions`` table."""
    op.create_table(
        "annual_report_versions",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("comments", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        _ts("at"),
        sa.ForeignKeyConstraint(["report_id"], ["annual_reports.id"],
                                name=op.f("fk_annual_report_versions_report_id_annual_reports"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("report_id", "version", name=op.f("pk_annual_report_versions")),
    )


def _create_energy_budgets() -> None:
    """The ``energy_budgets`` table."""
    op.create_table(
        "energy_budgets",
        sa.Column("unit_code", sa.String(length=18), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("budget_tce", sa.Float(precision=53), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("set_by", sa.String(length=200), nullable=False),
        _ts("set_at"),
        _unit_fk("energy_budgets"),
        sa.PrimaryKeyConstraint("unit_code", "year", name=op.f("pk_energy_budgets")),
    )


def _create_unit_assessments() -> None:
    """The ``unit_assessments`` table."""
    op.create_table(
        "unit_assessments",
        sa.Column("unit_code", sa.String(length=18), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(precision=53), nullable=False),
        sa.Column("grade", sa.String(length=16), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("rules_digest", sa.String(length=64), nullable=False),
        _ts("computed_at"),
        sa.Column("computed_by", sa.String(length=200), nullable=False),
        _unit_fk("unit_assessments"),
        sa.PrimaryKeyConstraint("unit_code", "year", name=op.f("pk_unit_assessments")),
    )


def upgrade() -> None:
    _create_key_units()
    _create_unit_facilities()
    _create_unit_meters()
    _create_reading_batches()
    _create_annual_reports()
    _create_annual_report_versions()
    _create_energy_budgets()
    _create_unit_assessments()


def downgrade() -> None:
    op.drop_table("unit_assessments")
    op.drop_table("energy_budgets")
    op.drop_table("annual_report_versions")
    op.drop_index(op.f("ix_annual_reports_unit_code"), table_name="annual_reports")
    op.drop_table("annual_reports")
    op.drop_index(op.f("ix_reading_batches_accepted_at"), table_name="reading_batches")
    op.drop_table("reading_batches")
    op.drop_index(op.f("ix_unit_meters_unit_code"), table_name="unit_meters")
    op.drop_table("unit_meters")
    op.drop_index(op.f("ix_unit_facilities_unit_code"), table_name="unit_facilities")
    op.drop_table("unit_facilities")
    op.drop_index("ix_key_units_league_industry", table_name="key_units")
    op.drop_table("key_units")
