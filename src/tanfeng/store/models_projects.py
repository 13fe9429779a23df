"""Tables of the projects topic (projects, reviews, 减量替代, league assessments). Their migrations form the
``projects`` branch (see :mod:`tanfeng.store.migrate`).

Tables
------
``projects``              every version of every project of the 清单 (content as JSON, a few columns for
                          lookups); the current version has ``superseded_at`` NULL
``project_reviews``       every 节能审查 review run and kept (the review as JSON, the rules' digest)
``offset_withdrawals``    capacity and energy withdrawn in a league (减量替代 sources)
``offset_claims``         which project a withdrawal backs: the withdrawal is the primary key, so a
                          withdrawal backs at most one project even under concurrent claims
``league_assessments``    every version of a league's yearly comprehensive assessment
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tanfeng.store.models import Base, UTCDateTime

__all__ = ["LeagueAssessmentRow", "OffsetClaimRow", "ProjectReviewRow", "ProjectRow", "WithdrawalRow"]


class ProjectRow(Base):
    """One version of a project (see :class:`tanfeng.projects.registry.Project`)."""

    __tablename__ = "projects"
    __table_args__ = (
        UniqueConstraint("code", "version"),
        Index("ix_projects_league_stage", "league", "stage"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    league: Mapped[str] = mapped_column(String(6))
    county: Mapped[str | None] = mapped_column(String(6))
    stage: Mapped[str] = mapped_column(String(8))
    industry: Mapped[str] = mapped_column(String(8))
    two_high: Mapped[bool] = mapped_column(Boolean)
    owner_code: Mapped[str | None] = mapped_column(String(18))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    sample: Mapped[bool] = mapped_column(Boolean)
    entered_by: Mapped[str] = mapped_column(String(200))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ProjectReviewRow(Base):
    """A review kept for a project version."""

    __tablename__ = "project_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    project_code: Mapped[str] = mapped_column(String(40), index=True)
    project_version: Mapped[int] = mapped_column(Integer)
    year: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(8))
    impact_class: Mapped[str | None] = mapped_column(String(16))
    suspended: Mapped[bool] = mapped_column(Boolean)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    rules_sha256: Mapped[str] = mapped_column(String(64))
    reviewed_by: Mapped[str] = mapped_column(String(200))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class WithdrawalRow(Base):
    """A withdrawal (淘汰/关停/压减) that can back one project."""

    __tablename__ = "offset_withdrawals"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    league: Mapped[str] = mapped_column(String(6), index=True)
    description: Mapped[str] = mapped_column(Text)
    capacity: Mapped[float | None] = mapped_column(Float(precision=53))
    capacity_unit: Mapped[str] = mapped_column(String(40))
    energy_tce: Mapped[float] = mapped_column(Float(precision=53))
    withdrawn_on: Mapped[date] = mapped_column(Date)
    sample: Mapped[bool] = mapped_column(Boolean)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OffsetClaimRow(Base):
    """The project a withdrawal backs (one row per withdrawal: the primary key is the withdrawal)."""

    __tablename__ = "offset_claims"

    withdrawal_id: Mapped[str] = mapped_column(String(60), ForeignKey("offset_withdrawals.id"), primary_key=True)
    project_code: Mapped[str] = mapped_column(String(40), index=True)
    claimed_by: Mapped[str] = mapped_column(String(200))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LeagueAssessmentRow(Base):
    """One version of a league's yearly comprehensive assessment."""

    __tablename__ = "league_assessments"
    __table_args__ = (UniqueConstraint("year", "league", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer)
    league: Mapped[str] = mapped_column(String(6))
    version: Mapped[int] = mapped_column(Integer)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    score: Mapped[float] = mapped_column(Float(precision=53))
    rank: Mapped[int] = mapped_column(Integer)
    result: Mapped[str] = mapped_column(String(8))
    points: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    rules_version: Mapped[str] = mapped_column(String(60))
    rules_sha256: Mapped[str] = mapped_column(String(64))
    sample: Mapped[bool] = mapped_column(Boolean)
    assessed_by: Mapped[str] = mapped_column(String(200))
    assessed_at: Mapped[datetime] = mapped_column(UTCDateTime())
