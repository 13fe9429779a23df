"""``/api/tracking``: Dual control, target tracking, early warning, dispatch periods and reports.

Reads of published aggregates (status, warnings, analyses, the target board, indicator values) are public.
Writes (opening a dispatch period, submitting an entry) need a logged-in user or an API token and pass the
permission matrix (:mod:`tanfeng.access`); the service then checks that the entry is for a unit the user
belongs to. Routes only translate HTTP to service calls and format downloads; they compute nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from tanfeng.access import Action, Resource, ResourceKind, Role, require
from tanfeng.errors import InputError
from tanfeng.reference.regions import get_region
from tanfeng.services import tracking as service
from tanfeng.web.deps import CurrentPrincipal, LangDep, LoggedIn, SessionDep, client_address
from tanfeng.web.downloads import column_titles, csv_response, export_notes, xlsx_response
from tanfeng.web.i18n import Lang, gettext, pgettext, translate_message, translator

__all__ = [
    "BOARD_COLUMNS",
    "BOARD_HEADERS",
    "INDICATOR_COLUMNS",
    "INDICATOR_HEADERS",
    "WARNING_COLUMNS",
    "WARNING_HEADERS",
    "EntryIn",
    "PeriodIn",
    "PeriodPath",
    "PlanQ",
    "RegionQ",
    "ValueIn",
    "close_period",
    "decoupling",
    "enter_value",
    "entry_history",
    "forecast",
    "indicators",
    "indicators_csv",
    "indicators_xlsx",
    "list_periods",
    "missing",
    "open_period",
    "peak",
    "period_summary",
    "router",
    "status",
    "submit_entry",
    "targets_board",
    "targets_board_csv",
    "targets_board_xlsx",
    "warnings",
    "warnings_csv",
    "warnings_xlsx",
]


router = APIRouter(prefix="/api/tracking", tags=["tracking"])

_CODE = r"^\d{6}$"
_PERIOD = r"^\d{4}(?:Q[1-4]|-(?:0[1-9]|1[0-2]))?$"
RegionQ = Annotated[str, Query(pattern=_CODE, description="Region or league code (GB/T 2260), e.g. 150000")]
PeriodPath = Annotated[str, Path(pattern=_PERIOD, description="Dispatch period: 2025, 2025Q3 or 2025-09")]

INDICATOR_COLUMNS = ["region", "region_name", "indicator", "indicator_name", "period", "value", "unit", "source",
                     "certainty", "sample", "version", "entered_by", "origin"]
INDICATOR_HEADERS = ("region code", "region", "indicator code", "indicator", "period", "value", "unit", "source",
                     "certainty", "sample data", "version", "entered by", "origin")
WARNING_COLUMNS = ["region", "region_name", "period", "dimension", "level", "label", "colour", "value_pct",
                   "reference_pct", "unit", "rule", "inferred", "consequences", "sample", "source"]
WARNING_HEADERS = ("region code", "region", "period", "warning indicator", "level", "level name", "colour", "change",
                   "reference", "unit", "rule", "inferred", "consequences", "sample data", "source")
BOARD_COLUMNS = ["target_id", "indicator", "action", "scope", "scope_name", "target_year", "target", "target_unit",
                 "year", "actual", "unit", "required", "progress_ratio", "required_ratio", "gap", "years_left",
                 "status", "status_rule", "series", "sample", "source", "plan_id"]
BOARD_HEADERS = ("target id", "indicator", "plan action", "region code", "region", "target year", "target",
                 "target unit", "year of actual", "actual", "unit", "required value", "progress", "required progress",
                 "gap", "years left", "status", "status rule", "series", "sample data", "source", "plan")
"""The exports' column titles: msgids of the catalogue's context ``export`` (English as written; Chinese in
``messages.po``), one per column; :func:`tanfeng.web.downloads.column_titles` writes them for a language."""


def _region_label(code: str | None) -> str | None:
    """A region code as an export's filter line shows it: 包头市 (150200)."""
    if not code:
        return None
    name = service.region_name(code)
    return code if name == code else f"{name} ({code})"


