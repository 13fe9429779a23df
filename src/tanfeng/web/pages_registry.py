"""Pages of the registry and the sinks: accounts with compliance status, an account's statement, the
league sink map.

``/registry[?year=]``                   the accounts the caller may read (balances) and the compliance status of
                                        enterprise accounts for a compliance year, with its deadline
``/registry/accounts/{account}``        the statement with running balance and the Excel download
``/sinks[?year=]``                      forest and grassland sinks by league on the map, with sources, and the
                                        region's gross, sink and net emissions beside the CEADs inventory
``/sinks/projects``                     forestry carbon projects the caller may read, with state (named by the
                                        catalogue, context ``project state``) and credits
``/sinks/projects/{id}``                one project's lifecycle steps (document, who, when) and its issuance

Login needed; each shows only what the caller may read (the same rules as ``/api/registry``). Sample accounts
and the illustrative league shares are marked 示例数据. The pages only arrange what the services return.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from tanfeng.access import Action, Resource, ResourceKind, authorize
from tanfeng.access import require as require_permission
from tanfeng.errors import UnknownRegionError
from tanfeng.reference.regions import Region, get_region, load_regions
from tanfeng.registry import instrument
from tanfeng.services import registry as service
from tanfeng.services import sinks as sinks_service
from tanfeng.services import tracking as tracking_service
from tanfeng.web.deps import LangDep, LoggedIn, SessionDep
from tanfeng.web.pages import render, templates

__all__ = ["region_of", "router"]

router = APIRouter(include_in_schema=False)


def region_of(code: str) -> Region | None:
    """For templates (``_names.html``): the region of a code, None when the catalogue has none."""
    try:
        return get_region(code)
    except UnknownRegionError:
        return None


templates.env.globals["region_of"] = region_of


@router.get("/registry")
def registry_page(request: Request, session: SessionDep, lang: LangDep, principal: LoggedIn,
                  year: Annotated[int, Query(ge=2000, le=2100)] = 2023) -> Response:
    """Accounts and compliance status."""
    accounts = service.list_accounts(session, principal=principal)
    status = service.compliance(session, compliance_year=year, today=date.today(), principal=principal)
    codes = {a.instrument for a in accounts} | {s.instrument for s in status}
    return render(request, "registry/index.html", lang, {
        "accounts": accounts, "status": status, "year": year, "units": {c: instrument(c).unit for c in codes},
        "instruments": {c: instrument(c) for c in codes},
        "account_names": service.account_names(session, [a.account for a in accounts] + [s.account for s in status]),
        "sample": service.any_sample(session, [a.account for a in accounts]),
        "today": date.today()})


@router.get("/registry/accounts/{account}")
def account_page(request: Request, account: Annotated[str, Path(max_length=80)], session: SessionDep,
                 lang: LangDep, principal: LoggedIn) -> Response:
    """An account's statement with its running balance."""
    row = service.authorize_account(session, principal, Action.READ, account)
    _, lines = service.statement(session, account)
    rules = instrument(row.instrument)
    return render(request, "registry/account.html", lang, {
        "row": row, "lines": lines, "rules": rules, "sample": row.sample, "instruments": {rules.code: rules},
        "account_names": service.account_names(session, [row.account]),
        "balance": lines[-1].balance if lines else 0})


@router.get("/sinks")
def sinks_page(request: Request, lang: LangDep, principal: LoggedIn,
               year: Annotated[int, Query(ge=1900, le=2100)] = 2024) -> Response:
    """League sinks on the map, with the region's total and the sources."""
    region = sinks_service.account("150000", year)
    leagues = sinks_service.league_accounts(year)
    return render(request, "registry/sinks.html", lang, {
        "region": region, "leagues": leagues, "year": year, "sample": True,
        "sources_zh": sinks_service.sources_zh("150000"), "method_zh": sinks_service.METHOD_ZH,
        "net": sinks_service.net_beside_inventory("150000"), "net_note": sinks_service.NET_NOTE,
        "region_names": _region_names(lang),
        "map_data": [{"code": a.region, "name": _region_names(lang).get(a.region, a.region),
                      "value": round(a.total_tco2 / 1e4, 1)} for a in leagues]})


_BEIJING = ZoneInfo("Asia/Shanghai")


def _region_names(lang: str) -> dict[str, str]:
    return {r.code: (r.name_zh if lang == "zh" else r.name_en or r.name_zh) for r in load_regions()}


def _project_resource(region: str) -> Resource:
    return Resource(kind=ResourceKind.REGISTRY, id="forestry-projects", region_code=region)


@router.get("/sinks/projects")
def projects_page(request: Request, session: SessionDep, lang: LangDep, principal: LoggedIn) -> Response:
    """Forestry carbon projects the caller may read."""
    projects = [p for p in sinks_service.list_projects(session)
                if authorize(principal, Action.READ, _project_resource(p.region)).allowed]
    return render(request, "registry/projects.html", lang, {
        "projects": projects, "region_names": _region_names(lang),
        "account_names": service.account_names(session, [p.credit_account for p in projects]),
        "instruments": {"CCER": instrument("CCER")}, "sample": any(p.sample for p in projects)})


@router.get("/sinks/projects/{project_id}")
def project_page(request: Request, project_id: Annotated[str, Path(max_length=80)], session: SessionDep,
                 lang: LangDep, principal: LoggedIn) -> Response:
    """One project's lifecycle, step by step."""
    p = sinks_service.get_project(session, project_id)
    require_permission(principal, Action.READ, _project_resource(p.region))
    times = {s.step: s.at.astimezone(_BEIJING).strftime("%Y-%m-%d %H:%M") for s in p.steps}
    return render(request, "registry/project.html", lang, {
        "p": p, "region_names": _region_names(lang), "times": times, "sample": p.sample,
        "names": tracking_service.display_names(session, {s.actor for s in p.steps if s.actor}),
        "account_names": service.account_names(session, [p.credit_account]),
        "instruments": {"CCER": instrument("CCER")}})
