"""``tanfeng sinks``: forest and grassland carbon sinks (IPCC 2006 Vol. 4) of the region and its leagues."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import typer

from tanfeng.cli.output import FORMAT_OPTION, OutputFormat, emit, to_json
from tanfeng.cli.session import store_session
from tanfeng.services import sinks as service
from tanfeng.services.registry import Actor

__all__ = ["PROJECT_COLUMNS", "app"]

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


@app.command("net")
def net_cmd(region: str = typer.Option("150000", "--region", "-r", help="150000 or a league code."),
            fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Gross emissions (CEADs), the sink and net emissions (MtCO2) for every year both are known."""
    rows = [r.model_dump() for r in service.net_beside_inventory(region)]
    emit(rows, fmt, columns=["year", "gross_mtco2", "sink_mtco2", "net_mtco2", "sink_share_pct",
                             "sink_uncertainty_pct", "gross_source"], title=f"net emissions {region} (MtCO2)")
    if fmt is OutputFormat.table:
        typer.echo(service.NET_NOTE)


_ACTOR: Any = typer.Option("cli", "--actor", help="Who took the step (the audit log names them).")
_DOC: Any = typer.Option(..., "--document", "-d", help="The step's document (PDD, monitoring or verification "
                         "report, issuance notice).")
PROJECT_COLUMNS = ["project_id", "name", "region", "area_ha", "state", "credited_tco2e", "credit_account"]


def _project(p: service.ProjectOut, fmt: OutputFormat) -> None:
    if fmt is OutputFormat.json:
        typer.echo(to_json(p.model_dump(mode="json")))
        return
    emit([p.model_dump(mode="json")], fmt, columns=PROJECT_COLUMNS)
    emit([s.model_dump(mode="json") for s in p.steps], fmt, columns=["step", "state", "document", "actor", "at",
                                                                     "tco2e", "tx_id"])


@app.command("projects")
def projects_cmd(region: str | None = typer.Option(None, "--region", "-r"), fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Forestry carbon projects with their state and credits."""
    with store_session() as session:
        rows = service.list_projects(session, region=region)
    emit([r.model_dump(mode="json", exclude={"steps"}) for r in rows], fmt, columns=PROJECT_COLUMNS)


@app.command("register")
def register_cmd(project_id: str = typer.Argument(...), name: str = typer.Option(..., "--name"),
                 region: str = typer.Option(..., "--region", help="The league (or region) code."),
                 area_ha: float = typer.Option(..., "--area-ha"),
                 credit_account: str = typer.Option(..., "--credit-account", help="The CCER account credits go to."),
                 document: str = _DOC, actor: str = _ACTOR, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Register a forestry carbon project with its PDD."""
    with store_session() as session:
        p = service.register_project(session, project_id=project_id, name=name, region=region, area_ha=area_ha,
                                     credit_account=credit_account, document=document, actor=Actor(name=actor),
                                     when=datetime.now(UTC))
    _project(p, fmt)


@app.command("advance")
def advance_cmd(project_id: str = typer.Argument(...),
                to: str = typer.Argument(..., help="monitored, verified or credited."),
                tco2e: int | None = typer.Option(None, "--tco2e", help="Verified tCO2e (for verified)."),
                document: str = _DOC, actor: str = _ACTOR, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Take a project's next step; crediting issues the verified tCO2e as CCER into its credit account."""
    if to not in ("monitored", "verified", "credited"):
        from tanfeng.errors import InputError, at

        msg = f"a step is monitored, verified or credited, got {to!r}"
        raise InputError(msg, location=at(field="to"))
    with store_session() as session:
        p = service.advance_project(session, project_id=project_id, to=to, document=document,  # type: ignore[arg-type]
                                    actor=Actor(name=actor), tco2e=tco2e)
    _project(p, fmt)
