"""Pages for people: the plan dashboard, each target's source sentence, the audit log. Chinese first (``?lang=en``).

``/audit`` (region admin, office, auditor; read-only): the newest audit entries with who, when (Beijing time),
role, action, entity and a before → after summary, filters by user, day, entity (and id) and action, pages, the
chain's verification and current anchor; ``/audit/export.csv|xlsx`` exports what the filters show.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.routing import Match

from tanfeng.access import Action, Principal, Resource, ResourceKind, authorize
from tanfeng.access import require as require_permission
from tanfeng.audit.changes import diff
from tanfeng.errors import InputError, at
from tanfeng.plan.model import Plan, Target
from tanfeng.services import accounts
from tanfeng.services import audit as audit_service
from tanfeng.services import key_units as units_service
from tanfeng.services import plans as service
from tanfeng.services.tracking import region_name
from tanfeng.web.deps import CurrentPrincipal, LangDep, LoggedIn, SessionDep, sign
from tanfeng.web.downloads import column_titles, csv_response, export_notes, xlsx_response
from tanfeng.web.i18n import Lang, field_text, format_target, gettext, install, pgettext, translator

__all__ = ["AUDIT_EXPORT_COLUMNS", "AUDIT_PAGE_SIZES", "BEIJING", "AuditDay", "AuditText", "audit_page", "beijing_time", "can_read_audit", "dashboard", "lang_switch_url", "principal_of",
           "render", "router", "target_page", "templates"]

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
install(templates.env)

BEIJING = ZoneInfo("Asia/Shanghai")
"""Times on pages and in exports are Beijing time (UTC+8)."""


def beijing_time(at: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """``at`` in Beijing time (a naive datetime is taken as UTC, as the store keeps it); empty for ``None``."""
    if at is None:
        return ""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(BEIJING).strftime(fmt)


templates.env.globals["beijing"] = beijing_time
templates.env.globals["region_name"] = region_name
"""A region's Chinese name by its code (the code itself when the catalogue does not know it)."""


def principal_of(request: Request) -> Principal:
    """Who is asking, as the app-wide dependency found it (the public when it did not run)."""
    principal = getattr(request.state, "principal", None)
    return principal if isinstance(principal, Principal) else Principal.anonymous()


def _units_here(request: Request) -> Callable[[str], units_service.RegionUnits | None]:
    """For templates: the key units of a league or county the visitor may read (and how many in all)."""
    def lookup(code: str) -> units_service.RegionUnits | None:
        with request.app.state.sessions() as session:
            return units_service.units_in_region(session, code, principal_of(request))
    return lookup


def can_read_audit(principal: Principal) -> bool:
    """Whether the principal may read the audit log (region admin, office, auditor)."""
    return authorize(principal, Action.READ, Resource(kind=ResourceKind.AUDIT_LOG)).allowed


def _get_page(request: Request) -> str:
    """The address a GET can reach for this page: the request's own for a GET; after a form was posted
    (``POST /dispatch/2025Q3/entries``), the nearest page above it that answers GET (``/dispatch/2025Q3``)."""
    if request.method in ("GET", "HEAD"):
        return request.url.path
    path = request.url.path.rstrip("/") or "/"
    while True:
        scope = {"type": "http", "path": path, "method": "GET", "root_path": ""}
        if any(route.matches(scope)[0] is Match.FULL for route in request.app.router.routes):
            return path
        if path == "/":
            return "/"
        path = path.rsplit("/", 1)[0] or "/"


