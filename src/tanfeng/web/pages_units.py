"""Pages of key energy-consuming units: a unit's page and a league's list of units.

``/units/{code}``                       meters, daily completeness, monthly energy (tce) and CO2 (t), report
                                        states, benchmark position; breadcrumbs 内蒙古自治区 › league › county › unit
``/leagues/{code}/units[?county=…]``    the units of a league or of one of its counties (filter by industry,
                                        search by name or credit code, sort; ``…/units/export.csv|xlsx``
                                        downloads what the filters show)

Only for principals that may read the unit's data (the same rule as ``/api/units``); the list only for those
who may read the league's (or the county's) enterprise data as a whole — the region admin, office and
auditor, the league's officer, the county's officer with ``?county=`` — anyone else gets the 403 page.
Pages that show sample units say 示例数据. The pages only arrange what :mod:`tanfeng.services.key_units` returns.
"""

from __future__ import annotations

import hmac
from datetime import date
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from tanfeng.access import Action, Principal, Role, authorize
from tanfeng.access import require as require_permission
from tanfeng.errors import (
    AuthError,
    ConflictError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
    TanfengError,
)
from tanfeng.reference.regions import get_region
from tanfeng.services import key_units as service
from tanfeng.services import tracking as tracking_service
from tanfeng.web.deps import LangDep, LoggedIn, SessionDep, sign
from tanfeng.web.downloads import column_titles, csv_response, export_notes, xlsx_response
from tanfeng.web.i18n import Lang, gettext, pgettext
from tanfeng.web.pages import render

__all__ = ["MAX_UPLOAD_BYTES", "REGION_CODE", "UNIT_EXPORT_COLUMNS", "CountyCode", "Industry", "LeagueCode",
           "breadcrumbs", "router", "unit_search_text"]

router = APIRouter(include_in_schema=False)

REGION_CODE = "150000"

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
"""The largest annual-report workbook a unit's page accepts."""

_NOTICES = {"uploaded": "The annual report was uploaded", "submit": "Submitted for review",
            "review": "Review started", "approve": "Approved", "return": "Returned to the unit"}
"""What the page says after a form went through (``?notice=``), in the message catalogue."""


def _name(code: str) -> str:
    """The region's Chinese name, or the code itself when the catalogue does not know it (sample counties)."""
    try:
        return get_region(code).name_zh
    except (TanfengError, KeyError):
        return code


def _region_label(code: str | None) -> str | None:
    """A region code as an export's filter line shows it: 东胜区 (150602); the code alone when unknown."""
    if not code:
        return None
    name = _name(code)
    return code if name == code else f"{name} ({code})"


def _known(code: str) -> bool:
    try:
        get_region(code)
    except (TanfengError, KeyError):
        return False
    return True


def breadcrumbs(league: str, county: str | None = None) -> list[tuple[str, str, bool]]:
    """(code, name, whether the region catalogue knows it) from the region down to the league and, when
    given, the county; the pages link only the known ones (``/regions/{code}`` of an unknown code is 404)."""
    crumbs = [(REGION_CODE, _name(REGION_CODE), True), (league, _name(league), _known(league))]
    if county and county != league:
        crumbs.append((county, _name(county), _known(county)))
    return crumbs


def _unit_page(request: Request, session: Session, lang: Lang, principal: Principal, code: str, *,
               error: str | None = None, status_code: int = 200) -> Response:
    detail = service.get_unit(session, code)
    resource = service.unit_data(code, detail.county)
    require_permission(principal, Action.READ, resource)
    overview = service.unit_overview(session, request.app.state.settings, code)
    sid = getattr(request.state, "sid", None)
    notice = _NOTICES.get(request.query_params.get("notice", ""))
    people = {r.updated_by for r in overview.reports} | {r.reviewed_by for r in overview.reports if r.reviewed_by}
    return render(request, "units/unit.html", lang, {
        "names": tracking_service.display_names(session, people),
        "o": overview, "sample": overview.sample, "state_zh": service.STATE_ZH, "kind_zh": service.KIND_ZH,
        "crumbs": breadcrumbs(detail.league, detail.county),
        "may_list": service.may_list_units(principal, detail.league),
        "may_list_county": service.may_list_units(principal, detail.county),
        "may_file": authorize(principal, Action.UPDATE, resource).allowed,
        "may_review": authorize(principal, Action.REVIEW, resource).allowed,
        "csrf": sign(request, "csrf", sid) if sid else None, "report_year": date.today().year - 1,
        "notice": gettext(lang, notice) if notice else None, "error": error},
        status_code=status_code)


