"""Queries of the scenarios aggregate (keyword-only functions)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tanfeng.store.models_scenarios import ScenarioVersionRow

__all__ = ["current_scenario", "list_current_scenarios", "scenario_history"]


def list_current_scenarios(session: Session) -> list[ScenarioVersionRow]:
    """The current version of every stored scenario, by name."""
    stmt = (select(ScenarioVersionRow).where(ScenarioVersionRow.superseded_at.is_(None))
            .order_by(ScenarioVersionRow.name))
    return list(session.scalars(stmt))


def current_scenario(session: Session, *, name: str) -> ScenarioVersionRow | None:
    """The current version of one scenario, or None."""
    stmt = select(ScenarioVersionRow).where(ScenarioVersionRow.name == name,
                                            ScenarioVersionRow.superseded_at.is_(None))
    return session.scalars(stmt).first()


def scenario_history(session: Session, *, name: str) -> list[ScenarioVersionRow]:
    """Every stored version of one scenario, oldest first."""
    stmt = select(ScenarioVersionRow).where(ScenarioVersionRow.name == name).order_by(ScenarioVersionRow.version)
    return list(session.scalars(stmt))
