"""``tanfeng units``: Key energy-consuming units (重点用能单位): registry and annual reports."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from sqlalchemy.orm import Session

from tanfeng.cli.hints import hint_on
from tanfeng.cli.output import FORMAT_OPTION, OutputFormat, emit
from tanfeng.cli.session import store_session
from tanfeng.config import Settings, get_settings
from tanfeng.errors import NotFoundError
from tanfeng.services import key_units as service

__all__ = ["UNIT_COLUMNS", "app", "store"]

app = typer.Typer(help="Key energy-consuming units (重点用能单位): registry and annual reports.", no_args_is_help=True)

UNIT_COLUMNS = ["code", "name", "league", "county", "industry", "level_zh", "meters", "sample"]
_ACTOR: str = typer.Option("cli", "--actor", help="Who the audit log names.")
_LIST_HINT = "`tanfeng units list` shows the registered units"


@contextmanager
def store() -> Iterator[tuple[Session, Settings]]:
    """A session on the migrated store and the settings."""
    with store_session() as session:
        yield session, get_settings()


@app.command("list")
def list_cmd(
    league: str | None = typer.Option(None, "--league", help="League code (GB/T 2260), e.g. 150200."),
    county: str | None = typer.Option(None, "--county", help="County code (GB/T 2260)."),
    industry: str | None = typer.Option(None, "--industry", help="GB/T 4754 industry code or prefix, e.g. C30."),
    level: str | None = typer.Option(None, "--level", help="national, autonomous_region or league."),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """List the registered units (示例数据 rows are marked sample)."""
    with store() as (session, _):
        rows = service.list_units(session, league=league, county=county, industry=industry, level=level)
    data = [r.model_dump(mode="json") for r in rows]
    title = "key energy-consuming units" + (f" — {service.SAMPLE_NOTICE}" if any(r.sample for r in rows) else "")
    emit(data, fmt, columns=UNIT_COLUMNS, title=title)


@app.command("show")
def show_cmd(code: str = typer.Argument(..., help="Unified social credit code."),
             fmt: OutputFormat = FORMAT_OPTION) -> None:
    """One unit with its facilities and meters."""
    with store() as (session, _), hint_on(NotFoundError, _LIST_HINT):
        unit = service.get_unit(session, code)
    if fmt is OutputFormat.json:
        emit(unit.model_dump(mode="json"), fmt)
        return
    head = unit.model_dump(mode="json", exclude={"meter_list", "facilities", "contacts"})
    emit(head, fmt)
    emit([m.model_dump(mode="json") for m in unit.meter_list], fmt,
         columns=["meter_id", "product", "unit", "kind", "multiplier", "rollover_max"], title="meters")


@app.command("load-sample")
def load_sample_cmd(
    n_units: int = typer.Option(20, "--units", min=1, max=1500, help="How many sample units."),
    days: int = typer.Option(1, "--days", min=1, max=366, help="Days of 15-minute readings."),
    actor: str = _ACTOR,
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Load the deterministic sample population (示例数据) at a small scale; loading twice adds nothing."""
    with store() as (session, settings):
        res = service.load_sample(session, settings, units=n_units, days=days, actor=actor)
    emit(res.model_dump(mode="json"), fmt)


@app.command("assess")
def assess_cmd(code: str = typer.Argument(..., help="Unified social credit code."),
               year: int = typer.Option(..., "--year"), store_result: bool = typer.Option(
                   False, "--store", help="Keep the result (audited)."),
               actor: str = _ACTOR, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """The unit's yearly responsibility score with the reason of each criterion."""
    with store() as (session, settings), hint_on(NotFoundError, _LIST_HINT):
        res = service.assess(session, settings, code, year=year, actor=actor if store_result else None)
    if fmt is OutputFormat.json:
        emit(res.model_dump(mode="json"), fmt)
        return
    emit(res.criteria, fmt, columns=["criterion", "label_zh", "weight", "met", "points", "reason"],
         title=f"{code} {year}: {res.score:g} ({res.grade})" + (f" — {res.notice}" if res.notice else ""))