def _export(fmt: Literal["csv", "xlsx"], rows: list[dict[str, object]], columns: list[str], headers: list[str],
            name: str, sheet: str, notes: list[str]) -> Response:
    if fmt == "csv":
        return csv_response(rows, columns, f"{name}.csv", headers=headers, notes=notes)
    return xlsx_response(rows, columns, f"{name}.xlsx", sheet=sheet, headers=headers, notes=notes)


def _for_reader(rows: list[dict[str, object]], lang: Lang) -> list[dict[str, object]]:
    """The sample column (示例数据 / sample data), the sample's source and the rules written for ``lang``; a source
    someone typed or a statistic's stays as written."""
    label = translator(lang)["sample_data"]
    out = []
    for r in rows:
        row = {**r, "sample": label if r.get("sample") else ""}
        for k in ("source", "rule", "status_rule") if r.get("sample") else ("rule", "status_rule"):
            if isinstance(row.get(k), str) and row[k]:
                row[k] = translate_message(lang, str(row[k]))
        out.append(row)
    return out


# --------------------------------------------------------------------------------------------------- reads

@router.get("/status", response_model=list[service.RegionStatus])
def status(session: SessionDep, region: Annotated[str | None, Query(pattern=_CODE)] = None,
           year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> Response:
    """The region and its leagues (or one): totals, intensities (2020 prices), shares, rules applied, targets."""
    return Response(service.status_json(session, region=region, year=year), media_type="application/json")


@router.get("/warnings", response_model=list[service.LeagueWarnings])
def warnings(session: SessionDep, period: Annotated[str, Query(pattern=_PERIOD)]) -> Response:
    """NDRC barometer levels (发改办环资〔2021〕629号) per league: intensity, total (inferred), carbon (by analogy).

    Every year from 2000 to the plan's last target year answers, each region with its ``notes``: a year before the
    barometer's first year (the plan's base year) or without data has no levels, and the notes say why; a period
    of another form, or a year outside that span, is 422 naming ``period``."""
    return Response(service.warnings_json(session, period=period), media_type="application/json")


def _warnings_export(fmt: Literal["csv", "xlsx"], session: SessionDep, lang: Lang, period: str) -> Response:
    t = translator(lang)
    dims = {"energy_intensity": pgettext(lang, "export", "energy intensity, year on year"),
            "energy_total": pgettext(lang, "export", "total energy consumption growth (inferred rule)"),
            "carbon_intensity": pgettext(lang, "export", "carbon intensity, year on year (by analogy)")}
    rows = [{**r, "dimension": dims.get(str(r["dimension"]), r["dimension"]), "label": t[f"level_{r['level']}"]}
            for r in service.warning_rows(service.warnings(session, period=period))]
    rows = _for_reader(rows, lang)
    notes = export_notes(lang, pgettext(lang, "export", "Warning levels of the region and its leagues (629号)"),
                         [(pgettext(lang, "export", "period"), period)], len(rows))
    start, year = service.barometer_start(session), service.parse_period(period)
    if year < start:  # no levels: the file says why
        notes.append(gettext(lang, "The barometer starts with the base year of the plan, %(start)s: %(year)s has "
                                   "figures but no warning levels.") % {"start": start, "year": year})
    return _export(fmt, rows, WARNING_COLUMNS, column_titles(lang, "export", WARNING_HEADERS), f"warnings-{period}",
                   pgettext(lang, "export", "warnings"), notes)


@router.get("/warnings.csv", response_class=Response)
def warnings_csv(session: SessionDep, lang: LangDep, period: Annotated[str, Query(pattern=_PERIOD)]) -> Response:
    """The barometer levels as CSV, with the period and the export time in its first lines (``?lang=en``: in
    English)."""
    return _warnings_export("csv", session, lang, period)


@router.get("/warnings.xlsx", response_class=Response)
def warnings_xlsx(session: SessionDep, lang: LangDep, period: Annotated[str, Query(pattern=_PERIOD)]) -> Response:
    """The barometer levels as Excel, with the period and the export time on the sheet 导出说明."""
    return _warnings_export("xlsx", session, lang, period)


@router.get("/decoupling", response_model=service.DecouplingOut)
def decoupling(session: SessionDep, region: RegionQ, start: Annotated[int, Query(ge=2000, le=2100)],
               end: Annotated[int, Query(ge=2000, le=2100)],
               indicator: Literal["co2_emissions", "energy_consumption"] = "co2_emissions",
               boundary: Literal["closed", "open"] = "closed") -> service.DecouplingOut:
    """Tapio decoupling of CO2 (or energy) from real GDP between two years."""
    return service.decoupling(session, region, start, end, indicator=indicator, boundary=boundary)


@router.get("/peak", response_model=service.PeakOut)
def peak(session: SessionDep, region: RegionQ,
         indicator: Literal["co2_emissions", "energy_consumption"] = "co2_emissions") -> service.PeakOut:
    """Whether CO2 (or energy) has peaked, by the plateau rule (k = 3 years, 1 % below the maximum)."""
    return service.peak(session, region, indicator=indicator)


@router.get("/forecast", response_model=service.ForecastOut)
def forecast(session: SessionDep, region: RegionQ, indicator: Annotated[str, Query(pattern=r"^[a-z0-9_]+$")],
             target_year: Annotated[int, Query(ge=2000, le=2100)]) -> service.ForecastOut:
    """Trend forecast with prediction intervals and, when a plan target exists, P(target met)."""
    return service.forecast(session, region, indicator, target_year)


PlanQ = Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_.\-]+$", description="Only this plan's targets")]


