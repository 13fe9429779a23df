"""Tracking: files attached to dispatch entries as evidence.

Revision ID: t0003
Revises: t0002
Create Date: 2026-12-07 15:05:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "t0003"
down_revision: str | None = "t0002"
branch_labels: tuple[str, ...] | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "dispatch_attachments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("stored_as", sa.String(length=300), nullable=False),
        sa.Column("uploaded_by", sa.String(length=200), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["dispatch_entries.id"],
                                name=op.f("fk_dispatch_attachments_entry_id_dispatch_entries")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatch_attachments")),
    )
    op.create_index("ix_dispatch_attachments_entry", "dispatch_attachments", ["entry_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_dispatch_attachments_entry", table_name="dispatch_attachments")
    op.drop_table("dispatch_attachments")
