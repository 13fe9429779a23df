"""Use cases that read the registry: accounts with balances, statements, verification, compliance status.

Who sees what: :func:`visible` keeps the accounts a principal may read under the permission matrix
(resource ``registry``: an enterprise its own unit's accounts, a league officer its league's, the region
and auditors every account).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from tanfeng.access import Action, Principal, Resource, ResourceKind, authorize
from tanfeng.access import require as require_permission
from tanfeng.errors import NotFoundError, at
from tanfeng.registry import deadline_for, instrument, penalty_range, verify_ledger
from tanfeng.services.registry.models import (
    AccountOut,
    ComplianceOut,
    StatementLine,
    TransactionOut,
    VerifyOut,
)
from tanfeng.services.registry.write import transaction_out
from tanfeng.store import repository_registry as repo
from tanfeng.store.models_registry import RegistryAccountRow

__all__ = ["account_names", "account_resource", "any_sample", "authorize_account", "compliance", "get_transaction",
           "list_accounts", "statement", "verify", "visible"]


def account_resource(row: RegistryAccountRow) -> Resource:
    """The account as a guarded resource: an enterprise account is its unit's, others their region's."""
    if row.kind == "enterprise":
        return Resource(kind=ResourceKind.REGISTRY, id=row.account, unit_id=row.owner, region_code=row.region)
    return Resource(kind=ResourceKind.REGISTRY, id=row.account, region_code=row.region)


def authorize_account(session: Session, principal: Principal, action: Action, account: str,
                      *, field: str = "account") -> RegistryAccountRow:
    """The account, when ``principal`` may do ``action`` on it.

    Raises
    ------
    NotFoundError
        No such account.
    PermissionDeniedError
        The matrix does not allow it.
    """
    row = repo.get_account(session, account=account)
    if row is None:
        msg = f"unknown account {account!r}"
        raise NotFoundError(msg, location=at(field=field))
    require_permission(principal, action, account_resource(row))
    return row


def visible(principal: Principal, rows: list[RegistryAccountRow]) -> list[RegistryAccountRow]:
    """The accounts ``principal`` may read."""
    return [r for r in rows if authorize(principal, Action.READ, account_resource(r)).allowed]


def list_accounts(session: Session, *, principal: Principal | None = None, instrument_code: str | None = None,
                  owner: str | None = None) -> list[AccountOut]:
    """Accounts with their balances (sums of entries); only those ``principal`` may read when given."""
    found = repo.list_accounts(session, instrument=instrument_code, owner=owner)
    if principal is not None:
        allowed = {r.account for r in visible(principal, [f.row for f in found])}
        found = [f for f in found if f.row.account in allowed]
    return [AccountOut(account=f.row.account, owner=f.row.owner, instrument=f.row.instrument, balance=f.balance)
            for f in found]


def account_names(session: Session, accounts: list[str]) -> dict[str, tuple[str, str, str, str]]:
    """For pages: account id → (name, kind, owner, instrument) of each of ``accounts`` that exists (the
    caller has already been shown them)."""
    wanted = set(accounts)
    return {f.row.account: (f.row.name, f.row.kind, f.row.owner, f.row.instrument)
            for f in repo.list_accounts(session) if f.row.account in wanted}


def any_sample(session: Session, accounts: list[str]) -> bool:
    """Whether any of ``accounts`` is a sample account (示例数据)."""
    return any(row.sample for a in accounts if (row := repo.get_account(session, account=a)) is not None)


def statement(session: Session, account: str) -> tuple[RegistryAccountRow, list[StatementLine]]:
    """The account's entries in ledger order with the running balance after each.

    Raises
    ------
    NotFoundError
        No such account.
    """
    row = repo.get_account(session, account=account)
    if row is None:
        msg = f"unknown account {account!r}"
        raise NotFoundError(msg, location=at(field="account"))
    lines: list[StatementLine] = []
    balance = 0
    for entry, tx in repo.statement_rows(session, account=account):
        balance += entry.amount
        lines.append(StatementLine(
            seq=tx.seq, at=tx.at, kind=tx.kind, tx_id=tx.tx_id, vintage=entry.vintage, amount=entry.amount,
            balance=balance, memo=tx.memo,
            serial=f"{entry.instrument}-{entry.vintage}-{entry.serial_start:09d}-{entry.serial_end:09d}"))
    return row, lines


def get_transaction(session: Session, tx_id: str) -> TransactionOut:
    """One transaction with its entries.

    Raises
    ------
    NotFoundError
        No such transaction.
    """
    row = repo.get_transaction(session, tx_id=tx_id)
    if row is None:
        msg = f"unknown transaction {tx_id!r}"
        raise NotFoundError(msg, location=at(field="tx_id"))
    return transaction_out(row, repo.transaction_entries(session, seq=row.seq))


def verify(session: Session) -> tuple[VerifyOut, str]:
    """Check the whole ledger (chain, balance of each transaction, serials, supply); with a message."""
    txs, kinds = repo.ledger(session)
    result = verify_ledger(txs, kinds)
    out = VerifyOut(ok=result.ok, entries=result.entries, accounts=result.accounts, issued=result.issued,
                    retired=result.retired, in_circulation=result.in_circulation,
                    first_bad_entry=result.first_bad_entry)
    return out, result.message


def compliance(session: Session, *, compliance_year: int, today: date, price_yuan: float | None = None,
               principal: Principal | None = None) -> list[ComplianceOut]:
    """Per surrendering account (allowances, energy-use rights): obligation, surrendered, offsets, status.

    The obligation is the one recorded with the account's latest surrender for the year (verified
    emissions or energy consumption). ``overdue``: after the deadline with a shortfall; the penalty range
    is given when the rule has a price multiple and ``price_yuan`` is known.
    """
    reversed_ids = {t.reverses for t in repo.transactions_of_kind(session, kind="reverse")}
    done: dict[str, dict[str, object]] = {}
    for t in repo.transactions_of_kind(session, kind="surrender"):
        d = t.details
        if d.get("compliance_year") != compliance_year or t.tx_id in reversed_ids:
            continue
        acc = done.setdefault(str(d["account"]), {"surrendered": 0, "offsets": 0})
        acc["surrendered"] = int(str(acc["surrendered"])) + int(d.get("surrendered", 0))
        acc["offsets"] = int(str(acc["offsets"])) + int(d.get("offsets", 0))
        acc["obligation"], acc["source"], acc["sample"] = d.get("obligation"), d.get("obligation_source"), t.sample
    rows = [f.row for f in repo.list_accounts(session, include_system=False)
            if instrument(f.row.instrument).surrender is not None and f.row.kind == "enterprise"]
    if principal is not None:
        rows = visible(principal, rows)
    out: list[ComplianceOut] = []
    for row in rows:
        rules = instrument(row.instrument)
        deadline = deadline_for(rules, compliance_year)
        acc = done.get(row.account, {})
        obligation = int(str(acc["obligation"])) if acc.get("obligation") is not None else None
        surrendered = int(str(acc.get("surrendered", 0)))
        shortfall = max(0, obligation - surrendered) if obligation is not None else None
        status = ("no_obligation" if obligation is None else "complete" if shortfall == 0
                  else "overdue" if today > deadline else "open")
        fine = penalty_range(rules, shortfall or 0, price_yuan) if status == "overdue" else None
        out.append(ComplianceOut(
            account=row.account, owner=row.owner, instrument=row.instrument, compliance_year=compliance_year,
            deadline=deadline, obligation=obligation, obligation_source=str(acc["source"]) if acc.get("source") else None,
            surrendered=surrendered, offsets=int(str(acc.get("offsets", 0))), shortfall=shortfall, status=status,
            penalty_low_yuan=fine[0] if fine else None, penalty_high_yuan=fine[1] if fine else None,
            sample=bool(acc.get("sample", row.sample))))
    return out

