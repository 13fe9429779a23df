"""Pages of dual control and early warning: home indicators, the league map, the target board, drill-down.

``/overview``         the region's headline indicators against their 2025 and 2030 targets, warning counts, a
                      map of the 12 leagues coloured by warning level or by an indicator (click to drill down)
``/board``            every plan target with status, progress bar and sparkline; filters by action, league,
                      status (kept in the URL, so a filtered board can be shared)
``/regions/{code}``   region → league → county with breadcrumbs: figures, rules applied, targets, a trend chart
``/dispatch``         dispatch rounds (open/closed, due date, reported and missing units); the office opens and
                      closes rounds here
``/dispatch/{period}`` a round's entries (latest version, who, when, every version), missing units, and for a
                      league, county or department user a form to report for its own unit (CSRF-checked posts)

Chinese first (``?lang=en``). Every page that shows sample data says 示例数据. Charts are ECharts served from
``/static/vendor/echarts`` (no CDN); each can be saved as PNG and its data downloaded as CSV and Excel from
``/api/tracking``. The pages only arrange what :mod:`tanfeng.services.tracking` returns.
"""

from __future__ import annotations

import hmac
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
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
from tanfeng.reference.indicators import label_of, map_ids, trend_ids
from tanfeng.reference.regions import get_region
from tanfeng.services import regions as region_service
from tanfeng.services import tracking as service
from tanfeng.web.deps import CurrentPrincipal, LangDep, SessionDep, client_address, sign
from tanfeng.web.i18n import format_target
from tanfeng.web.pages import render

__all__ = [
    "FORM_FIELDS",
    "FormStr",
    "PeriodP",
    "YearQ",
    "board",
    "dispatch_close",
    "dispatch_list",
    "dispatch_open",
    "dispatch_period",
    "dispatch_submit",
    "overview",
    "region_page",
    "router",
]


router = APIRouter(include_in_schema=False)

YearQ = Annotated[int | None, Query(ge=2000, le=2100)]


def _display(t: service.TargetTrack, lang: Any) -> str:
    return format_target(t.comparator, t.target, t.target_unit, value_high=t.target_high,
                         baseline_year=t.baseline_year if t.comparator in ("decrease_by", "increase_by") else None,
                         lang=lang)


def _headline(rows: list[service.HeadlineRow], lang: Any) -> list[dict[str, Any]]:
    """The region's main targets with their 2025 and 2030 targets written for ``lang``."""
    return [{**r.model_dump(mode="json", exclude={"t2025", "t2030"}),
             "t2025": None if r.t2025 is None else _display(r.t2025, lang),
             "t2030": None if r.t2030 is None else _display(r.t2030, lang)} for r in rows]


@router.get("/overview", response_class=HTMLResponse)
def overview(request: Request, session: SessionDep, lang: LangDep, year: YearQ = None,
             colour: Annotated[str, Query(pattern=r"^[a-z0-9_]+$")] = "warning") -> Response:
    """The region's headline indicators, warning counts and the league map."""
    ov = service.overview(session, year=year)
    colours = map_ids()
    return render(request, "tracking/overview.html", lang, {
        "changes": service.changes_since_last_period(session),
        "year": ov.year, "region": ov.region, "figures": ov.figures, "headline": _headline(ov.headline, lang),
        "counts": ov.counts, "warnings": ov.warnings, "map_rows": [m.model_dump(mode="json") for m in ov.map_rows],
        "colour": colour if colour in (*colours, "warning") else "warning",
        "colour_indicators": [(i, label_of(i)) for i in colours], "sample": ov.sample,
        "ruleset_note": service.REQUIRED_NOTE,
    })


@router.get("/board", response_class=HTMLResponse)
def board(request: Request, session: SessionDep, lang: LangDep, year: YearQ = None,
          plan: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_.\-]+$")] = None) -> Response:
    """Every plan target with status, progress and sparkline; filterable by plan, action, league and status."""
    view = service.board(session, year=year, plan=plan)
    rows = [{**r.model_dump(mode="json"), "display": _display(r, lang)} for r in view.rows]
    return render(request, "tracking/board.html", lang, {
        "rows": rows, "action_options": view.action_options, "league_options": view.league_options,
        "status_options": view.status_options, "sample": view.sample, "year": year,
        "plan_options": view.plan_options, "plan": plan,
    })


def _breadcrumbs(code: str) -> list[tuple[str, str]]:
    chain: list[tuple[str, str]] = []
    cur: str | None = code
    while cur is not None:
        r = get_region(cur)
        chain.append((r.code, r.name_zh))
        cur = r.parent
    return list(reversed(chain))