@router.get("/targets/board", response_model=list[service.TargetTrack])
def targets_board(session: SessionDep, year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
                  plan: PlanQ = None) -> Response:
    """Every plan target (of every stored plan, or of ``plan``) with status, progress and its sparkline series."""
    return Response(service.targets_board_json(session, year=year, plan=plan), media_type="application/json")


_YearQ = Annotated[int | None, Query(ge=2000, le=2100)]
_ActionQ = Annotated[str | None, Query(max_length=64, description="Only this action's targets (as on the board)")]
_LeagueQ = Annotated[str | None, Query(pattern=_CODE, description="Only targets tracked for this region")]
_StatusQ = Annotated[str | None, Query(pattern=r"^[a-z_]+$", description="Only targets of this status")]
_SearchQ = Annotated[str | None, Query(max_length=100, description="Indicator name or code, target id (contains)")]


def _board_export(fmt: Literal["csv", "xlsx"], session: SessionDep, lang: Lang, year: int | None, plan: str | None,
                  action: str | None, league: str | None, status: str | None, q: str | None) -> Response:
    t = translator(lang)
    view = service.board(session, year=year, plan=plan)
    tracks = service.filter_board(service.targets_board(session, year=year, plan=plan), action=action,
                                  league=league, status=status, q=q)
    rows = [{**r, "status": t.get(f"status_{r['status']}", r["status"])} for r in service.board_rows(tracks)]
    rows = _for_reader(rows, lang)
    actions = dict(view.action_options)
    plans = dict(view.plan_options)
    label = {k: pgettext(lang, "export", k) for k in ("plan", "year", "action", "league", "status",
                                                         "indicator search")}
    notes = export_notes(lang, pgettext(lang, "export", "Target board"), [
        (label["plan"], plans.get(plan, plan) if plan else None), (label["year"], year),
        (label["action"], actions.get(action, action) if action else None), (label["league"], _region_label(league)),
        (label["status"], t.get(f"status_{status}", status) if status else None),
        (label["indicator search"], (q or "").strip() or None)], len(rows))
    return _export(fmt, rows, BOARD_COLUMNS, column_titles(lang, "export", BOARD_HEADERS), "targets-board",
                   pgettext(lang, "export", "target board"), notes)


