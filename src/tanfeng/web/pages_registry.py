"""Pages of the registry and the sinks: accounts with compliance status, an account's statement, the
league sink map.

``/registry[?year=]``                   the accounts the caller may read (balances) and the compliance status of
                                        enterprise accounts for a compliance year, with its deadline
``/registry/accounts/{account}``        the statement with running balance and the Excel download
``/sinks[?year=]``                      forest and grassland sinks by league on the map, with sources

Login needed; each shows only what the caller may read (the same rules as ``/api/registry``). Sample accounts
and the illustrative league shares are marked 示例数据. The pages only arrange what the services return.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from tanfeng.access import Action
from tanfeng.registry import instrument
from tanfeng.services import registry as service
from tanfeng.services import sinks as sinks_service
from tanfeng.web.deps import LangDep, LoggedIn, SessionDep
from tanfeng.web.pages import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/registry")
def registry_page(request: Request, session: SessionDep, lang: LangDep, principal: LoggedIn,
                  year: Annotated[int, Query(ge=2000, le=2100)] = 2023) -> Response:
    """Accounts and compliance status."""
    accounts = service.list_accounts(session, principal=principal)
    status = service.compliance(session, compliance_year=year, today=date.today(), principal=principal)
    return render(request, "registry/index.html", lang, {
        "accounts": accounts, "status": status, "year": year, "units": {a.instrument: instrument(a.instrument).unit
                                                                        for a in accounts},
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
        "row": row, "lines": lines, "rules": rules, "sample": row.sample,
        "balance": lines[-1].balance if lines else 0})


@router.get("/sinks")
def sinks_page(request: Request, lang: LangDep, principal: LoggedIn,
               year: Annotated[int, Query(ge=1900, le=2100)] = 2024) -> Response:
    """League sinks on the map, with the region's total and the sources."""
    region = sinks_service.account("150000", year)
    leagues = sinks_service.league_accounts(year)
    return render(request, "registry/sinks.html", lang, {
        "region": region, "leagues": leagues, "year": year, "sample": True,
        "map_data": [{"code": a.region, "value": a.total_tco2} for a in leagues]})
