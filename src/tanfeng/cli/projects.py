"""``tanfeng projects``: the project 清单, 节能审查, the 两高 list and 减量替代."""

from __future__ import annotations

from pathlib import Path

import typer

from tanfeng.cli.output import FORMAT_OPTION, OutputFormat, emit
from tanfeng.cli.units import store
from tanfeng.services import projects as service

__all__ = ["PROJECT_COLUMNS", "app", "claim_cmd", "export_cmd", "import_cmd", "list_cmd", "list_two_high_cmd",
           "review_cmd", "withdrawals_cmd"]

app = typer.Typer(help="Fixed-asset investment projects: 清单, 节能审查, 两高 list, 减量替代.", no_args_is_help=True)

PROJECT_COLUMNS = ["code", "name", "league", "county", "industry", "stage", "two_high_label", "energy_equal_tce",
                   "energy_equiv_tce", "version", "sample"]
_ACTOR: str = typer.Option("cli", "--actor", help="Who the audit log names.")
_IN: Path = typer.Argument(..., exists=True, dir_okay=False, help="The Excel 清单 (.xlsx).")
_OUT: Path = typer.Argument(..., dir_okay=False, help="Where to write the .xlsx.")


def _level(text: str) -> service.ReviewerLevel:
    if text not in ("region", "league", "county"):
        msg = f"reviewer level '{text}' is not region, league or county"
        raise typer.BadParameter(msg)
    return text  # type: ignore[return-value]


@app.command("import")
def import_cmd(path: Path = _IN, actor: str = _ACTOR, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Import the Excel 清单 whole (a bad row refuses the file, naming row and column)."""
    with store() as (session, _):
        res = service.import_workbook(session, path.read_bytes(), filename=path.name, actor=actor)
    emit(res.model_dump(mode="json"), fmt)


@app.command("list")
def list_cmd(
    league: str | None = typer.Option(None, "--league", help="League code (GB/T 2260), e.g. 150600."),
    stage: str | None = typer.Option(None, "--stage", help="拟建, 在建, 已建 or 存量."),
    two_high: bool = typer.Option(False, "--two-high", help="Only 两高 projects."),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """The current project list (示例数据 rows are marked sample)."""
    with store() as (session, _):
        rows = service.list_projects(session, league=league, stage=stage, two_high=True if two_high else None)
    title = "projects" + (f" — {service.SAMPLE_NOTICE}" if any(r.sample for r in rows) else "")
    emit([r.model_dump(mode="json") for r in rows], fmt, columns=PROJECT_COLUMNS, title=title)


@app.command("export")
def export_cmd(path: Path = _OUT,
               league: str | None = typer.Option(None, "--league"),
               fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Write the current 清单 as the Excel layout the import reads."""
    with store() as (session, _):
        rows = service.list_projects(session, league=league)
    path.write_bytes(service.export_workbook(rows))
    emit({"path": str(path), "projects": len(rows)}, fmt)


@app.command("review")
def review_cmd(code: str = typer.Argument(..., help="Project code."),
               year: int | None = typer.Option(None, "--year", help="Year of the league figures (default: latest)."),
               store_result: bool = typer.Option(False, "--store", help="Keep the review (audited)."),
               level: str = typer.Option("region", "--reviewer-level", help="region, league or county."),
               actor: str = _ACTOR, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """节能审查 of a project: level, impact class, m and n, CO2, efficiency, suspension."""
    with store() as (session, _):
        if store_result:
            res = service.record_review(session, code, actor=actor, reviewer_level=_level(level), year=year)
        else:
            res = service.review_project(session, code, year=year)[0]
    if fmt is not OutputFormat.table:
        emit(res.summary(), fmt)
        return
    emit(res.summary() | {"rules": [r.id for r in res.rules]}, fmt)
    emit([{"reason": r} for r in res.reasons], fmt, title="reasoning")


@app.command("list-two-high")
def list_two_high_cmd(league: str | None = typer.Option(None, "--league"),
                      stage: str | None = typer.Option(None, "--stage"),
                      fmt: OutputFormat = FORMAT_OPTION) -> None:
    """The 两高 list with 能效排查, 减量替代 coverage and the pre-approval of planned projects."""
    with store() as (session, _):
        rows = service.list_two_high(session, league=league, stage=stage)
    if fmt is OutputFormat.json:
        emit([r.model_dump(mode="json") for r in rows], fmt)
        return
    emit(service.two_high_rows(rows), fmt, columns=service.TWO_HIGH_COLUMNS, title="两高项目清单")


@app.command("claim")
def claim_cmd(withdrawal: str = typer.Argument(..., help="Withdrawal id."),
              project: str = typer.Argument(..., help="Project code."),
              actor: str = _ACTOR, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Let a withdrawal (减量替代 source) back a project; a withdrawal backs one project only."""
    with store() as (session, _):
        res = service.claim(session, withdrawal_id=withdrawal, project_code=project, actor=actor)
    emit(res.model_dump(mode="json"), fmt)


@app.command("withdrawals")
def withdrawals_cmd(league: str | None = typer.Option(None, "--league"), fmt: OutputFormat = FORMAT_OPTION) -> None:
    """The 减量替代 ledger: withdrawals and the project each backs."""
    with store() as (session, _):
        rows = service.list_withdrawals(session, league=league)
    emit([r.model_dump(mode="json") for r in rows], fmt,
         columns=["id", "league", "description", "energy_tce", "withdrawn_on", "claimed_by_project", "sample"])