@router.get("/targets/board.csv", response_class=Response)
def targets_board_csv(session: SessionDep, lang: LangDep, year: _YearQ = None, plan: PlanQ = None,
                      action: _ActionQ = None, league: _LeagueQ = None, status: _StatusQ = None,
                      q: _SearchQ = None) -> Response:
    """The target board as CSV: the targets its filters show (the page's parameters), with the filters and the
    export time in its first lines (``?lang=en``: in English)."""
    return _board_export("csv", session, lang, year, plan, action, league, status, q)


@router.get("/targets/board.xlsx", response_class=Response)
def targets_board_xlsx(session: SessionDep, lang: LangDep, year: _YearQ = None, plan: PlanQ = None,
                       action: _ActionQ = None, league: _LeagueQ = None, status: _StatusQ = None,
                       q: _SearchQ = None) -> Response:
    """The target board as Excel: what its filters show, with the filters and the export time on 导出说明."""
    return _board_export("xlsx", session, lang, year, plan, action, league, status, q)


@router.get("/indicators", response_model=list[service.IndicatorValueOut])
def indicators(session: SessionDep, principal: CurrentPrincipal,
               region: Annotated[str | None, Query(pattern=_CODE)] = None,
               indicator: Annotated[str | None, Query(pattern=r"^[a-z0-9_]+$")] = None
               ) -> list[service.IndicatorValueOut]:
    """Indicator values in use (real statistics first), each with unit, source, certainty and sample flag."""
    return _values(session, principal, region, indicator)


def _values(session: SessionDep, principal: CurrentPrincipal, region: str | None,
            indicator: str | None) -> list[service.IndicatorValueOut]:
    """The values; the public sees no user names (who entered a value is left empty)."""
    rows = service.list_indicator_values(session, region=region, indicator=indicator)
    return rows if principal.role is not Role.PUBLIC else [r.model_copy(update={"entered_by": None}) for r in rows]


_RegionFilterQ = Annotated[str | None, Query(pattern=_CODE)]
_IndicatorQ = Annotated[str | None, Query(pattern=r"^[a-z0-9_]+$")]
_PeriodQ = Annotated[str | None, Query(pattern=_PERIOD, description="Only this period (the map's year)")]
_ParentQ = Annotated[str | None, Query(pattern=_CODE, description="Only the regions one level below this one "
                                                                  "(150000: the leagues, as on the map)")]


def _indicators_export(fmt: Literal["csv", "xlsx"], session: SessionDep, principal: CurrentPrincipal, lang: Lang,
                       region: str | None, indicator: str | None, period: str | None, parent: str | None) -> Response:
    values = _values(session, principal, region, indicator)
    if period is not None:
        values = [v for v in values if v.period == period]
    if parent is not None:
        values = [v for v in values if _parent_of(v.region) == parent]
    origins = {"reference_statistics": pgettext(lang, "export", "published statistic"),
               "indicator_values": pgettext(lang, "export", "entered value")}
    rows = [{**r, "origin": origins.get(str(r["origin"]), r["origin"])} for r in service.indicator_rows(values)]
    rows = _for_reader(rows, lang)
    notes = export_notes(lang, pgettext(lang, "export", "Indicator values"), [
        (pgettext(lang, "export", "region"), _region_label(region)),
        (pgettext(lang, "export", "regions under"), _region_label(parent)),
        (pgettext(lang, "export", "indicator"), indicator), (pgettext(lang, "export", "period"), period)], len(rows))
    name = "-".join(x for x in ("indicators", region or parent, indicator, period) if x)
    return _export(fmt, rows, INDICATOR_COLUMNS, column_titles(lang, "export", INDICATOR_HEADERS), name, pgettext(lang, "export", "indicators"),
                   notes)