@router.get("/regions/{code}", response_class=HTMLResponse)
def region_page(code: Annotated[str, Path(pattern=r"^\d{6}$")], request: Request, session: SessionDep,
                lang: LangDep, year: YearQ = None) -> Response:
    """Drill-down: the region, a league or a county, with breadcrumbs and links one level down."""
    here = region_service.get_region(session, code)
    code = here.code  # a legacy code resolves to the current one
    crumbs = _breadcrumbs(code)
    children = region_service.list_regions(session, parent=code)
    view = service.region_overview(session, region=code, year=year)
    st, levels = view.status, view.warnings
    child_rows = [{"code": c.code, "name": c.name_zh, "warning": levels.get(c.code)} for c in children]
    return render(request, "tracking/region.html", lang, {
        "here": here, "crumbs": crumbs, "status": st, "warning": levels.get(code), "children": child_rows,
        "trend_indicators": [(i, label_of(i)) for i in trend_ids()],
        "sample": bool(st and st.sample), "year": st.year if st else year,
        "display": {t.target_id + t.scope: _display(t, lang) for t in (st.targets if st else [])},
    })


# --------------------------------------------------------------------------------------------------- dispatch

PeriodP = Annotated[str, Path(pattern=r"^\d{4}(?:Q[1-4]|-(?:0[1-9]|1[0-2]))?$")]
FormStr = Annotated[str, Form()]
FORM_FIELDS = ("unit", "item", "value", "value_unit", "measure_status", "evidence", "as_of")
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


def _dispatch_resource(unit: str, period: str) -> Resource:
    is_code = unit.isdigit() and len(unit) == 6
    return Resource(kind=ResourceKind.DISPATCH, id=f"{period}/{unit}", region_code=unit if is_code else None,
                    departments=() if is_code else (unit,))


def _own_units(p: Principal, period: str) -> list[str]:
    """The units the user reports for on the form (a league, county or department; never "every unit")."""
    if p.role is Role.PUBLIC:
        return []
    units = sorted(u for u in service.actor_units_of(p) if u != service.ALL_UNITS)
    return [u for u in units if authorize(p, Action.SUBMIT, _dispatch_resource(u, period)).allowed]


def _error_of(exc: TanfengError, rename: dict[str, str] | None = None) -> tuple[str | None, str]:
    field = exc.location.field if exc.location is not None else None
    return (rename or {}).get(field or "", field), exc.message + (f" — {exc.hint}" if exc.hint else "")


def _status_of(exc: TanfengError) -> int:
    if isinstance(exc, PermissionDeniedError):
        return 403
    if isinstance(exc, AuthError):
        return 401
    if isinstance(exc, ConflictError):
        return 409
    if isinstance(exc, NotFoundError):
        return 404
    return 422


def _dispatch_list(request: Request, session: Any, lang: Any, principal: Principal, *,
                   form: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                   status_code: int = 200) -> Response:
    return render(request, "tracking/dispatch.html", lang, {
        "summaries": service.period_summaries(session), "can_manage": _can_manage(principal),
        "form": form or {}, "errors": errors or {}, "notice": request.query_params.get("notice"), "sample": False,
    }, status_code=status_code)


@router.get("/dispatch", response_class=HTMLResponse)
def dispatch_list(request: Request, session: SessionDep, lang: LangDep, principal: CurrentPrincipal) -> Response:
    """Dispatch rounds: open or closed, due date, units reported and missing; the office opens and closes them."""
    return _dispatch_list(request, session, lang, principal)


@router.post("/dispatch", response_class=HTMLResponse)
def dispatch_open(request: Request, session: SessionDep, lang: LangDep, principal: CurrentPrincipal,
                  csrf_token: FormStr = "", period: FormStr = "", due_date: FormStr = "") -> Response:
    """Open a round from the form; an invalid id or date re-renders the form with the error in place."""
    typed = {"period": period.strip(), "due_date": due_date.strip()}
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
                            actor_role=principal.role.value, client_address=client_address(request))
    except TanfengError as exc:
        field, text = _error_of(exc)
        return _dispatch_list(request, session, lang, principal, form=typed,
                              errors={field if field in ("period", "due_date") else "form": text},
                              status_code=_status_of(exc))
    return RedirectResponse(f"/dispatch/{typed['period']}?lang={lang}&notice=opened", status_code=303)