def lang_switch_url(request: Request, lang: Lang) -> str:
    """The same page in ``lang``: the GET address of the page (see :func:`_get_page`), its other query
    parameters kept when it was a GET."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"] if request.method == "GET" else []
    return _get_page(request) + "?" + urlencode([*query, ("lang", lang)])


def render(request: Request, name: str, lang: Lang, context: dict[str, Any], *, status_code: int = 200) -> Response:
    """A page with the common context: language, texts, the logged-in user and their logout CSRF token,
    whether the header links the audit page, and ``units_here(code)`` for the drill-down pages."""
    user = getattr(request.state, "user", None)
    sid = getattr(request.state, "sid", None)
    viewer = principal_of(request)
    response = templates.TemplateResponse(request, name, {
        "lang": lang, "t": translator(lang), "lang_switch": lang_switch_url(request, "en" if lang == "zh" else "zh"),
        "current_user": user, "viewer": viewer,
        "may_read_audit": can_read_audit(viewer), "units_here": _units_here(request),
        "logout_csrf": sign(request, "csrf", sid) if user is not None and sid else None, **context},
        status_code=status_code)
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response


_render = render


def _labels(plan: Plan) -> tuple[dict[str, str], dict[str, str]]:
    action_label = {a.id: f"({a.numeral}) {a.title}" for a in plan.actions}
    action_label.update({p.id: p.title for p in plan.parts})
    scope_label = dict(service.scope_labels(plan))
    return action_label, scope_label


def _row(t: Target, plan_labels: tuple[dict[str, str], dict[str, str]], lang: Lang) -> dict[str, Any]:
    action_label, scope_label = plan_labels
    return {
        **t.model_dump(mode="json"),
        "action_label": action_label.get(t.action or "", t.action or ""),
        "scope_label": scope_label.get(t.scope, t.scope),
        "display": format_target(t.comparator.value, t.value, t.unit, value_high=t.value_high,
                                 baseline_year=t.baseline_year, qualifier=t.qualifier, lang=lang),
        "certainty": t.source.certainty.value,
    }


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, session: SessionDep, lang: LangDep) -> Response:
    """The plan dashboard: counts, the filterable target table, the actions with their measures."""
    plan = service.get_plan(session, service.default_plan_id(session))
    labels = _labels(plan)
    rows = [_row(t, labels, lang) for t in plan.targets]
    years = sorted({t.year for t in plan.targets if t.year is not None})
    used_actions = {t.action for t in plan.targets}
    action_options = [(k, v) for k, v in labels[0].items() if k in used_actions]
    used_scopes = {t.scope for t in plan.targets}
    scope_options = [(k, v) for k, v in labels[1].items() if k in used_scopes]
    return _render(request, "index.html", lang, {
        "plan": plan, "target_rows": rows, "year_options": years,
        "action_options": action_options, "scope_options": scope_options,
    })


@router.get("/plans/{plan_id}/targets/{target_id}", response_class=HTMLResponse)
def target_page(plan_id: str, target_id: str, request: Request, session: SessionDep, lang: LangDep,
                principal: CurrentPrincipal) -> Response:
    """One target with its source sentence highlighted in context; its change history for audit readers."""
    plan = service.get_plan(session, plan_id)
    target = service.find_target(plan, target_id)
    labels = _labels(plan)
    row = _row(target, labels, lang)
    context = service.source_context(session, plan_id, target_id)
    restates, restated_by = service.target_relations(session, plan_id, target_id)
    history = audit_service.target_history(session, plan_id, target_id) if can_read_audit(principal) else None
    return _render(request, "target.html", lang, {
        "restates": restates, "restated_by": restated_by,
        "plan": plan, "target": target, "display": row["display"], "scope_label": row["scope_label"],
        "action_label": row["action_label"], "context": context if context.found else None, "history": history,
        "names": {u.username: u.display_name for u in accounts.list_users(session)} if history else {},
    })


AUDIT_PAGE_SIZES = (50, 100, 200, 500)
_SUMMARY_CHANGES = 6
_SUMMARY_TEXT = 80


def _short(value: Any) -> str:
    """A value as short JSON-ish text for the diff summary."""
    import json

    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= _SUMMARY_TEXT else text[: _SUMMARY_TEXT - 1] + "…"


def _summary(before: Any, after: Any) -> dict[str, Any]:
    """The first changed fields of an entry (pointer, kind, short before and after) and how many more."""
    changes = diff(before, after)
    shown = [{"pointer": c.pointer or "/", "kind": c.kind,
              "before": None if c.before is None else _short(c.before),
              "after": None if c.after is None else _short(c.after)} for c in changes[:_SUMMARY_CHANGES]]
    return {"changes": shown, "more": max(0, len(changes) - _SUMMARY_CHANGES)}


AuditDay = Annotated[str | None, Query(max_length=10, description="a day in Beijing time, YYYY-MM-DD (empty: open)")]
AuditText = Annotated[str | None, Query(max_length=300)]


def _clean(v: str | None) -> str | None:
    return (v or "").strip() or None


def _day(field: str, v: str | None) -> date | None:
    """A form's day (an empty field leaves the filter open)."""
    text = _clean(v)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        msg = f"{field} '{text}' is not a day (YYYY-MM-DD)"
        raise InputError(msg, location=at(field=field)) from None