def _parent_of(code: str) -> str | None:
    try:
        return get_region(code).parent
    except InputError:  # a code outside the catalogue has no parent here
        return None


@router.get("/indicators.csv", response_class=Response)
def indicators_csv(session: SessionDep, principal: CurrentPrincipal, lang: LangDep, region: _RegionFilterQ = None,
                   indicator: _IndicatorQ = None, period: _PeriodQ = None, parent: _ParentQ = None) -> Response:
    """Indicator values as CSV (UTF-8 with BOM), as the chart or map that links here shows them, with the filters
    and the export time in its first lines; no user names for the public."""
    return _indicators_export("csv", session, principal, lang, region, indicator, period, parent)


@router.get("/indicators.xlsx", response_class=Response)
def indicators_xlsx(session: SessionDep, principal: CurrentPrincipal, lang: LangDep, region: _RegionFilterQ = None,
                    indicator: _IndicatorQ = None, period: _PeriodQ = None, parent: _ParentQ = None) -> Response:
    """Indicator values as Excel (Chinese headers; ``?lang=en``: English), the filters and export time on
    导出说明; no user names for the public."""
    return _indicators_export("xlsx", session, principal, lang, region, indicator, period, parent)


# --------------------------------------------------------------------------------------------------- dispatch

class PeriodIn(BaseModel):
    """A dispatch period to open."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=_PERIOD, description="2025, 2025Q3 or 2025-09")
    due_date: date
    departments: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list, max_length=50, description="Departments expected to report besides every league")


class EntryIn(BaseModel):
    """What a unit reports: a target's actual value with its unit, or a measure's status."""

    model_config = ConfigDict(extra="forbid")

    unit: str = Field(min_length=1, max_length=200, description="League code (150100) or department code")
    target_id: str | None = None
    measure_id: str | None = None
    value: float | None = None
    value_unit: str | None = None
    measure_status: Literal["not_started", "in_progress", "done", "blocked"] | None = None
    evidence: str = ""
    as_of: date


@router.get("/periods", response_model=list[service.DispatchPeriodOut])
def list_periods(session: SessionDep, principal: CurrentPrincipal) -> list[service.DispatchPeriodOut]:
    """Dispatch periods, newest first (who opened each is left empty for the public)."""
    rows = service.list_periods(session)
    return rows if principal.role is not Role.PUBLIC else [r.model_copy(update={"opened_by": ""}) for r in rows]


@router.post("/periods", response_model=service.DispatchPeriodOut, status_code=201)
def open_period(body: PeriodIn, request: Request, session: SessionDep,
                principal: LoggedIn) -> service.DispatchPeriodOut:
    """Open a dispatch period (the leading-group office or the region admin)."""
    require(principal, Action.CREATE, Resource(kind=ResourceKind.DISPATCH, id=body.id, region_code=service.REGION))
    return service.open_period(session, period=body.id, due_date=body.due_date, actor=principal.user_id,
                               departments=body.departments, actor_role=principal.role.value, client_address=client_address(request))


@router.post("/periods/{period}/entries", response_model=service.DispatchEntryOut, status_code=201)
def submit_entry(period: PeriodPath, body: EntryIn, request: Request, session: SessionDep,
                 principal: LoggedIn) -> service.DispatchEntryOut:
    """Report for a unit (versioned): refused (403) for a unit the user does not belong to; nothing is stored."""
    is_code = body.unit.isdigit() and len(body.unit) == 6
    require(principal, Action.SUBMIT, Resource(kind=ResourceKind.DISPATCH, id=f"{period}/{body.unit}",
                                       region_code=body.unit if is_code else None,
                                       departments=() if is_code else (body.unit,)))
    return service.submit_entry(session, period=period, unit=body.unit, actor=principal.user_id,
                                actor_units=service.actor_units_of(principal), as_of=body.as_of, target_id=body.target_id,
                                measure_id=body.measure_id, value=body.value, value_unit=body.value_unit,
                                measure_status=body.measure_status, evidence=body.evidence, actor_role=principal.role.value,
                                client_address=client_address(request))


@router.post("/periods/{period}/close", response_model=service.DispatchPeriodOut)
def close_period(period: PeriodPath, request: Request, session: SessionDep,
                 principal: LoggedIn) -> service.DispatchPeriodOut:
    """Close a dispatch period (the leading-group office or the region admin); it then refuses entries."""
    require(principal, Action.ADMIN, Resource(kind=ResourceKind.DISPATCH, id=period, region_code=service.REGION))
    return service.close_period(session, period=period, actor=principal.user_id, actor_role=principal.role.value,
                                client_address=client_address(request))


class ValueIn(BaseModel):
    """An actual value of an indicator, in the indicator's unit or one that converts to it."""

    model_config = ConfigDict(extra="forbid")

    region: str = Field(pattern=_CODE, description="Region, league or county code, e.g. 150600")
    indicator: str = Field(pattern=r"^[a-z0-9_]+$", max_length=100)
    period: str = Field(pattern=_PERIOD)
    value: float
    unit: str = Field(min_length=1, max_length=50)
    source: str = Field(min_length=1, max_length=500)
    note: str | None = Field(default=None, max_length=1000)


