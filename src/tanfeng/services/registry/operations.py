"""Use cases that move units: open an account, issue, transfer, surrender (清缴), reverse.

Each checks the request against the instrument's rules (:mod:`tanfeng.registry.rules`) and the holdings
derived from the entries, inside the ledger's write (:func:`tanfeng.services.registry.write.commit`); a
refused request writes nothing.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from tanfeng.errors import ConflictError, InputError, NotFoundError, at
from tanfeng.registry import (
    ISSUANCE,
    RETIREMENT,
    Block,
    Entry,
    SurrenderLine,
    check_surrender,
    holdings,
    instrument,
    issuance_account,
    move,
    negate,
    retirement_account,
    take,
)
from tanfeng.services.registry.models import (
    AccountOut,
    IssueRequest,
    OpenAccountRequest,
    ReverseRequest,
    SurrenderRequest,
    TransactionOut,
    TransferRequest,
)
from tanfeng.services.registry.write import Actor, Built, commit
from tanfeng.store import repository_registry as repo
from tanfeng.store.models import utcnow
from tanfeng.store.models_registry import RegistryAccountRow
from tanfeng.store.repository import record_audit
from tanfeng.store.transaction import atomic
from tanfeng.units import readable_number

__all__ = ["account_id", "ensure_system_accounts", "issue", "open_account", "reverse", "surrender", "transfer"]


def account_id(instrument_code: str, owner: str) -> str:
    """The id of an owner's account for an instrument: ``CEA-91150200MA0N0000X1``."""
    return f"{instrument_code}-{owner}"


def _account(session: Session, account: str, field: str) -> RegistryAccountRow:
    row = repo.get_account(session, account=account)
    if row is None:
        msg = f"unknown account {account!r}"
        raise NotFoundError(msg, location=at(field=field), hint="list the accounts to find its id")
    return row


def ensure_system_accounts(session: Session, instrument_code: str, *, actor: Actor, sample: bool = False) -> None:
    """Open the instrument's issuance and retirement accounts when they are missing."""
    rules = instrument(instrument_code)
    for kind, acct in ((ISSUANCE, issuance_account(rules.code)), (RETIREMENT, retirement_account(rules.code))):
        if repo.get_account(session, account=acct) is None:
            repo.add_account(session, row=RegistryAccountRow(
                account=acct, instrument=rules.code, kind=kind, owner=rules.code, name=f"{rules.name_zh} {kind}",
                region=None, sample=sample, opened_at=utcnow(), opened_by=actor.name))


def open_account(session: Session, request: OpenAccountRequest, *, actor: Actor, sample: bool = False) -> AccountOut:
    """Open an owner's account for an instrument (and the instrument's system accounts on first use).

    Raises
    ------
    InputError
        Unknown instrument.
    ConflictError
        The owner already has an account for the instrument.
    """
    rules = instrument(request.instrument)
    acct = account_id(rules.code, request.owner)
    with atomic(session, f"registry account {acct!r}"):
        if repo.get_account(session, account=acct) is not None:
            msg = f"account {acct} already exists"
            raise ConflictError(msg, location=at(field="owner"), hint="an owner has one account per instrument")
        ensure_system_accounts(session, rules.code, actor=actor, sample=sample)
        region = request.region or (request.owner if request.kind != "enterprise" else None)
        repo.add_account(session, row=RegistryAccountRow(
            account=acct, instrument=rules.code, kind=request.kind, owner=request.owner, name=request.name,
            region=region, sample=sample, opened_at=utcnow(), opened_by=actor.name))
        record_audit(session, actor=actor.name, actor_role=actor.role, client_address=actor.client_address,
                     action="create", entity="registry_account", entity_id=acct, before=None,
                     after=request.model_dump(mode="json"))
    return AccountOut(account=acct, owner=request.owner, instrument=rules.code, balance=0)


def _holder(session: Session, account: str, field: str) -> RegistryAccountRow:
    row = _account(session, account, field)
    if row.kind in (ISSUANCE, RETIREMENT):
        msg = f"account {account} is the instrument's {row.kind} account; units cannot be moved from or to it here"
        raise InputError(msg, location=at(field=field))
    return row


