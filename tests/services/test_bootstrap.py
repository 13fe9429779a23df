"""``init`` on SQLite and PostgreSQL: loads everything once, changes nothing the second time, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from tanfeng.config import Settings
from tanfeng.errors import ConflictError, NotFoundError, PlanFileError, UnknownRegionError
from tanfeng.plan.model import Plan
from tanfeng.services import bootstrap, regions
from tanfeng.store import get_plan, list_plan_ids, make_engine, make_session_factory
from tanfeng.store.models import AuditRow, RegionRow, StatisticRow


@pytest.fixture
def settings(engine_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=engine_url, data_dir=tmp_path / "data")


def _count(settings: Settings, table: type) -> int:
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as s:
            return s.scalar(select(func.count()).select_from(table)) or 0
    finally:
        engine.dispose()


def test_init_loads_everything_then_nothing_changes(settings: Settings) -> None:
    first = bootstrap.init(settings)
    assert first.changed is True
    assert first.migrated_from is None
    # 197 + 170 CEADs totals + 23 province energy-activity years (CEADs scope-1 minus cement process)
    assert (first.regions_inserted, first.statistics_written) == (147, 390)
    assert first.series_written is True
    assert [p.id for p in first.plans] == ["im2022"]
    assert first.plans[0].version == 1
    audit_rows = _count(settings, AuditRow)

    second = bootstrap.init(settings)
    assert second.changed is False
    assert second.migrated_from == second.migrated_to
    assert (second.regions_inserted, second.regions_updated, second.regions_unchanged) == (0, 0, 147)
    assert (second.statistics_written, second.statistics_unchanged) == (0, 390)
    assert second.series_written is False
    assert [(p.version, p.changed) for p in second.plans] == [(1, False)]
    assert _count(settings, AuditRow) == audit_rows


def test_init_stores_the_builtin_plan_exactly(settings: Settings) -> None:
    bootstrap.init(settings)
    expected = bootstrap.load_builtin_plans()[0]
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as s:
            assert list_plan_ids(s) == ["im2022"]
            assert get_plan(s, "im2022") == expected
            assert regions.get_region(s, "152800").name_zh == "巴彦淖尔市"
            assert regions.get_region(s, "152800").notice is not None
            assert [r.code for r in regions.list_regions(s, parent="152900")] == ["152921", "152922", "152923"]
            # looking a region up by its code: an unknown code is not found (404 on the web)
            with pytest.raises(NotFoundError):
                regions.get_region(s, "159999")
            with pytest.raises(UnknownRegionError):
                regions.list_regions(s, parent="159999")
    finally:
        engine.dispose()


def test_a_bad_plan_writes_nothing(settings: Settings) -> None:
    def broken(notices: list[str]) -> list[Plan]:
        raise PlanFileError("plans/x.yaml: line 3: field 'region': not a code (injected)")

    with pytest.raises(PlanFileError, match="injected"):
        bootstrap.init(settings, plans=broken)
    engine = make_engine(settings.database_url)
    try:
        assert inspect(engine).get_table_names() == []  # checked before the database was touched
    finally:
        engine.dispose()


def test_a_failure_while_storing_rolls_everything_back(settings: Settings) -> None:
    good = bootstrap.load_builtin_plans()[0]
    clash = good.model_copy(update={"id": "im2022-copy"})
    clash.targets = [*clash.targets, clash.targets[0]]  # duplicate primary key: fails at flush

    with pytest.raises(ConflictError, match="im2022-copy"):
        bootstrap.init(settings, plans=lambda notices: [good, clash])
    assert _count(settings, RegionRow) == 0
    assert _count(settings, StatisticRow) == 0
    assert not (settings.data_dir / "series" / "reference_statistics.parquet").exists()


def test_region_service_before_init(settings: Settings) -> None:
    from tanfeng.store import upgrade

    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as s, pytest.raises(NotFoundError, match="tanfeng init"):
            regions.get_region(s, "150000")
    finally:
        engine.dispose()
