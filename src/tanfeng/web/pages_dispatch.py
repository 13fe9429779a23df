"""Pages of the dispatch workflow (调度), included in :data:`tanfeng.web.pages_tracking.router`.

``/dispatch``                      rounds with their counts (expected = reported + missing, overdue 逾期); the
                                   office opens a round (due date checked; departments expected) here
``/dispatch/{period}``             a round: counts for everyone; who reported and what is missing, the entries
                                   (by display name, with attached evidence) for those ``permissions.csv`` lets
                                   read them (the office every unit, a league its own); the report form for a
                                   league, county or department: only the items that concern its unit, its unit
                                   pre-filled, evidence files; for the office: 催报, the report downloads, closing
``/dispatch/{period}/close``       GET: the confirmation step (what is still missing); POST with ``confirm=yes``
``/dispatch/{period}/remind``      POST: remind a unit (a notice on its landing page; audited)
``/dispatch/{period}/report.pdf``  the dispatch report, the renderer of ``tanfeng report dispatch`` (and ``.xlsx``)
``/dispatch/attachments/{id}``     an evidence file, for those who may read its unit's entries

Every post is CSRF-checked; an invalid field re-renders the form with the error next to it and what was typed.
"""

from __future__ import annotations

import hmac
import tempfile
from datetime import date
from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tanfeng.access import Action, Principal, Resource, ResourceKind, Role, authorize
from tanfeng.errors import (
    AuthError,
    ConflictError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
    TanfengError,
    at,
)
from tanfeng.reports import render_pdf, render_xlsx
from tanfeng.services import tracking as service
from tanfeng.web.deps import CurrentPrincipal, LangDep, SessionDep, client_address, sign
from tanfeng.web.downloads import XLSX, file_response
from tanfeng.web.pages import render

__all__ = ["FORM_FIELDS", "FormStr", "PeriodP", "router"]

router = APIRouter(include_in_schema=False)

PeriodP = Annotated[str, Path(pattern=r"^\d{4}(?:Q[1-4]|-(?:0[1-9]|1[0-2]))?$")]
FormStr = Annotated[str, Form()]
FORM_FIELDS = ("unit", "item", "value", "value_unit", "measure_status", "evidence", "as_of", "attachment")
"""Fields of the entry form; an error is shown next to the one the service names."""
_FIELD_OF = {"target_id": "item", "measure_id": "item", "period": "item"}


def _check_csrf(request: Request, token: str) -> None:
    sid = getattr(request.state, "sid", None)
    if sid is None:
        msg = "this form needs a login"
        raise AuthError(msg, hint="log in at /login and send the form again")
    if not hmac.compare_digest(token, sign(request, "csrf", sid)):
        msg = "the form's CSRF token does not match this session"
        raise PermissionDeniedError(msg, hint="reload the page and send the form again")


def _can_manage(p: Principal) -> bool:
    return authorize(p, Action.ADMIN, Resource(kind=ResourceKind.DISPATCH, region_code=service.REGION)).allowed


def _reads_all(p: Principal) -> bool:
    """Whether ``p`` reads every unit's entries (the office, the auditor, the administrator)."""
    return authorize(p, Action.READ, Resource(kind=ResourceKind.DISPATCH, region_code=service.REGION,
                                              departments=("*",))).allowed and p.role not in (
        Role.LEAGUE, Role.COUNTY, Role.DEPARTMENT)


def _own_units(p: Principal, period: str) -> list[str]:
    """The units the user reports for on the form (a league, county or department; never "every unit")."""
    if p.role is Role.PUBLIC:
        return []
    units = sorted(u for u in service.actor_units_of(p) if u != service.ALL_UNITS)
    return [u for u in units if authorize(p, Action.SUBMIT, service.dispatch_resource(u, period)).allowed]


def _error_of(exc: TanfengError, rename: dict[str, str] | None = None) -> tuple[str | None, str]:
    field = exc.location.field if exc.location is not None else None
    return (rename or {}).get(field or "", field), exc.message + (f" — {exc.hint}" if exc.hint else "")


def _status_of(exc: TanfengError) -> int:
    for cls, code in ((PermissionDeniedError, 403), (AuthError, 401), (ConflictError, 409), (NotFoundError, 404)):
        if isinstance(exc, cls):
            return code
    return 422