def issue(session: Session, request: IssueRequest, *, actor: Actor, sample: bool = False) -> TransactionOut:
    """Issue ``amount`` new units of the account's instrument and ``vintage``: the next serial block.

    Raises
    ------
    NotFoundError
        Unknown account.
    InputError
        A system account, or a basis the instrument does not know.
    """

    def build(s: Session) -> Built:
        holder = _holder(s, request.account, "account")
        rules = instrument(holder.instrument)
        kinds = (*rules.issuance_kinds, "pre_allocation", "settlement", "credit")
        if request.basis not in kinds:
            msg = f"{rules.code} is issued by {', '.join(kinds)}; got basis {request.basis!r}"
            raise InputError(msg, location=at(field="basis"))
        source = issuance_account(rules.code)
        first = repo.max_serial(s, account=source, instrument=rules.code, vintage=request.vintage) + 1
        block = Block(instrument=rules.code, vintage=request.vintage, start=first, end=first + request.amount - 1)
        return Built(entries=move([block], source=source, target=holder.account), memo=request.memo,
                     details={"basis": request.basis, "account": holder.account, "vintage": request.vintage,
                              "amount": request.amount})

    return commit(session, kind="issue", key=request.idempotency_key, request=request.model_dump(mode="json"),
                  actor=actor, build=build, sample=sample)


def transfer(session: Session, request: TransferRequest, *, actor: Actor, sample: bool = False) -> TransactionOut:
    """Move ``amount`` units (oldest vintage and lowest serials first, or of one vintage) between two accounts
    of the same instrument.

    Raises
    ------
    NotFoundError
        Unknown account.
    InputError
        Same account, different instruments, a transfer kind the instrument does not have, a lease without
        its end, or too few units.
    """

    def build(s: Session) -> Built:
        src = _holder(s, request.source, "source")
        dst = _holder(s, request.target, "target")
        if src.account == dst.account:
            msg = "source and target are the same account"
            raise InputError(msg, location=at(field="target"))
        if src.instrument != dst.instrument:
            msg = f"wrong instrument: {src.account} holds {src.instrument}, {dst.account} holds {dst.instrument}"
            raise InputError(msg, location=at(field="target"))
        rules = instrument(src.instrument)
        if request.transfer_kind not in rules.transfer_kinds:
            msg = f"{rules.code} transfers are {', '.join(rules.transfer_kinds)}; got {request.transfer_kind!r}"
            raise InputError(msg, location=at(field="transfer_kind"))
        if request.transfer_kind == "lease" and request.lease_until is None:
            msg_0 = "a lease needs lease_until, the day the units return"
            raise InputError(msg_0, location=at(field="lease_until"))
        held = holdings(repo.account_entries(s, account=src.account), src.account)
        blocks = take(held, request.amount, instrument=rules.code, vintage=request.vintage, account=src.account)
        details: dict[str, object] = {"source": src.account, "target": dst.account, "amount": request.amount,
                                      "transfer_kind": request.transfer_kind}
        if request.lease_until is not None:
            details["lease_until"] = request.lease_until.isoformat()
        return Built(entries=move(blocks, source=src.account, target=dst.account), memo=request.memo, details=details)

    # the accounts are read before the ledger lock is taken (accounts are never deleted), so inside it
    # build finds them in the session without another round trip
    held_rows = (_holder(session, request.source, "source"), _holder(session, request.target, "target"))
    out = commit(session, kind="transfer", key=request.idempotency_key, request=request.model_dump(mode="json"),
                 actor=actor, build=build, sample=sample)
    del held_rows  # kept alive until here: the session's identity map holds rows only while referenced
    return out


def _obligation(s: Session, holder: RegistryAccountRow, request: SurrenderRequest) -> tuple[int, str]:
    if request.obligation is not None:
        return request.obligation, request.obligation_source or "given with the request"
    if holder.instrument == "EUR" and holder.kind == "enterprise":
        found = repo.approved_energy_tce(s, unit_code=holder.owner, year=request.compliance_year)
        if found is not None:
            tce, rep = found
            return round(tce), f"approved annual report {rep['report_id']} v{rep['version']} ({readable_number(tce)} tce)"
    msg = (f"no obligation for {holder.account} in {request.compliance_year}: give the verified figure"
           + (" or approve the unit's annual report" if holder.instrument == "EUR" else ""))
    raise InputError(msg, location=at(field="obligation"))


