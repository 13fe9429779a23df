"""``/api/registry``: accounts, issuance, transfers, surrender (清缴), reversal, statements, verification.

Access (resource ``registry`` of the permission matrix): an enterprise reads, transfers from and surrenders
its own unit's accounts only; a league officer reads its league's accounts; the region administrator
issues (``admin``), reverses (``review``) and may do everything else; auditors and the office read
everything. Every write takes an idempotency key in its body: the same request sent twice moves units
once and answers with the same transaction (``replayed``: true).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from tanfeng.access import Action, Principal, Resource, ResourceKind, authorize
from tanfeng.access import require as require_permission
from tanfeng.errors import NotFoundError
from tanfeng.services import registry as service
from tanfeng.web.deps import LoggedIn, SessionDep, client_address
from tanfeng.web.downloads import XLSX, file_response

__all__ = ["AccountId", "router"]

router = APIRouter(prefix="/api/registry", tags=["registry"])

AccountId = Annotated[str, Path(min_length=1, max_length=80, description="An account id, e.g. CEA-150000")]

_REGION = Resource(kind=ResourceKind.REGISTRY, id="registry", region_code="150000")
"""The registry as a whole: issuing, reversing and verifying are the region's (auditors read it)."""


def _actor(principal: Principal, request: Request) -> service.Actor:
    return service.Actor(name=principal.user_id, role=principal.role.value, client_address=client_address(request))


@router.get("/accounts", response_model=list[service.AccountOut])
def accounts(session: SessionDep, principal: LoggedIn,
             instrument: Annotated[str | None, Query(max_length=16)] = None) -> list[service.AccountOut]:
    """Accounts the caller may read, with balances (sums of their entries)."""
    return service.list_accounts(session, principal=principal, instrument_code=instrument)


@router.post("/accounts", response_model=service.AccountOut, status_code=201)
def open_account(body: service.OpenAccountRequest, session: SessionDep, principal: LoggedIn,
                 request: Request) -> service.AccountOut:
    """Open an owner's account for an instrument (the region's administrators)."""
    require_permission(principal, Action.ADMIN, _REGION)
    return service.open_account(session, body, actor=_actor(principal, request))


@router.get("/accounts/{account}/statement", response_model=list[service.StatementLine])
def statement(account: AccountId, session: SessionDep, principal: LoggedIn) -> list[service.StatementLine]:
    """The account's entries with the running balance."""
    service.authorize_account(session, principal, Action.READ, account)
    return service.statement(session, account)[1]


@router.get("/accounts/{account}/statement.xlsx", response_class=Response,
            responses={200: {"content": {XLSX: {}}, "description": "The Excel statement"}})
def statement_xlsx(account: AccountId, session: SessionDep, principal: LoggedIn) -> Response:
    """The account's statement as an Excel workbook (marked 示例数据 for sample accounts)."""
    service.authorize_account(session, principal, Action.READ, account)
    return file_response(service.statement_workbook(session, account), XLSX, f"statement-{account}.xlsx")


@router.post("/issue", response_model=service.TransactionOut, status_code=201)
def issue(body: service.IssueRequest, session: SessionDep, principal: LoggedIn,
          request: Request) -> service.TransactionOut:
    """Issue new units into an account (核发 / 确权 / allocation): the region only."""
    service.authorize_account(session, principal, Action.ADMIN, body.account)
    return service.issue(session, body, actor=_actor(principal, request))


@router.post("/transfers", response_model=service.TransactionOut, status_code=201)
def transfer(body: service.TransferRequest, session: SessionDep, principal: LoggedIn,
             request: Request) -> service.TransactionOut:
    """Move units from an account the caller may move from (its own, for an enterprise)."""
    service.authorize_account(session, principal, Action.CREATE, body.source, field="source")
    return service.transfer(session, body, actor=_actor(principal, request))


@router.post("/surrenders", response_model=service.TransactionOut, status_code=201)
def surrender(body: service.SurrenderRequest, session: SessionDep, principal: LoggedIn,
              request: Request) -> service.TransactionOut:
    """Surrender (清缴) units for a compliance year from the caller's account."""
    service.authorize_account(session, principal, Action.SUBMIT, body.account)
    return service.surrender(session, body, actor=_actor(principal, request))


@router.post("/reversals", response_model=service.TransactionOut, status_code=201)
def reverse(body: service.ReverseRequest, session: SessionDep, principal: LoggedIn,
            request: Request) -> service.TransactionOut:
    """Reverse a transaction by compensating entries (the region only)."""
    require_permission(principal, Action.REVIEW, _REGION)
    return service.reverse(session, body, actor=_actor(principal, request))


@router.get("/transactions/{tx_id}", response_model=service.TransactionOut)
def transaction(tx_id: Annotated[str, Path(max_length=36)], session: SessionDep,
                principal: LoggedIn) -> service.TransactionOut:
    """One transaction, when the caller may read one of the accounts it touches."""
    tx = service.get_transaction(session, tx_id)
    if not authorize(principal, Action.READ, _REGION).allowed:
        readable = {a.account for a in service.list_accounts(session, principal=principal)}
        if not readable & {e.account for e in tx.entries}:
            msg = f"unknown transaction {tx_id!r}"
            raise NotFoundError(msg)
    return tx


@router.get("/verify", response_model=service.VerifyOut)
def verify(session: SessionDep, principal: LoggedIn) -> service.VerifyOut:
    """Check the whole ledger: chain, balanced transactions, serials, supply = issued − retired."""
    require_permission(principal, Action.READ, _REGION)
    return service.verify(session)[0]


@router.get("/compliance", response_model=list[service.ComplianceOut])
def compliance(session: SessionDep, principal: LoggedIn,
               year: Annotated[int, Query(ge=2000, le=2100, description="The compliance year")],
               price: Annotated[float | None, Query(gt=0, le=1e6, description="Yuan per unit, for the penalty")]
               = None) -> list[service.ComplianceOut]:
    """Compliance status of the accounts the caller may read, for a compliance year."""
    return service.compliance(session, compliance_year=year, today=date.today(), price_yuan=price,
                              principal=principal)