@router.get("/units/{code}")
def unit_page(request: Request, code: Annotated[str, Path(max_length=18)], session: SessionDep, lang: LangDep,
              principal: LoggedIn) -> Response:
    """A unit's page: its figures with their dates and sources, its annual reports with the review comments;
    the unit downloads the template and uploads it here, a reviewer returns or approves it."""
    return _unit_page(request, session, lang, principal, code)


def _check_form(request: Request, token: str) -> None:
    sid = getattr(request.state, "sid", None)
    if sid is None:
        msg = "this form needs a browser login"
        raise AuthError(msg, hint="log in at /login and send the form again")
    if not hmac.compare_digest(token, sign(request, "csrf", sid)):
        msg = "the form's CSRF token does not match this session"
        raise PermissionDeniedError(msg, hint="reload the page and send the form again")


_FORM_STATUS: tuple[tuple[type[TanfengError], int], ...] = (
    (AuthError, 401), (PermissionDeniedError, 403), (NotFoundError, 404), (ConflictError, 409))


def _form_failed(request: Request, session: Session, lang: Lang, principal: Principal, code: str,
                 exc: TanfengError) -> Response:
    """The unit's page again with the error in place (a refusal of the page itself stays the error page)."""
    status = next((s for cls, s in _FORM_STATUS if isinstance(exc, cls)), 422)
    if status in (401, 403, 404):
        raise exc
    where = ", ".join(f"{k} {v}" for k, v in exc.to_dict().items() if k in ("file", "row", "field") and v)
    text = exc.message + (f" ({where})" if where else "") + (f" — {exc.hint}" if exc.hint else "")
    return _unit_page(request, session, lang, principal, code, error=text, status_code=status)


def _guard_unit(session: Session, principal: Principal, action: Action, code: str) -> None:
    resource = service.unit_resource(session, code)
    if resource is None:
        msg = f"unit '{code}' is not in the registry"
        raise NotFoundError(msg)
    require_permission(principal, action, resource)


@router.post("/units/{code}/reports/upload")
async def upload_report(request: Request, code: Annotated[str, Path(max_length=18)], session: SessionDep,
                        lang: LangDep, principal: LoggedIn, file: UploadFile,
                        csrf_token: Annotated[str, Form()] = "") -> Response:
    """File the filled annual-report workbook from the unit's page (xlsx, at most 5 MiB)."""
    try:
        _check_form(request, csrf_token)
        await run_in_threadpool(_guard_unit, session, principal, Action.UPDATE, code)
        data = await file.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES or not (file.filename or "").lower().endswith(".xlsx"):
            msg = f"'{file.filename}' is not an .xlsx workbook of at most {MAX_UPLOAD_BYTES // 1024 // 1024} MiB"
            raise InputError(msg, hint="download the template from this page, fill it in and upload it")
        await run_in_threadpool(service.upload_report, session, code, data, filename=file.filename or "upload.xlsx",
                                actor=principal.user_id, actor_role=principal.role.value)
    except TanfengError as exc:
        return await run_in_threadpool(_form_failed, request, session, lang, principal, code, exc)
    return RedirectResponse(f"/units/{code}?lang={lang}&notice=uploaded#reports", status_code=303)


