"""Pages of dual control and early warning: home indicators, the league map, the target board, drill-down.

``/overview``         the region's headline indicators against their 2025 and 2030 targets, warning counts, a
                      map of the 12 leagues coloured by warning level or by an indicator (click to drill down)
``/board``            every plan target with status, progress bar and sparkline; filters by action, league,
                      status (kept in the URL, so a filtered board can be shared)
``/regions/{code}``   region → league → county with breadcrumbs: figures, rules applied, targets, a trend chart

Chinese first (``?lang=en``). Every page that shows sample data says 示例数据. Charts are ECharts served from
``/static/vendor/echarts`` (no CDN); each can be saved as PNG and its data downloaded as CSV and Excel from
``/api/tracking``. The pages only arrange what :mod:`tanfeng.services.tracking` returns.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from tanfeng.reference.regions import get_region
from tanfeng.services import plans as plan_service
from tanfeng.services import regions as region_service
from tanfeng.services import tracking as service
from tanfeng.web.deps import LangDep, SessionDep
from tanfeng.web.i18n import format_target
from tanfeng.web.pages import render

router = APIRouter(include_in_schema=False)

COLOUR_INDICATORS = ("energy_intensity", "energy_intensity_change_vs_prev_year", "carbon_intensity",
                     "non_fossil_energy_share", "coal_consumption_share", "energy_consumption")
"""Indicators the league map can be coloured by (besides the warning level)."""
TREND_INDICATORS = ("energy_consumption", "energy_intensity", "co2_emissions", "carbon_intensity",
                    "non_fossil_energy_share", "coal_consumption_share", "gdp")
HEADLINE_FIGURES = ("energy_consumption", "energy_intensity", "energy_intensity_assessed",
                    "energy_intensity_change_vs_prev_year", "co2_emissions", "carbon_intensity")

YearQ = Annotated[int | None, Query(ge=2000, le=2100)]


def _display(t: service.TargetTrack, lang: Any) -> str:
    return format_target(t.comparator, t.target, t.target_unit, value_high=t.target_high,
                         baseline_year=t.baseline_year if t.comparator in ("decrease_by", "increase_by") else None,
                         lang=lang)


def _headline(status: service.RegionStatus, lang: Any) -> list[dict[str, Any]]:
    """The region's main targets (主要目标) by indicator, with their 2025 and 2030 values."""
    rows: dict[str, dict[str, Any]] = {}
    for t in status.targets:
        if t.action != "main":
            continue
        row = rows.setdefault(t.indicator_id, {"indicator": t.indicator, "indicator_id": t.indicator_id,
                                               "actual": t.actual, "actual_year": t.actual_year, "unit": t.unit,
                                               "sample": t.sample, "source": t.source, "t2025": None, "t2030": None,
                                               "status": t.status, "progress": t.progress_ratio})
        if t.target_year in (2025, 2030):
            row[f"t{t.target_year}"] = _display(t, lang)
            if t.target_year == 2025 or row["t2025"] is None:
                row["status"], row["progress"] = t.status, t.progress_ratio
    return list(rows.values())


@router.get("/overview", response_class=HTMLResponse)
def overview(request: Request, session: SessionDep, lang: LangDep, year: YearQ = None,
             colour: Annotated[str, Query(pattern=r"^[a-z0-9_]+$")] = "warning") -> Response:
    """The region's headline indicators, warning counts and the league map."""
    statuses = service.status(session, year=year)
    region, leagues = statuses[0], statuses[1:]
    y = region.year
    ws = service.warnings(session, period=str(y))
    counts = {lv: sum(1 for w in ws if w.region != service.REGION and w.intensity and w.intensity.level == lv)
              for lv in (1, 2, 3)}
    by_code = {w.region: w for w in ws}
    map_rows = []
    for s in leagues:
        w = by_code.get(s.region)
        map_rows.append({
            "code": s.region, "name": s.name, "level": w.intensity.level if w and w.intensity else None,
            "values": {f.indicator: f.value for f in s.figures if f.indicator in COLOUR_INDICATORS},
            "units": {f.indicator: f.unit for f in s.figures if f.indicator in COLOUR_INDICATORS},
            "sample": s.sample})
    figures = [f for f in region.figures if f.indicator in HEADLINE_FIGURES]
    sample = region.sample or any(w.sample for w in ws) or any(s.sample for s in leagues)
    return render(request, "tracking/overview.html", lang, {
        "year": y, "region": region, "figures": figures, "headline": _headline(region, lang), "counts": counts,
        "warnings": ws, "map_rows": map_rows, "colour": colour if colour in (*COLOUR_INDICATORS, "warning")
        else "warning", "colour_indicators": [(i, service.INDICATOR_LABELS.get(i, i)) for i in COLOUR_INDICATORS],
        "sample": sample, "ruleset_note": service.REQUIRED_NOTE,
    })


@router.get("/board", response_class=HTMLResponse)
def board(request: Request, session: SessionDep, lang: LangDep, year: YearQ = None) -> Response:
    """Every plan target with status, progress and sparkline; filterable by action, league and status."""
    tracks = service.targets_board(session, year=year)
    plan = plan_service.get_plan(session, service.PLAN_ID)
    actions = {a.id: f"({a.numeral}) {a.title}" for a in plan.actions}
    actions.update({p.id: p.title for p in plan.parts})
    actions["main"] = next((p.title for p in plan.parts if p.kind == "main_targets"), "主要目标")
    scopes = sorted({t.scope for t in tracks if t.scope.isdigit()})
    rows = [{**t.model_dump(mode="json"), "display": _display(t, lang),
             "action_label": actions.get(t.action or "", t.action or ""),
             "scope_label": plan_service.repository_region_name(t.scope) or t.scope,
             "bar": None if t.progress_ratio is None else max(0.0, min(100.0, t.progress_ratio * 100))}
            for t in tracks]
    used = [a for a in dict.fromkeys(t.action for t in tracks) if a]
    return render(request, "tracking/board.html", lang, {
        "rows": rows, "action_options": [(a, actions.get(a, a)) for a in used],
        "league_options": [(c, plan_service.repository_region_name(c) or c) for c in scopes],
        "status_options": ["on_track", "behind", "achieved", "missed", "no_data", "no_path"],
        "sample": any(t.sample for t in tracks), "year": year,
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
    has_data = bool(service.list_indicator_values(session, region=code, indicator="energy_consumption"))
    st = service.status(session, region=code, year=year)[0] if has_data else None
    ws: list[service.LeagueWarnings] = []
    if st is not None:
        ws = service.warnings(session, period=str(st.year))
    levels = {w.region: w for w in ws}
    child_rows = [{"code": c.code, "name": c.name_zh, "warning": levels.get(c.code)} for c in children]
    return render(request, "tracking/region.html", lang, {
        "here": here, "crumbs": crumbs, "status": st, "warning": levels.get(code), "children": child_rows,
        "trend_indicators": [(i, service.INDICATOR_LABELS.get(i, i)) for i in TREND_INDICATORS],
        "sample": bool(st and st.sample), "year": st.year if st else year,
        "display": {t.target_id + t.scope: _display(t, lang) for t in (st.targets if st else [])},
    })
