"""Forestry projects in the store: each step with its document and who; crediting issues CCER into the
registry in the same transaction; a step out of order writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from tanfeng.errors import InputError, NotFoundError
from tanfeng.services import registry
from tanfeng.services import sinks as service
from tanfeng.services.sinks.sample import SAMPLE_PROJECT, load_sample_projects

WHO = registry.Actor(name="forester")


def _balance(session: Session, account: str) -> int:
    return next(a.balance for a in registry.list_accounts(session) if a.account == account)


def test_sample_project_is_credited_into_the_registry(session: Session) -> None:
    registry.load_sample(session)
    before = _balance(session, "CCER-150700")
    assert load_sample_projects(session) == 4
    assert load_sample_projects(session) == 0
    p = service.get_project(session, SAMPLE_PROJECT)
    assert [s.state for s in p.steps] == ["registered", "monitored", "verified", "credited"]
    assert all(s.document and s.actor for s in p.steps)
    assert (p.state, p.credited_tco2e) == ("credited", 48_000)
    assert p.steps[-1].tx_id is not None
    assert _balance(session, "CCER-150700") == before + 48_000
    tx = registry.get_transaction(session, p.steps[-1].tx_id)
    assert tx.entries[-1].serial.startswith("CCER-2024-")  # vintage: the year of the verification
    assert registry.verify(session)[0].ok


def test_steps_out_of_order_write_nothing(session: Session) -> None:
    registry.load_sample(session)
    when = datetime(2025, 1, 1, tzinfo=UTC)
    service.register_project(session, project_id="P-2", name="测试", region="150700", area_ha=10,
                             credit_account="CCER-150700", document="PDD", actor=WHO, when=when)
    with pytest.raises(InputError, match="only from verified"):
        service.advance_project(session, project_id="P-2", to="credited", document="notice", actor=WHO, when=when)
    assert [s.state for s in service.get_project(session, "P-2").steps] == ["registered"]
    with pytest.raises(InputError, match="holds CEA"):
        service.register_project(session, project_id="P-3", name="x", region="150700", area_ha=1,
                                 credit_account="CEA-150000", document="PDD", actor=WHO, when=when)
    with pytest.raises(NotFoundError):
        service.get_project(session, "P-3")
