"""Read model versions: the row every tracking write bumps (see :mod:`tanfeng.store.models_readmodel`).

Revision ID: k0001
Revises: 0001
Create Date: 2026-12-07 15:00:00.000000
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision: str = "k0001"
down_revision: str | None = "0001"
branch_labels: tuple[str, ...] | None = ("readmodel",)
depends_on: str | None = None


def upgrade() -> None:
    table = op.create_table(
        "read_versions",
        sa.Column("topic", sa.String(length=32), nullable=False),
        sa.Column("counter", sa.Integer(), nullable=False),
        sa.Column("stamp", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("topic", name=op.f("pk_read_versions")),
    )
    op.bulk_insert(table, [{"topic": "tracking", "counter": 0, "stamp": secrets.token_hex(16)}])


def downgrade() -> None:
    op.drop_table("read_versions")
