"""What the projects and assessment areas read from tracking: the one place that calls its service.

Dual-control status (energy, GDP, CO2 of a league and year) and the 629号 warning levels come from
``tanfeng.services.tracking``; a rename there changes this module only.
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy.orm import Session

from tanfeng.errors import TanfengError
from tanfeng.services import tracking

__all__ = ["LEAGUES", "LeagueFigures", "league_figures", "plan_target_shares", "warning_levels"]

LEAGUES: tuple[str, ...] = tuple(tracking.LEAGUES)


class LeagueFigures(BaseModel):
    """A league's totals in a year, in tce, 万元 and t (converted from the tracking units)."""

    league: str
    name: str
    year: int
    energy_tce: float | None
    gdp_10k_yuan: float | None
    co2_t: float | None
    base_energy_tce: float | None
    sources: list[str]
    sample: bool


def _figure(status: tracking.RegionStatus, indicator: str) -> tracking.Figure | None:
    return next((f for f in status.figures if f.indicator == indicator and f.value is not None), None)


def league_figures(session: Session, *, league: str, year: int | None = None,
                   base_year: int | None) -> LeagueFigures | None:
    """Energy (万tce → tce), GDP (亿元 → 万元) and CO2 (万tCO2 → t) of ``league`` in ``year`` (default: the latest
    year with data), with the energy of ``base_year``; None when tracking has nothing for the league."""
    try:
        rows = tracking.status(session, region=league, year=year)
        base = tracking.status(session, region=league, year=base_year) if base_year is not None else []
    except TanfengError:
        return None
    if not rows:
        return None
    st = rows[0]
    e, g, c = _figure(st, "energy_consumption"), _figure(st, "gdp"), _figure(st, "co2_emissions")
    be = _figure(base[0], "energy_consumption") if base else None
    sources = sorted({f"{f.label}: {f.source}" for f in (e, g, c) if f is not None})
    return LeagueFigures(
        league=league, name=st.name, year=st.year,
        energy_tce=e.value * 1e4 if e and e.value is not None else None,
        gdp_10k_yuan=g.value * 1e4 if g and g.value is not None else None,
        co2_t=c.value * 1e4 if c and c.value is not None else None,
        base_energy_tce=be.value * 1e4 if be and be.value is not None else None,
        sources=sources, sample=st.sample)


def warning_levels(session: Session, *, year: int) -> tuple[dict[str, dict[str, int | None]], bool]:
    """(League → {intensity, total, carbon} 629号 levels of ``year``, whether any rests on sample data); empty
    when tracking cannot say."""
    try:
        ws = tracking.warnings(session, period=str(year))
    except TanfengError:
        return {}, False
    return ({w.region: {"intensity": w.intensity.level if w.intensity else None,
                        "total": w.total.level if w.total else None,
                        "carbon": w.carbon.level if w.carbon else None} for w in ws},
            any(w.sample for w in ws))


def plan_target_shares(session: Session, *, year: int) -> dict[str, tuple[int, int]]:
    """League → (targets with a status, targets on track or achieved) in ``year``."""
    try:
        rows = tracking.status(session, year=year)
    except TanfengError:
        return {}
    out: dict[str, tuple[int, int]] = {}
    for st in rows:
        known = [t for t in st.targets if t.status in ("on_track", "behind", "achieved", "missed")]
        good = [t for t in known if t.status in ("on_track", "achieved")]
        out[st.region] = (len(known), len(good))
    return out