def _offsets_already(s: Session, account: str, year: int) -> int:
    reversed_ids = {t.reverses for t in repo.transactions_of_kind(s, kind="reverse")}
    total = 0
    for t in repo.transactions_of_kind(s, kind="surrender"):
        if t.details.get("account") == account and t.details.get("compliance_year") == year \
                and t.tx_id not in reversed_ids:
            total += int(t.details.get("offsets", 0))
    return total


def surrender(session: Session, request: SurrenderRequest, *, actor: Actor, sample: bool = False) -> TransactionOut:
    """Surrender units for a compliance year: checked against the deadline, the vintage rules and the offset
    cap, then moved to the retirement accounts. Offsets come from the owner's account of the offset instrument.

    Raises
    ------
    NotFoundError
        Unknown account, or the owner has no account of an offset instrument offered.
    InputError
        A rule is broken, or too few units are held; nothing is written.
    """

    def build(s: Session) -> Built:
        holder = _holder(s, request.account, "account")
        rules = instrument(holder.instrument)
        if rules.surrender is None:
            msg = f"{rules.code} is not surrendered"
            raise InputError(msg, location=at(field="account"))
        obligation, source = _obligation(s, holder, request)
        lines = [SurrenderLine(instrument=ln.instrument, vintage=ln.vintage, amount=ln.amount) for ln in request.lines]
        check_surrender(rules, compliance_year=request.compliance_year, on=request.on, obligation=obligation,
                        lines=lines, offsets_already=_offsets_already(s, holder.account, request.compliance_year))
        entries: list[Entry] = []
        offsets = 0
        for i, line in enumerate(lines, start=1):
            acct = holder.account if line.instrument == rules.code else account_id(line.instrument, holder.owner)
            if line.instrument != rules.code:
                _account(s, acct, f"lines[{i}].instrument")
                offsets += line.amount
            pending = [e for e in entries if e.account == acct]
            held = holdings([*repo.account_entries(s, account=acct), *pending], acct)
            blocks = take(held, line.amount, instrument=line.instrument, vintage=line.vintage, account=acct)
            entries += move(blocks, source=acct, target=retirement_account(line.instrument))
        details = {"account": holder.account, "compliance_year": request.compliance_year, "on": request.on.isoformat(),
                   "obligation": obligation, "obligation_source": source,
                   "surrendered": sum(ln.amount for ln in lines), "offsets": offsets}
        return Built(entries=entries, details=details, memo=f"清缴 {request.compliance_year}")

    return commit(session, kind="surrender", key=request.idempotency_key, request=request.model_dump(mode="json"),
                  actor=actor, build=build, sample=sample)


def reverse(session: Session, request: ReverseRequest, *, actor: Actor) -> TransactionOut:
    """Reverse a transaction by a compensating one (every entry negated); the original stays in the ledger.

    Raises
    ------
    NotFoundError
        Unknown transaction.
    InputError
        It is itself a reversal, it was already reversed, or a unit it moved has moved on since.
    """

    def build(s: Session) -> Built:
        original = repo.get_transaction(s, tx_id=request.tx_id)
        if original is None:
            msg = f"unknown transaction {request.tx_id!r}"
            raise NotFoundError(msg, location=at(field="tx_id"))
        if original.kind == "reverse":
            msg = "a reversal is not reversed; make a new transaction instead"
            raise InputError(msg, location=at(field="tx_id"))
        if any(t.reverses == original.tx_id for t in repo.transactions_of_kind(s, kind="reverse")):
            msg = f"transaction {original.tx_id} was already reversed"
            raise InputError(msg, location=at(field="tx_id"))
        entries = negate(repo.transaction_entries(s, seq=original.seq))
        for e in entries:
            if e.sign < 0 and repo.get_account(s, account=e.account) is not None:
                held = holdings(repo.account_entries(s, account=e.account), e.account)
                if not any(b.vintage == e.block.vintage and b.instrument == e.block.instrument
                           and b.start <= e.block.start and e.block.end <= b.end for b in held):
                    msg = f"units {e.block.start}..{e.block.end} are no longer in {e.account}; cannot reverse"
                    raise InputError(msg, location=at(field="tx_id"), hint="move them back first")
        return Built(entries=entries, reverses=original.tx_id, memo=request.reason,
                     details={"reverses": original.tx_id, "kind": original.kind})

    return commit(session, kind="reverse", key=request.idempotency_key, request=request.model_dump(mode="json"),
                  actor=actor, build=build)
