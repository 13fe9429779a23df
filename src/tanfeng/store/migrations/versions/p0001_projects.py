"""Projects: the project 清单 (versioned), reviews, 减量替代 withdrawals and claims, league assessments.

Revision ID: p0001
Revises: 0001
Create Date: 2026-12-07 12:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "p0001"
down_revision: str | None = "0001"
branch_labels: tuple[str, ...] | None = ("projects",)
depends_on: str | None = None


def _ts(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _projects() -> None:
    """The project 清单: one row per version of a project (the current one has no ``superseded_at``)."""
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _ts("superseded_at", nullable=True),
        sa.Column("league", sa.String(length=6), nullable=False),
        sa.Column("county", sa.String(length=6), nullable=True),
        sa.Column("stage", sa.String(length=8), nullable=False),
        sa.Column("industry", sa.String(length=8), nullable=False),
        sa.Column("two_high", sa.Boolean(), nullable=False),
        sa.Column("owner_code", sa.String(length=18), nullable=True),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("sample", sa.Boolean(), nullable=False),
        sa.Column("entered_by", sa.String(length=200), nullable=False),
        _ts("entered_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint("code", "version", name=op.f("uq_projects_code_version")),
    )
    op.create_index("ix_projects_league_stage", "projects", ["league", "stage"], unique=False)


def _project_reviews() -> None:
    """Reviews kept for a project (节能审查 opinions)."""
    op.create_table(
        "project_reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("project_code", sa.String(length=40), nullable=False),
        sa.Column("project_version", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("impact_class", sa.String(length=16), nullable=True),
        sa.Column("suspended", sa.Boolean(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("rules_sha256", sa.String(length=64), nullable=False),
        sa.Column("reviewed_by", sa.String(length=200), nullable=False),
        _ts("reviewed_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_reviews")),
    )
    op.create_index(op.f("ix_project_reviews_project_code"), "project_reviews", ["project_code"], unique=False)


def _offset_withdrawals() -> None:
    """减量替代 withdrawals: capacity and energy taken out to make room."""
    op.create_table(
        "offset_withdrawals",
        sa.Column("id", sa.String(length=60), nullable=False),
        sa.Column("league", sa.String(length=6), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("capacity", sa.Float(precision=53), nullable=True),
        sa.Column("capacity_unit", sa.String(length=40), nullable=False),
        sa.Column("energy_tce", sa.Float(precision=53), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=False),
        sa.Column("sample", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offset_withdrawals")),
    )
    op.create_index(op.f("ix_offset_withdrawals_league"), "offset_withdrawals", ["league"], unique=False)


def _offset_claims() -> None:
    """Claims of a withdrawal by a project (the withdrawal is the key: one claim each)."""
    op.create_table(
        "offset_claims",
        sa.Column("withdrawal_id", sa.String(length=60), nullable=False),
        sa.Column("project_code", sa.String(length=40), nullable=False),
        sa.Column("claimed_by", sa.String(length=200), nullable=False),
        _ts("claimed_at"),
        sa.ForeignKeyConstraint(["withdrawal_id"], ["offset_withdrawals.id"],
                                name=op.f("fk_offset_claims_withdrawal_id_offset_withdrawals")),
        sa.PrimaryKeyConstraint("withdrawal_id", name=op.f("pk_offset_claims")),
    )
    op.create_index(op.f("ix_offset_claims_project_code"), "offset_claims", ["project_code"], unique=False)


def _league_assessments() -> None:
    """The leagues' yearly comprehensive assessments."""
    op.create_table(
        "league_assessments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("league", sa.String(length=6), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _ts("superseded_at", nullable=True),
        sa.Column("score", sa.Float(precision=53), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("result", sa.String(length=8), nullable=False),
        sa.Column("points", sa.JSON(), nullable=False),
        sa.Column("rules_version", sa.String(length=60), nullable=False),
        sa.Column("rules_sha256", sa.String(length=64), nullable=False),
        sa.Column("sample", sa.Boolean(), nullable=False),
        sa.Column("assessed_by", sa.String(length=200), nullable=False),
        _ts("assessed_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_league_assessments")),
        sa.UniqueConstraint("year", "league", "version", name=op.f("uq_league_assessments_year_league_version")),
    )


def upgrade() -> None:
    _projects()
    _project_reviews()
    _offset_withdrawals()
    _offset_claims()
    _league_assessments()


def downgrade() -> None:
    op.drop_table("league_assessments")
    op.drop_index(op.f("ix_offset_claims_project_code"), table_name="offset_claims")
    op.drop_table("offset_claims")
    op.drop_index(op.f("ix_offset_withdrawals_league"), table_name="offset_withdrawals")
    op.drop_table("offset_withdrawals")
    op.drop_index(op.f("ix_project_reviews_project_code"), table_name="project_reviews")
    op.drop_table("project_reviews")
    op.drop_index("ix_projects_league_stage", table_name="projects")
    op.drop_table("projects")
