"""``/api/units``: key energy-consuming units — registry, annual reports and their review, budgets, assessment.

Access: every route needs a login or a token; a unit's data is ``enterprise_data`` scoped by the unit (an
enterprise sees only itself, a league or county officer the units in its region). Editing and submitting
a report is the unit's (``update``/``submit``); review, approval and return are ``review``.

Optimistic locking: a report's ``lock_version`` is sent back as the ``ETag``; ``PUT`` and the workflow
actions take it in ``If-Match`` (or ``lock_version`` in the body) and answer 409 when someone saved the
report in between.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Path, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from tanfeng.access import Action, Principal, Resource, ResourceKind, Role
from tanfeng.access import require as require_permission
from tanfeng.errors import ConflictError, InputError, NotFoundError
from tanfeng.services import key_units as service
from tanfeng.web.deps import LoggedIn, SessionDep
from tanfeng.web.downloads import XLSX, file_response

__all__ = ["BudgetIn", "BudgetYear", "NewReport", "ReportAction", "ReportEdit", "ReportId", "router"]

router = APIRouter(prefix="/api/units", tags=["units"])

ReportId = Annotated[int, Path(ge=1, le=2_147_483_647, description="id of an annual report")]
BudgetYear = Annotated[int, Path(ge=1949, le=2100, description="the budget's year")]


def _guard(session: Session, principal: Principal, action: Action, code: str) -> None:
    """Let ``principal`` do ``action`` on unit ``code``'s data; an enterprise asking for another (even an
    unregistered) unit is refused before it learns whether the unit exists."""
    resource = service.unit_resource(session, code)
    if resource is None:
        if principal.role in (Role.ENTERPRISE, Role.MACHINE):
            require_permission(principal, action, service.unit_data(code, None))
        msg = f"unit '{code}' is not in the registry"
        raise NotFoundError(msg, hint="GET /api/units lists the registered units")
    require_permission(principal, action, resource)


def _lock(if_match: str | None, body_lock: int | None) -> int:
    raw = if_match.strip().removeprefix("W/").strip('"') if if_match else None
    if raw:
        try:
            return int(raw)
        except ValueError:
            msg = f"If-Match '{if_match}' is not a lock version"
            raise InputError(msg, hint="send the ETag of the report you edited") from None
    if body_lock is not None:
        return body_lock
    msg = "an edit needs the lock version it was made on"
    raise InputError(msg, hint="send If-Match: <the report's ETag> or lock_version in the body")


def _etag(response: Response, report: service.ReportOut) -> service.ReportOut:
    response.headers["ETag"] = f'"{report.lock_version}"'
    return report


@router.get("", response_model=list[service.UnitInfo])
def list_units(session: SessionDep, principal: LoggedIn,
               league: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None,
               county: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None,
               industry: Annotated[str | None, Query(max_length=8)] = None,
               level: str | None = None) -> list[service.UnitInfo]:
    """The registry, filtered by league, county, GB/T 4754 industry (code or prefix) and level; only the
    units the caller may read."""
    return service.visible_units(session, principal, league=league, county=county, industry=industry, level=level)


@router.get("/bottom-up", response_model=None)
def bottom_up(session: SessionDep, principal: LoggedIn,
              year: Annotated[int, Query(ge=2000, le=2100)]) -> dict[str, Any]:
    """Units' reported CO2 per league and industry beside the stored regional inventory, with coverage."""
    require_permission(principal, Action.READ, Resource(kind=ResourceKind.ENTERPRISE_DATA, id="all units"))
    return service.bottom_up_vs_top_down(session, year=year)


@router.get("/{code}", response_model=service.UnitDetail)
def get_unit(code: str, session: SessionDep, principal: LoggedIn) -> service.UnitDetail:
    """One unit: registry data, contacts, facilities and meters."""
    _guard(session, principal, Action.READ, code)
    return service.get_unit(session, code)


@router.get("/{code}/meters", response_model=list[service.MeterInfo])
def list_meters(code: str, session: SessionDep, principal: LoggedIn) -> list[service.MeterInfo]:
    """A unit's meters."""
    _guard(session, principal, Action.READ, code)
    return service.list_meters(session, code)


class NewReport(BaseModel):
    """A report to start."""

    year: int = Field(ge=2000, le=2100)
    kind: service.ReportKind
    content: dict[str, Any] = {}


