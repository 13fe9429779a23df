"""Allocation of allowances to a power unit by intensity benchmark: the pre-allocation, then settlement.

The amounts come from :func:`tanfeng.registry.power_allocation` (70 % of the previous year's verified emissions
first; the benchmark result, capped at a 20 % shortfall, at settlement). Settlement issues the difference when
it is positive and takes it back into the issuance account when it is negative (多退少补).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from tanfeng.errors import InputError, at
from tanfeng.registry import Allocation, holdings, issuance_account, move, power_allocation, take
from tanfeng.services.registry.models import IssueRequest, TransactionOut
from tanfeng.services.registry.operations import _holder, issue
from tanfeng.services.registry.write import Actor, Built, commit
from tanfeng.store import repository_registry as repo

__all__ = ["AllocationOut", "PowerAllocationRequest", "allocate_power"]


class PowerAllocationRequest(BaseModel):
    """A power unit's activity and verified emissions, and which stage to run."""

    model_config = ConfigDict(extra="forbid")

    idempotency_key: str = Field(min_length=1, max_length=200)
    account: str = Field(min_length=1, max_length=80)
    year: int
    unit_class: Literal["I", "II", "III", "IV"]
    power_mwh: float = Field(ge=0)
    heat_gj: float = Field(ge=0)
    load_factor: float = Field(gt=0, le=1)
    verified_tco2: float = Field(ge=0)
    previous_verified_tco2: float = Field(ge=0)
    stage: Literal["pre_allocation", "settlement"]


class AllocationOut(BaseModel):
    """The computed allocation and the transaction that carried out the stage."""

    allocation: Allocation
    transaction: TransactionOut


def allocate_power(session: Session, request: PowerAllocationRequest, *, actor: Actor) -> AllocationOut:
    """Run the pre-allocation or the settlement of one power unit's allowances.

    Raises
    ------
    InputError
        No benchmark for the class and year, a settlement of zero, or too few units to take back.
    """
    alloc = power_allocation(year=request.year, unit_class=request.unit_class, power_mwh=request.power_mwh,
                             heat_gj=request.heat_gj, load_factor=request.load_factor,
                             verified_tco2=request.verified_tco2,
                             previous_verified_tco2=request.previous_verified_tco2)
    memo = f"{request.year} {request.stage} (benchmark {alloc.benchmark_tco2:.0f} tCO2, final {alloc.final})"
    if request.stage == "pre_allocation" or alloc.settlement > 0:
        amount = alloc.pre_allocation if request.stage == "pre_allocation" else alloc.settlement
        tx = issue(session, IssueRequest(idempotency_key=request.idempotency_key, account=request.account,
                                         vintage=request.year, amount=amount, basis=request.stage, memo=memo),
                   actor=actor)
        return AllocationOut(allocation=alloc, transaction=tx)
    if alloc.settlement == 0:
        msg = "the final allocation equals the pre-allocation: nothing to settle"
        raise InputError(msg,
                         location=at(field="stage"))

    def build(s: Session) -> Built:
        holder = _holder(s, request.account, "account")
        held = holdings(repo.account_entries(s, account=holder.account), holder.account)
        blocks = take(held, -alloc.settlement, instrument=holder.instrument, vintage=request.year,
                      account=holder.account)
        return Built(entries=move(blocks, source=holder.account, target=issuance_account(holder.instrument)),
                     memo=memo, details={"account": holder.account, "stage": "settlement", "returned": -alloc.settlement})

    tx = commit(session, kind="return", key=request.idempotency_key, request=request.model_dump(mode="json"),
                actor=actor, build=build)
    return AllocationOut(allocation=alloc, transaction=tx)
