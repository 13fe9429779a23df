"""A sample registry (示例数据) that ``tanfeng init`` loads: accounts, issuance, transfers and a surrender.

Every account and transaction is flagged ``sample``; the owners are invented (``S-…``), not real units.
Loading is idempotent: the transactions carry fixed idempotency keys, so a second load replays them and
writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from tanfeng.registry import power_allocation
from tanfeng.services.registry.models import (
    IssueRequest,
    OpenAccountRequest,
    SurrenderLineIn,
    SurrenderRequest,
    TransferRequest,
)
from tanfeng.services.registry.operations import account_id, issue, open_account, surrender, transfer
from tanfeng.services.registry.write import Actor
from tanfeng.store import repository_registry as repo

__all__ = ["SAMPLE_ACCOUNTS", "SampleLoaded", "load_sample"]

SAMPLE_ACCOUNTS: tuple[OpenAccountRequest, ...] = (
    OpenAccountRequest(instrument="CEA", kind="region", owner="150000", name="内蒙古自治区 配额账户（示例数据）"),
    OpenAccountRequest(instrument="CEA", kind="enterprise", owner="S-PWR-BT01", region="150200",
                       name="示例燃煤电厂（包头，示例数据）"),
    OpenAccountRequest(instrument="CEA", kind="enterprise", owner="S-ALU-BT02", region="150200",
                       name="示例电解铝企业（包头，示例数据）"),
    OpenAccountRequest(instrument="CCER", kind="enterprise", owner="S-PWR-BT01", region="150200",
                       name="示例燃煤电厂 CCER 账户（示例数据）"),
    OpenAccountRequest(instrument="CCER", kind="league", owner="150700", name="呼伦贝尔市 林业碳汇账户（示例数据）"),
    OpenAccountRequest(instrument="EUR", kind="region", owner="150000", name="内蒙古自治区 用能权账户（示例数据）"),
    OpenAccountRequest(instrument="EUR", kind="league", owner="150600", name="鄂尔多斯市 用能权账户（示例数据）"),
    OpenAccountRequest(instrument="EUR", kind="enterprise", owner="S-CHEM-EE04", region="150600",
                       name="示例煤化工企业（鄂尔多斯，示例数据）"),
)
"""The sample accounts (示例数据)."""


@dataclass(frozen=True)
class SampleLoaded:
    """What loading the sample did."""

    accounts_opened: int
    transactions_written: int


def load_sample(session: Session, *, actor: str = "tanfeng init") -> SampleLoaded:
    """Open the sample accounts (when missing) and replay the sample transactions (示例数据)."""
    who = Actor(name=actor)
    opened = 0
    for req in SAMPLE_ACCOUNTS:
        if repo.get_account(session, account=account_id(req.instrument, req.owner)) is None:
            open_account(session, req, actor=who, sample=True)
            opened += 1
    pwr, pwr_ccer = account_id("CEA", "S-PWR-BT01"), account_id("CCER", "S-PWR-BT01")
    # an illustrative class-I coal unit: 4.2 TWh and 1.5 PJ of heat in 2023, 3.60 Mt verified (示例数据)
    alloc = power_allocation(year=2023, unit_class="I", power_mwh=4_200_000, heat_gj=1_500_000, load_factor=0.62,
                             verified_tco2=3_600_000, previous_verified_tco2=3_550_000)
    txs = [
        issue(session, IssueRequest(idempotency_key="sample-cea-2023-pre", account=pwr, vintage=2023,
                                    amount=alloc.pre_allocation, basis="pre_allocation",
                                    memo="2023 预分配 70 %（示例数据）"), actor=who, sample=True),
        issue(session, IssueRequest(idempotency_key="sample-cea-2023-settle", account=pwr, vintage=2023,
                                    amount=alloc.settlement, basis="settlement",
                                    memo="2023 核定（多退少补，示例数据）"), actor=who, sample=True),
        issue(session, IssueRequest(idempotency_key="sample-cea-2023-alu", account=account_id("CEA", "S-ALU-BT02"),
                                    vintage=2023, amount=1_000_000, basis="allocation",
                                    memo="示例数据"), actor=who, sample=True),
        issue(session, IssueRequest(idempotency_key="sample-ccer-2022-forest", account=account_id("CCER", "150700"),
                                    vintage=2022, amount=250_000, basis="credit",
                                    memo="林业碳汇项目减排量登记（示例数据）"), actor=who, sample=True),
        transfer(session, TransferRequest(idempotency_key="sample-ccer-sale", source=account_id("CCER", "150700"),
                                          target=pwr_ccer, amount=150_000, memo="CCER 协议转让（示例数据）"),
                 actor=who, sample=True),
        surrender(session, SurrenderRequest(
            idempotency_key="sample-cea-2023-surrender", account=pwr, compliance_year=2023, on=date(2024, 12, 20),
            obligation=3_600_000, obligation_source="核查报告（示例数据）",
            lines=[SurrenderLineIn(instrument="CEA", vintage=2023, amount=3_450_000),
                   SurrenderLineIn(instrument="CCER", vintage=2022, amount=150_000)]), actor=who, sample=True),
        issue(session, IssueRequest(idempotency_key="sample-eur-2025-region", account=account_id("EUR", "150000"),
                                    vintage=2025, amount=2_000_000, basis="allocation",
                                    memo="2025 年度用能权指标核发（示例数据）"), actor=who, sample=True),
        transfer(session, TransferRequest(idempotency_key="sample-eur-2025-league", source=account_id("EUR", "150000"),
                                          target=account_id("EUR", "150600"), amount=600_000, transfer_kind="incremental",
                                          memo="增量指标下达（示例数据）"), actor=who, sample=True),
        issue(session, IssueRequest(idempotency_key="sample-eur-2025-confirm", account=account_id("EUR", "S-CHEM-EE04"),
                                    vintage=2025, amount=480_000, basis="confirmation",
                                    memo="存量用能确权（示例数据）"), actor=who, sample=True),
        transfer(session, TransferRequest(idempotency_key="sample-eur-2025-lease", source=account_id("EUR", "150600"),
                                          target=account_id("EUR", "S-CHEM-EE04"), amount=20_000, transfer_kind="lease",
                                          lease_until=date(2025, 12, 31), memo="指标租赁（示例数据）"),
                 actor=who, sample=True),
    ]
    return SampleLoaded(accounts_opened=opened, transactions_written=sum(1 for t in txs if not t.replayed))
