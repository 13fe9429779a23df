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

from collections.abc import Callable, Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from tanfeng.access import Principal, Role
from tanfeng.reference.indicators import get_indicator, indicators, label_of, map_ids, trend_ids
from tanfeng.reference.regions import get_region
from tanfeng.services import regions as region_service
from tanfeng.services import tracking as service
from tanfeng.web import pages_dispatch
from tanfeng.web.deps import CurrentPrincipal, LangDep, SessionDep
from tanfeng.web.i18n import Lang, format_target, gettext, translate_message, translator, unit_text
from tanfeng.web.pages import render, templates

__all__ = [
    "PlanQ",
    "YearQ",
    "board",
    "overview",
    "region_page",
    "router",
    "sources_view",
]


router = APIRouter(include_in_schema=False)

templates.env.globals["indicator_en"] = {i.id: i.label_en for i in indicators()}
"""Indicator id → its English name, for the English pages (the vocabulary's ``label_en``)."""

YearQ = Annotated[int | None, Query(ge=2000, le=2100)]


def _display(t: service.TargetTrack, lang: Any) -> str:
    return format_target(t.comparator, t.target, t.target_unit, value_high=t.target_high,
                         baseline_year=t.baseline_year if t.comparator in ("decrease_by", "increase_by") else None,
                         lang=lang)


def _union(groups: Iterable[Iterable[service.Provenance]]) -> list[service.Provenance]:
    """The distinct provenance of several figures, in the order first met."""
    out: list[service.Provenance] = []
    for group in groups:
        out.extend(p for p in group if p not in out)
    return out


def _reporters(session: Session, principal: Principal, provs: Iterable[service.Provenance]) -> dict[str, str]:
    """User name → display name of who reported the values shown; nobody's name on the public pages."""
    names = {p.reporter for p in provs if p.reporter}
    if principal.role is Role.PUBLIC or not names:
        return {}
    return service.display_names(session, names)


def sources_view(provs: Iterable[service.Provenance], lang: Lang,
                 reporters: dict[str, str]) -> list[dict[str, str | None]]:
    """How a figure's sources read: 示例数据, 调度报送 · who, or the institution of a statistic (its whole source
    text and file on hover). ``lang`` of an entry is the language of a quoted institution's name (None: the
    page's)."""
    t = translator(lang)
    out: list[dict[str, str | None]] = []
    for p in provs:
        if p.kind == "sample":
            out.append({"kind": p.kind, "text": t["sample_data"], "title": translate_message(lang, p.source),
                        "lang": None})
        elif p.kind == "reported":
            who = reporters.get(p.reporter or "")
            out.append({"kind": p.kind, "text": gettext(lang, "Dispatch report") + (f" · {who}" if who else ""),
                        "title": p.source, "lang": None})
        else:
            file = (p.file or "").rsplit("/", 1)[-1]
            out.append({"kind": p.kind, "text": p.label, "title": p.source + (f" · {file}" if file else ""),
                        "lang": "en" if p.label.isascii() else "zh-CN"})
    return out


def _sources_of(session: Session, principal: Principal, lang: Lang,
                provs: Iterable[service.Provenance]) -> Callable[[Iterable[service.Provenance]], list[dict[str, Any]]]:
    """``sources_of(provenance)`` for a page's templates, with the display names of the reporters in ``provs``."""
    reporters = _reporters(session, principal, provs)
    return lambda ps: sources_view(ps, lang, reporters)


def _headline(rows: list[service.HeadlineRow], lang: Any) -> list[dict[str, Any]]:
    """The region's main targets with their 2025 and 2030 targets written for ``lang``."""
    return [{**r.model_dump(mode="json", exclude={"t2025", "t2030"}),
             "t2025": None if r.t2025 is None else _display(r.t2025, lang),
             "t2030": None if r.t2030 is None else _display(r.t2030, lang)} for r in rows]


PlanQ = Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_.\-]+$")]
"""``?plan=ID``: one stored plan (the board, its exports and the overview filter by it)."""


@router.get("/overview", response_class=HTMLResponse)
def overview(request: Request, session: SessionDep, lang: LangDep, principal: CurrentPrincipal, year: YearQ = None,
             colour: Annotated[str, Query(pattern=r"^[a-z0-9_]+$")] = "warning", plan: PlanQ = None) -> Response:
    """The headline indicators of a plan's region (the plan tracked unless ``?plan=`` names another), its
    leagues' warning counts and map, and its targets by status.

    Who entered a change is shown by display name to logged-in users, and to nobody on the public page.
    """
    ov = service.overview(session, year=year, plan=plan)
    colours = map_ids()
    changes = service.changes_since_last_period(session)
    names = ({} if principal.role is Role.PUBLIC
             else service.display_names(session, {c.entered_by for c in changes.changes}))
    changes = changes.model_copy(update={"changes": [c.model_copy(update={"entered_by": names.get(c.entered_by, "—")})
                                                     for c in changes.changes]})
    league_warnings = [w for w in ov.warnings if w.region != service.REGION]
    warning_prov = _union(w.provenance for w in league_warnings)
    map_prov = {c: _union(m.provenance.get(c, []) for m in ov.map_rows) for c in ("warning", *colours)}
    every = _union([*(f.provenance for f in ov.figures), *(h.provenance for h in ov.headline), warning_prov,
                    *map_prov.values()])
    return render(request, "tracking/overview.html", lang, {
        "changes": changes, "warning_counts": ov.warning_counts,
        "year": ov.year, "region": ov.region, "figures": ov.figures, "headline": _headline(ov.headline, lang),
        "counts": ov.counts, "warnings": ov.warnings,
        "map_rows": [_map_row(m, lang) for m in ov.map_rows],
        "colour": colour if colour in (*colours, "warning") else "warning",
        "colour_indicators": [(i, label_of(i)) for i in colours], "sample": ov.sample,
        "ruleset_note": service.REQUIRED_NOTE, "plan": ov.plan, "plan_title": ov.plan_title,
        "plan_status": ov.plan_status, "plan_options": ov.plan_options, "target_counts": ov.target_counts,
        "status_options": list(service.BOARD_STATUSES), "year_chosen": year, "barometer_from": ov.barometer_from,
        "year_options": service.year_options(session, plan=plan, chosen=year),
        "headline_as_of": max((h.actual_year for h in ov.headline if h.actual_year), default=None),
        "headline_prov": _union(h.provenance for h in ov.headline), "warning_prov": warning_prov,
        "map_prov": map_prov, "sources_of": _sources_of(session, principal, lang, every),
        "item_names": service.item_names(service.tracked_plan(session)),
    })


