"""Run and compare scenarios; the JSON shapes of ``tanfeng scenario run|compare`` and the API."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

from sqlalchemy.orm import Session

from tanfeng.errors import InputError, at
from tanfeng.reference import ceads
from tanfeng.scenarios import run as domain_run
from tanfeng.scenarios.analysis import EFFECTS
from tanfeng.scenarios.catalog import load_catalog
from tanfeng.services.scenarios.catalogue import base_inventory, calibration_report, plan_targets, resolved
from tanfeng.services.sinks.net import NET_NOTE, net_beside_path

__all__ = [
    "DEFAULT_DRAWS",
    "DEFAULT_SEED",
    "MAX_DRAWS",
    "View",
    "compare_scenarios",
    "history",
    "run_detail",
    "run_scenario",
    "run_summary",
]

DEFAULT_DRAWS = 1000
DEFAULT_SEED = 20221019
MAX_DRAWS = 20000
View = Literal["production", "consumption"]


def _run(session: Session, name: str, *, draws: int, seed: int, view: View | None) -> domain_run.ScenarioRun:
    if not 10 <= draws <= MAX_DRAWS:
        msg = f"draws must lie between 10 and {MAX_DRAWS}, not {draws}"
        raise InputError(msg, location=at(field="draws"))
    scenario = resolved(session, name)
    if view is not None:
        scenario = replace(scenario, electricity_accounting=view)
    return domain_run.run_scenario(base_inventory(), scenario, resolved(session, "bau"), load_catalog(),
                                   targets=plan_targets(), draws=draws, seed=seed)


def run_summary(result: domain_run.ScenarioRun) -> dict[str, Any]:
    """``{scenario, base_year, electricity_accounting, draws, seed, regions: [...]}`` as the issue gives it."""
    return {
        "scenario": result.scenario.name, "base_year": result.base_year,
        "electricity_accounting": result.electricity_accounting, "draws": result.draws, "seed": result.seed,
        "regions": [{
            "region": r.region, "peak_year": r.peak_year, "peak_value_mtco2": round(r.peak_value_mtco2, 6),
            "p_peak_by_2030": r.p_peak_by_2030, "base_year_mtco2": round(r.base_year_mtco2, 6),
            "emissions": [{"year": y.year, "mtco2": round(y.mtco2, 6), "low": round(y.low, 6),
                           "high": round(y.high, 6)} for y in r.emissions]} for r in result.regions],
    }


def run_scenario(session: Session, name: str, *, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
                 view: View | None = None) -> dict[str, Any]:
    """Run a scenario: per region (150000 and the 12 leagues) the peak, P(peak ≤ 2030) and the path with its
    5–95 % band. ``view`` overrides the scenario's electricity accounting (production | consumption)."""
    return run_summary(_run(session, name, draws=draws, seed=seed, view=view))


def run_detail(session: Session, name: str, *, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
               view: View | None = None) -> dict[str, Any]:
    """The run summary plus wedges against BAU, the LMDI decomposition, target checks, the league order,
    emissions (MtCO2) and fossil energy (Mtce, the cement process left out) per region and sector, the
    calibration report and the CEADs history (province and leagues, side by side)."""
    result = _run(session, name, draws=draws, seed=seed, view=view)
    catalog = load_catalog()
    years = [int(y) for y in result.path.years]
    out = run_summary(result)
    out["wedges"] = [{"lever": k, "region": code, "values": [round(float(v), 6) for v in arr[r]]}
                     for k, arr in result.wedges.items() for r, code in enumerate(result.path.regions)
                     if r == 0 or k != "drivers"]
    out["wedge_years"] = years
    out["lmdi"] = {"from": result.lmdi_years[0], "to": result.lmdi_years[1], "effects": list(EFFECTS),
                   "regions": [{"region": code, "values": [round(float(v), 6) for v in result.lmdi[r]]}
                               for r, code in enumerate(result.path.regions)]}
    energy = result.path.energy
    out["sectors"] = [{"region": code, "sector": s.id, "name_zh": s.name_zh,
                       "values": [round(float(v), 6) for v in result.path.cells[r, i].sum(axis=0)],
                       "energy_mtce": [round(float(v), 6) for v in energy[r, i]]}
                      for r, code in enumerate(result.path.regions) for i, s in enumerate(catalog.sectors)]
    out["sector_years"] = years
    out["targets"] = [t.__dict__ for t in result.targets]
    out["leagues"] = [{**lg.__dict__, "out_of_order": list(lg.out_of_order)} for lg in result.leagues]
    out["levers"] = [{"id": lv.id, "name_zh": lv.name_zh, "kind": lv.kind, "sector": lv.sector,
                      "target": lv.target, "source": lv.source, "certainty": lv.certainty}
                     for lv in result.scenario.levers]
    out["history"] = history()
    out["calibration"] = calibration_report()
    out["sinks"] = _sinks(result, years)
    return out