class ReportEdit(BaseModel):
    """New content for a draft or returned report."""

    content: dict[str, Any]
    lock_version: int | None = Field(None, ge=1, le=2_147_483_647)


class ReportAction(BaseModel):
    """A workflow action's body (comments are needed to return a report)."""

    comments: str | None = None
    lock_version: int | None = Field(None, ge=1, le=2_147_483_647)


@router.get("/{code}/reports", response_model=list[service.ReportOut])
def list_reports(code: str, session: SessionDep, principal: LoggedIn,
                 year: Annotated[int | None, Query(ge=1949, le=2100)] = None) -> list[service.ReportOut]:
    """A unit's annual reports."""
    _guard(session, principal, Action.READ, code)
    return service.list_reports(session, code, year=year)


@router.post("/{code}/reports", response_model=service.ReportOut, status_code=201)
def create_report(code: str, body: NewReport, session: SessionDep, principal: LoggedIn,
                  response: Response) -> service.ReportOut:
    """Start a report (draft); figures are computed by the accounting engine."""
    _guard(session, principal, Action.CREATE, code)
    try:
        out = service.create_report(session, code, year=body.year, kind=body.kind, content=body.content,
                                    actor=principal.user_id, actor_role=principal.role.value)
    except ConflictError as exc:
        taken = [r.id for r in service.list_reports(session, code, year=body.year) if r.kind == body.kind]
        if not taken:
            raise
        raise ConflictError(exc.message, hint=f"edit it with PUT /api/units/{code}/reports/{taken[0]}") from exc
    return _etag(response, out)


@router.get("/{code}/reports/template.xlsx", response_class=Response,
            responses={200: {"content": {XLSX: {}}, "description": "The Excel template to fill in"}})
def template(code: str, session: SessionDep, principal: LoggedIn,
             year: Annotated[int, Query(ge=2000, le=2100)], kind: service.ReportKind = "energy") -> Response:
    """The report as an Excel template (pre-filled with the stored report, if any)."""
    _guard(session, principal, Action.READ, code)
    data = service.report_template(session, code, year=year, kind=kind)
    return file_response(data, XLSX, f"{code}-{year}-{kind}.xlsx")


@router.post("/{code}/reports/upload", response_model=service.ReportOut,
             openapi_extra={"requestBody": {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
                                            "required": True}})
async def upload(code: str, request: Request, session: SessionDep, principal: LoggedIn,
                 response: Response) -> service.ReportOut:
    """File a filled template (the workbook as the request body); errors name sheet, row and field."""
    from fastapi.concurrency import run_in_threadpool

    await run_in_threadpool(_guard, session, principal, Action.UPDATE, code)
    data = await request.body()
    out = await run_in_threadpool(service.upload_report, session, code, data, filename="upload.xlsx",
                                  actor=principal.user_id, actor_role=principal.role.value)
    return _etag(response, out)


@router.get("/{code}/reports/{report_id}", response_model=service.ReportOut)
def get_report(code: str, report_id: ReportId, session: SessionDep, principal: LoggedIn,
               response: Response) -> service.ReportOut:
    """One report; its lock version is the ``ETag``."""
    _guard(session, principal, Action.READ, code)
    return _etag(response, service.get_report(session, code, report_id))


@router.put("/{code}/reports/{report_id}", response_model=service.ReportOut)
def edit_report(code: str, report_id: ReportId, body: ReportEdit, session: SessionDep, principal: LoggedIn,
                response: Response, if_match: Annotated[str | None, Header()] = None) -> service.ReportOut:
    """Replace a draft's content; 409 when the report changed since the lock version sent."""
    _guard(session, principal, Action.UPDATE, code)
    out = service.update_report(session, code, report_id, content=body.content,
                                lock_version=_lock(if_match, body.lock_version), actor=principal.user_id,
                                actor_role=principal.role.value)
    return _etag(response, out)


def _act(code: str, report_id: ReportId, action: service.Action, permission: Action, body: ReportAction | None,
         session: Session, principal: Principal, response: Response, if_match: str | None) -> service.ReportOut:
    _guard(session, principal, permission, code)
    lock = _lock(if_match, body.lock_version if body else None) if (if_match or (body and body.lock_version)) else None
    out = service.transition(session, code, report_id, action, actor=principal.user_id, lock_version=lock,
                             comments=body.comments if body else None, actor_role=principal.role.value)
    return _etag(response, out)


