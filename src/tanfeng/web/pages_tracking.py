"""Pages of dual control and early warning: home indicators, the league map, the target board, drill-down.

``/overview``         the region's headline indicators against their 2025 and 2030 targets, warning counts, a
                      map of the 12 leagues coloured by warning level or by an indicator (click to drill down)
``/board``            every plan target with status, progress bar and sparkline; filters by action, league,
                      status (kept in the URL, so a filtered board can be shared)
``/regions/{code}``   region → league → county with breadcrumbs: figures, rules applied, targets, a trend chart
``/dispatch…``        dispatch rounds: :mod:`tanfeng.web.pages_dispatch` (included in this router)

Chinese first (``?lang=en``). Every page that shows sample data says 示例数据. Charts are ECharts served from
``/static/vendor/echarts`` (no CDN); each can be saved as PNG and its data downloaded as CSV and Excel from
``/api/tracking``. The pages only arrange what :mod:`tanfeng.services.tracking` returns.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from tanfeng.access import Role
from tanfeng.reference.indicators import indicators, label_of, map_ids, trend_ids
from tanfeng.reference.regions import get_region
from tanfeng.services import regions as region_service
from tanfeng.services import tracking as service
from tanfeng.web import pages_dispatch
from tanfeng.web.deps import CurrentPrincipal, LangDep, SessionDep
from tanfeng.web.i18n import format_target
from tanfeng.web.pages import render, templates

__all__ = [
    "YearQ",
    "board",
    "overview",
    "region_page",
    "router",
]


router = APIRouter(include_in_schema=False)

templates.env.globals["indicator_en"] = {i.id: i.label_en for i in indicators()}
"""Indicator id → its English name, for the English pages (the vocabulary's ``label_en``)."""

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
def overview(request: Request, session: SessionDep, lang: LangDep, principal: CurrentPrincipal, year: YearQ = None,
             colour: Annotated[str, Query(pattern=r"^[a-z0-9_]+$")] = "warning") -> Response:
    """The region's headline indicators, warning counts (leagues, by indicator) and the league map.

    Who entered a change is shown by display name to logged-in users, and to nobody on the public page.
    """
    ov = service.overview(session, year=year)
    colours = map_ids()
    changes = service.changes_since_last_period(session)
    names = ({} if principal.role is Role.PUBLIC
             else service.display_names(session, {c.entered_by for c in changes.changes}))
    changes = changes.model_copy(update={"changes": [c.model_copy(update={"entered_by": names.get(c.entered_by, "—")})
                                                     for c in changes.changes]})
    return render(request, "tracking/overview.html", lang, {
        "changes": changes, "warning_counts": ov.warning_counts,
        "year": ov.year, "region": ov.region, "figures": ov.figures, "headline": _headline(ov.headline, lang),
        "counts": ov.counts, "warnings": ov.warnings, "map_rows": [m.model_dump(mode="json") for m in ov.map_rows],
        "colour": colour if colour in (*colours, "warning") else "warning",
        "colour_indicators": [(i, label_of(i)) for i in colours], "sample": ov.sample,
        "ruleset_note": service.REQUIRED_NOTE, "item_names": service.item_names(service.tracked_plan(session)),
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
        "warning_counts": view.counts,
        "trend_indicators": [(i, label_of(i)) for i in trend_ids()],
        "sample": bool(st and st.sample), "year": st.year if st else year,
        "display": {t.target_id + t.scope: _display(t, lang) for t in (st.targets if st else [])},
    })


router.include_router(pages_dispatch.router)
