"""The review page of a plan drafted from a text (office and region admins).

``/plans/{id}/review``   GET: the text with each target's sentence highlighted beside its fields;
                         POST: the review (accept, correct, reject, add) saved as the plan's reviewed version.

The page posts one form field, ``review``: the JSON of :func:`tanfeng.plan.draft.apply_review` that the
page's script builds from the choices made (``static/js/plan_review.js``). Saving is audited.
"""

from __future__ import annotations

import hmac
import json
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tanfeng.access import Action, Principal, Resource, ResourceKind
from tanfeng.errors import AuthError, InputError, PermissionDeniedError, TanfengError, at
from tanfeng.services import plans as service
from tanfeng.web.deps import LangDep, SessionDep, require, sign
from tanfeng.web.i18n import COMPARATOR_TEXT
from tanfeng.web.pages import render

__all__ = ["PlanP", "Reviewer", "router"]

router = APIRouter(include_in_schema=False)

PlanP = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.\-]+$")]


def _plan_resource(plan_id: PlanP) -> Resource:
    return Resource(kind=ResourceKind.PLAN, id=plan_id)


Reviewer = Annotated[Principal, require(Action.REVIEW, _plan_resource)]


def _check_csrf(request: Request, token: str) -> None:
    sid = getattr(request.state, "sid", None)
    if sid is None:
        msg = "this form needs a login"
        raise AuthError(msg, hint="log in at /login and send the form again")
    if not hmac.compare_digest(token, sign(request, "csrf", sid)):
        msg = "the form's CSRF token does not match this session"
        raise PermissionDeniedError(msg, hint="reload the page and send the form again")


def _page(request: Request, session: SessionDep, lang: LangDep, plan_id: str, *, error: str | None = None,
          notice: str | None = None, status_code: int = 200) -> Response:
    view = service.review_view(session, plan_id)
    return render(request, "plans/review.html", lang, {
        "view": view, "plan": view.plan, "segments": view.segments, "error": error, "notice": notice,
        "comparators": [(c, COMPARATOR_TEXT[c][lang]) for c in
                        ("=", "≥", "≤", ">", "<", "≈", "between", "decrease_by", "increase_by")],
    }, status_code=status_code)


@router.get("/plans/{plan_id}/review", response_class=HTMLResponse)
def review_page(plan_id: PlanP, request: Request, session: SessionDep, lang: LangDep, principal: Reviewer,
                saved: int | None = None) -> Response:
    """The plan's text with its targets highlighted, and a form to accept, correct, reject or add targets."""
    del principal
    return _page(request, session, lang, plan_id, notice="saved" if saved else None)


@router.post("/plans/{plan_id}/review", response_class=HTMLResponse)
def review_save(plan_id: PlanP, request: Request, session: SessionDep, lang: LangDep, principal: Reviewer,
                csrf_token: Annotated[str, Form()] = "", review: Annotated[str, Form()] = "{}") -> Response:
    """Save the review as the plan's next version (audited); an invalid review re-renders the page with the error."""
    try:
        _check_csrf(request, csrf_token)
        try:
            data = json.loads(review)
        except json.JSONDecodeError as exc:
            msg = f"the review is not valid JSON ({exc.msg})"
            raise InputError(msg, location=at(field="review")) from exc
        if not isinstance(data, dict):
            msg = "the review must be an object with accept, reject, correct, add"
            raise InputError(msg, location=at(field="review"))
        service.review_plan(session, plan_id, data, actor=principal.user_id)
    except TanfengError as exc:
        if isinstance(exc, AuthError | PermissionDeniedError):
            raise
        return _page(request, session, lang, plan_id, error=str(exc), status_code=422)
    return RedirectResponse(f"/plans/{plan_id}/review?lang={lang}&saved=1", status_code=303)
