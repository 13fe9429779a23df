"""Tables of the registry topic. Their migrations form the ``registry`` branch (see :mod:`tanfeng.store.migrate`).

Tables
------
``registry_accounts``       one account per owner and instrument (the region, a league, an enterprise unit, and
                            each instrument's issuance and retirement accounts); never deleted
``registry_transactions``   the ledger: one row per balanced transaction, numbered by ``seq`` (unique, no gaps)
                            and chained by ``prev_hash``/``hash``; ``idempotency_key`` is unique, so a repeated
                            request finds the transaction it made
``registry_entries``        the transaction's entries: a serial block (instrument, vintage, start..end) entering
                            (+) or leaving (−) an account. Append-only: balances are sums of entries, holdings
                            are derived from them; nothing is updated or deleted
``sink_projects``           forestry carbon projects and the CCER account their credits are issued into
``sink_project_steps``      each project's lifecycle steps (registered → monitored → verified → credited), with the
                            document, who and when; append-only
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from tanfeng.store.models import Base, UTCDateTime

__all__ = ["Base", "RegistryAccountRow", "RegistryEntryRow", "RegistryTransactionRow", "SinkProjectRow",
           "SinkProjectStepRow"]


class RegistryAccountRow(Base):
    """An account holding one instrument."""

    __tablename__ = "registry_accounts"

    account: Mapped[str] = mapped_column(String(80), primary_key=True)
    instrument: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    """issuance, retirement, region, league or enterprise."""
    owner: Mapped[str] = mapped_column(String(80))
    """A region or league code, an enterprise unit's code, or the instrument for system accounts."""
    name: Mapped[str] = mapped_column(String(300))
    region: Mapped[str | None] = mapped_column(String(6))
    """The region or league the account belongs to (an enterprise's league), for scoping."""
    sample: Mapped[bool] = mapped_column(Boolean)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    opened_by: Mapped[str] = mapped_column(String(200))


class RegistryTransactionRow(Base):
    """One balanced transaction of the ledger."""

    __tablename__ = "registry_transactions"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    tx_id: Mapped[str] = mapped_column(String(36), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(32))
    memo: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    reverses: Mapped[str | None] = mapped_column(String(36))
    sample: Mapped[bool] = mapped_column(Boolean)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class RegistryEntryRow(Base):
    """A serial block entering (+1) or leaving (−1) an account."""

    __tablename__ = "registry_entries"
    __table_args__ = (Index("ix_registry_entries_account", "account", "instrument", "vintage"),)

    seq: Mapped[int] = mapped_column(Integer, ForeignKey("registry_transactions.seq"), primary_key=True)
    line: Mapped[int] = mapped_column(Integer, primary_key=True)
    account: Mapped[str] = mapped_column(String(80), ForeignKey("registry_accounts.account"))
    instrument: Mapped[str] = mapped_column(String(16))
    vintage: Mapped[int] = mapped_column(Integer)
    serial_start: Mapped[int] = mapped_column(BigInteger)
    serial_end: Mapped[int] = mapped_column(BigInteger)
    sign: Mapped[int] = mapped_column(SmallInteger)
    amount: Mapped[int] = mapped_column(BigInteger)
    """sign × (serial_end − serial_start + 1): sums give balances."""


class SinkProjectRow(Base):
    """A forestry carbon project (CCER / 林业碳汇) and where its credits go."""

    __tablename__ = "sink_projects"

    project_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    region: Mapped[str] = mapped_column(String(6))
    area_ha: Mapped[float] = mapped_column(Float(precision=53))
    credit_account: Mapped[str] = mapped_column(String(80), ForeignKey("registry_accounts.account"))
    sample: Mapped[bool] = mapped_column(Boolean)


class SinkProjectStepRow(Base):
    """One step of a project's lifecycle with its document, who took it and when (append-only)."""

    __tablename__ = "sink_project_steps"

    project_id: Mapped[str] = mapped_column(String(80), ForeignKey("sink_projects.project_id"), primary_key=True)
    step: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(16))
    document: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    tco2e: Mapped[int | None] = mapped_column(BigInteger)
    tx_id: Mapped[str | None] = mapped_column(String(36))
    """The registry transaction that issued the credits (``credited`` steps)."""
