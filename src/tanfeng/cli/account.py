"""``tanfeng account``: Carbon accounting: combustion, electricity, regional inventory, enterprise reports."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from tanfeng.cli.output import FORMAT_OPTION, OutputFormat, emit
from tanfeng.cli.session import store_session
from tanfeng.errors import ImportDataError, InputError, NotFoundError
from tanfeng.services import accounting as service

__all__ = ["RUN_COLUMNS", "app", "combustion_cmd", "electricity_cmd", "enterprise_cmd", "explain_cmd", "inventory_cmd", "runs_cmd"]

_BALANCE: Path = typer.Option(..., "--balance", help="Energy balance: CSV or .xlsx, NBS layout or long form.")
_REPORT: Path = typer.Option(..., "--report", help="Enterprise report: JSON, or .xlsx in the layout of form 205-1.")

_STORE: bool = typer.Option(False, "--store", help="Store the run in the database at TANFENG_DATABASE_URL; print its id.")
_ACTOR: str = typer.Option("cli", "--actor", help="Who the audit log names for a stored run.")

app = typer.Typer(help="Carbon accounting: combustion, electricity, regional inventory, enterprise reports.", no_args_is_help=True)

RUN_COLUMNS = ["id", "kind", "region", "unit_id", "year", "factor_set", "electricity_conversion", "tco2", "tco2e",
               "energy_tce", "source_name", "created_by", "created_at"]
"""Columns of ``tanfeng account runs`` as a table or CSV."""


@contextmanager
def _runs_listed() -> Iterator[None]:
    """An unknown run id says where the stored runs are listed."""
    try:
        yield
    except NotFoundError as exc:
        if exc.hint is not None:
            raise
        raise NotFoundError(exc.message, location=exc.location, hint="list them with `tanfeng account runs`") from exc


def _stored(run: service.RunDetail, fmt: OutputFormat) -> None:
    """Say which run was stored (JSON output carries ``run_id`` instead)."""
    if fmt is not OutputFormat.json:
        typer.echo(f"stored as accounting run {run.id}", err=fmt is OutputFormat.csv)


@app.command("combustion")
def combustion_cmd(
    value: float = typer.Argument(..., help="Fuel burnt."),
    unit: str = typer.Argument(..., help="Its unit: t, 万吨, m³, 万立方米, or GJ/TJ of heat (NCV basis)."),
    product: str = typer.Argument(..., help="Fuel id or Chinese name: raw_coal, 原煤, diesel …"),
    factors: str = typer.Option("china", "--factors", help="Factor set: china, ipcc2006 or mee2013."),
    ncv: float | None = typer.Option(None, "--ncv", help="Measured NCV (default unit GJ/t, GJ/万m³ for gases)."),
    ncv_unit: str | None = typer.Option(None, "--ncv-unit", help="Unit of --ncv."),
    carbon_content: float | None = typer.Option(None, "--carbon-content", help="Measured carbon content, tC/TJ."),
    oxidation: float | None = typer.Option(None, "--oxidation", help="Measured oxidation rate, fraction."),
    gwp: str | None = typer.Option(None, "--gwp", help="Also CH4 and N2O in tCO2e with this GWP set: SAR, AR4, AR5, AR6."),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """CO2 (t) from burning a fuel."""
    res = service.combustion_result(value, unit, product, factors=factors, ncv=ncv, ncv_unit=ncv_unit,
                                    carbon_content=carbon_content, oxidation=oxidation, gwp_set=gwp)
    if fmt is OutputFormat.json:
        emit(res, fmt)
        return
    emit({k: getattr(res, k) for k in ("product", "input_value", "input_unit", "tco2", "co2_factor", "co2_factor_unit",
                                       "factor_set", "version", "formula", "source")}, fmt)


@app.command("electricity")
def electricity_cmd(
    value: float = typer.Argument(..., help="Electricity used."),
    unit: str = typer.Argument(..., help="Its unit: kWh, MWh, 万千瓦时."),
    region: str = typer.Option(..., "--region", help="CN, a grid (CN-NORTH, 华北) or a province (150000, 内蒙古)."),
    year: int = typer.Option(..., "--year", help="Data year of the factor."),
    kind: str = typer.Option("average", "--kind", help="average, excl_market_nonfossil, fossil or ets_guideline."),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Indirect CO2 (t) of electricity at an MEE/NBS grid factor."""
    res = service.electricity_result(value, unit, region, year, kind=kind)
    if fmt is OutputFormat.json:
        emit(res, fmt)
        return
    emit({k: getattr(res, k) for k in ("input_value", "input_unit", "region", "year", "tco2", "factor", "factor_unit",
                                       "source")}, fmt)


