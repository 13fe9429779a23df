"""Pages of the peak path (碳达峰路径): the scenarios, and one scenario's run.

``/scenarios``          the scenarios with their parents and descriptions
``/scenarios/{name}``   a run: the region's fan chart (CEADs history, the path and its 5–95 % band), wedges of the
                        levers against BAU, the LMDI waterfall (base year → 2030), a league map of peak years,
                        the league order against the plan's three types, the levers with their plan targets,
                        and the CEADs province and league series side by side

Both need a login (like ``/api/scenarios``). Chinese first (``?lang=en``). Every figure names its unit, the
electricity accounting it is in, and its sources; the pages only arrange what
:mod:`tanfeng.services.scenarios` returns.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from tanfeng.reference.regions import get_region
from tanfeng.scenarios.analysis import EFFECTS
from tanfeng.scenarios.catalog import load_catalog
from tanfeng.services import scenarios as service
from tanfeng.web.deps import LangDep, LoggedIn, SessionDep
from tanfeng.web.i18n import pgettext, unit_text
from tanfeng.web.pages import render

__all__ = ["PAGE_DRAWS", "router"]

router = APIRouter(include_in_schema=False)

PAGE_DRAWS = 1000


@router.get("/scenarios", response_class=HTMLResponse)
def scenarios(request: Request, session: SessionDep, lang: LangDep, principal: LoggedIn) -> Response:
    """The scenarios."""
    texts = service.scenario_texts(session)
    titles = {name: t["title_zh"] if lang == "zh" else t["title_en"] for name, t in texts.items()}
    return render(request, "scenarios/list.html", lang, {"scenarios": service.list_scenarios(session),
                                                         "titles": titles, "texts": texts})


@router.get("/scenarios/{name}", response_class=HTMLResponse)
def scenario(request: Request, session: SessionDep, lang: LangDep, principal: LoggedIn,
             name: Annotated[str, Path(pattern=r"^[a-z][a-z0-9_-]*$", max_length=100)],
             view: Annotated[Literal["production", "consumption"] | None, Query()] = None,
             draws: Annotated[int, Query(ge=10, le=service.MAX_DRAWS)] = PAGE_DRAWS) -> Response:
    """One scenario's run."""
    detail = service.run_detail(session, name, draws=draws, view=view)
    shown = service.show_scenario(session, name)
    regions = {r["region"]: get_region(r["region"]) for r in detail["regions"]}
    names = {c: (r.name_en or r.name_zh) if lang == "en" else r.name_zh for c, r in regions.items()}
    checks = {c["lever"]: c for c in detail["targets"]}
    titles = {n: t["title_zh"] if lang == "zh" else t["title_en"] for n, t in service.scenario_texts(session).items()}
    catalog = load_catalog()
    sectors = {s.id: s.name_zh if lang == "zh" else s.name_en for s in catalog.sectors}
    sectors["total"] = pgettext(lang, "sector", "total")
    leagues = {lg.region: lg for lg in catalog.leagues}
    labels = {lv["id"]: lv["name_zh"] if lang == "zh" else lv.get("name_en") or lv["id"] for lv in shown["levers"]}
    labels.update({e: pgettext(lang, "LMDI effect", e) for e in EFFECTS})
    labels["unit"] = unit_text(lang, "MtCO2")
    labels["accounting"] = pgettext(lang, "electricity accounting", detail["electricity_accounting"])
    return render(request, "scenarios/scenario.html", lang, {
        "detail": detail, "shown": shown, "names": names, "checks": checks, "titles": titles, "sectors": sectors,
        "leagues": leagues, "chart": {**{k: detail[k] for k in ("regions", "wedges", "wedge_years", "lmdi", "history", "leagues",
                                             "electricity_accounting", "base_year", "scenario")}, "labels": labels},
    })
