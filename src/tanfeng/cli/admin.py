"""``tanfeng init`` and ``tanfeng regions``: set up the store, list the region catalogue.

Typer-compatible functions; the root command registers them (``app.command()(admin.init)``).
"""

from __future__ import annotations

from typing import Any

import typer

from tanfeng.cli.output import FORMAT_OPTION, OutputFormat, emit
from tanfeng.cli.session import store_session
from tanfeng.config import get_settings
from tanfeng.errors import InputError
from tanfeng.reference.regions import LEVELS
from tanfeng.services import bootstrap
from tanfeng.services import regions as region_service

__all__ = ["REGION_COLUMNS", "init", "regions"]

REGION_COLUMNS = ["code", "name_zh", "name_en", "level", "parent", "type", "legacy_codes", "certainty"]
"""Columns of ``tanfeng regions`` as a table or CSV (JSON also has ``source``)."""

_LEVEL_OPTION: Any = typer.Option(None, "--level", "-l", help="Only this level: nation, province, league or county.")
_PARENT_OPTION: Any = typer.Option(None, "--parent", "-p", help="Only the children of this code, e.g. 150000.")


def init(fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Create or migrate the database and load the regions, statistics and built-in plans (idempotent)."""
    report = bootstrap.init(get_settings())
    if fmt is OutputFormat.json:
        emit(report.model_dump(mode="json"), fmt)
        return
    lines = [
        f"database: {report.database}",
        f"migrations: {report.migrated_from or '(empty database)'} → {report.migrated_to}",
        f"regions: {report.regions_inserted} added, {report.regions_updated} updated, "
        f"{report.regions_unchanged} unchanged",
        f"statistics: {report.statistics_written} rows written, {report.statistics_unchanged} unchanged",
        f"series: {report.series} ({'written' if report.series_written else 'unchanged'})",
    ]
    for p in report.plans:
        state = f"version {p.version}" + ("" if p.changed else ", unchanged")
        lines.append(f"plan {p.id}: {p.title} — {p.targets} targets ({state})")
    lines.extend(f"notice: {n}" for n in report.notices)
    lines.append("done: everything was already in place; nothing changed" if not report.changed else "done")
    typer.echo("\n".join(lines))


def regions(level: str | None = _LEVEL_OPTION, parent: str | None = _PARENT_OPTION,
            fmt: OutputFormat = FORMAT_OPTION) -> None:
    """List regions (GB/T 2260 codes) from the store; a legacy parent code resolves to the current one."""
    if level is not None and level not in LEVELS:
        msg = f"level '{level}' is not one of {', '.join(LEVELS)}"
        raise InputError(msg, hint="use --level league to list the 12 leagues of Inner Mongolia")
    with store_session() as session:
        rows = region_service.list_regions(session, level=level, parent=parent)
    data = [r.model_dump(mode="json") for r in rows]
    emit(data, fmt, columns=REGION_COLUMNS, title="regions (GB/T 2260)")
