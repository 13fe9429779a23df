"""The tracking service on SQLite and PostgreSQL: versioned values and dispatch entries, refusals that store
nothing, barometer levels of the sample data and of the region's published 2020 figures, the dispatch report.

Expected values come from published figures (``tests/golden/tracking``) and from the sample generator's
documented design (``tanfeng.tracking.sample`` docstring), never from this service's own output.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tanfeng.config import Settings
from tanfeng.errors import ConflictError, InputError, NotFoundError, PermissionDeniedError
from tanfeng.reference import ceads
from tanfeng.services import bootstrap
from tanfeng.services import tracking as svc
from tanfeng.store import make_engine, make_session_factory
from tanfeng.store.models import AuditRow, Base
from tanfeng.store.models_tracking import DispatchEntryRow, DispatchPeriodRow, IndicatorValueRow

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "tracking"
TRACKING_TABLES = {"indicator_values", "dispatch_periods", "dispatch_entries"}

# The sample generator's documented design (tanfeng/tracking/sample.py, module docstring): "in the latest
# year (2025) ... 乌海市 and 阿拉善盟 see it [energy intensity] rise (red)".
RISING_LEAGUES = {"乌海市": "150300", "阿拉善盟": "152900"}


def _nbs_2020(province: str) -> dict[str, float]:
    with (GOLDEN / "nbs_2020_province_energy_intensity_change.csv").open(encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["province_zh"] == province)
    return {k: float(v) for k, v in row.items() if k != "province_zh"}


@pytest.fixture
def settings(engine_url: str, tmp_path: Path) -> Settings:
    s = Settings(database_url=engine_url, data_dir=tmp_path / "data")
    bootstrap.init(s)
    return s


@pytest.fixture
def session(settings: Settings) -> Iterator[Session]:
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as s:
            yield s
    finally:
        engine.dispose()


def _count(session: Session, table: type) -> int:
    return session.scalar(select(func.count()).select_from(table)) or 0


def _audits(session: Session, entity: str) -> list[AuditRow]:
    return list(session.scalars(select(AuditRow).where(AuditRow.entity == entity).order_by(AuditRow.id)))


# -- schema and init ---------------------------------------------------------------------------------

def test_migrated_tracking_tables_match_the_models(session: Session) -> None:
    conn = session.connection()
    diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    mine = [d for d in diff if any(t in repr(d) for t in TRACKING_TABLES)]
    assert mine == []


def test_init_loads_the_sample_once_and_real_statistics_keep_priority(settings: Settings, session: Session) -> None:
    rows = session.scalars(select(IndicatorValueRow)).all()
    assert rows
    assert all(r.sample and r.source.startswith("示例数据") and r.version == 1 for r in rows)
    # the region's 2020 intensity change is a published statistic: no sample value is stored for it
    assert not [r for r in rows if (r.region, r.indicator, r.period)
                == ("150000", "energy_intensity_change_vs_prev_year", "2020")]
    n, audits = len(rows), _count(session, AuditRow)
    session.rollback()
    again = bootstrap.init(settings)
    assert again.changed is False
    assert again.sample_values_written == 0
    assert _count(session, IndicatorValueRow) == n
    assert _count(session, AuditRow) == audits


# -- versioned values --------------------------------------------------------------------------------

def test_a_changed_value_adds_a_version_and_keeps_who_changed_it(session: Session) -> None:
    key = {"region": "150100", "indicator": "energy_consumption", "period": "2025"}
    sample_value = svc.indicator_history(session, **key)[0].value
    svc.record_value(session, **key, value=2100.0, unit="万tce", source="呼和浩特市统计局 快报", actor="alice")
    svc.record_value(session, **key, value=2105.5, unit="万吨标准煤", source="呼和浩特市统计局 年报", actor="bob")
    history = svc.indicator_history(session, **key)
    assert [(h.version, h.value, h.entered_by, h.current) for h in history] == [
        (1, sample_value, "tanfeng init", False), (2, 2100.0, "alice", False), (3, 2105.5, "bob", True)]
    assert all(h.superseded_at is not None for h in history[:2])
    assert history[2].unit == "万tce"
    assert history[2].sample is False
    audits = _audits(session, "indicator_value")
    assert [(a.actor, a.action) for a in audits] == [("alice", "new_version"), ("bob", "new_version")]
    assert audits[1].before is not None
    assert audits[1].before["value"] == 2100.0
    # the current value is the one in use
    now = svc.list_indicator_values(session, region="150100", indicator="energy_consumption")
    assert next(v for v in now if v.period == "2025").value == 2105.5


def test_a_value_in_the_wrong_unit_is_refused_and_nothing_is_stored(session: Session) -> None:
    before = (_count(session, IndicatorValueRow), _count(session, AuditRow))
    with pytest.raises(InputError, match="万tce"):
        svc.record_value(session, region="150100", indicator="energy_consumption", period="2025", value=2.1e7,
                         unit="tce", source="x", actor="alice")
    with pytest.raises(InputError, match="gdp"):
        # GDP at current prices: intensity needs constant 2020 prices, so the value is refused
        svc.record_value(session, region="150100", indicator="gdp", period="2025", value=3900.0, unit="亿元",
                         source="x", actor="alice")
    session.rollback()
    assert (_count(session, IndicatorValueRow), _count(session, AuditRow)) == before


def test_intensity_is_refused_without_a_constant_price_gdp(session: Session) -> None:
    # a GDP value that reached the store without a price base (e.g. an old import)
    from tanfeng.store.models import utcnow

    session.add(IndicatorValueRow(region="150102", indicator="gdp", period="2025", year=2025, value=1000.0,
                                  unit="亿元", source="旧导入", certainty="P", sample=False, version=1,
                                  superseded_at=None, entered_by="import", entered_at=utcnow(), note=None))
    session.add(IndicatorValueRow(region="150102", indicator="energy_consumption", period="2025", year=2025,
                                  value=500.0, unit="万tce", source="旧导入", certainty="P", sample=False, version=1,
                                  superseded_at=None, entered_by="import", entered_at=utcnow(), note=None))
    session.commit()
    with pytest.raises(InputError) as exc:
        svc.status(session, region="150102", year=2025)
    assert "gdp_price_base" in str(exc.value)


# -- dispatch ----------------------------------------------------------------------------------------

def test_dispatch_entries_are_versioned_with_their_authors(session: Session) -> None:
    svc.open_period(session, period="2025Q3", due_date=date(2025, 10, 10), actor="office", today=date(2025, 10, 1))
    kw = {"period": "2025Q3", "unit": "150100", "target_id": "im2022.a05.m1.t2", "value_unit": "%",
          "as_of": date(2025, 9, 30), "actor_units": {"150100"}}
    svc.submit_entry(session, **kw, value=33.0, evidence="住建局季报", actor="hohhot-1")
    svc.submit_entry(session, **kw, value=34.5, evidence="住建局季报 (更正)", actor="hohhot-2")
    history = svc.entry_history(session, period="2025Q3", unit="150100")
    assert [(h.version, h.actual_value, h.entered_by, h.current) for h in history] == [
        (1, 33.0, "hohhot-1", False), (2, 34.5, "hohhot-2", True)]
    assert [a.actor for a in _audits(session, "dispatch_entry")] == ["hohhot-1", "hohhot-2"]
    # 呼和浩特 reported; 包头 (in the same target's scope) and the other leagues are missing
    missing = svc.missing_reports(session, "2025Q3")
    units = {m.unit for m in missing}
    assert "150100" not in units
    assert {"150200", "150300", "152900"} <= units
    assert len(units) == 11


def test_a_report_for_another_league_is_refused_and_stores_nothing(session: Session) -> None:
    svc.open_period(session, period="2025Q3", due_date=date(2025, 10, 10), actor="office", today=date(2025, 10, 1))
    before = (_count(session, DispatchEntryRow), _count(session, AuditRow))
    with pytest.raises(PermissionDeniedError, match="150300"):
        svc.submit_entry(session, period="2025Q3", unit="150300", target_id="im2022.main.t2", value=12.0,
                         value_unit="%", as_of=date(2025, 9, 30), actor="hohhot-1", actor_units={"150100"})
    session.rollback()
    assert (_count(session, DispatchEntryRow), _count(session, AuditRow)) == before


def test_dispatch_refusals_store_nothing(session: Session) -> None:
    before = (_count(session, DispatchPeriodRow), _count(session, AuditRow))
    for bad in ("2035Q1", "2019Q4", "2025Q5", "25Q1"):
        with pytest.raises(InputError):
            svc.open_period(session, period=bad, due_date=date(2025, 1, 1), actor="office", today=date(2025, 10, 1))
    session.rollback()
    assert (_count(session, DispatchPeriodRow), _count(session, AuditRow)) == before
    svc.open_period(session, period="2025-09", due_date=date(2025, 10, 10), actor="office", today=date(2025, 10, 1))
    with pytest.raises(ConflictError):
        svc.open_period(session, period="2025-09", due_date=date(2025, 10, 10), actor="office", today=date(2025, 10, 1))
    session.rollback()
    before = _count(session, DispatchEntryRow)
    with pytest.raises(InputError, match="万千瓦"):  # new-type storage is reported in 万千瓦, not MW
        svc.submit_entry(session, period="2025-09", unit="150600", target_id="im2022.a01.m2.t1", value=5000.0,
                         value_unit="MW", as_of=date(2025, 9, 30), actor="ordos", actor_units={"150600"})
    with pytest.raises(InputError, match="measure status"):
        svc.submit_entry(session, period="2025-09", unit="150600", measure_id="a01.m2",
                         measure_status="almost", as_of=date(2025, 9, 30), actor="ordos", actor_units={"150600"})
    with pytest.raises(InputError, match="999999"):  # not a region of the catalogue
        svc.submit_entry(session, period="2025-09", unit="999999", measure_id="a01.m2", measure_status="done",
                         as_of=date(2025, 9, 30), actor="office", actor_units={svc.ALL_UNITS})
    with pytest.raises(NotFoundError):
        svc.submit_entry(session, period="2026Q1", unit="150600", measure_id="a01.m2",
                         measure_status="done", as_of=date(2025, 9, 30), actor="ordos", actor_units={"150600"})
    session.rollback()
    assert _count(session, DispatchEntryRow) == before
    ok = svc.submit_entry(session, period="2025-09", unit="150600", measure_id="a01.m2",
                          measure_status="in_progress", evidence="储能项目清单", as_of=date(2025, 9, 30),
                          actor="ordos", actor_units={"150600"})
    assert (ok.version, ok.measure_status) == (1, "in_progress")


# -- warnings ----------------------------------------------------------------------------------------

def test_leagues_the_sample_makes_rise_are_level_1_with_the_629_consequence(session: Session) -> None:
    ws = {w.region: w for w in svc.warnings(session, period="2025")}
    level1 = {code for code, w in ws.items() if w.intensity is not None and w.intensity.level == 1}
    assert level1 == set(RISING_LEAGUES.values())
    for code in RISING_LEAGUES.values():
        alert = ws[code].intensity
        assert alert is not None
        assert alert.colour == "red"
        assert [c.document for c in alert.consequences] == ["发改办环资〔2021〕629号"]
        assert ws[code].sample is True
    assert all(ws[c].intensity is not None and ws[c].intensity.consequences == []  # type: ignore[union-attr]
               for c in ws if c not in level1)


def test_the_regions_published_2020_figures_give_level_1(session: Session) -> None:
    published = _nbs_2020("内蒙古")  # energy +7.1 %, intensity +6.89 % (NBS/NDRC/NEA 2021-08-23)
    w = next(x for x in svc.warnings(session, period="2020") if x.region == "150000")
    assert w.intensity is not None
    assert w.intensity.value_pct == pytest.approx(published["energy_intensity_change_pct"])
    assert (w.intensity.level, w.intensity.label) == (1, "一级预警")
    assert w.intensity_source is not None
    assert "国家统计局" in w.intensity_source
    assert not w.intensity_source.startswith("示例数据")
    assert w.total is not None
    assert w.total.value_pct == pytest.approx(published["energy_consumption_growth_pct"])
    assert w.total.inferred is True


def test_a_period_outside_the_plan_is_refused_for_warnings(session: Session) -> None:
    with pytest.raises(InputError, match="outside the years tracked"):
        svc.warnings(session, period="2031")


# -- analyses ----------------------------------------------------------------------------------------

def test_decoupling_of_the_published_2021_figures_is_strong(session: Session) -> None:
    # 内蒙古 2021 (自治区发改委 as quoted): GDP +6.3 %, intensity −6.8 % → energy (1.063 × 0.932 − 1) = −0.93 %
    for period, gdp, energy in (("2020", 100.0, 100.0), ("2021", 106.3, 100.0 * 1.063 * 0.932)):
        svc.record_value(session, region="150400", indicator="gdp", period=period, value=gdp,
                         unit="亿元 (2020年不变价)", source="worked case", actor="t")
        svc.record_value(session, region="150400", indicator="energy_consumption", period=period, value=energy,
                         unit="万tce", source="worked case", actor="t")
    d = svc.decoupling(session, "150400", 2020, 2021, indicator="energy_consumption")
    assert d.result.emission_growth_pct == pytest.approx(-0.9284, abs=1e-4)
    assert (d.result.state, d.result.state_en) == ("强脱钩", "strong decoupling")
    assert d.sample is False


def test_dispatch_report_from_the_store(session: Session) -> None:
    svc.open_period(session, period="2025Q3", due_date=date(2025, 10, 10), actor="office", today=date(2025, 10, 1))
    report = svc.build_dispatch_report(session, "2025Q3")
    assert report.sample is True
    levels = {lv.code: lv.level for lv in report.league_levels}
    assert len(levels) == 12
    assert {c for c, lv in levels.items() if lv == 1} == set(RISING_LEAGUES.values())
    # nobody reported yet: 12 leagues owe their report, 呼和浩特 and 包头 also the prefabricated-building target
    assert len({m.unit for m in report.missing_reports}) == 12
    assert len(report.missing_reports) == 14
    assert (report.expected_units, report.reported_units) == (12, 0)
    assert report.entries == []
    # the 2025 non-fossil (18 %) and coal (≤ 75 %) targets are missed in the sample's design
    assert {"im2022.main.t1", "im2022.main.t2"} <= {o.target_id for o in report.off_track}
    assert any("示例数据" in s for s in report.sources)


# -- closing a round, values entered by a unit, changes since the last round ----------------------------

def test_a_closed_period_refuses_entries_and_is_listed_closed(session: Session) -> None:
    svc.open_period(session, period="2025Q4", due_date=date(2026, 1, 10), actor="office", today=date(2025, 10, 1))
    closed = svc.close_period(session, period="2025Q4", actor="office", actor_role="office")
    assert closed.status == "closed"
    assert {p.id: p.status for p in svc.list_periods(session)}["2025Q4"] == "closed"
    with pytest.raises(ConflictError):
        svc.close_period(session, period="2025Q4", actor="office")
    with pytest.raises(NotFoundError):
        svc.close_period(session, period="2026Q1", actor="office")
    session.rollback()
    before = (_count(session, DispatchEntryRow), _count(session, AuditRow))
    with pytest.raises(ConflictError, match="closed"):
        svc.submit_entry(session, period="2025Q4", unit="150600", measure_id="a01.m2", measure_status="done",
                         as_of=date(2025, 12, 31), actor="ordos", actor_units={"150600"})
    session.rollback()
    assert (_count(session, DispatchEntryRow), _count(session, AuditRow)) == before
    audits = _audits(session, "dispatch_period")
    assert [(a.actor, a.action) for a in audits] == [("office", "insert"), ("office", "update")]
    summary = next(s for s in svc.period_summaries(session) if s.period.id == "2025Q4")
    assert (summary.reported_units, summary.missing_units) == (0, 12)


def test_a_unit_enters_a_value_converted_to_the_indicators_unit(session: Session) -> None:
    key = {"indicator": "energy_consumption", "period": "2025-06"}
    out = svc.enter_value(session, region="150600", **key, value=42_000_000.0, unit="tce",
                          source="鄂尔多斯市统计局 月报", actor="ordos", actor_regions={"150600"}, actor_role="league")
    assert out.unit == "万tce"
    assert out.value == pytest.approx(4200.0)  # 1 万tce = 10 000 tce
    assert out.note is not None
    assert "tce" in out.note
    svc.enter_value(session, region="150602", **key, value=310.0, unit="万吨标准煤", source="东胜区统计局",
                    actor="ordos", actor_regions={"150600"})  # a county of the league
    again = svc.enter_value(session, region="150600", **key, value=4210.0, unit="万tce", source="年报",
                            actor="ordos-2", actor_regions={"150600"})
    history = svc.indicator_history(session, region="150600", **key)
    assert [(h.version, h.entered_by, h.current) for h in history] == [(1, "ordos", False), (2, "ordos-2", True)]
    assert again.version == 2
    assert [a.actor for a in _audits(session, "indicator_value")] == ["ordos", "ordos", "ordos-2"]


def test_a_value_for_another_region_or_in_a_foreign_unit_stores_nothing(session: Session) -> None:
    before = (_count(session, IndicatorValueRow), _count(session, AuditRow))
    kw = {"indicator": "energy_consumption", "period": "2025-06", "value": 1.0, "source": "x", "actor": "ordos"}
    with pytest.raises(PermissionDeniedError, match="150300"):
        svc.enter_value(session, region="150300", unit="万tce", actor_regions={"150600"}, **kw)
    with pytest.raises(PermissionDeniedError):  # a county does not enter for its league
        svc.enter_value(session, region="150600", unit="万tce", actor_regions={"150602"}, **kw)
    with pytest.raises(InputError) as exc:
        svc.enter_value(session, region="150600", unit="MW", actor_regions={"150600"}, **kw)
    assert exc.value.location is not None
    assert exc.value.location.field == "unit"
    with pytest.raises(InputError) as unknown:
        svc.enter_value(session, region="150600", unit="万tce", actor_regions={"150600"},
                        **{**kw, "indicator": "happiness"})
    assert unknown.value.location is not None
    assert unknown.value.location.field == "indicator"
    session.rollback()
    assert (_count(session, IndicatorValueRow), _count(session, AuditRow)) == before


def test_changes_since_the_last_period_name_who_what_and_old_to_new(session: Session) -> None:
    assert svc.changes_since_last_period(session).since_period is None  # no round yet
    svc.open_period(session, period="2025Q3", due_date=date(2025, 10, 10), actor="office", today=date(2025, 10, 1))
    assert svc.changes_since_last_period(session).changes == []  # the sample loaded by init is not a change
    kw = {"period": "2025Q3", "unit": "150100", "target_id": "im2022.a05.m1.t2", "value_unit": "%",
          "as_of": date(2025, 9, 30), "actor_units": {"150100"}}
    svc.submit_entry(session, **kw, value=33.0, actor="hohhot-1")
    svc.submit_entry(session, **kw, value=34.5, actor="hohhot-2")
    svc.record_value(session, region="150100", indicator="energy_consumption", period="2025", value=2100.0,
                     unit="万tce", source="呼和浩特市统计局 快报", actor="alice")
    changes = svc.changes_since_last_period(session)
    assert changes.since_period == "2025Q3"
    entries = [c for c in changes.changes if c.kind == "dispatch_entry"]
    assert sorted((c.entered_by, c.old, c.new, c.version) for c in entries) == [
        ("hohhot-1", None, "33 %", 1), ("hohhot-2", "33 %", "34.5 %", 2)]
    value = next(c for c in changes.changes if c.kind == "indicator_value")
    assert (value.entered_by, value.unit, value.period, value.new, value.version) == (
        "alice", "150100", "2025", "2,100 万tce", 2)  # thousands separated, as the tables write it
    assert value.old is not None
    assert value.old.endswith("万tce")  # the sample value it replaced
    # a new round starts a new window
    svc.open_period(session, period="2025Q4", due_date=date(2026, 1, 10), actor="office", today=date(2025, 10, 1))
    later = svc.changes_since_last_period(session)
    assert later.since_period == "2025Q4"
    assert later.changes == []


# -- one status everywhere ---------------------------------------------------------------------------------

def test_board_overview_region_page_and_dispatch_report_give_each_target_one_status(session: Session) -> None:
    board = {r.target_id: r for r in svc.board(session, year=2025).rows if r.scope == "150000"}
    # the quoted cases of issue 10, by hand (tests/tracking/test_target_status.py explains each)
    assert board["im2022.a09.m2.t3"].status == "achieved"  # 森林覆盖率 23.501 % against 达到23.5%
    assert board["im2022.a02.m2.t3"].status == "achieved"  # 建筑节能改造面积 1 019.8 against 1000万平方米
    assert board["im2022.a06.m1.t3"].status == "achieved"  # 22.3 % against 20%左右, higher is better
    assert board["im2022.a02.m2.t2"].status == "missed"  # 309.4 against 305左右 (±1 %), lower is better
    region = {t.target_id: t.status for t in svc.region_overview(session, region="150000", year=2025).status.targets}
    assert region == {k: r.status for k, r in board.items()}
    for row in svc.overview(session, year=2025).headline:
        shown = row.t2025 or row.t2030
        assert shown is not None
        assert row.status == board[shown.target_id].status
    report = svc.build_dispatch_report(session, "2025Q3", max_charts=100)
    lagging = {k for k, r in board.items() if r.status in ("behind", "missed") and r.target_year is not None}
    assert {o.target_id for o in report.off_track} == lagging
    assert "im2022.a02.m2.t2" in lagging
    assert "im2022.a09.m2.t3" not in lagging


# -- CEADs history -----------------------------------------------------------------------------------
# CEADs provincial inventory of Inner Mongolia (Shan et al. 2020 Sci. Data 7:54), 2019: scope-1 total
# 794.279375 MtCO2, cement process 9.815625 MtCO2 (TotalEmissions row of the sector x fuel inventory).
# CEADs 290-city inventory (Shan et al. 2022 Sci. Bull. 67(18):1910), 2015, the 12 leagues in MtCO2:
# 86.2801 + 146.7023 + 32.4845 + 41.0315 + 60.104 + 218.1379 + 62.901 + 45.6831 + 47.6258 + 11.0244
# + 58.5814 + 16.7146 = 827.2706; 阿拉善盟 is listed for 2015-2017 only.

LEAGUES_2015_MT = {"150100": 86.2801, "150200": 146.7023, "150300": 32.4845, "150400": 41.0315,
                   "150500": 60.104, "150600": 218.1379, "150700": 62.901, "150800": 45.6831,
                   "150900": 47.6258, "152200": 11.0244, "152500": 58.5814, "152900": 16.7146}


def _co2(session: Session) -> dict[tuple[str, int], svc.IndicatorValueOut]:
    return {(v.region, v.year): v for v in svc.list_indicator_values(session, indicator="co2_emissions")}


def test_the_provinces_2019_co2_is_the_ceads_energy_activity_figure_converted(session: Session) -> None:
    got = _co2(session)[("150000", 2019)]
    # (794.279375 − 9.815625) MtCO2 = 784.46375 MtCO2; × 10^6 t / 10^4 t per 万t = 78 446.375 万tCO2
    # (the 17 fuels of the inventory add up to 784.463751)
    assert got.value == pytest.approx((794.279375 - 9.815625) * 100, abs=1e-3)
    assert (got.unit, got.certainty, got.sample, got.origin) == ("万tCO2", "P", False, "reference_statistics")
    assert got.source.startswith("CEADs")
    assert got.note is not None
    assert "published 784.463751 MtCO2 (co2_emissions_ceads_energy)" in got.note
    # CEADs from 1997, before the sample's first year
    assert _co2(session)[("150000", 1997)].source.startswith("CEADs")


def test_a_league_with_a_ceads_gap_keeps_the_sample_value_for_that_year(session: Session) -> None:
    values = _co2(session)
    alxa_2017, alxa_2019 = values[("152900", 2017)], values[("152900", 2019)]
    assert alxa_2017.value == pytest.approx(14.3189 * 100)  # CEADs 阿拉善盟 2017: 14.3189 MtCO2
    assert alxa_2017.note is not None
    assert "city total incl. process" in alxa_2017.note
    assert (alxa_2019.sample, alxa_2019.origin) == (True, "indicator_values")
    assert alxa_2019.source.startswith("示例数据")


def test_the_province_is_not_the_sum_of_the_leagues_and_both_are_shown(session: Session) -> None:
    values = _co2(session)
    leagues = {code: values[(code, 2015)] for code in LEAGUES_2015_MT}
    assert {c: v.value for c, v in leagues.items()} == {c: pytest.approx(mt * 100) for c, mt in
                                                        LEAGUES_2015_MT.items()}
    assert all(v.origin == "reference_statistics" for v in leagues.values())
    province = values[("150000", 2015)].value
    assert province == pytest.approx(ceads.province_energy_co2()[2015] * 100)
    assert province < 60154.6  # below the CEADs scope-1 total 601.546 Mt: process deducted
    assert sum(v.value for v in leagues.values()) == pytest.approx(82727.06)  # 827.2706 Mt, not the province
