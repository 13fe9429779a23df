"""Tables of the scenarios topic. Their migrations form the ``scenarios`` branch (see :mod:`tanfeng.store.migrate`).

Tables
------
``scenario_versions``   one version of a scenario file (the YAML text as written, its parent and titles).
                        Versioned: a change adds version n + 1 and stamps ``superseded_at`` on version n; a
                        stored version is never updated. The current version of a name is the row with
                        ``superseded_at`` null.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tanfeng.store.models import Base, UTCDateTime

__all__ = ["ScenarioVersionRow"]


class ScenarioVersionRow(Base):
    """One version of a scenario file."""

    __tablename__ = "scenario_versions"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int] = mapped_column(Integer)
    parent: Mapped[str | None] = mapped_column(String(100))
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    """The YAML file as written (comments kept)."""
    sha256: Mapped[str] = mapped_column(String(64))
    builtin: Mapped[bool] = mapped_column(Boolean)
    """Shipped with tanfeng (loaded at ``init``) rather than written by a user."""
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    entered_by: Mapped[str] = mapped_column(String(200))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime())
