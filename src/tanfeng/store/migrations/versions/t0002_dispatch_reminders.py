"""Tracking: the departments a dispatch period expects, and reminders (催报) sent to units.

Revision ID: t0002
Revises: t0001
Create Date: 2026-12-07 15:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "t0002"
down_revision: str | None = "t0001"
branch_labels: tuple[str, ...] | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("dispatch_periods") as batch:
        batch.add_column(sa.Column("departments", sa.JSON(), nullable=False, server_default="[]"))
    op.create_table(
        "dispatch_reminders",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("responsible_unit", sa.String(length=200), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("sent_by", sa.String(length=200), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["period"], ["dispatch_periods.id"],
                                name=op.f("fk_dispatch_reminders_period_dispatch_periods")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatch_reminders")),
    )
    op.create_index("ix_dispatch_reminders_unit", "dispatch_reminders", ["responsible_unit", "period"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_dispatch_reminders_unit", table_name="dispatch_reminders")
    op.drop_table("dispatch_reminders")
    with op.batch_alter_table("dispatch_periods") as batch:
        batch.drop_column("departments")
