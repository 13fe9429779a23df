"""``tanfeng report``: Reports: the dispatch report (调度报告) as PDF, Excel or Markdown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from tanfeng.config import get_settings
from tanfeng.reports import render
from tanfeng.services import tracking as tracking_service
from tanfeng.store import check_schema, make_engine, make_session_factory

__all__ = [
    "app",
    "dispatch",
]


app = typer.Typer(help="Reports: the dispatch report (调度报告) as PDF, Excel or Markdown.", no_args_is_help=True)

_OUT: Any = typer.Option(..., "--out", "-o", help="Output file: .pdf, .xlsx or .md (the suffix chooses the format).")


@app.command()
def dispatch(
    period: str = typer.Option(..., "--period", "-p", help="Period: 2025, 2025Q3 or 2025-09."),
    out: Path = _OUT,
) -> None:
    """The dispatch report of a period: warnings, off-track targets, league map, missing reports."""
    engine = make_engine(get_settings().database_url)
    try:
        check_schema(engine)
        with make_session_factory(engine)() as session:
            report = tracking_service.build_dispatch_report(session, period)
    finally:
        engine.dispose()
    path = render(report, out)
    counts = report.counts[0].levels if report.counts else report.level_counts()
    typer.echo(f"wrote {path}: {report.heading}; leagues at 一级 {counts[1]}, 二级 {counts[2]}, 三级 {counts[3]} "
               f"(energy intensity); "
               f"{len(report.off_track)} off-track target chart(s); {len(report.missing_reports)} missing report(s)"
               + ("; 示例数据 (sample data)" if report.sample else ""))
