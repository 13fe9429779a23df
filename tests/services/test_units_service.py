"""Units service: registry, annual-report workflow with optimistic locking and versions, Excel template,
budgets, responsibility assessment, bottom-up vs top-down (both backends)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from tanfeng.config import Settings
from tanfeng.enterprises.registry import Contact, Facility, KeyUnit, Meter, credit_code_check_char
from tanfeng.errors import ConflictError, ImportDataError, InputError, NotFoundError
from tanfeng.services import key_units as units
from tanfeng.store import make_engine, make_session_factory, upgrade
from tanfeng.store.models import AuditRow
from tanfeng.store.models_accounting import AccountingRunRow
from tanfeng.store.models_enterprises import ReportVersionRow


def code(n: int, county: str) -> str:
    first17 = f"91{county}MA{n:07d}"
    return first17 + credit_code_check_char(first17)


U1, U2, U3 = code(1, "150202"), code(2, "150602"), code(3, "150603")
COAL = {"fuels": [{"product": "raw_coal", "quantity": 1000, "unit": "t"}], "purchased_electricity": 100,
        "measures": ["余热发电"]}


def unit(c: str, league: str, county: str, industry: str) -> KeyUnit:
    return KeyUnit(code=c, name=f"测试单位{c[-4:]}", league=league, county=county, industry=industry, level="autonomous_region",
                   products=("cement_clinker",), contacts=(Contact(name="王工", role="能源管理负责人", phone="0471-1234567"),),
                   facilities=(Facility(facility_id=f"{c}-K1", unit_code=c, name="1号窑", product="cement_clinker"),),
                   meters=(Meter(meter_id=f"{c}-E1", unit_code=c, facility_id=f"{c}-K1", product="electricity",
                                 unit="kWh", kind="interval"),))


@pytest.fixture
def store(engine_url: str, tmp_path: Path) -> Iterator[tuple[Session, Settings]]:
    upgrade(engine_url)
    settings = Settings(database_url=engine_url, data_dir=tmp_path / "data")
    engine = make_engine(engine_url)
    with make_session_factory(engine)() as session:
        units.upsert_unit(session, unit(U1, "150200", "150202", "C3216"), actor="admin")
        units.upsert_unit(session, unit(U2, "150600", "150602", "C3011"), actor="admin")
        units.upsert_unit(session, unit(U3, "150600", "150603", "C3011"), actor="admin")
        yield session, settings
    engine.dispose()


def test_registry_round_trip_and_filters(store: tuple[Session, Settings]) -> None:
    session, _ = store
    assert [u.code for u in units.list_units(session)] == sorted([U1, U2, U3])
    assert [u.code for u in units.list_units(session, league="150600")] == sorted([U2, U3])
    assert [u.code for u in units.list_units(session, industry="C30")] == sorted([U2, U3])
    assert [u.code for u in units.list_units(session, county="150202")] == [U1]
    d = units.get_unit(session, U1)
    assert (d.level_zh, d.meters, d.sample, d.notice) == ("自治区", 1, False, None)
    assert d.contacts[0]["name"] == "王工"
    assert d.facilities[0]["name"] == "1号窑"
    assert [m.meter_id for m in units.list_meters(session, U1)] == [f"{U1}-E1"]
    with pytest.raises(NotFoundError):
        units.get_unit(session, code(9, "150202"))


def test_a_changed_unit_is_audited_with_before_and_after(store: tuple[Session, Settings]) -> None:
    session, _ = store
    changed = unit(U1, "150200", "150202", "C3216").model_copy(update={"name": "改名后的铝厂"})
    units.upsert_unit(session, changed, actor="alice")
    entries = session.scalars(select(AuditRow).where(AuditRow.entity == "key_unit", AuditRow.entity_id == U1)
                              .order_by(AuditRow.seq)).all()
    assert [e.action for e in entries] == ["insert", "update"]
    assert entries[-1].actor == "alice"
    assert entries[-1].before["name"] == "测试单位" + U1[-4:]
    assert entries[-1].after["name"] == "改名后的铝厂"


def test_report_figures_come_from_the_accounting_engine(store: tuple[Session, Settings]) -> None:
    session, _ = store
    rep = units.create_report(session, U2, year=2022, kind="ghg", content=COAL, actor="ent")
    # 1 000 t raw coal × 0.7143 = 714.3 tce; 100 MWh × 0.1229 tce/MWh = 12.29 tce (GB/T 2589, 当量值)
    assert rep.figures["energy_tce"] == pytest.approx(726.59, rel=1e-12)
    # 1 000 t × 1.9003 tCO2/t (China default) + 100 MWh × 0.6849 tCO2/MWh (MEE/NBS 2022, 内蒙古)
    assert rep.figures["tco2"] == pytest.approx(1900.3 + 68.49, rel=1e-12)
    assert rep.figures["grid_year"] == 2022
    assert (rep.state, rep.version, rep.lock_version) == ("draft", 1, 1)


def test_two_editors_cannot_silently_overwrite_each_other(store: tuple[Session, Settings]) -> None:
    session, _ = store
    rep = units.create_report(session, U2, year=2024, kind="energy", content=COAL, actor="ent")
    first = units.update_report(session, U2, rep.id, content={**COAL, "purchased_electricity": 200},
                                lock_version=rep.lock_version, actor="alice")
    assert first.lock_version == 2
    with pytest.raises(ConflictError, match="changed by alice"):
        units.update_report(session, U2, rep.id, content={**COAL, "purchased_electricity": 300},
                            lock_version=rep.lock_version, actor="bob")
    stored = units.get_report(session, U2, rep.id)
    assert stored.content["purchased_electricity"] == 200
    assert stored.updated_by == "alice"


def test_workflow_states_versions_and_diffs(store: tuple[Session, Settings]) -> None:
    session, _ = store
    rep = units.create_report(session, U2, year=2024, kind="energy", content=COAL, actor="ent")
    with pytest.raises(ConflictError, match="'approve' needs"):
        units.transition(session, U2, rep.id, "approve", actor="league")
    units.transition(session, U2, rep.id, "submit", actor="ent")
    with pytest.raises(ConflictError, match="only a draft or a returned"):
        units.update_report(session, U2, rep.id, content=COAL, lock_version=2, actor="ent")
    units.transition(session, U2, rep.id, "review", actor="league")
    with pytest.raises(InputError, match="needs comments"):
        units.transition(session, U2, rep.id, "return", actor="league")
    returned = units.transition(session, U2, rep.id, "return", actor="league", comments="电力数据与发票不符")
    assert returned.state == "returned"
    assert returned.reviewed_by == "league"
    fixed = units.update_report(session, U2, rep.id, content={**COAL, "purchased_electricity": 120},
                                lock_version=returned.lock_version, actor="ent")
    units.transition(session, U2, rep.id, "submit", actor="ent", lock_version=fixed.lock_version)
    units.transition(session, U2, rep.id, "review", actor="league")
    done = units.transition(session, U2, rep.id, "approve", actor="league")
    assert (done.state, done.version) == ("approved", 8)
    versions = units.list_versions(session, U2, rep.id)
    assert [v.action for v in versions] == ["create", "submit", "review", "return", "edit", "submit", "review",
                                            "approve"]
    assert session.query(ReportVersionRow).count() == 8
    d = units.diff_versions(session, U2, rep.id, 1, 5)
    paths = {c["path"]: c for c in d.changes}
    assert paths["/content/purchased_electricity"]["before"] == 100
    assert paths["/content/purchased_electricity"]["after"] == 120
    assert paths["/state"]["after"] == "returned"
    assert paths["/comments"]["after"] == "电力数据与发票不符"
    audits = session.scalars(select(AuditRow.action).where(AuditRow.entity == "annual_report")
                             .order_by(AuditRow.seq)).all()
    assert audits == ["insert", "submit", "review", "return", "update", "submit", "review", "approve"]
    with pytest.raises(ConflictError, match="already has a energy report for 2024"):
        units.create_report(session, U2, year=2024, kind="energy", content=COAL, actor="ent")


def test_excel_template_round_trip_and_errors_name_sheet_row_field(store: tuple[Session, Settings]) -> None:
    session, _ = store
    rep = units.create_report(session, U2, year=2024, kind="energy", content=COAL, actor="ent")
    data = units.report_template(session, U2, year=2024, kind="energy")
    year, kind, content, lock = units.parse_template(data, code=U2)
    assert (year, kind, lock) == (2024, "energy", rep.lock_version)
    assert content.model_dump(mode="json") == rep.content

    wb = load_workbook(io.BytesIO(data))
    wb["能源消费"].cell(2, 2, "一千")
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(ImportDataError) as err:
        units.parse_template(buf.getvalue(), filename="filled.xlsx", code=U2)
    loc = err.value.location
    assert loc is not None
    assert (loc.file, loc.row, loc.field) == ("filled.xlsx / 能源消费", 2, "quantity")

    wb["能源消费"].cell(2, 2, 1500)
    buf = io.BytesIO()
    wb.save(buf)
    updated = units.upload_report(session, U2, buf.getvalue(), filename="filled.xlsx", actor="ent")
    assert updated.content["fuels"][0]["quantity"] == 1500
    assert updated.lock_version == rep.lock_version + 1
    with pytest.raises(ConflictError):  # the same workbook again: its lock version is stale now
        units.upload_report(session, U2, buf.getvalue(), filename="filled.xlsx", actor="ent")
    with pytest.raises(ImportDataError, match="not 9"):
        units.parse_template(buf.getvalue(), code="9" * 18)


def test_budget_use_and_assessment_with_reasons(store: tuple[Session, Settings]) -> None:
    session, settings = store
    units.set_budget(session, U2, year=2024, budget_tce=1000, source="盟市下达", actor="league")
    rep = units.create_report(session, U2, year=2024, kind="energy", content=COAL, actor="ent")
    use = units.budget_use(session, settings, U2, year=2024)
    assert use.reported_use == pytest.approx(726.59 / 1000, rel=1e-12)
    assert use.monitored_tce is None
    units.transition(session, U2, rep.id, "submit", actor="ent")
    result = units.assess(session, settings, U2, year=2024, actor="office")
    by = {c["criterion"]: c for c in result.criteria}
    assert by["target_met"]["met"] is True
    assert "726.6 tce against a budget of 1,000.0 tce" in by["target_met"]["reason"]
    assert by["measures"]["met"] is True
    # submitted now (2026), after the 90-day deadline of 2024's report; no online data for 2024
    assert by["report_on_time"]["met"] is False
    assert by["data_quality"]["reason"] == "no online data for 2024"
    assert result.score == 55.0
    assert result.grade == "未完成"
    assert len(result.rules_digest) == 64
    rules, grades, _ = units.load_rules()
    assert sum(r.weight for r in rules) == 100
    assert [g.grade for g in grades] == ["完成", "基本完成", "未完成"]


def test_bottom_up_beside_the_stored_inventory(store: tuple[Session, Settings]) -> None:
    session, _ = store
    for c in (U2, U3):
        rep = units.create_report(session, c, year=2022, kind="ghg", content=COAL, actor="ent")
        units.transition(session, c, rep.id, "submit", actor="ent")
    draft_only = units.create_report(session, U1, year=2022, kind="ghg", content=COAL, actor="ent")
    assert draft_only.state == "draft"  # drafts are not counted
    session.add(AccountingRunRow(kind="inventory", region="150600", year=2022, method="sectoral", factor_versions=[],
                                 input_digest="0" * 64, inputs={}, result={}, tco2=100_000.0, engine_version="test",
                                 created_by="test", created_at=datetime.now(UTC), status="ok"))
    session.commit()
    out = units.bottom_up_vs_top_down(session, year=2022)
    per_unit = 1900.3 + 68.49
    assert out["bottom_up_tco2"] == pytest.approx(2 * per_unit, rel=1e-12)
    (league,) = out["leagues"]
    assert league["league"] == "150600"
    assert league["units"] == 2
    assert league["coverage"] == pytest.approx(2 * per_unit / 100_000, rel=1e-12)
    assert out["industries"][0]["industry"] == "C3011"
    assert out["coverage"] is None  # no regional (150000) inventory stored


ENTERPRISE_TABLES = {"key_units", "unit_facilities", "unit_meters", "reading_batches", "annual_reports",
                     "annual_report_versions", "energy_budgets", "unit_assessments"}


def test_enterprises_migration_matches_the_models_and_downgrades(engine_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import inspect

    from tanfeng.store.migrate import downgrade
    from tanfeng.store.models import Base

    upgrade(engine_url)
    engine = make_engine(engine_url)
    try:
        assert set(inspect(engine).get_table_names()) >= ENTERPRISE_TABLES
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
        named = [{x if isinstance(x, str) else getattr(x, "name", None) for x in _objects(d)} for d in diff]
        assert [d for d, names in zip(diff, named, strict=True) if ENTERPRISE_TABLES & names] == []
        downgrade(engine, "enterprises@base")
        assert not ENTERPRISE_TABLES & set(inspect(engine).get_table_names())
        upgrade(engine)
        assert set(inspect(engine).get_table_names()) >= ENTERPRISE_TABLES
    finally:
        engine.dispose()


def _objects(d: object) -> list[object]:
    """The schema objects an autogenerate diff entry names (tables, or the table of a column or index)."""
    items = d if isinstance(d, list) else [d]
    out: list[object] = []
    for item in items:
        for part in item if isinstance(item, tuple) else (item,):
            out.append(part)
            table = getattr(part, "table", None)
            if table is not None:
                out.append(table)
    return out
