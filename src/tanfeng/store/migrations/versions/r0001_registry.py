"""Registry: accounts, the hash-chained ledger of transactions, and their serial-block entries.

Revision ID: r0001
Revises: 0001
Create Date: 2026-12-07 12:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "r0001"
down_revision: str | None = "0001"
branch_labels: tuple[str, ...] | None = ("registry",)
depends_on: str | None = None


def _ts(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "registry_accounts",
        sa.Column("account", sa.String(length=80), nullable=False),
        sa.Column("instrument", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("owner", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=True),
        sa.Column("sample", sa.Boolean(), nullable=False),
        _ts("opened_at"),
        sa.Column("opened_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("account", name=op.f("pk_registry_accounts")),
    )
    op.create_table(
        "registry_transactions",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("tx_id", sa.String(length=36), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        _ts("at"),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("actor_role", sa.String(length=32), nullable=False),
        sa.Column("memo", sa.Text(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("reverses", sa.String(length=36), nullable=True),
        sa.Column("sample", sa.Boolean(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_registry_transactions")),
        sa.UniqueConstraint("tx_id", name=op.f("uq_registry_transactions_tx_id")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_registry_transactions_idempotency_key")),
    )
    op.create_table(
        "registry_entries",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=80), nullable=False),
        sa.Column("instrument", sa.String(length=16), nullable=False),
        sa.Column("vintage", sa.Integer(), nullable=False),
        sa.Column("serial_start", sa.BigInteger(), nullable=False),
        sa.Column("serial_end", sa.BigInteger(), nullable=False),
        sa.Column("sign", sa.SmallInteger(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["seq"], ["registry_transactions.seq"],
                                name=op.f("fk_registry_entries_seq_registry_transactions")),
        sa.ForeignKeyConstraint(["account"], ["registry_accounts.account"],
                                name=op.f("fk_registry_entries_account_registry_accounts")),
        sa.PrimaryKeyConstraint("seq", "line", name=op.f("pk_registry_entries")),
    )
    op.create_index("ix_registry_entries_account", "registry_entries", ["account", "instrument", "vintage"],
                    unique=False)


def downgrade() -> None:
    op.drop_index("ix_registry_entries_account", table_name="registry_entries")
    op.drop_table("registry_entries")
    op.drop_table("registry_transactions")
    op.drop_table("registry_accounts")
