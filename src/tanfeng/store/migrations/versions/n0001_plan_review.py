"""Plans from any region: a plan's review status (未审核 drafts) and source text, each target's confidence,
reasons and review mark.

Revision ID: n0001
Revises: 0001
Create Date: 2026-12-07 15:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "n0001"
down_revision: str | None = "0001"
branch_labels: tuple[str, ...] | None = ("plans",)
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("status", sa.String(length=16), server_default="reviewed", nullable=False))
        batch.add_column(sa.Column("source_text", sa.Text(), nullable=True))
    with op.batch_alter_table("plan_targets") as batch:
        batch.add_column(sa.Column("confidence", sa.Float(precision=53), nullable=True))
        batch.add_column(sa.Column("reasons", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("review", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan_targets") as batch:
        batch.drop_column("review")
        batch.drop_column("reasons")
        batch.drop_column("confidence")
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("source_text")
        batch.drop_column("status")
