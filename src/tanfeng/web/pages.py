"""Pages for people: the plan dashboard and each target's source sentence. Chinese first (``?lang=en``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from tanfeng.access import Action, Resource, ResourceKind, authorize
from tanfeng.plan.model import Plan, Target
from tanfeng.services import accounts
from tanfeng.services import audit as audit_service
from tanfeng.services import plans as service
from tanfeng.web.deps import CurrentPrincipal, LangDep, SessionDep, sign
from tanfeng.web.i18n import Lang, format_target, translator

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def render(request: Request, name: str, lang: Lang, context: dict[str, Any], *, status_code: int = 200) -> Response:
    """A page with the common context: language, texts, the logged-in user and their logout CSRF token."""
    user = getattr(request.state, "user", None)
    sid = getattr(request.state, "sid", None)
    response = templates.TemplateResponse(request, name, {
        "lang": lang, "t": translator(lang),
        "current_user": user, "role_labels": accounts.ROLE_LABELS,
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
    return _render(request, "target.html", lang, {
        "plan": plan, "target": target, "display": row["display"], "scope_label": row["scope_label"],
        "action_label": row["action_label"], "context": context if context.found else None,
        "history": (audit_service.target_history(session, plan_id, target_id)
                    if authorize(principal, Action.READ, Resource(kind=ResourceKind.AUDIT_LOG)).allowed else None),
    })