def _map_row(m: service.MapRow, lang: Lang) -> dict[str, Any]:
    """A league on the map as its script reads it: units written for ``lang``, no provenance (the captions
    under the map carry it)."""
    row = m.model_dump(mode="json", exclude={"provenance"})
    row["units"] = {k: unit_text(lang, u) for k, u in m.units.items()}
    row["sources"] = {c: "; ".join(str(v["text"]) for v in sources_view(ps, lang, {}))
                      for c, ps in m.provenance.items()}
    return row


@router.get("/board", response_class=HTMLResponse)
def board(request: Request, session: SessionDep, lang: LangDep, principal: CurrentPrincipal, year: YearQ = None,
          plan: PlanQ = None) -> Response:
    """Every plan target with status, progress and sparkline; filterable by plan, action, league, status and
    searchable by indicator (name or code); the downloads follow the filters."""
    view = service.board(session, year=year, plan=plan)
    rows = [{**r.model_dump(mode="json"), "display": _display(r, lang),
             "search": service.board_search_text(r),
             "prov": r.provenance} for r in view.rows]
    every = _union(r.provenance for r in view.rows)
    return render(request, "tracking/board.html", lang, {
        "rows": rows, "action_options": view.action_options, "league_options": view.league_options,
        "status_options": view.status_options, "sample": view.sample, "year": year,
        "year_options": service.year_options(session, plan=plan, chosen=year),
        "plan_options": view.plan_options, "plan": plan, "board_prov": every,
        "board_as_of": max((r.actual_year for r in view.rows if r.actual_year), default=None),
        "sources_of": _sources_of(session, principal, lang, every),
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
                lang: LangDep, principal: CurrentPrincipal, year: YearQ = None) -> Response:
    """Drill-down: the region, a league or a county, with breadcrumbs and links one level down."""
    here = region_service.get_region(session, code)
    code = here.code  # a legacy code resolves to the current one
    crumbs = _breadcrumbs(code)
    children = region_service.list_regions(session, parent=code)
    view = service.region_overview(session, region=code, year=year)
    st, levels = view.status, view.warnings
    child_rows = [{"code": c.code, "name": c.name_zh, "warning": levels.get(c.code)} for c in children]
    targets = st.targets if st else []
    child_prov = _union(levels[c.code].provenance for c in children if c.code in levels)
    every = _union([*(f.provenance for f in (st.figures if st else [])), *(t.provenance for t in targets),
                    child_prov])
    return render(request, "tracking/region.html", lang, {
        "here": here, "crumbs": crumbs, "status": st, "warning": levels.get(code), "children": child_rows,
        "warning_counts": view.counts, "barometer_from": view.barometer_from,
        "trend_indicators": [(i, label_of(i)) for i in trend_ids()],
        "sample": bool(st and st.sample), "year": st.year if st else year,
        "display": {t.target_id + t.scope: _display(t, lang) for t in targets},
        "trend_targets": {"targets": _trend_targets(targets, lang),
                          "units": {i: unit_text(lang, get_indicator(i).unit) for i in trend_ids()}}, "targets_prov": _union(t.provenance for t in targets),
        "targets_as_of": max((t.actual_year for t in targets if t.actual_year), default=None),
        "child_prov": child_prov, "sources_of": _sources_of(session, principal, lang, every),
        "figures_prov": _union(f.provenance for f in (st.figures if st else [])),
    })


def _trend_targets(targets: list[service.TargetTrack], lang: Lang) -> dict[str, list[dict[str, Any]]]:
    """Indicator → the plan targets of the region on it, as the trend chart draws them: the target value at its
    year (the target line) and the required path from the base year (the trajectory)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for t in targets:
        if t.target_year is None or t.target_value is None or not t.required_path:
            continue
        out.setdefault(t.indicator_id, []).append({
            "target_id": t.target_id, "year": t.target_year, "value": t.target_value, "display": _display(t, lang),
            "baseline_year": t.baseline_year, "path": t.required_path, "unit": unit_text(lang, t.unit or "")})
    return out


router.include_router(pages_dispatch.router)