@router.post("/dispatch/{period}/close", response_class=HTMLResponse)
def dispatch_close(period: PeriodP, request: Request, session: SessionDep, lang: LangDep,
                   principal: CurrentPrincipal, csrf_token: FormStr = "") -> Response:
    """Close a round (the office or the region admin)."""
    try:
        _check_csrf(request, csrf_token)
        if not _can_manage(principal):
            msg = f"{principal.describe()} may not close dispatch periods"
            raise PermissionDeniedError(msg)
        service.close_period(session, period=period, actor=principal.user_id, actor_role=principal.role.value,
                             client_address=client_address(request))
    except TanfengError as exc:
        return _dispatch_list(request, session, lang, principal, errors={"form": _error_of(exc)[1]},
                              status_code=_status_of(exc))
    return RedirectResponse(f"/dispatch?lang={lang}&notice=closed", status_code=303)


def _dispatch_page(request: Request, session: Any, lang: Any, principal: Principal, period: str, *,
                   form: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                   status_code: int = 200) -> Response:
    summary = next((s for s in service.period_summaries(session) if s.period.id == period), None)
    if summary is None:
        service.missing_reports(session, period)  # NotFoundError (404) for a period never opened
    units = _own_units(principal, period)
    defaults = {"unit": units[0] if units else "", "as_of": date.today().isoformat()}
    return render(request, "tracking/dispatch_period.html", lang, {
        "summary": summary, "period": period, "entries": service.current_entries(session, period),
        "missing": service.missing_reports(session, period), "own_units": [(u, service.unit_name(u)) for u in units],
        "items": service.item_options(session), "statuses": ("not_started", "in_progress", "done", "blocked"),
        "form": {**defaults, **(form or {})}, "errors": errors or {}, "notice": request.query_params.get("notice"),
        "can_manage": _can_manage(principal), "sample": False,
    }, status_code=status_code)


@router.get("/dispatch/{period}", response_class=HTMLResponse)
def dispatch_period(period: PeriodP, request: Request, session: SessionDep, lang: LangDep,
                    principal: CurrentPrincipal) -> Response:
    """A round's entries with their history, the units still missing, and the entry form for one's own unit."""
    return _dispatch_page(request, session, lang, principal, period)


@router.post("/dispatch/{period}/entries", response_class=HTMLResponse)
def dispatch_submit(period: PeriodP, request: Request, session: SessionDep, lang: LangDep,
                    principal: CurrentPrincipal, csrf_token: FormStr = "", unit: FormStr = "", item: FormStr = "",
                    value: FormStr = "", value_unit: FormStr = "", measure_status: FormStr = "",
                    evidence: FormStr = "", as_of: FormStr = "") -> Response:
    """Report for one's own unit; an invalid field re-renders the form with its error and what was typed."""
    typed = {"unit": unit.strip(), "item": item.strip(), "value": value.strip(), "value_unit": value_unit.strip(),
             "measure_status": measure_status.strip(), "evidence": evidence, "as_of": as_of.strip()}
    try:
        _check_csrf(request, csrf_token)
        decision = authorize(principal, Action.SUBMIT, _dispatch_resource(typed["unit"] or "-", period))
        if not decision.allowed:
            raise PermissionDeniedError(decision.reason)
        kind, _, item_id = typed["item"].partition(":")
        if kind not in ("target", "measure") or not item_id:
            msg = "choose a target or a measure of the plan"
            raise InputError(msg, location=at(field="item"))
        number: float | None = None
        if typed["value"]:
            try:
                number = float(typed["value"])
            except ValueError:
                msg = f"{typed['value']!r} is not a number"
                raise InputError(msg, location=at(field="value")) from None
        try:
            as_of_date = date.fromisoformat(typed["as_of"])
        except ValueError:
            msg = f"{typed['as_of']!r} is not a date (2025-09-30)"
            raise InputError(msg, location=at(field="as_of")) from None
        service.submit_entry(
            session, period=period, unit=typed["unit"], actor=principal.user_id,
            actor_units=service.actor_units_of(principal), as_of=as_of_date,
            target_id=item_id if kind == "target" else None, measure_id=item_id if kind == "measure" else None,
            value=number, value_unit=(typed["value_unit"] or None) if kind == "target" else None,
            measure_status=(typed["measure_status"] or None) if kind == "measure" else None,
            evidence=typed["evidence"], actor_role=principal.role.value, client_address=client_address(request))
    except TanfengError as exc:
        field, text = _error_of(exc, _FIELD_OF)
        return _dispatch_page(request, session, lang, principal, period, form=typed,
                              errors={field if field in FORM_FIELDS else "form": text}, status_code=_status_of(exc))
    return RedirectResponse(f"/dispatch/{period}?lang={lang}&notice=submitted", status_code=303)
