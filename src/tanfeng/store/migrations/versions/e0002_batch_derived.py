"""Reading batches say whether their readings are flagged into the derived store yet.

A batch is answered once its file and ledger row are durable; its flags and rollups are derived right after,
in the background, and any read first derives what is still pending. Batches stored before this revision were
derived when they landed (or the derived store was marked for a rebuild), so they start as derived.

Revision ID: e0002
Revises: e0001
Create Date: 2026-12-07 18:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "e0002"
down_revision: str | None = "e0001"
branch_labels: tuple[str, ...] | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("reading_batches") as batch:
        batch.add_column(sa.Column("derived", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.create_index(op.f("ix_reading_batches_derived"), "reading_batches", ["derived"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_reading_batches_derived"), table_name="reading_batches")
    with op.batch_alter_table("reading_batches") as batch:
        batch.drop_column("derived")
