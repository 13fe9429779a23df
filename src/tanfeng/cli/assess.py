"""``tanfeng assess``: the comprehensive assessment of the leagues (盟市综合考核)."""

from __future__ import annotations

from pathlib import Path

import typer

from tanfeng.cli.output import FORMAT_OPTION, OutputFormat, emit
from tanfeng.cli.units import store
from tanfeng.services import assessment as service

__all__ = ["app", "history_cmd", "leagues_cmd"]

app = typer.Typer(help="Comprehensive assessment of the leagues (盟市综合考核).", no_args_is_help=True)


_RULES: Path | None = typer.Option(None, "--rules", exists=True, dir_okay=False, help="A copy of the rules file to use.")


@app.command("leagues")
def leagues_cmd(year: int = typer.Option(..., "--year", min=2000, max=2100),
                store_result: bool = typer.Option(False, "--store", help="Keep the results (versioned, audited)."),
                rules: Path | None = _RULES,
                actor: str = typer.Option("cli", "--actor", help="Who the audit log names."),
                fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Score, rank and judge the 12 leagues for a year; every point with its reason."""
    with store() as (session, _):
        res = service.assess_leagues(session, year=year, actor=actor if store_result else None, rules_path=rules)
    if fmt is OutputFormat.json:
        emit([r.model_dump(mode="json", include={"league", "score", "rank", "result", "points"}) for r in res], fmt)
        return
    notice = " — 示例数据" if any(r.sample for r in res) else ""
    emit([{"rank": r.rank, "league": r.league, "name": r.name, "score": r.score, "result": r.result} for r in res],
         fmt, title=f"盟市综合考核 {year}{notice}")


@app.command("history")
def history_cmd(league: str | None = typer.Option(None, "--league"), fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Stored results year over year."""
    with store() as (session, _):
        rows = service.history(session, league=league)
    emit([r.model_dump(mode="json") for r in rows], fmt)