@router.post("/units/{code}/reports/{report_id}/{action}")
def report_action(request: Request, code: Annotated[str, Path(max_length=18)],
                  report_id: Annotated[int, Path(ge=1, le=2_147_483_647)],
                  action: Literal["submit", "review", "approve", "return"], session: SessionDep, lang: LangDep,
                  principal: LoggedIn, csrf_token: Annotated[str, Form()] = "",
                  comments: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Move a report along its workflow from the unit's page: the unit submits, a reviewer reviews, approves
    or returns it with comments."""
    try:
        _check_form(request, csrf_token)
        _guard_unit(session, principal, Action.SUBMIT if action == "submit" else Action.REVIEW, code)
        service.transition(session, code, report_id, action, actor=principal.user_id,
                           comments=comments.strip() or None, actor_role=principal.role.value)
    except TanfengError as exc:
        return _form_failed(request, session, lang, principal, code, exc)
    return RedirectResponse(f"/units/{code}?lang={lang}&notice={action}#reports", status_code=303)


def _league_units(session: Session, principal: Principal, code: str, county: str | None,
                  industry: str | None) -> list[service.UnitInfo]:
    """The units of league ``code`` (or its county) the caller may list, refused as the page refuses."""
    if not code.endswith("00") or code.endswith("0000"):
        msg = f"{code} is not a league code (a league's code ends in 00, e.g. 150600)"
        raise InputError(msg, hint="open /regions/150000 and pick a league")
    if county is not None and (county[:4] != code[:4] or county.endswith("00")):
        msg = f"county {county} is not a county of league {code}"
        raise InputError(msg, hint=f"a county of {code} has a code {code[:4]}01…{code[:4]}99")
    scope = county or code
    if not service.may_list_units(principal, scope):
        who = principal.describe()
        msg = f"denied: {who} may not list the key units of {scope}"
        hint = (f"your county's list is /leagues/{code}/units?county={principal.region_code}"
                if principal.role is Role.COUNTY and principal.region_code and principal.region_code[:4] == code[:4]
                else None)
        raise PermissionDeniedError(msg, hint=hint)
    return service.visible_units(session, principal, league=code, county=county, industry=industry)


LeagueCode = Annotated[str, Path(pattern=r"^\d{6}$")]
CountyCode = Annotated[str | None, Query(pattern=r"^\d{6}$")]
Industry = Annotated[str | None, Query(max_length=8)]


@router.get("/leagues/{code}/units")
def league_units(request: Request, code: LeagueCode, session: SessionDep, lang: LangDep, principal: LoggedIn,
                 industry: Industry = None, county: CountyCode = None) -> Response:
    """A league's units, or one county's (only those the caller may read), searchable, sortable, exportable."""
    rows = _league_units(session, principal, code, county, industry)
    filters = {k: v for k, v in (("county", county), ("industry", industry), ("lang", lang)) if v}
    return render(request, "units/league.html", lang, {
        "league": code, "league_name": _name(code), "county": county, "units": rows, "industry": industry,
        "sample": any(u.sample for u in rows), "crumbs": breadcrumbs(code, county), "export_qs": urlencode(filters)})


UNIT_EXPORT_COLUMNS = ("name", "code", "league", "county", "industry", "level", "meters", "sample_note")
_UNIT_HEADERS = ("name", "credit code", "league", "county", "industry (GB/T 4754)", "level", "meters", "data")
"""The export's column titles: msgids of the catalogue's context ``units export`` (English as written)."""


def unit_search_text(u: service.UnitInfo) -> str:
    """What the units list's search box matches (its rows' ``data-search``): the name and the credit code."""
    return f"{u.name} {u.code}".lower()


@router.get("/leagues/{code}/units/export.{fmt}")
def league_units_export(fmt: Literal["csv", "xlsx"], code: LeagueCode, session: SessionDep, lang: LangDep,
                        principal: LoggedIn, industry: Industry = None, county: CountyCode = None,
                        q: Annotated[str | None, Query(max_length=100)] = None) -> Response:
    """The list the page's filters and search box show, with the filters and the export time (Beijing time) in
    the file."""
    rows = _league_units(session, principal, code, county, industry)
    search = (q or "").strip()
    if search:
        rows = [u for u in rows if search.lower() in unit_search_text(u)]
    out = [{**u.model_dump(), "league": _name(u.league), "county": _name(u.county),
            "level": pgettext(lang, "unit level", u.level), "sample_note": "示例数据" if u.sample else ""}
           for u in rows]
    text = {k: pgettext(lang, "units export", k) for k in ("county", "industry", "search")}
    notes = export_notes(lang, pgettext(lang, "units export", "%(region)s key energy-consuming units")
                         % {"region": _name(code)},
                         [(text["county"], _region_label(county)), (text["industry"], industry),
                          (text["search"], search)], len(out))
    name = f"units-{county or code}.{fmt}"
    headers = column_titles(lang, "units export", _UNIT_HEADERS)
    if fmt == "csv":
        return csv_response(out, UNIT_EXPORT_COLUMNS, name, headers=headers, notes=notes)
    return xlsx_response(out, UNIT_EXPORT_COLUMNS, name, sheet=pgettext(lang, "units export", "key units"),
                         headers=headers, notes=notes)
