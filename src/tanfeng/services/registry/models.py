"""The shapes the registry's use cases return (the CLI's JSON and the API's bodies) and take."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "MAX_AMOUNT",
    "AccountOut",
    "ComplianceOut",
    "EntryOut",
    "IssueRequest",
    "OpenAccountRequest",
    "ReverseRequest",
    "StatementLine",
    "SurrenderLineIn",
    "SurrenderRequest",
    "TransactionOut",
    "TransferRequest",
    "VerifyOut",
]

MAX_AMOUNT = 10**12
"""The most units one request may move (10¹² tCO2e or tce, far above any holding; serials stay within int64)."""

_KEY = Field(min_length=1, max_length=200, description="Idempotency key: the same key never moves units twice.")


class AccountOut(BaseModel):
    """An account and its balance (the sum of its entries), as ``tanfeng registry accounts`` prints it."""

    account: str
    owner: str
    instrument: str
    balance: int


class EntryOut(BaseModel):
    """One entry of a transaction: a serial block into (+) or out of (−) an account."""

    account: str
    serial: str
    instrument: str
    vintage: int
    amount: int


class TransactionOut(BaseModel):
    """A transaction of the ledger; ``replayed`` is true when the idempotency key had already been used."""

    tx_id: str
    seq: int
    kind: str
    idempotency_key: str
    at: datetime
    actor: str
    memo: str | None
    details: dict[str, Any]
    reverses: str | None
    entries: list[EntryOut]
    hash: str
    sample: bool
    replayed: bool = False


class VerifyOut(BaseModel):
    """``tanfeng registry verify``: the chain, the balances and the serials checked."""

    ok: bool
    entries: int
    accounts: int
    issued: int
    retired: int
    in_circulation: int
    first_bad_entry: int | None


class StatementLine(BaseModel):
    """One line of an account statement with the running balance after it."""

    seq: int
    at: datetime
    kind: str
    tx_id: str
    serial: str
    vintage: int
    amount: int
    balance: int
    memo: str | None


class ComplianceOut(BaseModel):
    """An account's surrender against its obligation for one compliance year."""

    account: str
    owner: str
    instrument: str
    compliance_year: int
    deadline: date
    obligation: int | None
    obligation_source: str | None
    surrendered: int
    offsets: int
    shortfall: int | None
    status: Literal["complete", "open", "overdue", "no_obligation"]
    penalty_low_yuan: float | None = None
    penalty_high_yuan: float | None = None
    sample: bool = False


class OpenAccountRequest(BaseModel):
    """Open an account for an owner and an instrument."""

    model_config = ConfigDict(extra="forbid")

    instrument: str = Field(min_length=1, max_length=16)
    kind: Literal["region", "league", "enterprise"]
    owner: str = Field(min_length=1, max_length=80, description="Region or league code, or the unit's code.")
    name: str = Field(min_length=1, max_length=300)
    region: str | None = Field(default=None, pattern=r"^\d{6}$", description="The league the owner belongs to.")


class IssueRequest(BaseModel):
    """Issue new units of an instrument and vintage into an account (核发, 确权, allocation, settlement)."""

    model_config = ConfigDict(extra="forbid")

    idempotency_key: str = _KEY
    account: str = Field(min_length=1, max_length=80)
    vintage: int = Field(ge=2000, le=2100)
    amount: int = Field(gt=0, le=MAX_AMOUNT, description="Whole units (tCO2e or tce).")
    basis: str = Field(default="allocation", max_length=32, description="allocation, confirmation, pre_allocation, "
                                                                         "settlement, credit …")
    memo: str | None = Field(default=None, max_length=2000)


class TransferRequest(BaseModel):
    """Move units from one account to another of the same instrument."""

    model_config = ConfigDict(extra="forbid")

    idempotency_key: str = _KEY
    source: str = Field(min_length=1, max_length=80)
    target: str = Field(min_length=1, max_length=80)
    amount: int = Field(gt=0, le=MAX_AMOUNT)
    vintage: int | None = Field(default=None, ge=2000, le=2100, description="Only this vintage (default: oldest first).")
    transfer_kind: str = Field(default="transfer", max_length=16,
                               description="For energy-use rights: incremental, stock or lease.")
    lease_until: date | None = None
    memo: str | None = Field(default=None, max_length=2000)


class SurrenderLineIn(BaseModel):
    """Units of one instrument and vintage to surrender."""

    model_config = ConfigDict(extra="forbid")

    instrument: str = Field(min_length=1, max_length=16)
    vintage: int = Field(ge=2000, le=2100)
    amount: int = Field(gt=0, le=MAX_AMOUNT)


class SurrenderRequest(BaseModel):
    """Surrender (清缴) units against a compliance year's obligation; offsets come from the owner's credit account."""

    model_config = ConfigDict(extra="forbid")

    idempotency_key: str = _KEY
    account: str = Field(min_length=1, max_length=80)
    compliance_year: int = Field(ge=2000, le=2100)
    on: date
    obligation: int | None = Field(default=None, ge=0, le=MAX_AMOUNT, description="Verified emissions (tCO2e) or energy "
                                   "consumption (tce); for energy-use rights, the approved annual report's when omitted.")
    obligation_source: str | None = Field(default=None, max_length=500)
    lines: list[SurrenderLineIn] = Field(min_length=1)


class ReverseRequest(BaseModel):
    """Reverse a transaction by a compensating one."""

    model_config = ConfigDict(extra="forbid")

    idempotency_key: str = _KEY
    tx_id: str = Field(min_length=1, max_length=36)
    reason: str = Field(min_length=1, max_length=2000)
