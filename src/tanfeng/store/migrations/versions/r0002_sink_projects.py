"""Registry: forestry carbon projects and their lifecycle steps.

Revision ID: r0002
Revises: r0001
Create Date: 2026-12-07 12:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "r0002"
down_revision: str | None = "r0001"
branch_labels: tuple[str, ...] | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "sink_projects",
        sa.Column("project_id", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("area_ha", sa.Float(precision=53), nullable=False),
        sa.Column("credit_account", sa.String(length=80), nullable=False),
        sa.Column("sample", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["credit_account"], ["registry_accounts.account"],
                                name=op.f("fk_sink_projects_credit_account_registry_accounts")),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_sink_projects")),
    )
    op.create_table(
        "sink_project_steps",
        sa.Column("project_id", sa.String(length=80), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tco2e", sa.BigInteger(), nullable=True),
        sa.Column("tx_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["project_id"], ["sink_projects.project_id"],
                                name=op.f("fk_sink_project_steps_project_id_sink_projects")),
        sa.PrimaryKeyConstraint("project_id", "step", name=op.f("pk_sink_project_steps")),
    )


def downgrade() -> None:
    op.drop_table("sink_project_steps")
    op.drop_table("sink_projects")
