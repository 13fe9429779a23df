"""``tanfeng scenario``: the peak path — scenarios, peak year and value with uncertainty, wedges (梯次有序碳达峰)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from tanfeng.cli.output import FORMAT_OPTION, OutputFormat, emit
from tanfeng.cli.session import store_session
from tanfeng.errors import InputError, at
from tanfeng.services import scenarios as service

__all__ = ["app"]

app = typer.Typer(help="The peak path: scenarios, peak year and value with uncertainty, wedges (碳达峰路径).",
                  no_args_is_help=True)

_DRAWS: int = typer.Option(service.DEFAULT_DRAWS, "--draws", help="Monte Carlo draws (10–20000).")
_SEED: int = typer.Option(service.DEFAULT_SEED, "--seed", help="Seed of the draws (same seed, same figures).")
_VIEW: str | None = typer.Option(None, "--view", help="Electricity accounting: production or consumption "
                                 "(default: the scenario's own).")
_ACTOR: str = typer.Option("cli", "--actor", help="Who the audit log names.")
_OUT: Path = typer.Option(..., "--out", help="File to write.")
_FILE: Path = typer.Argument(..., help="Scenario YAML file.")


def _view(view: str | None) -> Any:
    if view not in (None, "production", "consumption"):
        msg = f"unknown view '{view}'"
        raise InputError(msg, location=at(field="--view"), hint="production or consumption")
    return view


@app.command("list")
def list_cmd(fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Every scenario: name, parent, description."""
    with store_session() as session:
        emit(service.list_scenarios(session), fmt, columns=["name", "parent", "description"], title="情景")


@app.command("show")
def show(name: str = typer.Argument(..., help="Scenario name, e.g. plan."), fmt: OutputFormat = FORMAT_OPTION) -> None:
    """A scenario with its inheritance applied: drivers and levers with the plan targets they stand for."""
    with store_session() as session:
        data = service.show_scenario(session, name)
    if fmt is OutputFormat.json:
        emit(data, fmt)
    else:
        emit(data["levers"], fmt, columns=["id", "name_zh", "kind", "sector", "target", "target_value",
                                           "target_unit", "target_year", "certainty"],
             title=f"{data['title_zh']} ({data['name']}, 电力核算: {data['electricity_accounting']})")


@app.command("run")
def run(name: str = typer.Argument(..., help="Scenario name."), draws: int = _DRAWS, seed: int = _SEED,
        view: str | None = _VIEW, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Peak year, peak value and P(peak ≤ 2030) for Inner Mongolia and each league, with the path and its band."""
    with store_session() as session:
        data = service.run_scenario(session, name, draws=draws, seed=seed, view=_view(view))
    if fmt is OutputFormat.json:
        emit(data, fmt)
        return
    rows = [{k: r[k] for k in ("region", "peak_year", "peak_value_mtco2", "p_peak_by_2030", "base_year_mtco2")}
            for r in data["regions"]]
    emit(rows, fmt, title=f"{data['scenario']}: 电力核算 {data['electricity_accounting']}, MtCO2, "
         f"{data['draws']} draws (seed {data['seed']})")


@app.command("compare")
def compare(first: str = typer.Argument(..., help="First scenario."),
            second: str = typer.Argument(..., help="Second scenario."), draws: int = _DRAWS, seed: int = _SEED,
            view: str | None = _VIEW, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Two scenarios side by side, and the wedges of their levers against BAU."""
    with store_session() as session:
        data = service.compare_scenarios(session, first, second, draws=draws, seed=seed, view=_view(view))
    if fmt is OutputFormat.json:
        emit(data, fmt)
        return
    emit(data["wedges"], fmt, columns=["lever", "mtco2_2030", "mtco2_2060"],
         title=f"{first} vs {second}: wedges against BAU (MtCO2, 电力核算 {data['electricity_accounting']})")


@app.command("export")
def export(name: str = typer.Argument(..., help="Scenario name."),
           to: str = typer.Option("iamc", "--to", help="iamc (CSV, long format) or xlsx."),
           out: Path = _OUT, draws: int = _DRAWS, seed: int = _SEED,
           view: str | None = _VIEW, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Write a run in IAMC long format (model, scenario, region, variable, unit, year, value) or to Excel."""
    with store_session() as session:
        detail = service.run_detail(session, name, draws=draws, seed=seed, view=_view(view))
    emit(service.write_export(detail, to=to, out=out), fmt)


@app.command("save")
def save(file: Path = _FILE, actor: str = _ACTOR,
         fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Check a scenario file and store it as the next version of its name (audited); a bad file stores nothing."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"cannot read the file: {exc}"
        raise InputError(msg, location=at(file), hint="give a UTF-8 YAML file") from exc
    with store_session() as session:
        emit(service.save_scenario(session, text, file=str(file), actor=actor), fmt)


@app.command("calibration")
def calibration(fmt: OutputFormat = FORMAT_OPTION) -> None:
    """The base year against CEADs (residual per sector) and the 2015 backcast from 2019 with its error."""
    data = service.calibration_report()
    if fmt is OutputFormat.json:
        emit(data, fmt)
        return
    emit(data["backcast"]["sectors"], fmt, title=f"2015 backcast from {data['base_year']} (MtCO2) vs CEADs 2015")


@app.command("history")
def history(name: str = typer.Argument(..., help="Scenario name."), fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Every stored version of a scenario: who stored it, when, and when it was superseded."""
    with store_session() as session:
        emit(service.scenario_versions(session, name), fmt,
             columns=["version", "parent", "builtin", "entered_by", "entered_at", "superseded_at"])