@app.command("inventory")
def inventory_cmd(
    balance: Path = _BALANCE,
    region: str | None = typer.Option(None, "--region", help="Region code if the file has no 地区 column."),
    year: int | None = typer.Option(None, "--year", help="Year if the file has no 年份 column."),
    factors: str = typer.Option("china", "--factors", help="Factor set: china, ipcc2006 or mee2013."),
    electricity_region: str | None = typer.Option(
        None, "--electricity-region", help="Grid factor region for the consumption-based total (e.g. 150000)."),
    production: Path | None = typer.Option(  # noqa: B008
        None, "--production", help="Industrial production CSV/.xlsx: region, year, process, value (t)."),
    sinks: Path | None = typer.Option(  # noqa: B008
        None, "--sinks", help="LULUCF removals CSV/.xlsx: region, year, category, tco2 (<= 0)."),
    uncertainty: int = typer.Option(0, "--uncertainty", help="0: none; 1: error propagation; 2: Monte Carlo."),
    draws: int = typer.Option(10_000, "--draws", help="Monte Carlo draws."),
    seed: int = typer.Option(0, "--seed", help="Monte Carlo seed."),
    electricity: str = typer.Option("equivalent", "--electricity",
                                    help="Electricity in the tce totals: equivalent (当量值) or equal (等价值)."),
    supply_coal_rate: float | None = typer.Option(None, "--supply-coal-rate",
                                                  help="For --electricity equal: the year's supply coal rate, gce/kWh."),
    store: bool = _STORE,
    actor: str = _ACTOR,
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Regional CO2 inventory from an energy balance: by sector and fuel, sectoral vs reference approach, energy in tce."""
    if electricity not in ("equivalent", "equal"):
        msg = f"--electricity must be 'equivalent' or 'equal', not '{electricity}'"
        raise InputError(msg)
    conversion: service.ElectricityConversion = "equal" if electricity == "equal" else "equivalent"
    if store:
        if uncertainty:
            msg = "--uncertainty is not stored with a run yet"
            raise InputError(msg, hint="run without --store to see the uncertainty")
        options = service.InventoryOptions(factor_set=factors, electricity_region=electricity_region,
                                           electricity_conversion=conversion,
                                           supply_coal_rate=supply_coal_rate)
        with store_session() as session:
            run = service.run_inventory(session, balance, region=region, year=year, options=options, actor=actor,
                                        production=production, sinks=sinks)
        stored: dict[str, Any] = {"run_id": run.id, **run.result}
        if fmt is OutputFormat.json:
            emit(stored, fmt)
            return
        emit(run.result["totals"], fmt, columns=_INVENTORY_COLUMNS, title="CO2 inventory (tCO2)")
        _stored(run, fmt)
        return
    try:
        preview = service.preview_inventory(balance, region=region, year=year, factor_set=factors,
                                            electricity_region=electricity_region, production=production,
                                            sinks=sinks, electricity_conversion=conversion,
                                            supply_coal_rate=supply_coal_rate, uncertainty=uncertainty, draws=draws,
                                            seed=seed)
    except InputError as exc:
        if exc.location is None or exc.location.field != "uncertainty":
            raise
        msg = f"--uncertainty must be 0, 1 or 2, not {uncertainty}"
        raise InputError(msg) from exc
    if fmt is OutputFormat.json:
        emit(preview.data, fmt)
        return
    emit(preview.summary.totals, fmt, columns=_INVENTORY_COLUMNS, title="CO2 inventory (tCO2)")


_INVENTORY_COLUMNS = ["region", "year", "energy_sectoral", "energy_reference", "reference_difference_pct", "process",
                      "gross", "sinks", "net", "production_based", "consumption_based", "energy_tce"]


@app.command("enterprise")
def enterprise_cmd(
    report: Path = _REPORT,
    enterprise: str | None = typer.Option(None, "--enterprise", help="For .xlsx: the enterprise's name."),
    year: int | None = typer.Option(None, "--year", help="For .xlsx: the reporting year."),
    sector: str = typer.Option("generic", "--sector", help="For .xlsx: generic, power, aluminium or cement."),
    uncertainty: bool = typer.Option(False, "--uncertainty", help="Add a 95 % interval (IPCC Approach 1)."),
    store: bool = _STORE,
    actor: str = _ACTOR,
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """An enterprise's emissions on the GB/T 32150 structure, line by line."""
    if store:
        if uncertainty:
            msg = "--uncertainty is not stored with a run yet"
            raise InputError(msg, hint="run without --store to see the uncertainty")
        with store_session() as session:
            run = service.run_enterprise(session, report, actor=actor, enterprise=enterprise, year=year,
                                         sector=sector)
        if fmt is OutputFormat.json:
            emit({"run_id": run.id, **run.result}, fmt)
            return
        emit([{"category": ln["category"], "item": ln["item"], "activity": ln["activity"],
               "unit": ln["activity_unit"], "factor": ln["factor"], "factor_unit": ln["factor_unit"],
               "tco2e": ln["tco2e"]} for ln in run.result["lines"]]
             + [{"category": "total", "tco2e": run.result["total"]}], fmt,
             title=f"{run.result['enterprise']} {run.result['year']} (tCO2e)")
        _stored(run, fmt)
        return
    if report.suffix.lower() in (".xlsx", ".xlsm") and (enterprise is None or year is None):
        msg = "an Excel (205-1) report needs --enterprise and --year"
        raise ImportDataError(msg)
    preview = service.preview_enterprise(report, enterprise=enterprise, year=year, sector=sector,
                                         uncertainty=uncertainty and fmt is OutputFormat.json)
    if fmt is OutputFormat.json:
        emit(preview.data, fmt)
        return
    res = preview.result
    emit([{"category": ln.category, "item": ln.item, "activity": ln.activity, "unit": ln.activity_unit,
           "factor": ln.factor, "factor_unit": ln.factor_unit, "tco2e": ln.tco2e} for ln in res.lines]
         + [{"category": "total", "tco2e": res.total}], fmt, title=f"{res.enterprise} {res.year} (tCO2e)")


@app.command("runs")
def runs_cmd(
    kind: str | None = typer.Option(None, "--kind", help="inventory, enterprise, combustion or electricity."),
    region: str | None = typer.Option(None, "--region", help="Region code as stored, e.g. 150000."),
    year: int | None = typer.Option(None, "--year", help="Year."),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Accounting runs stored in the database (TANFENG_DATABASE_URL), oldest first."""
    with store_session() as session:
        runs = service.list_runs(session, kind=kind, region=region, year=year)
    emit([r.model_dump(mode="json") for r in runs], fmt, columns=RUN_COLUMNS, title="accounting runs")


@app.command("explain")
def explain_cmd(
    run_id: int = typer.Argument(..., help="Id of a stored run (see `tanfeng account runs`)."),
    line: int = typer.Option(1, "--line", help="Line number of the run (see GET /api/accounting/runs/{id}/lines)."),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """One line of a stored run: the factor, its source and the arithmetic."""
    with store_session() as session, _runs_listed():
        ex = service.explain(session, run_id, line)
    if fmt is OutputFormat.json:
        emit(ex, fmt)
        return
    ln = ex.line
    emit({"run": ex.run_id, "kind": ex.kind, "line": ln.line_no, "category": ln.category, "region": ln.region,
          "year": ln.year, "sector": ln.sector, "product": ln.product, "arithmetic": ex.arithmetic,
          "formula": ln.formula, "factor_id": ln.factor_id, "confidence": ln.factor_confidence,
          "source": ln.factor_source}, fmt)
