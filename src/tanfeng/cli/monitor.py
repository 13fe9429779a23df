"""``tanfeng monitor``: Online metering: ingest readings, aggregate, data quality."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import typer

from tanfeng.cli.output import FORMAT_OPTION, OutputFormat, emit
from tanfeng.cli.units import store
from tanfeng.errors import InputError
from tanfeng.services import metering as service

__all__ = ["app"]

app = typer.Typer(help="Online metering: ingest readings, aggregate, data quality.", no_args_is_help=True)

_FILE: Path = typer.Argument(..., exists=True, dir_okay=False, help="A batch: .json, .csv or .parquet.")
_FROM: datetime | None = typer.Option(None, "--from", formats=["%Y-%m-%d"], help="First local day (YYYY-MM-DD).")
_TO: datetime | None = typer.Option(None, "--to", formats=["%Y-%m-%d"], help="Last local day (YYYY-MM-DD).")
_UNIT: str | None = typer.Option(None, "--unit", help="One unit's meters only (its credit code).")


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


@app.command("ingest")
def ingest_cmd(
    file: Path = _FILE,
    actor: str = typer.Option("cli", "--actor", help="Who the audit log names."),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Ingest one batch of readings (meter_id, ts, value, kind); a bad line refuses the whole file.

    Once the batch is stored, its quality flags and rollups are derived before the command ends."""
    kind = service.format_for(None, file.name) if file.suffix.lower() in (".json", ".csv", ".parquet") else None
    if kind is None:
        msg = f"'{file.name}': the batch format comes from the suffix: .json, .csv or .parquet"
        raise InputError(msg)
    with store() as (session, settings):
        res = service.ingest(session, settings, file.read_bytes(), kind, source=file.name, actor=actor)
        service.catch_up(session, settings)
    emit(res.model_dump(mode="json"), fmt)


@app.command("aggregate")
def aggregate_cmd(
    period: str = typer.Option("day", "--period", help="hour, day or month."),
    by: str = typer.Option("unit", "--by", help="meter, unit, league or industry."),
    first: datetime | None = _FROM,
    last: datetime | None = _TO,
    unit: str | None = _UNIT,
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Energy (tce) and CO2 (t) of valid readings per period and group (from the rollups kept at ingest)."""
    with store() as (session, settings):
        rows = service.aggregate(session, settings, period=period, by=by,  # type: ignore[arg-type]
                                 first_day=_day(first), last_day=_day(last), unit=unit)
    sample = any(r["sample"] for r in rows)
    emit(service.as_rows(rows), fmt, columns=["period", by, "energy_tce", "tco2", "sample"],
         title=f"energy and CO2 per {period} and {by}" + (f" — {service.SAMPLE_NOTICE}" if sample else ""))


@app.command("quality")
def quality_cmd(first: datetime | None = _FROM, last: datetime | None = _TO, unit: str | None = _UNIT,
                fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Quality flags per meter and daily completeness per unit (flags counted once, at ingest)."""
    with store() as (session, settings):
        rep = service.quality(session, settings, first_day=_day(first), last_day=_day(last), unit=unit)
    if fmt is OutputFormat.json:
        emit(rep.model_dump(mode="json"), fmt)
        return
    note = f" — {rep.notice}" if rep.notice else ""
    emit(service.as_rows(rep.completeness), fmt,
         columns=["unit_code", "day", "valid_intervals", "expected_intervals", "completeness", "meets_threshold"],
         title=f"completeness per unit and day (rule ≥ {rep.threshold:.0%}){note}")
    emit(rep.flagged_meters(), fmt, columns=["meter_id", "unit_code", "readings", "valid", "q_gap_before", "q_negative", "q_spike",
                                "q_stuck", "q_reset", "q_rollover", "q_duplicate", "q_conflict", "q_unknown_meter"],
         title="meters with flagged readings")


@app.command("batches")
def batches_cmd(limit: int = typer.Option(50, "--limit", min=1), fmt: OutputFormat = FORMAT_OPTION) -> None:
    """The ledger of accepted batches, newest first."""
    with store() as (session, _):
        rows = service.list_batches(session, limit=limit)
    emit([r.model_dump(mode="json") for r in rows], fmt,
         columns=["batch_id", "source", "rows", "meters", "accepted_at", "actor", "sample"])


@app.command("rebuild")
def rebuild_cmd(fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Flag every stored reading again and rewrite the flags and rollups (after a change of the meter table)."""
    with store() as (session, settings):
        res = service.rebuild(session, settings)
    emit({"units": res.units, "tiles": res.tiles, "readings": res.flagged_rows}, fmt)


@app.command("cleanup")
def cleanup_cmd(fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Delete reading files left by a crash (no committed batch names them; older than 10 minutes)."""
    with store() as (session, settings):
        n = service.cleanup_orphans(session, settings.data_dir)
    emit({"removed": n}, fmt)
