"""An index on the audit log's action, so the page's list of actions is read by skipping from one action to the
next in the index (a few lookups) instead of scanning every entry.

Revision ID: a0003
Revises: a0002
Create Date: 2026-12-07 21:40:00
"""

from __future__ import annotations

from alembic import op

revision: str = "a0003"
down_revision: str | None = "a0002"
branch_labels: tuple[str, ...] | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_index("ix_audit_log_action", "audit_log", ["action"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_audit_log_action", table_name="audit_log")