def _dispatch_list(request: Request, session: Any, lang: Any, principal: Principal, *,
                   form: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                   status_code: int = 200) -> Response:
    summaries = service.period_summaries(session)
    if principal.role is Role.PUBLIC:  # the public sees counts, not who opened a round
        summaries = [s.model_copy(update={"period": s.period.model_copy(update={"opened_by": "—"})})
                     for s in summaries]
    else:
        names = service.display_names(session, {s.period.opened_by for s in summaries})
        summaries = [s.model_copy(update={"period": s.period.model_copy(
            update={"opened_by": names.get(s.period.opened_by, s.period.opened_by)})}) for s in summaries]
    return render(request, "tracking/dispatch.html", lang, {
        "summaries": summaries, "can_manage": _can_manage(principal), "form": form or {}, "errors": errors or {},
        "notice": request.query_params.get("notice"), "sample": False,
    }, status_code=status_code)


@router.get("/dispatch", response_class=HTMLResponse)
def dispatch_list(request: Request, session: SessionDep, lang: LangDep, principal: CurrentPrincipal) -> Response:
    """Dispatch rounds: open or closed, due date, units expected, reported, missing and overdue."""
    return _dispatch_list(request, session, lang, principal)


@router.post("/dispatch", response_class=HTMLResponse)
def dispatch_open(request: Request, session: SessionDep, lang: LangDep, principal: CurrentPrincipal,
                  csrf_token: FormStr = "", period: FormStr = "", due_date: FormStr = "",
                  departments: FormStr = "") -> Response:
    """Open a round from the form; an invalid id or date re-renders the form with the error in place."""
    typed = {"period": period.strip(), "due_date": due_date.strip(), "departments": departments}
    try:
        _check_csrf(request, csrf_token)
        decision = authorize(principal, Action.CREATE, Resource(
            kind=ResourceKind.DISPATCH, id=typed["period"] or None, region_code=service.REGION))
        if not decision.allowed:
            raise PermissionDeniedError(decision.reason)
        try:
            due = date.fromisoformat(typed["due_date"])
        except ValueError:
            msg = f"due date {typed['due_date']!r} is not a date (2025-10-10)"
            raise InputError(msg, location=at(field="due_date")) from None
        service.open_period(session, period=typed["period"], due_date=due, actor=principal.user_id,
                            departments=departments.replace(",", "\n").replace("、", "\n").splitlines(),
                            actor_role=principal.role.value, client_address=client_address(request))
    except TanfengError as exc:
        field, text = _error_of(exc)
        return _dispatch_list(request, session, lang, principal, form=typed,
                              errors={field if field in ("period", "due_date", "departments") else "form": text},
                              status_code=_status_of(exc))
    return RedirectResponse(f"/dispatch/{typed['period']}?lang={lang}&notice=opened", status_code=303)


def _dispatch_page(request: Request, session: Any, lang: Any, principal: Principal, period: str, *,
                   form: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                   status_code: int = 200) -> Response:
    summary = service.period_summary(session, period)  # NotFoundError (404) for a period never opened
    progress = service.unit_progress(session, period)
    all_units = {e.current.responsible_unit for e in service.current_entries(session, period)} | {
        u.unit for u in progress}
    readable = service.readable_units(principal, all_units, period)
    units = _own_units(principal, period)
    defaults = {"unit": units[0] if units else "", "as_of": date.today().isoformat()}
    return render(request, "tracking/dispatch_period.html", lang, {
        "summary": summary, "period": period, "entries": service.current_entries(session, period, units=readable),
        "progress": [u for u in progress if u.unit in readable], "reads_any": bool(readable),
        "missing": [m for m in service.missing_reports(session, period) if m.unit in readable],
        "own_units": [(u, service.unit_name(u)) for u in units],
        "items": service.item_options(session, units[0]) if units else [],
        "item_names": service.item_names(service.tracked_plan(session)),
        "statuses": ("not_started", "in_progress", "done", "blocked"),
        "form": {**defaults, **(form or {})}, "errors": errors or {}, "notice": request.query_params.get("notice"),
        "can_manage": _can_manage(principal), "can_download": _reads_all(principal),
        "attachment_types": ",".join(sorted(service.ATTACHMENT_TYPES)), "sample": False,
    }, status_code=status_code)


