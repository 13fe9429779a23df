"""The scenarios a user can run: the shipped files, overlaid by the versions stored in the record store."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from tanfeng.errors import NotFoundError
from tanfeng.plan import loader
from tanfeng.reference import ceads, macro
from tanfeng.scenarios import calibration, files
from tanfeng.scenarios.catalog import load_catalog
from tanfeng.store import repository_scenarios

__all__ = ["PLAN_ID", "Entry", "base_inventory", "entries", "list_scenarios", "plan_targets", "resolved",
           "show_scenario"]

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


def entries(session: Session) -> dict[str, Entry]:
    """Every scenario by name: the shipped files, replaced by the current stored version where there is one."""
    out = {name: Entry(file=files.parse_scenario(text, file=label), label=label, text=text, version=None,
                       builtin=True)
           for name, (label, text) in files.builtin_files().items()}
    for row in repository_scenarios.list_current_scenarios(session):
        label = f"scenario '{row.name}' v{row.version}"
        out[row.name] = Entry(file=files.parse_scenario(row.text, file=label), label=label, text=row.text,
                              version=row.version, builtin=row.builtin)
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


def show_scenario(session: Session, name: str) -> dict[str, Any]:
    """A scenario with its inheritance applied: titles, chain, view, drivers and levers with their targets."""
    sc = resolved(session, name)
    entry = entries(session)[name]
    targets = plan_targets()
    return {
        "name": sc.name, "title_zh": sc.title_zh, "title_en": sc.title_en, "parent": sc.parent,
        "description": sc.description, "chain": list(sc.chain), "version": entry.version,
        "builtin": entry.builtin, "electricity_accounting": sc.electricity_accounting,
        "drivers": {"gdp_growth_pct": sc.gdp_growth_pct, "export_share": sc.export_share,
                    "source": sc.drivers_source},
        "levers": [{
            "id": lv.id, "name_zh": lv.name_zh, "kind": lv.kind, "sector": lv.sector, "fuel": lv.fuel,
            "to_fuel": lv.to_fuel, "path": lv.path, "regions": lv.regions, "target": lv.target,
            "target_indicator": targets.get(lv.target, {}).get("indicator") if lv.target else None,
            "target_value": targets.get(lv.target, {}).get("value") if lv.target else None,
            "target_unit": targets.get(lv.target, {}).get("unit") if lv.target else None,
            "target_year": targets.get(lv.target, {}).get("year") if lv.target else None,
            "source": lv.source, "certainty": lv.certainty} for lv in sc.levers],
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
