"""Tables of the accounting topic. Their migrations form the ``accounting`` branch (see :mod:`tanfeng.store.migrate`).

Tables
------
``accounting_runs``     one stored calculation (inventory, enterprise report, combustion, electricity): what
                        it was about, the method and factor choices, the inputs exactly as the engine received
                        them (``inputs``, with their SHA-256 ``input_digest``), the engine's result as JSON and
                        its headline totals. Recomputing from ``inputs`` with the same factor library gives
                        ``result`` back exactly.
``accounting_lines``    the result line by line (emission cells, process lines, energy-consumption cells,
                        enterprise lines): activity with unit, the factor applied to it (ids, value, unit,
                        source, confidence) and the tCO2 / tCO2e / tce it gives, so each figure can be explained.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tanfeng.store.models import Base, UTCDateTime

__all__ = [
    "RUN_KINDS",
    "AccountingLineRow",
    "AccountingRunRow",
    "Base",
]

RUN_KINDS = ("inventory", "enterprise", "combustion", "electricity")
"""Kinds of stored run."""


class AccountingRunRow(Base):
    """One stored accounting calculation with its inputs, choices and result."""

    __tablename__ = "accounting_runs"
    __table_args__ = (
        Index("ix_accounting_runs_lookup", "kind", "region", "year"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    region: Mapped[str | None] = mapped_column(String(100))
    """Region code(s) of an inventory (several joined by ``,``), or the enterprise's region."""
    unit_id: Mapped[str | None] = mapped_column(String(200))
    """The reporting unit (enterprise name or id) of an enterprise run."""
    year: Mapped[int | None] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(Text)
    factor_set: Mapped[str | None] = mapped_column(String(32))
    factor_versions: Mapped[list[str]] = mapped_column(JSON)
    gwp_set: Mapped[str | None] = mapped_column(String(8))
    electricity_conversion: Mapped[str | None] = mapped_column(String(16))
    source_name: Mapped[str | None] = mapped_column(String(300))
    """Name of the file (or ``<json>``/``<api>``) the inputs came from."""
    input_digest: Mapped[str] = mapped_column(String(64), index=True)
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    tco2: Mapped[float | None] = mapped_column(Float(precision=53))
    tco2e: Mapped[float | None] = mapped_column(Float(precision=53))
    energy_tce: Mapped[float | None] = mapped_column(Float(precision=53))
    engine_version: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16))


class AccountingLineRow(Base):
    """One line of a stored run: activity × factor = tCO2 (tCO2e, tce)."""

    __tablename__ = "accounting_lines"

    run_id: Mapped[int] = mapped_column(Integer, ForeignKey("accounting_runs.id", ondelete="CASCADE"),
                                        primary_key=True)
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    category: Mapped[str] = mapped_column(String(32))
    """``combustion``, ``process``, ``energy_consumption``, ``electricity``, ``heat``, ``recovered`` …"""
    region: Mapped[str | None] = mapped_column(String(100))
    year: Mapped[int | None] = mapped_column(Integer)
    sector: Mapped[str | None] = mapped_column(String(100))
    product: Mapped[str | None] = mapped_column(String(200))
    gas: Mapped[str | None] = mapped_column(String(16))
    activity: Mapped[float] = mapped_column(Float(precision=53))
    activity_unit: Mapped[str] = mapped_column(String(100))
    factor_id: Mapped[str | None] = mapped_column(Text)
    factor_value: Mapped[float | None] = mapped_column(Float(precision=53))
    factor_unit: Mapped[str | None] = mapped_column(String(100))
    factor_source: Mapped[str | None] = mapped_column(Text)
    factor_confidence: Mapped[str | None] = mapped_column(String(1))
    formula: Mapped[str | None] = mapped_column(Text)
    tco2: Mapped[float | None] = mapped_column(Float(precision=53))
    tco2e: Mapped[float | None] = mapped_column(Float(precision=53))
    tce: Mapped[float | None] = mapped_column(Float(precision=53))