def _audit_query(actor: str | None, action: str | None, entity: str | None, entity_id: str | None,
                 date_from: str | None, date_to: str | None) -> audit_service.AuditQuery:
    return audit_service.AuditQuery(actor=_clean(actor), action=_clean(action), entity=_clean(entity),
                                    entity_id=_clean(entity_id), date_from=_day("date_from", date_from),
                                    date_to=_day("date_to", date_to))


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, session: SessionDep, lang: LangDep, principal: LoggedIn,
               entity: AuditText = None, entity_id: AuditText = None, actor: AuditText = None,
               action: AuditText = None, date_from: AuditDay = None, date_to: AuditDay = None,
               limit: Annotated[int, Query(ge=1, le=500)] = 100,
               before: Annotated[int | None, Query(ge=1)] = None) -> Response:
    """The audit log, newest first, read-only, filtered by user, day (Beijing time), entity and action, a page at
    a time (``before``: entries below that seq); the chain verified from its last checkpoint, the anchor to
    publish; links to export what the filters show."""
    require_permission(principal, Action.READ, Resource(kind=ResourceKind.AUDIT_LOG, id="the audit log"))
    query = _audit_query(actor, action, entity, entity_id, date_from, date_to)
    found = audit_service.search(session, query, limit=limit, before=before)
    verified = audit_service.verify_incremental(session)
    rows = found.entries
    shown = [{"e": e, "summary": _summary(e.before, e.after)} for e in rows]
    entities = sorted({e.entity for e in rows} | ({query.entity} if query.entity else set()))
    users = accounts.list_users(session)
    filters = {k: v for k, v in query.model_dump(mode="json").items() if v is not None}
    return _render(request, "audit.html", lang, {
        "rows": shown, "entity": query.entity, "entity_id": query.entity_id, "q": query, "limit": limit,
        "entities": entities, "actions": audit_service.known_actions(session), "users": users,
        "names": {u.username: u.display_name for u in users},
        "total": found.total, "before": before,
        "older": rows[-1].seq if len(rows) == limit and rows[-1].seq > 1 else None,
        "filter_qs": urlencode({**filters, "limit": limit, "lang": lang}), "export_qs": urlencode({**filters, "lang": lang}),
        "sizes": AUDIT_PAGE_SIZES, "verified": verified, "anchor": str(verified.last) if verified.ok and verified.last
        else None})


AUDIT_EXPORT_COLUMNS = ("seq", "ts", "actor", "actor_role", "client_address", "action", "entity", "entity_id",
                        "changes")
_AUDIT_HEADERS = ("seq", "time (Beijing)", "user", "role", "address", "action", "entity", "record id", "changes")
"""The export's column titles: msgids of the catalogue's context ``audit export`` (English as written)."""
_AUDIT_FILTERS = {"actor": "user", "action": "action", "entity": "entity", "entity_id": "record id",
                  "date_from": "from", "date_to": "to"}
"""A filter of the audit page → its name in the export's notes (context ``audit export``)."""


def _audit_text(lang: Lang, msgid: str) -> str:
    return pgettext(lang, "audit export", msgid)


def _export_notes(query: audit_service.AuditQuery, lang: Lang, total: int, shown: int) -> list[str]:
    given = [(_audit_text(lang, _AUDIT_FILTERS.get(k, k)), v) for k, v in query.model_dump(mode="json").items()]
    return export_notes(lang, _audit_text(lang, "Audit log export"), given, shown, total=total)


@router.get("/audit/export.{fmt}")
def audit_export(fmt: Literal["csv", "xlsx"], session: SessionDep, lang: LangDep, principal: LoggedIn,
                 entity: AuditText = None, entity_id: AuditText = None, actor: AuditText = None,
                 action: AuditText = None, date_from: AuditDay = None, date_to: AuditDay = None) -> Response:
    """What the audit page's filters show, every page of it (up to the export limit), with the filters and the
    export time in the file."""
    require_permission(principal, Action.READ, Resource(kind=ResourceKind.AUDIT_LOG, id="the audit log"))
    query = _audit_query(actor, action, entity, entity_id, date_from, date_to)
    found = audit_service.search(session, query, limit=audit_service.EXPORT_LIMIT)
    rows = []
    for e in found.entries:
        changes = _summary(e.before, e.after)["changes"]
        rows.append({"seq": e.seq, "ts": beijing_time(e.ts, "%Y-%m-%d %H:%M:%S"), "actor": e.actor,
                     "actor_role": pgettext(lang, "role", e.actor_role), "client_address": e.client_address,
                     "action": gettext(lang, e.action), "entity": gettext(lang, e.entity), "entity_id": e.entity_id,
                     "changes": "; ".join(f"{field_text(lang, c['pointer'])}: {c['before'] or ''} → {c['after'] or ''}"
                                          for c in changes)})
    notes = _export_notes(query, lang, found.total, len(rows))
    headers = column_titles(lang, "audit export", _AUDIT_HEADERS)
    name = f"audit-log-{datetime.now(UTC).astimezone(BEIJING):%Y%m%d-%H%M}.{fmt}"
    if fmt == "csv":
        return csv_response(rows, AUDIT_EXPORT_COLUMNS, name, headers=headers, notes=notes)
    return xlsx_response(rows, AUDIT_EXPORT_COLUMNS, name, sheet=_audit_text(lang, "audit log"),
                         headers=headers, notes=notes)