@router.get("/dispatch/{period}", response_class=HTMLResponse)
def dispatch_period(period: PeriodP, request: Request, session: SessionDep, lang: LangDep,
                    principal: CurrentPrincipal) -> Response:
    """A round: its counts; what the reader may read of who reported and the entries; the report form."""
    return _dispatch_page(request, session, lang, principal, period)


def _number(text: str) -> float | None:
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        msg = f"{text!r} is not a number"
        raise InputError(msg, location=at(field="value")) from None


async def _files(attachment: list[UploadFile]) -> list[service.AttachmentFile]:
    return [service.AttachmentFile(filename=f.filename or "", content=await f.read())
            for f in attachment if f.filename]


@router.post("/dispatch/{period}/entries", response_class=HTMLResponse)
async def dispatch_submit(period: PeriodP, request: Request, session: SessionDep, lang: LangDep,
                          principal: CurrentPrincipal, csrf_token: FormStr = "", unit: FormStr = "",
                          item: FormStr = "", value: FormStr = "", value_unit: FormStr = "",
                          measure_status: FormStr = "", evidence: FormStr = "", as_of: FormStr = "",
                          attachment: Annotated[list[UploadFile] | None, File()] = None) -> Response:
    """Report for one's own unit with evidence files; an invalid field re-renders the form with its error."""
    typed = {"unit": unit.strip(), "item": item.strip(), "value": value.strip(), "value_unit": value_unit.strip(),
             "measure_status": measure_status.strip(), "evidence": evidence, "as_of": as_of.strip()}
    try:
        _check_csrf(request, csrf_token)
        decision = authorize(principal, Action.SUBMIT, service.dispatch_resource(typed["unit"] or "-", period))
        if not decision.allowed:
            raise PermissionDeniedError(decision.reason)
        kind, _, item_id = typed["item"].partition(":")
        if kind not in ("target", "measure") or not item_id:
            msg = "choose a target or a measure of the plan"
            raise InputError(msg, location=at(field="item"))
        number = _number(typed["value"])
        try:
            as_of_date = date.fromisoformat(typed["as_of"])
        except ValueError:
            msg = f"{typed['as_of']!r} is not a date (2025-09-30)"
            raise InputError(msg, location=at(field="as_of")) from None
        service.submit_with_attachments(
            session, data_dir=request.app.state.settings.data_dir, files=await _files(attachment or []),
            period=period, unit=typed["unit"], actor=principal.user_id,
            actor_units=service.actor_units_of(principal), as_of=as_of_date,
            target_id=item_id if kind == "target" else None, measure_id=item_id if kind == "measure" else None,
            value=number, value_unit=(typed["value_unit"] or None) if kind == "target" else None,
            measure_status=(typed["measure_status"] or None) if kind == "measure" else None,
            evidence=typed["evidence"], actor_role=principal.role.value, client_address=client_address(request))
    except TanfengError as exc:
        session.rollback()
        field, text = _error_of(exc, _FIELD_OF)
        return _dispatch_page(request, session, lang, principal, period, form=typed,
                              errors={field if field in FORM_FIELDS else "form": text}, status_code=_status_of(exc))
    return RedirectResponse(f"/dispatch/{period}?lang={lang}&notice=submitted", status_code=303)


def _require_manager(principal: Principal, what: str) -> None:
    if not _can_manage(principal):
        msg = f"{principal.describe()} may not {what}"
        raise PermissionDeniedError(msg, hint="the leading-group office or the region administrator does this")


@router.post("/dispatch/{period}/remind", response_class=HTMLResponse)
def dispatch_remind(period: PeriodP, request: Request, session: SessionDep, lang: LangDep,
                    principal: CurrentPrincipal, csrf_token: FormStr = "", unit: FormStr = "",
                    message: FormStr = "") -> Response:
    """Remind a unit that still owes a report (催报): a notice on its landing page, audited."""
    try:
        _check_csrf(request, csrf_token)
        _require_manager(principal, "send reminders")
        service.remind(session, period=period, unit=unit.strip(), actor=principal.user_id, message=message,
                       actor_role=principal.role.value, client_address=client_address(request))
    except TanfengError as exc:
        session.rollback()
        return _dispatch_page(request, session, lang, principal, period, errors={"form": _error_of(exc)[1]},
                              status_code=_status_of(exc))
    return RedirectResponse(f"/dispatch/{period}?lang={lang}&notice=reminded#progress", status_code=303)