@router.post("/indicators", response_model=service.IndicatorValueOut, status_code=201)
def enter_value(body: ValueIn, session: SessionDep, principal: LoggedIn) -> service.IndicatorValueOut:
    """Enter an actual value (versioned, audited): a league for itself and its counties; 403 elsewhere."""
    require(principal, Action.UPDATE, Resource(kind=ResourceKind.REGION_DATA, id=f"{body.indicator}/{body.period}",
                                       region_code=body.region))
    return service.enter_value(session, region=body.region, indicator=body.indicator, period=body.period,
                               value=body.value, unit=body.unit, source=body.source, note=body.note,
                               actor=principal.user_id, actor_regions=service.actor_units_of(principal), actor_role=principal.role.value)


@router.get("/periods/{period}/entries", response_model=list[service.DispatchEntryOut])
def entry_history(period: PeriodPath, session: SessionDep, principal: LoggedIn,
                  unit: Annotated[str | None, Query(max_length=200)] = None) -> list[service.DispatchEntryOut]:
    """Every version of a period's entries (who entered each, what it superseded) that the caller may read.

    ``permissions.csv`` (dispatch, read): the office, the auditor and the administrator read every unit's; a
    league its own and its counties'; a department its own; the public none (401; it sees the counts of
    ``/summary``). Asking for another unit by ``unit`` is 403.
    """
    if unit is not None:
        require(principal, Action.READ, service.dispatch_resource(unit, period))
    rows = service.entry_history(session, period=period, unit=unit)
    readable = service.readable_units(principal, {r.responsible_unit for r in rows}, period)
    return [r for r in rows if r.responsible_unit in readable]


@router.get("/periods/{period}/missing", response_model=list[service.MissingOut])
def missing(period: PeriodPath, session: SessionDep, principal: LoggedIn) -> list[service.MissingOut]:
    """What the expected units still owe for the period (逾期 after the due date), as far as the caller may read
    (the same rule as ``/entries``)."""
    rows = service.missing_reports(session, period)
    readable = service.readable_units(principal, {r.unit for r in rows}, period)
    return [r for r in rows if r.unit in readable]


@router.get("/periods/{period}/summary", response_model=service.PeriodSummary)
def period_summary(period: PeriodPath, session: SessionDep, principal: CurrentPrincipal) -> service.PeriodSummary:
    """A period's counts, public: units expected, reported, missing and overdue (expected = reported + missing)."""
    out = service.period_summary(session, period)
    return out if principal.role is not Role.PUBLIC else out.model_copy(
        update={"period": out.period.model_copy(update={"opened_by": ""})})