_ActionBody = Annotated[ReportAction | None, Body()]
_IfMatch = Annotated[str | None, Header()]


@router.post("/{code}/reports/{report_id}/submit", response_model=service.ReportOut)
def submit(code: str, report_id: ReportId, session: SessionDep, principal: LoggedIn, response: Response,
           body: _ActionBody = None, if_match: _IfMatch = None) -> service.ReportOut:
    """draft/returned → submitted."""
    return _act(code, report_id, "submit", Action.SUBMIT, body, session, principal, response, if_match)


@router.post("/{code}/reports/{report_id}/review", response_model=service.ReportOut)
def review(code: str, report_id: ReportId, session: SessionDep, principal: LoggedIn, response: Response,
           body: _ActionBody = None, if_match: _IfMatch = None) -> service.ReportOut:
    """submitted → under review."""
    return _act(code, report_id, "review", Action.REVIEW, body, session, principal, response, if_match)


@router.post("/{code}/reports/{report_id}/approve", response_model=service.ReportOut)
def approve(code: str, report_id: ReportId, session: SessionDep, principal: LoggedIn, response: Response,
            body: _ActionBody = None, if_match: _IfMatch = None) -> service.ReportOut:
    """under review → approved."""
    return _act(code, report_id, "approve", Action.REVIEW, body, session, principal, response, if_match)


@router.post("/{code}/reports/{report_id}/return", response_model=service.ReportOut)
def return_report(code: str, report_id: ReportId, session: SessionDep, principal: LoggedIn, response: Response,
                  body: _ActionBody = None, if_match: _IfMatch = None) -> service.ReportOut:
    """submitted/under review → returned, with comments."""
    return _act(code, report_id, "return", Action.REVIEW, body, session, principal, response, if_match)


@router.get("/{code}/reports/{report_id}/versions", response_model=list[service.VersionOut])
def versions(code: str, report_id: ReportId, session: SessionDep, principal: LoggedIn) -> list[service.VersionOut]:
    """Every kept version of a report."""
    _guard(session, principal, Action.READ, code)
    return service.list_versions(session, code, report_id)


@router.get("/{code}/reports/{report_id}/diff", response_model=service.VersionDiff)
def version_diff(code: str, report_id: ReportId, session: SessionDep, principal: LoggedIn,
                 a: Annotated[int, Query(alias="from", ge=1, le=2_147_483_647)],
                 b: Annotated[int, Query(alias="to", ge=1, le=2_147_483_647)]) -> service.VersionDiff:
    """Field-by-field changes between two versions."""
    _guard(session, principal, Action.READ, code)
    return service.diff_versions(session, code, report_id, a, b)


class BudgetIn(BaseModel):
    """An energy budget (用能预算)."""

    budget_tce: float = Field(gt=0, le=1e12)
    source: str | None = None


@router.put("/{code}/budgets/{year}", response_model=service.BudgetOut)
def put_budget(code: str, year: BudgetYear, body: BudgetIn, request: Request, session: SessionDep,
               principal: LoggedIn) -> service.BudgetOut:
    """Set a unit's energy budget for a year (a reviewer's act: ``review`` on the unit's data)."""
    _guard(session, principal, Action.REVIEW, code)
    service.set_budget(session, code, year=year, budget_tce=body.budget_tce, source=body.source,
                       actor=principal.user_id, actor_role=principal.role.value)
    return service.budget_use(session, request.app.state.settings, code, year=year)


@router.get("/{code}/budgets/{year}", response_model=service.BudgetOut)
def get_budget(code: str, year: BudgetYear, request: Request, session: SessionDep,
               principal: LoggedIn) -> service.BudgetOut:
    """The budget and its use: reported and monitored energy against it."""
    _guard(session, principal, Action.READ, code)
    return service.budget_use(session, request.app.state.settings, code, year=year)


@router.get("/{code}/assessment", response_model=service.Assessment)
def assessment(code: str, request: Request, session: SessionDep, principal: LoggedIn,
               year: Annotated[int, Query(ge=2000, le=2100)] = date.today().year - 1) -> service.Assessment:
    """The unit's responsibility score for the year, from the rules file, with the reason of each criterion."""
    _guard(session, principal, Action.READ, code)
    return service.assess(session, request.app.state.settings, code, year=year)
