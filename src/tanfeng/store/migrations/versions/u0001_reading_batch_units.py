"""Pages: which units' meters each reading batch holds (``reading_batch_units``), so a unit's page reads only
its own batches.

Revision ID: u0001
Revises: 0001
Create Date: 2026-12-07 15:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "u0001"
down_revision: str | None = "0001"
branch_labels: tuple[str, ...] | None = ("ui",)
depends_on: str | None = None


def upgrade() -> None:
    """The ``reading_batch_units`` table and its index on the unit."""
    op.create_table(
        "reading_batch_units",
        sa.Column("batch_id", sa.String(length=80), nullable=False),
        sa.Column("unit_code", sa.String(length=18), nullable=False),
        sa.PrimaryKeyConstraint("batch_id", "unit_code", name=op.f("pk_reading_batch_units")),
    )
    op.create_index(op.f("ix_reading_batch_units_unit_code"), "reading_batch_units", ["unit_code"], unique=False)


def downgrade() -> None:
    """Drop the table."""
    op.drop_index(op.f("ix_reading_batch_units_unit_code"), table_name="reading_batch_units")
    op.drop_table("reading_batch_units")
