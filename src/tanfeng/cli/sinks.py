"""``tanfeng sinks``: forest and grassland carbon sinks (IPCC 2006 Vol. 4) of the region and its leagues."""

from __future__ import annotations

import typer

from tanfeng.cli.output import FORMAT_OPTION, OutputFormat, emit, to_json
from tanfeng.services import sinks as service

app = typer.Typer(help="Forest and grassland carbon sinks of the region and its leagues.", no_args_is_help=True)


@app.command("account")
def account_cmd(region: str = typer.Option("150000", "--region", "-r", help="150000 or a league code."),
                year: int = typer.Option(..., "--year", "-y", help="The year."),
                fmt: OutputFormat = FORMAT_OPTION) -> None:
    """tCO2 removed by forests (stock difference) and new grassland in a year, with uncertainty and sources."""
    result = service.account(region, year)
    if fmt is OutputFormat.json:
        typer.echo(to_json(result.model_dump(mode="json")))
        return
    emit(result.model_dump(exclude={"sources"}), fmt)
    if fmt is OutputFormat.table:
        for s in result.sources:
            typer.echo(f"source: {s}")


@app.command("leagues")
def leagues_cmd(year: int = typer.Option(..., "--year", "-y"), fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Every league's sink in a year (league shares are illustrative, 示例数据)."""
    rows = [a.model_dump(exclude={"sources"}) for a in service.league_accounts(year)]
    emit(rows, fmt, columns=["region", "year", "forest_tco2", "grassland_tco2", "total_tco2", "uncertainty_pct"],
         title=f"sinks {year} (示例数据 league shares)")
