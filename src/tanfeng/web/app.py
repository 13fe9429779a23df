"""The FastAPI application: JSON API under ``/api/``, pages for people, OpenAPI docs at ``/docs``.

Swagger UI is served from a Python package (no CDN): nothing is fetched at run time.
"""

from __future__ import annotations

from pathlib import Path

import swagger_ui_bundle
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from tanfeng import __version__
from tanfeng.config import Settings, get_settings
from tanfeng.errors import (
    AssetMissingError,
    ConflictError,
    InputError,
    NotFoundError,
    StoreError,
    TanfengError,
)
from tanfeng.store.engine import make_engine, make_session_factory
from tanfeng.web import assets, pages, pages_tracking
from tanfeng.web.api import accounting, monitoring, plans, regions, tracking, units

_HERE = Path(__file__).parent

_STATUS: list[tuple[type[TanfengError], int]] = [
    (NotFoundError, 404),
    (ConflictError, 409),
    (InputError, 422),
    (StoreError, 503),
    (AssetMissingError, 503),
]


def _status_for(exc: TanfengError) -> int:
    for cls, status in _STATUS:
        if isinstance(exc, cls):
            return status
    return 500


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
    )
    engine = make_engine(settings.database_url)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = make_session_factory(engine)

    @app.exception_handler(TanfengError)
    async def _tanfeng_error(request: Request, exc: TanfengError) -> JSONResponse:
        return JSONResponse(status_code=_status_for(exc), content={"detail": exc.to_dict()})

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
    app.include_router(pages.router)
    app.include_router(pages_tracking.router)
    return app
