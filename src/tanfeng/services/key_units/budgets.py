"""Energy budgets (用能预算): set a unit's budget for a year, and its use by reported and monitored energy."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from tanfeng.config import Settings
from tanfeng.errors import InputError, at
from tanfeng.services import metering
from tanfeng.services.key_units.registry import require_unit
from tanfeng.services.key_units.schemas import BudgetOut
from tanfeng.store import repository_key_units as repo
from tanfeng.store.models import utcnow
from tanfeng.store.models_enterprises import EnergyBudgetRow
from tanfeng.store.repository import record_audit
from tanfeng.store.transaction import atomic

__all__ = ["budget_use", "monitored_energy", "set_budget"]


def set_budget(session: Session, code: str, *, year: int, budget_tce: float, source: str | None, actor: str,
               actor_role: str | None = None) -> None:
    """Set (or change) a unit's energy budget for a year (audited)."""
    if budget_tce <= 0:
        msg = "an energy budget must be > 0 tce"
        raise InputError(msg, location=at(field="budget_tce"))
    require_unit(session, code)
    with atomic(session, f"the budget {year} of unit {code}"):
        row = repo.budget_row(session, unit_code=code, year=year)
        before = {"budget_tce": row.budget_tce, "source": row.source} if row else None
        if row is None:
            row = EnergyBudgetRow(unit_code=code, year=year)
            session.add(row)
        row.budget_tce, row.source, row.set_by, row.set_at = budget_tce, source, actor, utcnow()
        session.flush()
        record_audit(session, actor=actor, action="update" if before else "insert", entity="energy_budget",
                     entity_id=f"{code}/{year}", before=before, after={"budget_tce": budget_tce, "source": source},
                     actor_role=actor_role)


def monitored_energy(session: Session, settings: Settings, code: str, year: int) -> float | None:
    """The unit's energy (tce) of ``year`` from its online meters (``None`` without data)."""
    rows = metering.aggregate(session, settings, period="month", by="unit", first_day=date(year, 1, 1),
                              last_day=date(year, 12, 31))
    mine = [r["energy_tce"] for r in rows if r["unit"] == code]
    return float(sum(mine)) if mine else None


def budget_use(session: Session, settings: Settings, code: str, *, year: int) -> BudgetOut:
    """Reported and monitored energy against the budget."""
    require_unit(session, code)
    budget = repo.budget(session, unit_code=code, year=year)
    rep = repo.find_report(session, unit_code=code, year=year, kind="energy")
    reported = float(rep.figures["energy_tce"]) if rep is not None else None
    monitored = monitored_energy(session, settings, code, year)
    return BudgetOut(unit_code=code, year=year, budget_tce=budget, reported_tce=reported, monitored_tce=monitored,
                     reported_use=reported / budget if budget and reported is not None else None,
                     monitored_use=monitored / budget if budget and monitored is not None else None)
