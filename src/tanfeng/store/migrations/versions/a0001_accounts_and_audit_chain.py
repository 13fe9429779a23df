"""Accounts, API tokens, login events, web sessions; the audit log becomes a hash chain.

``audit_log`` gets ``seq`` (unique), ``actor_role`` and ``client_address``; ``before``/``after`` become
canonical JSON *text* (not ``jsonb``, which rewrites numbers); rows written before this migration are
numbered in ``id`` order and chained (role ``system``), so every row is part of the chain.

Revision ID: a0001
Revises: 0001
Create Date: 2026-11-24 21:05:00
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from tanfeng.audit.chain import AuditEntry, ChainedEntry, append, canonical_json

revision: str = "a0001"
down_revision: str | None = "0001"
branch_labels: tuple[str, ...] | None = ("access",)
depends_on: str | None = None


def _aware(value: datetime | str) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _json(value: object) -> object:
    return json.loads(value) if isinstance(value, str) else value


def _chain_existing_rows() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT id, at, actor, action, entity, entity_id, before, after FROM audit_log ORDER BY id")).all()
    prev: ChainedEntry | None = None
    for seq, row in enumerate(rows, start=1):
        entry = AuditEntry(seq=seq, ts=_aware(row.at), actor=row.actor, actor_role="system", client_address=None,
                           action=row.action, entity=row.entity, entity_id=row.entity_id,
                           before=_json(row.before), after=_json(row.after))
        prev = append(prev, entry)
        conn.execute(sa.text(
            "UPDATE audit_log SET seq = :seq, actor_role = :role, before = :before, after = :after, "
            "prev_hash = :prev_hash, hash = :hash WHERE id = :id"), {
            "seq": seq, "role": "system", "id": row.id, "prev_hash": prev.prev_hash, "hash": prev.hash,
            "before": None if entry.before is None else canonical_json(entry.before).decode("utf-8"),
            "after": None if entry.after is None else canonical_json(entry.after).decode("utf-8"),
        })


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=True),
        sa.Column("department_code", sa.String(length=200), nullable=True),
        sa.Column("unit_id", sa.String(length=100), nullable=True),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_index(op.f("ix_users_role"), "users", ["role"], unique=False)
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=True),
        sa.Column("department_code", sa.String(length=200), nullable=True),
        sa.Column("unit_id", sa.String(length=100), nullable=True),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("prefix", name=op.f("uq_api_tokens_prefix")),
    )
    op.create_index(op.f("ix_api_tokens_user_id"), "api_tokens", ["user_id"], unique=False)
    op.create_table(
        "login_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(length=200), nullable=False),
        sa.Column("client_address", sa.String(length=64), nullable=True),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_events")),
    )
    op.create_index("ix_login_events_at", "login_events", ["at"], unique=False)
    op.create_table(
        "web_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("client_address", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_web_sessions_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_web_sessions")),
    )
    op.create_index(op.f("ix_web_sessions_user_id"), "web_sessions", ["user_id"], unique=False)

    # the audit log: new columns, JSON as canonical text, existing rows chained
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("actor_role", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("client_address", sa.String(length=64), nullable=True))
        batch.alter_column("before", existing_type=sa.JSON(), type_=sa.Text(), existing_nullable=True,
                           postgresql_using="before::text")
        batch.alter_column("after", existing_type=sa.JSON(), type_=sa.Text(), existing_nullable=True,
                           postgresql_using="after::text")
    _chain_existing_rows()
    with op.batch_alter_table("audit_log") as batch:
        batch.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("actor_role", existing_type=sa.String(length=32), nullable=False)
        batch.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint(op.f("uq_audit_log_seq"), ["seq"])


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_constraint(op.f("uq_audit_log_seq"), type_="unique")
        batch.alter_column("hash", existing_type=sa.String(length=64), nullable=True)
        batch.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=True)
        batch.alter_column("before", existing_type=sa.Text(), type_=sa.JSON(), existing_nullable=True,
                           postgresql_using="before::json")
        batch.alter_column("after", existing_type=sa.Text(), type_=sa.JSON(), existing_nullable=True,
                           postgresql_using="after::json")
        batch.drop_column("client_address")
        batch.drop_column("actor_role")
        batch.drop_column("seq")
    op.drop_index(op.f("ix_web_sessions_user_id"), table_name="web_sessions")
    op.drop_table("web_sessions")
    op.drop_index("ix_login_events_at", table_name="login_events")
    op.drop_table("login_events")
    op.drop_index(op.f("ix_api_tokens_user_id"), table_name="api_tokens")
    op.drop_table("api_tokens")
    op.drop_index(op.f("ix_users_role"), table_name="users")
    op.drop_table("users")
