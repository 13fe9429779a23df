"""Projects service on both backends: versioned and audited saves, a bad 清单 refused whole, the 减量替代
ledger (a withdrawal backs one project), concurrent claims on PostgreSQL (exactly one lands)."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from tanfeng.errors import ConflictError, InputError, PermissionDeniedError
from tanfeng.projects.offsets import Withdrawal
from tanfeng.projects.registry import Project
from tanfeng.projects.review import LeagueContext, review
from tanfeng.projects.rules import load_rules
from tanfeng.projects.workbook import write_workbook
from tanfeng.services import projects as service
from tanfeng.services.projects import offsets as offsets_module
from tanfeng.services.projects.review import efficiency_position
from tanfeng.store import make_engine, make_session_factory, upgrade
from tanfeng.store.models import AuditRow
from tanfeng.store.models_projects import OffsetClaimRow, ProjectRow


def _p(code: str, **kw: object) -> Project:
    base: dict[str, object] = {"code": code, "name": f"项目{code}", "league": "150600", "industry": "C2614",
                               "stage": "拟建", "energy_equal_tce": 12_000.0, "energy_equiv_tce": 15_000.0,
                               "value_added_10k_yuan": 5_000.0}
    base.update(kw)
    return Project.model_validate(base)


def _w(wid: str, league: str = "150600") -> Withdrawal:
    return Withdrawal(id=wid, league=league, description="关停", energy_tce=20_000.0, withdrawn_on=date(2024, 1, 1))


CTX = LeagueContext(league="150600", year=2024, energy_tce=1_000_000.0, gdp_10k_yuan=2_000_000.0)


def _audits(session: Session, entity: str) -> int:
    return session.scalar(select(func.count()).select_from(AuditRow).where(AuditRow.entity == entity)) or 0


def test_saves_are_versioned_and_audited(session: Session) -> None:
    r = service.save_projects(session, [_p("A"), _p("B")], actor="league-officer")
    assert (r.inserted, r.updated, r.unchanged) == (2, 0, 0)
    r = service.save_projects(session, [_p("A", stage="在建"), _p("B")], actor="league-officer")
    assert (r.inserted, r.updated, r.unchanged) == (0, 1, 1)
    hist = service.project_history(session, "A")
    assert [(h.version, h.stage, h.current) for h in hist] == [(1, "拟建", False), (2, "在建", True)]
    assert _audits(session, "project") == 3
    assert service.get_project(session, "A").two_high_label is not None


def test_bad_workbook_leaves_nothing(session: Session) -> None:
    wb = load_workbook(io.BytesIO(write_workbook([_p("A"), _p("B"), _p("C")])))
    ws = wb["项目清单"]
    col = [c.value for c in ws[1]].index("行业代码") + 1
    ws.cell(row=4, column=col, value="化工")
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(InputError, match="row 4, field '行业代码'"):
        service.import_workbook(session, buf.getvalue(), filename="清单.xlsx", actor="x")
    assert session.scalar(select(func.count()).select_from(ProjectRow)) == 0
    assert _audits(session, "project") == 0


def test_a_withdrawal_backs_one_project(session: Session) -> None:
    service.save_projects(session, [_p("A"), _p("B")], actor="x")
    service.add_withdrawals(session, [_w("W1")], actor="x")
    out = service.claim(session, withdrawal_id="W1", project_code="A", actor="x")
    assert out.coverage.withdrawn_tce == 20_000.0
    assert out.coverage.covered  # d = 15,000, ratio 1.0
    with pytest.raises(ConflictError, match="already backs project A"):
        service.claim(session, withdrawal_id="W1", project_code="B", actor="x")
    assert [w.claimed_by_project for w in service.list_withdrawals(session)] == ["A"]


def test_region_level_projects_are_reviewed_by_the_region(session: Session) -> None:
    service.save_projects(session, [_p("A")], actor="x")  # 12,000 tce ≥ 10,000: region
    with pytest.raises(PermissionDeniedError, match="region"):
        service.record_review(session, "A", actor="league", reviewer_level="league")
    res = service.record_review(session, "A", actor="region", reviewer_level="region")
    assert res.level == "region"
    assert _audits(session, "project") == 2


@pytest.fixture
def pg_engine(postgres_database_url: str) -> Iterator[Engine]:
    """The session's PostgreSQL database, emptied and migrated (concurrent writers need a server)."""
    eng = make_engine(postgres_database_url)
    with eng.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    upgrade(postgres_database_url)
    try:
        yield eng
    finally:
        eng.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("bypass_check", [False, True])
def test_concurrent_claims_of_the_same_withdrawal_exactly_one_succeeds(
        pg_engine: Engine, monkeypatch: pytest.MonkeyPatch, bypass_check: bool) -> None:
    factory = make_session_factory(pg_engine)
    n = 6
    with factory() as s:
        service.save_projects(s, [_p(f"P{i}") for i in range(n)], actor="x")
        service.add_withdrawals(s, [_w("W1")], actor="x")
    if bypass_check:  # both claims pass the read check, as in a real race: the store's key must still hold
        monkeypatch.setattr(offsets_module.repo, "claim_of", lambda _s, *, withdrawal_id: None)
    barrier = threading.Barrier(n)
    results: list[str] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        with factory() as s:
            barrier.wait()
            try:
                service.claim(s, withdrawal_id="W1", project_code=f"P{i}", actor=f"user{i}")
                outcome = "ok"
            except ConflictError:
                outcome = "conflict"
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results) == ["conflict"] * (n - 1) + ["ok"]
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(OffsetClaimRow)) == 1


def test_efficiency_against_benchmark_levels_in_the_product_unit() -> None:
    # calcium carbide 标杆/基准 805 / 940 kgce/t (energy_efficiency_levels.csv, recalled R):
    # 48,000 tce × 1000 / 60,000 t = 800 kgce/t ≤ 805 → 优于标杆
    p = _p("E1", product="calcium_carbide", output=60_000.0, energy_equal_tce=40_000.0, energy_equiv_tce=48_000.0)
    r = review(p, CTX, load_rules(), co2=lambda _p, _y: 0.0, efficiency=efficiency_position)
    assert r.efficiency_level == "优于标杆"
    assert r.specific_energy == pytest.approx(800.0)
    # electrolytic aluminium is compared in kWh/t: 1,080,000 万kWh × 10⁴ / 800,000 t = 13,500 kWh/t > 13,350 基准
    al = _p("E2", industry="C3216", product="electrolytic_aluminium_ac_power", output=800_000.0,
                  energy_equal_tce=1_100_000.0, energy_equiv_tce=2_400_000.0, electricity_10k_kwh=1_080_000.0)
    r = review(al, CTX, load_rules(), co2=lambda _p, _y: 0.0, efficiency=efficiency_position)
    assert (r.efficiency_level, r.specific_energy, r.specific_energy_unit) == ("未达基准", 13_500.0, "kWh/t")
