"""The FastAPI application: JSON API under ``/api/``, pages for people, OpenAPI docs at ``/docs``.

Swagger UI is served from a Python package (no CDN): nothing is fetched at run time.

Every request resolves who is asking (:func:`tanfeng.web.deps.get_principal`: API token, session cookie
or the public); errors map to statuses in one handler: a failed login or token 401 (a page that needs a
login redirects to ``/login?next=…`` instead), a refused permission 403, a lock-out 429. Under ``/api/`` the
answer is JSON (``ErrorResponse``); elsewhere it is an HTML page (``error.html``: status, message and hint,
Chinese first, a link back), also for unknown pages and invalid page parameters.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import swagger_ui_bundle
from fastapi import Depends, FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from tanfeng import __version__
from tanfeng.access import Principal
from tanfeng.config import Settings, get_settings, pool_size, secret_key
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
from tanfeng.services.metering import Deriver
from tanfeng.store.engine import make_engine, make_session_factory
from tanfeng.web import (
    assets,
    auth,
    hardening,
    pages,
    pages_home,
    pages_plans,
    pages_power,
    pages_projects,
    pages_scenarios,
    pages_tracking,
    pages_units,
)
from tanfeng.web import pages_registry as registry_pages
from tanfeng.web.api import accounting, monitoring, plans, regions, scenarios, tracking, units
from tanfeng.web.api import assessment as assessment_api
from tanfeng.web.api import power as power_api
from tanfeng.web.api import projects as projects_api
from tanfeng.web.api import registry as registry_api
from tanfeng.web.api import sinks as sinks_api
from tanfeng.web.deps import CurrentPrincipal

__all__ = ["ERROR_EXPLANATIONS", "ERROR_SCHEMA", "ERROR_TITLES", "create_app"]

_HERE = Path(__file__).parent

_SWAGGER_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tanfeng 碳峰 API</title>
<link rel="stylesheet" href="/static/swagger/swagger-ui.css">
<link rel="icon" href="/static/swagger/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/static/swagger/swagger-ui-bundle.js"></script>
<script src="/static/js/swagger-init.js"></script>
</body>
</html>
"""

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
    validation = {"$ref": "#/components/schemas/HTTPValidationError"}
    schemas = schema["components"]["schemas"]
    schemas.setdefault("ValidationError", {"title": "ValidationError", "type": "object",
                                           "required": ["loc", "msg", "type"], "properties": {
                                               "loc": {"type": "array", "items": {"anyOf": [{"type": "string"},
                                                                                            {"type": "integer"}]}},
                                               "msg": {"type": "string"}, "type": {"type": "string"}}})
    schemas.setdefault("HTTPValidationError", {"title": "HTTPValidationError", "type": "object", "properties": {
        "detail": {"type": "array", "items": {"$ref": "#/components/schemas/ValidationError"}}}})
    for ops in schema.get("paths", {}).values():
        for op in ops.values():
            responses = op.setdefault("responses", {})
            for code, description in _ERROR_RESPONSES.items():
                responses.setdefault(code, {"description": description, "content": {"application/json": {"schema": ref}}})
            invalid = responses.setdefault("422", {"description": "Invalid input", "content": {
                "application/json": {"schema": ref}}})
            body = invalid.setdefault("content", {}).setdefault("application/json", {})
            # any request may be refused before its route (web/hardening.py) in FastAPI's validation shape
            body["schema"] = {"anyOf": [validation, ref]}
    return schema


ERROR_TITLES: dict[int, tuple[str, str]] = {
    400: ("请求有误", "Bad request"),
    401: ("需要登录", "Login required"),
    403: ("无权访问", "Access denied"),
    404: ("未找到", "Not found"),
    409: ("数据冲突", "Conflict"),
    422: ("输入有误", "Invalid input"),
    429: ("尝试次数过多", "Too many attempts"),
    500: ("服务器错误", "Server error"),
    503: ("服务暂不可用", "Service unavailable"),
}
"""Status → (Chinese, English) title of the HTML error page."""

ERROR_EXPLANATIONS: dict[int, tuple[str, str]] = {
    401: ("此页面需要登录。", "This page needs a login."),
    403: ("您的角色无权查看或执行此操作；每个角色只能看到属于自己的数据。",
          "Your role may not see or do this: each role sees only what is its own."),
    404: ("您要找的记录不存在，或地址有误。", "The record does not exist, or the address is wrong."),
    409: ("与已保存的数据冲突，请刷新后重试。", "This conflicts with stored data; reload and try again."),
    422: ("输入的内容无法处理。", "The input could not be processed."),
    429: ("登录失败次数过多，请稍后再试。", "Too many failed logins; try again later."),
    503: ("数据库或已安装的资源暂时不可用，请稍后再试或联系管理员。",
          "The database or an installed asset is not available; try later or ask the administrator."),
}
"""Status → (Chinese, English) sentence shown above the error's own message (which is in English)."""


