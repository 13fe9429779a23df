"""The scenarios a user can run: the shipped files, overlaid by the versions stored in the record store."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from tanfeng.errors import NotFoundError
from tanfeng.plan import loader
from tanfeng.reference import ceads, macro
from tanfeng.scenarios import calibration, files
from tanfeng.scenarios.catalog import load_catalog
from tanfeng.store import repository_scenarios

__all__ = ["BACKCAST_YEAR", "PLAN_ID", "Entry", "base_inventory", "calibration_report", "entries", "list_scenarios",
           "plan_targets", "resolved", "scenario_texts", "scenario_versions", "show_scenario"]

BACKCAST_YEAR = 2015

PLAN_ID = "im2022"


@dataclass(frozen=True)
class Entry:
    """One scenario file as the platform knows it: where it comes from and which version."""

    file: files.ScenarioFile
    label: str
    text: str
    version: int | None
    """Stored version, or None for a shipped file not (yet) stored."""
    builtin: bool


@lru_cache(maxsize=256)
def _parsed(text: str, label: str) -> files.ScenarioFile:
    return files.parse_scenario(text, file=label)


def entries(session: Session) -> dict[str, Entry]:
    """Every scenario by name: the shipped files, replaced by the current stored version where there is one."""
    out = {name: Entry(file=_parsed(text, label), label=label, text=text, version=None, builtin=True)
           for name, (label, text) in files.builtin_files().items()}
    for row in repository_scenarios.list_current_scenarios(session):
        label = f"scenario '{row.name}' v{row.version}"
        out[row.name] = Entry(file=_parsed(row.text, label), label=label, text=row.text, version=row.version,
                              builtin=row.builtin)
    return out


def resolved(session: Session, name: str) -> files.ResolvedScenario:
    """One scenario with its inheritance applied."""
    known = entries(session)
    if name not in known:
        msg = f"scenario '{name}' not found"
        raise NotFoundError(msg, hint=f"known scenarios: {', '.join(sorted(known))}")
    return files.resolve(name, {k: e.file for k, e in known.items()}, origin={k: e.label for k, e in known.items()})


def list_scenarios(session: Session) -> list[dict[str, Any]]:
    """``[{name, parent, description}]`` for every scenario, by name."""
    return [{"name": name, "parent": e.file.parent, "description": e.file.description}
            for name, e in sorted(entries(session).items())]


def scenario_texts(session: Session) -> dict[str, dict[str, str]]:
    """Scenario name → its titles and descriptions in both languages (``title_zh``, ``title_en``,
    ``description``, ``description_zh``; the last empty where the file has none), for pages."""
    return {name: {"title_zh": e.file.title_zh, "title_en": e.file.title_en, "description": e.file.description,
                   "description_zh": e.file.description_zh or ""} for name, e in entries(session).items()}


def show_scenario(session: Session, name: str) -> dict[str, Any]:
    """A scenario with its inheritance applied: titles, chain, view, drivers and levers with their targets."""
    sc = resolved(session, name)
    entry = entries(session)[name]
    targets = plan_targets()
    return {
        "name": sc.name, "title_zh": sc.title_zh, "title_en": sc.title_en, "parent": sc.parent,
        "description": sc.description, "description_zh": sc.description_zh, "chain": list(sc.chain),
        "version": entry.version, "builtin": entry.builtin, "electricity_accounting": sc.electricity_accounting,
        "drivers": {"gdp_growth_pct": sc.gdp_growth_pct, "export_share": sc.export_share,
                    "source": sc.drivers_source, "source_zh": sc.drivers_source_zh},
        "levers": [{
            "id": lv.id, "name_zh": lv.name_zh, "name_en": lv.name_en, "kind": lv.kind, "sector": lv.sector,
            "fuel": lv.fuel,
            "to_fuel": lv.to_fuel, "path": lv.path, "regions": lv.regions, "target": lv.target,
            "target_indicator": targets.get(lv.target, {}).get("indicator") if lv.target else None,
            "target_value": targets.get(lv.target, {}).get("value") if lv.target else None,
            "target_unit": targets.get(lv.target, {}).get("unit") if lv.target else None,
            "target_year": targets.get(lv.target, {}).get("year") if lv.target else None,
            "source": lv.source, "source_zh": lv.source_zh, "certainty": lv.certainty} for lv in sc.levers],
    }


@cache
def plan_targets() -> dict[str, dict[str, Any]]:
    """The plan's targets by id (indicator, year, comparator, value, unit), from the shipped plan file."""
    plan = loader.load_builtin_plan(PLAN_ID)
    return {t.id: {"indicator": t.indicator, "year": t.year, "comparator": t.comparator.value, "value": t.value,
                   "unit": t.unit} for t in plan.targets}


@cache
def base_inventory() -> calibration.BaseInventory:
    """The base year calibrated on the latest CEADs inventory (2019) and the NBS GDP of that year."""
    inventory = ceads.province_sector_fuel()
    year = int(inventory["year"].max())  # type: ignore[arg-type]
    gdp = macro.gdp_population().filter(pl.col("year") == year)["gdp_current_yi_yuan"][0]
    return calibration.calibrate(inventory, ceads.league_totals(), ceads.province_totals(), float(gdp),
                                 load_catalog(), base_year=year)


def calibration_report() -> dict[str, Any]:
    """The base year against CEADs (residual per sector) and the hold-out check: 2015 backcast from the 2019
    base with the no-lever drivers (NBS GDP ratio 2015/2019, autonomous intensity change) against CEADs 2015."""
    base = base_inventory()
    gdp = macro.gdp_population()
    ratio = float(gdp.filter(pl.col("year") == BACKCAST_YEAR)["gdp_current_yi_yuan"][0]
                  / gdp.filter(pl.col("year") == base.base_year)["gdp_current_yi_yuan"][0])
    back = calibration.backcast(ceads.province_sector_fuel(), load_catalog(), base_year=base.base_year,
                                to_year=BACKCAST_YEAR, gdp_ratio=ratio)
    return {
        "base_year": base.base_year, "unit": "MtCO2", "source": ceads.CEADS_SOURCE + "; " + macro.MACRO_SOURCE,
        "source_zh": ceads.CEADS_SOURCE_ZH + "; " + macro.MACRO_SOURCE_ZH,
        "residuals": [r.__dict__ for r in base.residuals],
        "backcast": {"year": BACKCAST_YEAR, "gdp_ratio": ratio, "sectors": [
            {"sector": k, "backcast_mtco2": round(v[0], 6), "ceads_mtco2": round(v[1], 6),
             "error_mtco2": round(v[0] - v[1], 6), "error_pct": round((v[0] / v[1] - 1) * 100, 2) if v[1] else None}
            for k, v in back.items()]},
        "league_base_years": base.league_base_year,
    }


def scenario_versions(session: Session, name: str) -> list[dict[str, Any]]:
    """Every stored version of a scenario, oldest first (who, when, digest, whether superseded)."""
    rows = repository_scenarios.scenario_history(session, name=name)
    if not rows:
        msg = f"no stored version of scenario '{name}'"
        raise NotFoundError(msg, hint="shipped files are stored at init; others with save")
    return [{"name": r.name, "version": r.version, "parent": r.parent, "builtin": r.builtin,
             "entered_by": r.entered_by, "entered_at": r.entered_at.isoformat(),
             "superseded_at": r.superseded_at.isoformat() if r.superseded_at else None, "sha256": r.sha256}
            for r in rows]
