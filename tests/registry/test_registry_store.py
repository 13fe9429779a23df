"""The registry on both backends: the sample loads and verifies, requests are idempotent, bad requests
write nothing, reversal compensates, and a changed row is caught by ``verify``."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from tanfeng.errors import ConflictError, InputError, NotFoundError
from tanfeng.services import registry as service
from tanfeng.store.models import AuditRow
from tanfeng.store.models_registry import RegistryEntryRow, RegistryTransactionRow

WHO = service.Actor(name="tester", role="region_admin")
PWR, ALU = "CEA-S-PWR-BT01", "CEA-S-ALU-BT02"


def _counts(session: Session) -> tuple[int, int, int]:
    session.rollback()
    return (session.scalar(select(func.count()).select_from(RegistryTransactionRow)) or 0,
            session.scalar(select(func.count()).select_from(RegistryEntryRow)) or 0,
            session.scalar(select(func.count()).select_from(AuditRow)) or 0)


def _balances(session: Session) -> dict[str, int]:
    return {a.account: a.balance for a in service.list_accounts(session)}


@pytest.fixture
def loaded(session: Session) -> Session:
    service.load_sample(session)
    return session


def test_sample_loads_once_and_verifies(loaded: Session) -> None:
    before = _counts(loaded)
    assert service.load_sample(loaded).transactions_written == 0
    assert _counts(loaded) == before
    result, message = service.verify(loaded)
    assert result.ok, message
    assert result.in_circulation == result.issued - result.retired
    # the sample surrender: 3 450 000 CEA + 150 000 CCER (150 000 ≤ 5 % × 3 600 000 = 180 000)
    status = {c.account: c for c in service.compliance(loaded, compliance_year=2023, today=date(2025, 1, 5))}
    assert (status[PWR].obligation, status[PWR].surrendered, status[PWR].offsets, status[PWR].status) == \
        (3_600_000, 3_600_000, 150_000, "complete")


def test_a_repeated_request_moves_units_once(loaded: Session) -> None:
    req = service.TransferRequest(idempotency_key="k-1", source=ALU, target=PWR, amount=1000)
    first = service.transfer(loaded, req, actor=WHO)
    again = service.transfer(loaded, req, actor=WHO)
    assert (first.replayed, again.replayed, again.tx_id, again.hash) == (False, True, first.tx_id, first.hash)
    assert _balances(loaded)[ALU] == 1_000_000 - 1000
    with pytest.raises(ConflictError, match="different request"):
        service.transfer(loaded, req.model_copy(update={"amount": 5}), actor=WHO)


@pytest.mark.parametrize(("request_", "error", "match"), [
    (service.TransferRequest(idempotency_key="b1", source="CEA-NOPE", target=PWR, amount=1), NotFoundError,
     "unknown account"),
    (service.TransferRequest(idempotency_key="b2", source=ALU, target="EUR-150600", amount=1), InputError,
     "wrong instrument"),
    (service.TransferRequest(idempotency_key="b3", source=ALU, target=PWR, amount=1_000_001), InputError,
     "fewer than"),
    (service.SurrenderRequest(idempotency_key="b4", account=ALU, compliance_year=2023, on=date(2024, 6, 1),
                              obligation=10, lines=[service.SurrenderLineIn(instrument="CEA", vintage=2024,
                                                                            amount=10)]),
     InputError, "borrowing"),
    (service.SurrenderRequest(idempotency_key="b5", account="EUR-S-CHEM-EE04", compliance_year=2026,
                              on=date(2026, 12, 1), obligation=10,
                              lines=[service.SurrenderLineIn(instrument="EUR", vintage=2025, amount=10)]),
     InputError, "expired"),
    (service.SurrenderRequest(idempotency_key="b6", account=ALU, compliance_year=2023, on=date(2025, 1, 1),
                              obligation=10, lines=[service.SurrenderLineIn(instrument="CEA", vintage=2023,
                                                                            amount=10)]),
     InputError, "deadline"),
])
def test_bad_requests_are_refused_and_write_nothing(loaded: Session, request_: object, error: type[Exception],
                                                    match: str) -> None:
    before, balances = _counts(loaded), _balances(loaded)
    op = service.transfer if isinstance(request_, service.TransferRequest) else service.surrender
    with pytest.raises(error, match=match):
        op(loaded, request_, actor=WHO)  # type: ignore[arg-type]
    assert _counts(loaded) == before
    assert _balances(loaded) == balances


def test_a_negative_amount_is_refused_before_anything_runs() -> None:
    with pytest.raises(ValidationError, match="greater than 0"):
        service.TransferRequest(idempotency_key="n", source=ALU, target=PWR, amount=-5)


def test_reversal_compensates_and_keeps_the_original(loaded: Session) -> None:
    tx = service.transfer(loaded, service.TransferRequest(idempotency_key="r-1", source=ALU, target=PWR,
                                                          amount=700), actor=WHO)
    before = _balances(loaded)
    rev = service.reverse(loaded, service.ReverseRequest(idempotency_key="r-2", tx_id=tx.tx_id,
                                                         reason="entered twice"), actor=WHO)
    after = _balances(loaded)
    assert (after[ALU] - before[ALU], after[PWR] - before[PWR]) == (700, -700)
    assert rev.reverses == tx.tx_id
    assert service.get_transaction(loaded, tx.tx_id).kind == "transfer"
    with pytest.raises(InputError, match="already reversed"):
        service.reverse(loaded, service.ReverseRequest(idempotency_key="r-3", tx_id=tx.tx_id, reason="again"),
                        actor=WHO)
    assert service.verify(loaded)[0].ok


def test_statement_has_a_running_balance(loaded: Session) -> None:
    _, lines = service.statement(loaded, PWR)
    running = 0
    for line in lines:
        running += line.amount
        assert line.balance == running
    assert lines[-1].balance == _balances(loaded)[PWR]
    assert service.statement_workbook(loaded, PWR)[:2] == b"PK"  # an .xlsx is a zip file


def test_verify_catches_a_row_changed_in_the_database(loaded: Session) -> None:
    loaded.execute(text("UPDATE registry_entries SET amount = amount + 1, serial_end = serial_end + 1 "
                        "WHERE seq = 2 AND line = 2"))
    loaded.commit()
    result, message = service.verify(loaded)
    assert (result.ok, result.first_bad_entry) == (False, 2), message


def test_energy_rights_surrender_against_the_approved_report(loaded: Session) -> None:
    from datetime import UTC, datetime

    from tanfeng.store.models_enterprises import AnnualReportRow, KeyUnitRow

    now = datetime(2026, 3, 1, tzinfo=UTC)
    loaded.add(KeyUnitRow(code="S-CHEM-EE04", name="示例煤化工", league="150600", county="150602", industry="2614",
                          level="region", products=[], contacts=[], sample=True, created_at=now, updated_at=now))
    loaded.flush()
    loaded.add(AnnualReportRow(unit_code="S-CHEM-EE04", year=2025, kind="energy", state="approved", version=2,
                               lock_version=2, content={}, figures={"energy_tce": 499_600.4}, created_at=now,
                               created_by="t", updated_at=now, updated_by="t"))
    loaded.commit()
    tx = service.surrender(loaded, service.SurrenderRequest(
        idempotency_key="eur-2025", account="EUR-S-CHEM-EE04", compliance_year=2025, on=date(2026, 6, 30),
        lines=[service.SurrenderLineIn(instrument="EUR", vintage=2025, amount=499_600)]), actor=WHO)
    # 清缴 against the verified 499 600.4 tce of the approved report, rounded to whole tce
    assert tx.details["obligation"] == 499_600
    assert "approved annual report" in tx.details["obligation_source"]
    status = {c.account: c for c in service.compliance(loaded, compliance_year=2025, today=date(2026, 7, 1))}
    assert status["EUR-S-CHEM-EE04"].status == "complete"
    # the deadline (ASSUMPTION: 30 June of the following year) is an edge: a day later is refused
    with pytest.raises(InputError, match="deadline"):
        service.surrender(loaded, service.SurrenderRequest(
            idempotency_key="eur-2025-late", account="EUR-S-CHEM-EE04", compliance_year=2025, on=date(2026, 7, 1),
            lines=[service.SurrenderLineIn(instrument="EUR", vintage=2025, amount=1)]), actor=WHO)