@router.get("/dispatch/{period}/close", response_class=HTMLResponse)
def dispatch_close_confirm(period: PeriodP, request: Request, session: SessionDep, lang: LangDep,
                           principal: CurrentPrincipal) -> Response:
    """The confirmation step before closing: the round's counts and what is still missing."""
    _require_manager(principal, "close dispatch periods")
    summary = service.period_summary(session, period)
    return render(request, "tracking/dispatch_close.html", lang, {
        "summary": summary, "period": period, "missing": service.missing_reports(session, period), "sample": False,
        "item_names": service.item_names(service.tracked_plan(session)),
    })


@router.post("/dispatch/{period}/close", response_class=HTMLResponse)
def dispatch_close(period: PeriodP, request: Request, session: SessionDep, lang: LangDep,
                   principal: CurrentPrincipal, csrf_token: FormStr = "", confirm: FormStr = "") -> Response:
    """Close a round (the office or the region admin) once confirmed (``confirm=yes``; else: the confirmation)."""
    try:
        _check_csrf(request, csrf_token)
        _require_manager(principal, "close dispatch periods")
        if confirm != "yes":
            return RedirectResponse(f"/dispatch/{period}/close?lang={lang}", status_code=303)
        service.close_period(session, period=period, actor=principal.user_id, actor_role=principal.role.value,
                             client_address=client_address(request))
    except TanfengError as exc:
        session.rollback()
        return _dispatch_list(request, session, lang, principal, errors={"form": _error_of(exc)[1]},
                              status_code=_status_of(exc))
    return RedirectResponse(f"/dispatch?lang={lang}&notice=closed", status_code=303)


def _report_bytes(session: Any, principal: Principal, period: str, suffix: str) -> bytes:
    if not _reads_all(principal):
        msg = f"{principal.describe()} may not download the dispatch report (it lists every unit's entries)"
        raise PermissionDeniedError(msg, hint="the office, the auditor and the administrator download it")
    service.get_period(session, period)  # 404 for a round never opened
    report = service.build_dispatch_report(session, period)
    with tempfile.TemporaryDirectory() as tmp:
        out = FsPath(tmp) / f"report{suffix}"
        (render_pdf if suffix == ".pdf" else render_xlsx)(report, out)
        return out.read_bytes()


@router.get("/dispatch/{period}/report.pdf")
def dispatch_report_pdf(period: PeriodP, session: SessionDep, principal: CurrentPrincipal) -> Response:
    """The dispatch report as PDF: the renderer of ``tanfeng report dispatch``, with the entries reported."""
    return file_response(_report_bytes(session, principal, period, ".pdf"), "application/pdf",
                         f"dispatch-{period}.pdf")


@router.get("/dispatch/{period}/report.xlsx")
def dispatch_report_xlsx(period: PeriodP, session: SessionDep, principal: CurrentPrincipal) -> Response:
    """The dispatch report as Excel (the same content as the PDF)."""
    return file_response(_report_bytes(session, principal, period, ".xlsx"), XLSX, f"dispatch-{period}.xlsx")


@router.get("/dispatch/attachments/{attachment_id}")
def dispatch_attachment(attachment_id: Annotated[int, Path(ge=1, le=2_147_483_647)], request: Request,
                        session: SessionDep, principal: CurrentPrincipal) -> Response:
    """An evidence file, for those who may read its unit's entries (404 for everyone else, as for no file)."""
    meta, period, unit, content = service.read_attachment(session, data_dir=request.app.state.settings.data_dir,
                                                           attachment_id=attachment_id)
    if not service.readable_units(principal, {unit}, period):
        msg = f"no attachment {attachment_id}"
        raise NotFoundError(msg)
    safe = "".join(ch if (ch.isascii() and ch.isalnum()) or ch in ".-_" else "_" for ch in meta.filename)
    return file_response(content, meta.media_type, safe or f"attachment-{attachment_id}")
