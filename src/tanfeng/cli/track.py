"""``tanfeng track``: Dual control, target tracking, early warning and decoupling (双控 · 预警)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from tanfeng.cli.output import FORMAT_OPTION, OutputFormat, emit
from tanfeng.config import get_settings
from tanfeng.errors import InputError, at
from tanfeng.services import tracking as tracking_service
from tanfeng.store import check_schema, make_engine, make_session_factory
from tanfeng.tracking.decoupling import Boundary
from tanfeng.tracking.warning import TotalWarningRule

__all__ = [
    "STATUS_COLUMNS",
    "app",
    "barometer",
    "decoupling",
    "status",
]


app = typer.Typer(help="Dual control, target tracking, early warning and decoupling (双控 · 预警).", no_args_is_help=True)

_FILE_ARGUMENT: Any = typer.Argument(
    ..., help="CSV: region, period, intensity_change_pct, required_intensity_change_pct, consumption_growth_pct, "
              "allowed_consumption_growth_pct [, progress_consumption_growth_pct]; rates in %")


@app.command()
def barometer(
    file: Path = _FILE_ARGUMENT,
    progress_share: float | None = typer.Option(
        None, "--progress-share", min=0.0, max=1.0,
        help="Total rule (inferred): progress line = share × allowed growth for rows without "
             "progress_consumption_growth_pct; unset, such rows can only be level 1 or 3"),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Barometer levels (1 red, 2 yellow, 3 green) for energy intensity and total consumption.

    The intensity rule is 发改办环资〔2021〕629号; the total rule is an inference (flagged in the output).
    """
    entries = tracking_service.read_barometer_csv(file, TotalWarningRule(progress_share=progress_share))
    if fmt is OutputFormat.json:
        emit([e.model_dump(mode="json") for e in entries], fmt)
        return
    rows: list[dict[str, Any]] = [{
        "region": e.region, "period": e.period,
        "intensity_level": e.intensity.level, "intensity_colour": e.intensity.colour,
        "total_level": e.total.level, "total_colour": e.total.colour,
        "total_rule": "inferred" if e.total.inferred else e.total.document,
        "consequences": [c.short for c in e.intensity.consequences + e.total.consequences],
    } for e in entries]
    emit(rows, fmt, title="能耗双控晴雨表 (发改办环资〔2021〕629号; total rule inferred)")


@app.command()
def decoupling(
    gdp_growth: float = typer.Option(..., "--gdp-growth", help="Real GDP growth of the period, %"),
    emission_growth: float = typer.Option(..., "--emission-growth", help="Emission (or energy) growth of the period, %"),
    boundary: str = typer.Option("closed", "--boundary",
                                 help="closed: 0.8 ≤ e ≤ 1.2 is coupling (Chinese usage); open: 0.8 < e < 1.2 (Tapio)"),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Tapio decoupling elasticity and state (Tapio 2005, thresholds 0.8 / 1.2)."""
    if boundary not in ("open", "closed"):
        msg = f"--boundary must be 'open' or 'closed', not '{boundary}'"
        raise InputError(msg, location=at(field="--boundary"))
    b: Boundary = "open" if boundary == "open" else "closed"
    emit(tracking_service.decouple_growth(gdp_growth, emission_growth, b).model_dump(mode="json"), fmt)


STATUS_COLUMNS = tracking_service.STATUS_COLUMNS
"""Columns of ``tanfeng track status`` as a table or CSV (JSON has the service's full shape)."""


@app.command()
def status(
    region: str | None = typer.Option(None, "--region", "-r", help="Region or league code (default: 150000 and its 12 leagues)."),
    year: int | None = typer.Option(None, "--year", "-y", help="Year (default: the latest with energy data)."),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Dual-control status: energy and CO2 totals and intensities (2020 prices), shares, the rules applied,
    and every plan target's trajectory. Sample values are marked 示例数据."""
    engine = make_engine(get_settings().database_url)
    try:
        check_schema(engine)
        with make_session_factory(engine)() as session:
            result = tracking_service.status(session, region=region, year=year)
    finally:
        engine.dispose()
    if fmt is OutputFormat.json:
        emit([r.model_dump(mode="json") for r in result], fmt)
        return
    rows = tracking_service.status_rows(result, targets=region is not None or fmt is OutputFormat.csv)
    columns = STATUS_COLUMNS if fmt is OutputFormat.csv else [c for c in STATUS_COLUMNS if c != "source"]
    sample = any(r.sample for r in result)
    title = "双控状态 (dual-control status)" + (" — 示例数据 (sample data, not official statistics)" if sample else "")
    emit(rows, fmt, columns=columns, title=title)
    if fmt is OutputFormat.table:
        for r in result[:1]:
            for line in r.rules_applied:
                typer.echo(f"rule applied: {line}")
            for line in r.rules_skipped:
                typer.echo(f"rule skipped: {line}")
