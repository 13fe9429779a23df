"""``tanfeng power``: the new-type power system (新型电力系统) on PyPSA: build, run, compare, export studies.

Wind and solar profiles are synthetic (calibrated to full-load hours); every output says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from tanfeng.cli.output import FORMAT_OPTION, OutputFormat, emit
from tanfeng.errors import InputError, at
from tanfeng.power.profiles import SYNTHETIC_NOTE
from tanfeng.services import power as service

__all__ = [
    "COMPARE_COLUMNS",
    "RUN_COLUMNS",
    "app",
    "build_cmd",
    "compare_cmd",
    "export_cmd",
    "list_cmd",
    "run_cmd",
]

app = typer.Typer(help="New-type power system (新型电力系统) studies on PyPSA: list, build, run, compare, export.",
                  no_args_is_help=True)

_STUDY: Any = typer.Argument(..., help="Study id, e.g. im2g-2025 (see `list`).")
_HOURS: Any = typer.Option(8760, "--hours", min=1, max=8760, help="Hours to dispatch (8,760 = the whole year).")
_START: Any = typer.Option(0, "--start", min=0, max=8759, help="First hour (0 = 1 January 00:00).")
_TO: Any = typer.Option(..., "--to", help="Output file: .xlsx (Excel) or .nc (PyPSA netCDF).")
_PROFILES: Any = typer.Option(None, "--profiles", help="CSV of real capacity factors (atlite output), one "
                              "column per <bus>:<carrier>, 8,760 rows; others stay synthetic.")
_DETAIL: Any = typer.Option(False, "--detail", help="Add generation, coal hours at minimum, storage cycles, prices.")
_MEASURE_OFF: Any = typer.Option(None, "--measure-off", help="Switch a plan measure off (repeatable): "
                                 f"{', '.join(service.MEASURES)}.")
RUN_COLUMNS = ["study", "year", "snapshots", "objective", "co2_mt", "renewable_share_pct", "curtailment_rate_pct",
               "solve_seconds"]
COMPARE_COLUMNS = ["measure_off", "objective", "delta_objective", "co2_mt", "delta_co2_mt", "renewable_share_pct",
                   "delta_renewable_share_pct", "curtailment_rate_pct", "delta_curtailment_rate_pct"]


def _note() -> None:
    typer.echo(SYNTHETIC_NOTE, err=True)


@app.command("list")
def list_cmd(fmt: OutputFormat = FORMAT_OPTION) -> None:
    """The shipped studies."""
    rows = [s.model_dump(mode="json") for s in service.list_studies()]
    emit(rows, fmt, columns=["id", "year", "topology", "title_zh", "measures"], title="power studies")


@app.command("build")
def build_cmd(study: str = _STUDY, hours: int = _HOURS, start: int = _START, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Build a study's network and describe it (nothing is solved)."""
    net = service.build_study(study, hours=hours, start=start)
    if fmt is OutputFormat.json:
        emit(net.model_dump(mode="json"), fmt)
        return
    rows = [{"carrier": k, "p_nom_mw": v} for k, v in net.capacity_mw.items()]
    emit(rows, fmt, columns=["carrier", "p_nom_mw"],
         title=f"{net.study}: {len(net.buses)} buses, {len(net.links)} links, {net.loads_twh:.1f} TWh load")


@app.command("run")
def run_cmd(study: str = _STUDY, hours: int = _HOURS, start: int = _START,
            measure_off: list[str] | None = _MEASURE_OFF, profiles: Path | None = _PROFILES,
            detail: bool = _DETAIL, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Hourly dispatch of a study: cost, CO2, renewable share, curtailment, channels."""
    if profiles is None:
        _note()
    run = service.run_details if detail else service.run_study
    typer.echo(f"solving {study}: {hours} h from hour {start} (a year takes minutes) …", err=True)
    result = run(study, hours=hours, start=start, measures_off=frozenset(measure_off or ()), profiles_file=profiles)
    typer.echo(f"solved in {result.solve_seconds:.1f} s", err=True)
    data = result.model_dump(mode="json")
    if fmt is OutputFormat.json:
        emit(data, fmt)
        return
    emit(data, fmt, columns=RUN_COLUMNS, title=f"power study {study}")
    emit(data["channels"], fmt, columns=["name", "renewable_share_pct", "flow_twh"], title="channels")


@app.command("compare")
def compare_cmd(study: str = _STUDY, hours: int = _HOURS, start: int = _START,
                fmt: OutputFormat = FORMAT_OPTION) -> None:
    """The study with each plan measure switched off in turn, and the change from the full study."""
    _note()
    rows = service.compare_study(study, hours=hours, start=start,
                                 progress=lambda m: typer.echo(f"solving without {m} …", err=True))
    emit([r.model_dump(mode="json") for r in rows], fmt, columns=COMPARE_COLUMNS, title=f"measures of {study}")


@app.command("export")
def export_cmd(study: str = _STUDY,
               to: Path = _TO,
               hours: int = _HOURS, start: int = _START, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Write a solved study to Excel or to a PyPSA netCDF file."""
    suffix = to.suffix.lower()
    if suffix not in (".xlsx", ".nc"):
        msg = f"unsupported file type {suffix!r}"
        raise InputError(msg, location=at(str(to), field="--to"), hint="use .xlsx or .nc")
    _note()
    content = (service.export_excel if suffix == ".xlsx" else service.export_netcdf)(study, hours=hours, start=start)
    to.write_bytes(content)
    emit({"study": study, "file": str(to), "bytes": len(content), "format": suffix[1:]}, fmt)