def _error_page(request: Request, exc: TanfengError, status: int, headers: dict[str, str]) -> Response:
    """The HTML page of an error on a page route (not under ``/api/``): status, message, hint, a way back."""
    from tanfeng.web.deps import get_lang
    from tanfeng.web.pages import render

    lang = get_lang(request)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    referer = request.headers.get("referer", "")
    own = f"{request.url.scheme}://{request.url.netloc}/"
    back = auth.safe_next(referer[len(own) - 1:] if referer.startswith(own) else "/")
    if back == here:
        back = "/"
    response = render(request, "error.html", lang, {
        "status": status, "title": ERROR_TITLES.get(status, ERROR_TITLES[500]),
        "explanation": ERROR_EXPLANATIONS.get(status), "error": exc.to_dict(), "back": back,
        "login": auth.login_url(here) if status in (401, 403) and getattr(request.state, "user", None) is None
        else None}, status_code=status)
    response.headers.update(headers)
    return response


def _remember_principal(request: Request, principal: CurrentPrincipal) -> Principal:
    """Keep who is asking on ``request.state.principal`` for the pages' shared context (header, drill-down)."""
    request.state.principal = principal
    return principal


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Run the background deriver of landed reading batches while the server runs."""
    deriver: Deriver = app.state.deriver
    deriver.start()
    deriver.kick()  # batches left pending by a previous run
    try:
        yield
    finally:
        await run_in_threadpool(deriver.stop)


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
        dependencies=[Depends(_remember_principal)],
        lifespan=_lifespan,
    )
    engine = make_engine(settings.database_url, pool_size=pool_size(settings))
    app.state.settings = settings
    app.state.secret_key = secret_key(settings)
    app.state.login_guard = None  # read from login_events on the first login
    app.state.engine = engine
    app.state.sessions = make_session_factory(engine)
    app.state.deriver = Deriver(app.state.sessions, settings)
    _add_error_handlers(app)
    hardening.install(app, settings)
    _mount_static(app)
    _add_docs_and_health(app)
    for api in (plans, regions, accounting, tracking, units, monitoring):
        app.include_router(api.router)
    app.include_router(auth.api_router)
    app.include_router(auth.audit_router)
    app.include_router(auth.router)
    app.include_router(pages.router)
    app.include_router(pages_tracking.router)
    app.include_router(pages_plans.router)
    app.include_router(pages_units.router)
    app.include_router(pages_home.router)
    for router in (projects_api.router, assessment_api.router, pages_projects.router,
                   registry_api.router, sinks_api.router, registry_pages.router,
                   scenarios.router, pages_scenarios.router, power_api.router, pages_power.router):
        app.include_router(router)
    _document_error_responses(app)
    return app


def _add_error_handlers(app: FastAPI) -> None:
    """Errors to statuses: JSON under ``/api/``, the HTML error page elsewhere, a login redirect for a page."""

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
        if isinstance(exc, ConflictError) and exc.current_version is not None:
            headers["ETag"] = f'"{exc.current_version}"'  # the lock version to reload and retry on
        if isinstance(exc, LockedOutError):
            headers["Retry-After"] = str(exc.retry_after_seconds)
        if not request.url.path.startswith("/api/"):
            return _error_page(request, exc, status, headers)
        return JSONResponse(status_code=status, content={"detail": exc.to_dict()}, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/") or exc.status_code < 400:
            return await http_exception_handler(request, exc)
        text = exc.detail if isinstance(exc.detail, str) else "the request failed"
        hint = "check the address" if exc.status_code == 404 else None
        error = TanfengError(text, hint=hint)
        return _error_page(request, error, exc.status_code, dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        refused = await hardening.refusal_before_validation(request)
        if refused is not None:
            return await _tanfeng_error(request, refused)
        if request.url.path.startswith("/api/"):
            return JSONResponse(status_code=422, content={"detail": hardening.validation_detail(exc)})
        problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors())
        return _error_page(request, InputError(problems or "invalid request"), 422, {})


def _mount_static(app: FastAPI) -> None:
    """Swagger UI, ECharts (from the npm set-up) and the app's own static files; nothing is fetched at run time."""
    # the more specific mount first: Starlette matches mounts in order
    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="swagger")
    # ECharts from the npm set-up (node_modules); nothing is fetched at run time
    app.mount("/static/vendor/echarts", StaticFiles(directory=assets.echarts_dist(), check_dir=False),
              name="echarts")
    app.mount("/static", StaticFiles(directory=_HERE / "static"), name="static")


def _add_docs_and_health(app: FastAPI) -> None:
    """``/docs`` (and ``/api/docs``): Swagger UI on the OpenAPI document; ``/api/health``: liveness."""

    @app.get("/docs", include_in_schema=False)
    async def _docs() -> HTMLResponse:
        # FastAPI's page starts Swagger UI with an inline script, which the Content-Security-Policy refuses
        return HTMLResponse(_SWAGGER_PAGE)

    @app.get("/api/docs", include_in_schema=False)
    async def _docs_alias() -> HTMLResponse:
        return await _docs()

    @app.get("/favicon.ico", include_in_schema=False)
    async def _favicon() -> RedirectResponse:
        # what a browser asks for when nothing names an icon (a JSON or CSV answer opened in a tab)
        return RedirectResponse("/static/favicon.svg", status_code=301)

    @app.get("/api/health", tags=["meta"])
    def health() -> dict[str, str]:
        """Liveness: the version and that the database answers."""
        with app.state.sessions() as session:
            session.execute(text("SELECT 1"))
        return {"status": "ok", "version": __version__}


def _document_error_responses(app: FastAPI) -> None:
    """Make the OpenAPI document list the error responses every operation can give."""
    plain_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _document_errors(plain_openapi())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
