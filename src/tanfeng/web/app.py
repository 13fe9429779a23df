"""The FastAPI application: JSON API under ``/api/``, pages for people, OpenAPI docs at ``/docs``.

Swagger UI is served from a Python package (no CDN): nothing is fetched at run time.

Every request resolves who is asking (:func:`tanfeng.web.deps.get_principal`: API token, session cookie
or the public); errors map to statuses in one handler: a failed login or token 401 (a page that needs a
login redirects to ``/login?next=…`` instead), a refused permission 403, a lock-out 429.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import swagger_ui_bundle
from fastapi import Depends, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from tanfeng import __version__
from tanfeng.config import Settings, get_settings, secret_key
from tanfeng.errors import (
    AssetMissingError,
    AuditChainError,
    AuthError,
    ConflictError,
    FactorNotFoundError,
    InputError,
    LockedOutError,
    NotFoundError,
    PermissionDeniedError,
    StoreError,
    TanfengError,
)
from tanfeng.store.engine import make_engine, make_session_factory
from tanfeng.web import assets, auth, pages, pages_tracking, pages_units
from tanfeng.web.api import accounting, monitoring, plans, regions, tracking, units
from tanfeng.web.deps import get_principal

_HERE = Path(__file__).parent

_STATUS: list[tuple[type[TanfengError], int]] = [
    (LockedOutError, 429),
    (AuthError, 401),
    (PermissionDeniedError, 403),
    (NotFoundError, 404),
    (ConflictError, 409),
    (InputError, 422),
    (FactorNotFoundError, 422),  # a factor for a region/year the library lacks: the message lists what exists
    (AuditChainError, 422),
    (StoreError, 503),
    (AssetMissingError, 503),
]


def _status_for(exc: TanfengError) -> int:
    for cls, status in _STATUS:
        if isinstance(exc, cls):
            return status
    return 500


ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "ErrorResponse",
    "required": ["detail"],
    "properties": {"detail": {"type": "object", "required": ["error", "message"], "properties": {
        "error": {"type": "string"}, "message": {"type": "string"},
        "hint": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "file": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "line": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
        "row": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
        "field": {"anyOf": [{"type": "string"}, {"type": "null"}]}}}},
}
"""The body of every error the platform raises on purpose (:meth:`TanfengError.to_dict` under ``detail``)."""

_ERROR_RESPONSES = {"401": "Not logged in, or a bad API token", "403": "The role may not do this",
                    "404": "No such record", "409": "Conflicts with stored data", "429": "Too many failed logins",
                    "503": "The database or an installed asset is not available"}


def _document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error responses every operation can give to the OpenAPI document (422: either shape)."""
    schema.setdefault("components", {}).setdefault("schemas", {})["ErrorResponse"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/ErrorResponse"}
    for ops in schema.get("paths", {}).values():
        for op in ops.values():
            responses = op.setdefault("responses", {})
            for code, description in _ERROR_RESPONSES.items():
                responses.setdefault(code, {"description": description, "content": {"application/json": {"schema": ref}}})
            invalid = responses.setdefault("422", {"description": "Invalid input", "content": {
                "application/json": {"schema": ref}}})
            body = invalid.setdefault("content", {}).setdefault("application/json", {})
            if "schema" in body and body["schema"] != ref:
                body["schema"] = {"anyOf": [body["schema"], ref]}
            else:
                body["schema"] = ref
    return schema


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application for ``settings`` (read from the environment when omitted)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="tanfeng 碳峰",
        version=__version__,
        description="碳达峰实施方案管理平台 API: the plan as data, regions, and (later) accounting and tracking.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        dependencies=[Depends(get_principal)],
    )
    engine = make_engine(settings.database_url)
    app.state.settings = settings
    app.state.secret_key = secret_key(settings)
    app.state.login_guard = None  # read from login_events on the first login
    app.state.engine = engine
    app.state.sessions = make_session_factory(engine)

    @app.exception_handler(TanfengError)
    async def _tanfeng_error(request: Request, exc: TanfengError) -> Response:
        status = _status_for(exc)
        is_page = not request.url.path.startswith("/api/") and request.method == "GET"
        if status == 401 and is_page:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(auth.login_url(target), status_code=303)
        headers: dict[str, str] = {}
        if status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        if isinstance(exc, LockedOutError):
            headers["Retry-After"] = str(exc.retry_after_seconds)
        return JSONResponse(status_code=status, content={"detail": exc.to_dict()}, headers=headers)

    # the more specific mount first: Starlette matches mounts in order
    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="swagger")
    # ECharts from the npm set-up (node_modules); nothing is fetched at run time
    app.mount("/static/vendor/echarts", StaticFiles(directory=assets.echarts_dist(), check_dir=False),
              name="echarts")
    app.mount("/static", StaticFiles(directory=_HERE / "static"), name="static")

    @app.get("/docs", include_in_schema=False)
    async def _docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/api/openapi.json",
            title="tanfeng 碳峰 API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon-32x32.png",
        )

    @app.get("/api/docs", include_in_schema=False)
    async def _docs_alias() -> HTMLResponse:
        return await _docs()

    @app.get("/api/health", tags=["meta"])
    def health() -> dict[str, str]:
        """Liveness: the version and that the database answers."""
        with app.state.sessions() as session:
            session.execute(text("SELECT 1"))
        return {"status": "ok", "version": __version__}

    for api in (plans, regions, accounting, tracking, units, monitoring):
        app.include_router(api.router)
    app.include_router(auth.api_router)
    app.include_router(auth.audit_router)
    app.include_router(auth.router)
    app.include_router(pages.router)
    app.include_router(pages_tracking.router)
    app.include_router(pages_units.router)

    plain_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _document_errors(plain_openapi())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
