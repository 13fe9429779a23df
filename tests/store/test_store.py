"""The record store on SQLite and PostgreSQL: migrations, plan round trip, atomicity, audit, regions, statistics."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.orm import Session

import tanfeng.store.repository as repository
from tanfeng.errors import ConflictError, ImportDataError, NotFoundError, StoreError
from tanfeng.plan.model import Certainty, Comparator, Plan
from tanfeng.reference.regions import load_regions, load_statistics
from tanfeng.store import (
    check_schema,
    current_revision,
    get_plan,
    head_revision,
    list_plan_ids,
    list_regions,
    list_statistics,
    list_targets,
    make_engine,
    make_session_factory,
    save_plan,
    save_regions,
    save_statistics,
    upgrade,
)
from tanfeng.store.models import AuditRow, Base, ImportBatchRow, PlanRow, PlanTargetRow

CORE_TABLES = {"regions", "plans", "plan_parts", "plan_actions", "plan_measures", "plan_targets",
               "reference_statistics", "import_batches", "audit_log", "alembic_version"}
# every topic's tables (tanfeng.store imports them all) plus Alembic's own
TABLES = set(Base.metadata.tables) | {"alembic_version"}


# -- migrations --------------------------------------------------------------------------------------

def test_migrations_create_every_table_and_match_the_models(engine: Engine) -> None:
    assert CORE_TABLES <= TABLES
    assert set(inspect(engine).get_table_names()) == TABLES
    assert current_revision(engine) == head_revision()
    check_schema(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_upgrade_twice_is_harmless(engine_url: str) -> None:
    assert upgrade(engine_url) == (None, head_revision())
    assert upgrade(engine_url) == (head_revision(), head_revision())


def test_downgrade_to_base_and_up_again(engine_url: str) -> None:
    from tanfeng.store.migrate import downgrade

    upgrade(engine_url)
    downgrade(engine_url, "base")
    eng = make_engine(engine_url)
    try:
        assert set(inspect(eng).get_table_names()) <= {"alembic_version"}
        assert current_revision(eng) is None
        upgrade(eng)
        assert set(inspect(eng).get_table_names()) == TABLES
    finally:
        eng.dispose()


def test_unmigrated_database_is_refused(engine_url: str) -> None:
    eng = make_engine(engine_url)
    try:
        with pytest.raises(StoreError, match="tanfeng init"):
            check_schema(eng)
    finally:
        eng.dispose()


def test_sqlite_has_foreign_keys_and_wal(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        assert engine.dialect.name == "postgresql"
        assert engine.dialect.driver == "psycopg"
        return
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_unreachable_database_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot reach"):
        upgrade("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")


# -- plans -------------------------------------------------------------------------------------------

def test_plan_round_trip_is_exact(session: Session, make_plan: Callable[..., Plan]) -> None:
    plan = make_plan()
    result = save_plan(session, plan, actor="tester")
    assert (result.version, result.changed) == (1, True)
    session.expunge_all()
    back = get_plan(session, plan.id)
    assert back == plan
    assert back.model_dump(mode="json") == plan.model_dump(mode="json")
    prefab = next(t for t in back.targets if t.id == "im.t.prefab")
    assert prefab.value == 0.30000000000000004  # a double, bit for bit
    assert prefab.scope == "呼和浩特、包头主城区"
    assert back.notes[0] == "测试用摘录 ✓"


def test_stored_offsets_point_at_the_source_sentence(session: Session, make_plan: Callable[..., Plan],
                                                     plan_source_text: str) -> None:
    save_plan(session, make_plan(), actor="tester")
    session.expunge_all()
    t = list_targets(session, plan_id="im-test", indicator="new_energy_storage_capacity")[0]
    assert t.source.start is not None
    assert t.source.end is not None
    assert plan_source_text[t.source.start:t.source.end] == t.source_text
    assert t.source_text.startswith("到2025年,新型储能装机容量达到500万千瓦以上")
    assert t.source.line == 7
    assert t.source.certainty is Certainty.PRIMARY


def test_reloading_an_unchanged_plan_is_a_no_op(session: Session, make_plan: Callable[..., Plan]) -> None:
    first = save_plan(session, make_plan(), actor="tester")
    audit_before = session.scalars(select(AuditRow)).all()
    again = save_plan(session, make_plan(), actor="someone else")
    assert again.changed is False
    assert again.version == first.version == 1
    assert again.content_hash == first.content_hash
    assert len(session.scalars(select(AuditRow)).all()) == len(audit_before)


def test_a_changed_plan_replaces_the_old_version_whole(session: Session, make_plan: Callable[..., Plan]) -> None:
    save_plan(session, make_plan(), actor="tester")
    changed = make_plan(storage_target=600.0)
    changed.targets = changed.targets[:2]
    result = save_plan(session, changed, actor="editor")
    assert (result.version, result.changed) == (2, True)
    session.expunge_all()
    assert get_plan(session, "im-test") == changed
    assert session.scalar(select(PlanRow.version)) == 2
    assert len(session.scalars(select(PlanTargetRow)).all()) == 2


def test_a_failing_save_leaves_the_old_version_intact(session: Session, monkeypatch: pytest.MonkeyPatch,
                                                      make_plan: Callable[..., Plan]) -> None:
    old = make_plan()
    save_plan(session, old, actor="tester")
    calls = {"n": 0}
    real = repository._target_row

    def failing(plan_id: str, position: int, t: object) -> object:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full (injected)")
        return real(plan_id, position, t)  # type: ignore[arg-type]

    monkeypatch.setattr(repository, "_target_row", failing)
    with pytest.raises(RuntimeError, match="injected"):
        save_plan(session, make_plan(storage_target=999.0), actor="editor")
    assert calls["n"] == 2  # the failure came mid-save, after the old tree was deleted
    session.rollback()
    session.expunge_all()
    assert get_plan(session, "im-test") == old
    assert session.scalar(select(PlanRow.version)) == 1
    audit = session.scalars(select(AuditRow).where(AuditRow.entity == "plan")).all()
    assert [a.actor for a in audit] == ["tester"]


def test_a_failing_save_inside_an_outer_transaction_rolls_back_to_its_savepoint(
        session: Session, monkeypatch: pytest.MonkeyPatch, make_plan: Callable[..., Plan]) -> None:
    save_plan(session, make_plan(), actor="tester")
    monkeypatch.setattr(repository, "_target_row", lambda *a: (_ for _ in ()).throw(RuntimeError("boom")))
    with session.begin():
        session.execute(select(1))
        with pytest.raises(RuntimeError, match="boom"):
            save_plan(session, make_plan(storage_target=1.0), actor="editor")
        assert get_plan(session, "im-test") == make_plan()


def test_save_writes_audit_rows_with_before_and_after(session: Session, make_plan: Callable[..., Plan]) -> None:
    save_plan(session, make_plan(), actor="alice")
    save_plan(session, make_plan(storage_target=600.0), actor="bob")
    rows = session.scalars(select(AuditRow).where(AuditRow.entity == "plan").order_by(AuditRow.id)).all()
    assert [(r.actor, r.action, r.entity_id) for r in rows] == [("alice", "insert", "im-test"),
                                                                ("bob", "replace", "im-test")]
    assert rows[0].before is None
    assert rows[1].before is not None
    assert rows[1].after is not None
    assert rows[1].before["targets"][0]["value"] == 500.0
    assert rows[1].after["targets"][0]["value"] == 600.0
    assert rows[1].after["title"] == "内蒙古自治区碳达峰实施方案 (test excerpt)"
    assert rows[1].at.tzinfo is not None
    # the entries are chained: each has its own SHA-256 and comes after the previous one
    assert all(len(r.hash) == 64 for r in rows)
    assert rows[0].hash != rows[1].hash
    assert rows[1].seq > rows[0].seq
    batches = session.scalars(select(ImportBatchRow).where(ImportBatchRow.kind == "plan")).all()
    assert [b.message for b in batches] == ["version 1", "version 2"]


def test_list_targets_filters(session: Session, make_plan: Callable[..., Plan]) -> None:
    save_plan(session, make_plan(), actor="tester")
    ids = lambda ts: [t.id for t in ts]  # noqa: E731
    assert ids(list_targets(session, plan_id="im-test")) == ["im.a01.m2.t1", "im.a02.m2.t1", "im.t.prefab",
                                                             "im.t.transport"]
    assert ids(list_targets(session, plan_id="im-test", action="im.a02")) == ["im.a02.m2.t1"]
    assert ids(list_targets(session, plan_id="im-test", year=2030)) == []
    assert ids(list_targets(session, plan_id="im-test", scope="150100")) == ["im.t.prefab"]
    assert ids(list_targets(session, plan_id="im-test", indicator="营运车辆单位换算周转碳排放强度")) == ["im.t.transport"]
    transport = list_targets(session, plan_id="im-test", indicator="transport_carbon_intensity")[0]
    assert (transport.comparator, transport.qualifier, transport.baseline_year) == (Comparator.DECREASE_BY, "≈", 2020)


def test_unknown_plan_is_not_found(session: Session, make_plan: Callable[..., Plan]) -> None:
    with pytest.raises(NotFoundError, match="nope"):
        get_plan(session, "nope")
    with pytest.raises(NotFoundError):
        list_targets(session, plan_id="nope")


# -- regions and statistics ----------------------------------------------------------------------------

def test_regions_round_trip_and_idempotent(session: Session, make_plan: Callable[..., Plan]) -> None:
    regions = load_regions()
    first = save_regions(session, regions, actor="init")
    assert (first.inserted, first.updated, first.unchanged) == (147, 0, 0)
    again = save_regions(session, regions, actor="init")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 147)
    session.expunge_all()
    leagues = list_regions(session, parent="150000")
    assert [r.code for r in leagues] == ["150100", "150200", "150300", "150400", "150500", "150600", "150700",
                                         "150800", "150900", "152200", "152500", "152900"]
    assert list_regions(session) == sorted(regions, key=lambda r: r.code)
    assert next(r for r in leagues if r.code == "150900").legacy_codes == ("152600",)
    assert len(list_regions(session, level="county")) == 103
    audit = session.scalars(select(AuditRow).where(AuditRow.entity == "region")).all()
    assert len(audit) == 147


def test_region_update_is_audited(session: Session, make_plan: Callable[..., Plan]) -> None:
    regions = load_regions()
    save_regions(session, regions, actor="init")
    from dataclasses import replace
    renamed = [replace(r, name_en="Ulanqab City") if r.code == "150900" else r for r in regions]
    result = save_regions(session, renamed, actor="editor")
    assert (result.updated, result.unchanged) == (1, 146)
    row = session.scalars(select(AuditRow).where(AuditRow.action == "update")).one()
    assert row.before is not None
    assert row.after is not None
    assert (row.entity_id, row.before["name_en"], row.after["name_en"]) == ("150900", "Ulanqab", "Ulanqab City")


def test_statistics_round_trip_and_idempotent(session: Session, make_plan: Callable[..., Plan]) -> None:
    save_regions(session, load_regions(), actor="init")
    stats = load_statistics()
    first = save_statistics(session, stats, actor="init")
    # 197 + 170 CEADs totals (province 1997-2019, 147 league-years) + 23 province energy-activity years
    # (CEADs scope-1 minus cement process, derived from the sector x fuel inventory)
    assert first.inserted == 390
    again = save_statistics(session, stats, actor="init")
    assert (again.inserted, again.unchanged, again.changed) == (0, 390, False)
    session.expunge_all()
    # 国家统计局等 2021-08-23 公报: 内蒙古 2020 年万元GDP能耗上升 6.89 %
    got = list_statistics(session, region="150000", indicator="energy_intensity_change_vs_prev_year", year=2020)
    assert [s.value for s in got] == [6.89, 6.89]
    assert {s.certainty for s in got} == {Certainty.PRIMARY}
    assert list_statistics(session) == stats


def test_statistics_need_known_regions(session: Session) -> None:
    save_regions(session, [r for r in load_regions() if "150600" not in (r.code, r.parent)], actor="init")
    stats = load_statistics()
    with pytest.raises(ImportDataError, match=r"im_league_gdp_2023.csv, row 1, field 'region'.*150600"):
        save_statistics(session, stats, actor="init")
    assert list_statistics(session) == []  # all or nothing: no other dataset landed either


def test_a_colliding_write_is_a_conflict(session: Session, make_plan: Callable[..., Plan]) -> None:
    plan = make_plan()
    broken = plan.model_copy(update={"targets": [*plan.targets, plan.targets[0]]})  # same id twice
    with pytest.raises(ConflictError, match="im-test"):
        save_plan(session, broken, actor="tester")
    assert list_plan_ids(session) == []


def test_unicode_round_trip(session: Session, make_plan: Callable[..., Plan]) -> None:
    plan = make_plan()
    plan.title = "内蒙古 ᠮᠣᠩᠭᠣᠯ 𠀀 “引号” — ≥≤≈ ✓"
    save_plan(session, plan, actor="用户·测试")
    session.expunge_all()
    assert get_plan(session, plan.id).title == plan.title
    assert session.scalars(select(AuditRow.actor)).first() == "用户·测试"


def test_sessions_see_committed_work_only(engine: Engine, make_plan: Callable[..., Plan]) -> None:
    factory = make_session_factory(engine)
    with factory() as a, factory() as b:
        save_plan(a, make_plan(), actor="a")
        assert get_plan(b, "im-test") == make_plan()