def _sinks(result: domain_run.ScenarioRun, years: list[int]) -> dict[str, Any]:
    """The path's gross beside the forest and grassland sink and the net, for the years the sink is known."""
    regions = []
    for r, code in enumerate(result.path.regions):
        path = {y: float(v) for y, v in zip(years, result.path.totals[r], strict=True)
                if y >= domain_run.FIRST_RESULT_YEAR}
        regions.append({"region": code, "years": [row.model_dump() for row in
                                                  net_beside_path(code, path, result.scenario.name)]})
    return {"note": NET_NOTE + " Sink years end with the plan's last forest target (no extrapolation).",
            "regions": regions}


def history() -> dict[str, Any]:
    """CEADs history: the province and each league as published (gaps kept), with why they differ."""
    prov = ceads.province_totals()
    leagues = ceads.league_totals()
    return {
        "source": ceads.CEADS_SOURCE, "citation": ceads.CEADS_CITATION, "note": ceads.LEAGUE_PROVINCE_NOTE,
        "source_zh": ceads.CEADS_SOURCE_ZH, "note_zh": ceads.LEAGUE_PROVINCE_NOTE_ZH,
        "province": [{"year": y, "mtco2": v} for y, v in prov.select("year", "scope1_total").iter_rows()],
        "leagues": [{"region": code, "year": y, "mtco2": v}
                    for code, _, y, v in leagues.iter_rows()],
        "side_by_side": [{"year": r.year, "province_mtco2": r.province_mtco2, "leagues_reported": r.leagues_reported,
                          "leagues_listed_mtco2": r.leagues_listed_mtco2} for r in ceads.league_vs_province()],
    }


def compare_scenarios(session: Session, first: str, second: str, *, draws: int = DEFAULT_DRAWS,
                      seed: int = DEFAULT_SEED, view: View | None = None) -> dict[str, Any]:
    """Two scenarios side by side per region (peak year, peak value, P(peak ≤ 2030), 2030 and 2060 levels) and
    the levers that differ, with their wedges against BAU in 2030 and 2060 for the region (150000)."""
    a = _run(session, first, draws=draws, seed=seed, view=view)
    b = _run(session, second, draws=draws, seed=seed, view=view)
    if a.electricity_accounting != b.electricity_accounting:
        msg = (f"'{first}' counts electricity {a.electricity_accounting}-based and '{second}' "
               f"{b.electricity_accounting}-based")
        raise InputError(msg, location=at(field="view"), hint="choose one view for both")
    years = [int(y) for y in a.path.years]
    i30, i60 = years.index(2030), years.index(2060)
    regions = []
    for ra, rb in zip(a.regions, b.regions, strict=True):
        ta, tb = a.path.totals[a.path.regions.index(ra.region)], b.path.totals[b.path.regions.index(rb.region)]
        regions.append({"region": ra.region, "peak_year": [ra.peak_year, rb.peak_year],
                        "peak_value_mtco2": [round(ra.peak_value_mtco2, 6), round(rb.peak_value_mtco2, 6)],
                        "p_peak_by_2030": [ra.p_peak_by_2030, rb.p_peak_by_2030],
                        "mtco2_2030": [round(float(ta[i30]), 6), round(float(tb[i30]), 6)],
                        "mtco2_2060": [round(float(ta[i60]), 6), round(float(tb[i60]), 6)]})
    names = list(dict.fromkeys([*a.wedges, *b.wedges]))
    wedges = [{"lever": k,
               "mtco2_2030": [round(float(w.wedges[k][0, i30]), 6) if k in w.wedges else 0.0 for w in (a, b)],
               "mtco2_2060": [round(float(w.wedges[k][0, i60]), 6) if k in w.wedges else 0.0 for w in (a, b)]}
              for k in names]
    return {"scenarios": [first, second], "electricity_accounting": a.electricity_accounting, "base_year": a.base_year,
            "regions": regions, "wedges": wedges}
