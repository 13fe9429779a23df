"""``/api/monitoring``: online metering — ingestion, aggregates, data quality, the batch ledger.

``POST /readings`` takes one batch per request: a JSON list (``application/json``), CSV with a header
(``text/csv``) or Parquet (``application/vnd.apache.parquet``). It answers 200 only once the batch is
durably stored and committed (``duplicate: true`` when the same batch was stored before); a bad line gives
422 naming the line (CSV) or row (JSON, Parquet) and the field, and nothing is written.

Access: ingest needs the ``ingest`` permission on enterprise data; a meter-gateway or enterprise principal
may only send its own unit's meters. League and industry aggregates are published aggregates; meter and
unit aggregates, quality and the ledger are enterprise data (roles that read every unit's data).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool

from tanfeng.access import Action, Resource, ResourceKind, Role
from tanfeng.access import require as require_permission
from tanfeng.services import metering as service
from tanfeng.web.deps import CurrentPrincipal, LoggedIn, SessionDep, client_address, logged_in

__all__ = ["router"]

router = APIRouter(prefix="/api/monitoring", tags=["monitoring"])

_ALL_UNITS = Resource(kind=ResourceKind.ENTERPRISE_DATA, id="all units")
_PUBLISHED = Resource(kind=ResourceKind.AGGREGATE, id="metering aggregates")


@router.post("/readings", response_model=service.IngestResult,
             openapi_extra={"requestBody": {"content": {
                 "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
                 "text/csv": {"schema": {"type": "string"}},
                 "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}}},
                 "required": True}})
async def post_readings(request: Request, session: SessionDep, principal: LoggedIn,
                        source: Annotated[str | None, Query(max_length=300)] = None) -> service.IngestResult:
    """Ingest one batch of readings (``meter_id, ts, value, kind``); idempotent and atomic per batch."""
    scope: str | None = None
    if principal.role in (Role.MACHINE, Role.ENTERPRISE):
        scope = principal.unit_id
        require_permission(principal, Action.INGEST,
                           Resource(kind=ResourceKind.ENTERPRISE_DATA, id=scope, unit_id=scope))
    else:
        require_permission(principal, Action.INGEST, _ALL_UNITS)
    fmt = service.format_for(request.headers.get("content-type"))
    body = await request.body()
    settings = request.app.state.settings
    result = await run_in_threadpool(
        service.ingest, session, settings, body, fmt, source=source or f"http:{fmt}", actor=principal.user_id,
        unit_scope=scope, actor_role=principal.role.value, client_address=client_address(request))
    if not result.duplicate:
        request.app.state.deriver.kick()  # flags and rollups follow in the background
    return result


@router.get("/aggregate")
def get_aggregate(request: Request, session: SessionDep, principal: CurrentPrincipal,
                  period: Literal["hour", "day", "month"] = "day",
                  by: Literal["meter", "unit", "league", "industry"] = "unit",
                  first_day: Annotated[date | None, Query(alias="from")] = None,
                  last_day: Annotated[date | None, Query(alias="to")] = None,
                  unit: Annotated[str | None, Query(max_length=64)] = None) -> list[dict[str, Any]]:
    """Energy (tce) and CO2 (t) of valid readings per period and meter, unit, league or industry (``unit``: one
    unit's meters only)."""
    if by in ("league", "industry"):
        require_permission(principal, Action.READ, _PUBLISHED)
    else:
        require_permission(logged_in(request, principal), Action.READ, _ALL_UNITS)
    if unit is not None:
        require_permission(logged_in(request, principal), Action.READ, _ALL_UNITS)
    rows = service.aggregate(session, request.app.state.settings, period=period, by=by, first_day=first_day,
                             last_day=last_day, unit=unit)
    return service.as_rows(rows)


@router.get("/quality", response_model=service.QualityReport)
def get_quality(request: Request, session: SessionDep, principal: LoggedIn,
                first_day: Annotated[date | None, Query(alias="from")] = None,
                last_day: Annotated[date | None, Query(alias="to")] = None,
                unit: Annotated[str | None, Query(max_length=64)] = None) -> service.QualityReport:
    """Quality flags per meter and completeness per unit and local day (days in ``from``–``to``; ``unit``: one
    unit)."""
    require_permission(principal, Action.READ, _ALL_UNITS)
    return service.quality(session, request.app.state.settings, first_day=first_day, last_day=last_day, unit=unit)


@router.get("/batches", response_model=list[service.BatchInfo])
def get_batches(session: SessionDep, principal: LoggedIn,
                limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0) -> list[service.BatchInfo]:
    """The ledger of accepted batches, newest first."""
    require_permission(principal, Action.READ, _ALL_UNITS)
    return service.list_batches(session, limit=limit, offset=offset)


@router.get("/monitored-vs-reported")
def get_monitored_vs_reported(request: Request, session: SessionDep, principal: LoggedIn,
                              year: Annotated[int, Query(ge=2000, le=2100)]) -> list[dict[str, Any]]:
    """Monitored energy per unit beside its energy report for the year; gaps above 5 % flagged."""
    require_permission(principal, Action.READ, _ALL_UNITS)
    return service.monitored_vs_reported(session, request.app.state.settings, year=year)
