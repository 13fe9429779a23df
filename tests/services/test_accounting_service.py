"""Stored accounting runs on SQLite and PostgreSQL: import, store, recompute, explain, audit, atomicity.

Expected values are hand-computed from published factors (sources as in tests/golden/accounting/):
- China default fuel table (carbon columns of 《省级温室气体清单编制指南(试行)》): raw coal 1.9003 tCO2/t,
  diesel 3.0959 tCO2/t;
- GB/T 2589-2008 附录A: raw coal 0.7143 kgce/kg, diesel 1.4571 kgce/kg, electricity 0.1229 kgce/kWh (当量值);
- MEE/NBS provincial electricity CO2 factor, Inner Mongolia 2022: 0.6849 tCO2/MWh;
- IPCC 2006 Vol.3 Ch.2: lime 0.768 tCO2/t.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, func, inspect, select, update
from sqlalchemy.orm import Session

from tanfeng.accounting.inventory import regional_inventory
from tanfeng.errors import ConflictError, ImportDataError, NegativeQuantityError, NotFoundError
from tanfeng.services import accounting as service
from tanfeng.services.accounting import runs
from tanfeng.store import make_session_factory
from tanfeng.store.models import AuditRow, Base, ImportBatchRow
from tanfeng.store.models_accounting import AccountingLineRow, AccountingRunRow
from tanfeng.store.repository import list_audit

# NBS layout, values as printed (万吨, 亿千瓦时; outflow and transformation input negative).
BALANCE = """项目,原煤(万吨),柴油(万吨),电力(亿千瓦时)
一次能源生产量,30,,
本省(区、市)调出量(-),,,-1
火力发电,-10,,4
工业,15,1,3
其中：用作原料、材料,3,,
"""
# CO2 (sectoral): raw coal (15 − 3 feedstock + 10 to power) 万吨 = 220 000 t × 1.9003 = 418 066 tCO2
#                 diesel 1 万吨 = 10 000 t × 3.0959 = 30 959 tCO2                 → gross 449 025 tCO2
GROSS = 220_000 * 1.9003 + 10_000 * 3.0959
# consumption based: net electricity import −1 亿kWh = −100 000 MWh × 0.6849 = −68 490 tCO2
CONSUMPTION_BASED = GROSS - 100_000 * 0.6849
# energy (tce, 当量值): raw coal (15 + 10) 万吨 × 7 143 tce/万吨 = 178 575; diesel 1 万吨 × 14 571 = 14 571;
# electricity final 3 亿kWh × 12 290 tce/亿kWh = 36 870; thermal-power output −4 × 12 290 = −49 160
ENERGY_TCE = 250_000 * 0.7143 + 10_000 * 1.4571 + 3e8 * 0.1229 / 1000 - 4e8 * 0.1229 / 1000
FINAL_TCE = 150_000 * 0.7143 + 10_000 * 1.4571 + 3e8 * 0.1229 / 1000


@pytest.fixture
def balance(tmp_path: Path) -> Path:
    p = tmp_path / "im-2022.csv"
    p.write_text(BALANCE, encoding="utf-8")
    return p


def _counts(session: Session) -> tuple[int, int, int, int]:
    return tuple(session.scalar(select(func.count()).select_from(t)) or 0  # type: ignore[return-value]
                 for t in (AccountingRunRow, AccountingLineRow, AuditRow, ImportBatchRow))


def test_migrated_schema_has_the_accounting_tables_and_matches_the_models(engine: Engine) -> None:
    assert {"accounting_runs", "accounting_lines"} <= set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_store_an_inventory_with_published_factor_totals(session: Session, balance: Path) -> None:
    opts = service.InventoryOptions(electricity_region="150000")
    run = service.run_inventory(session, balance, region="150000", year=2022, options=opts, actor="tester")
    assert (run.kind, run.region, run.year, run.source_name) == ("inventory", "150000", 2022, "im-2022.csv")
    assert run.tco2 == pytest.approx(GROSS, rel=1e-12)
    assert run.energy_tce == pytest.approx(ENERGY_TCE, rel=1e-12)
    assert run.electricity_conversion == "equivalent"
    assert run.factor_set == "china"
    assert {"cn-provincial-2011", "gbt2589-2008"} <= set(run.factor_versions)
    totals = run.result["totals"][0]
    assert totals["consumption_based"] == pytest.approx(CONSUMPTION_BASED, rel=1e-12)
    assert totals["energy_final_tce"] == pytest.approx(FINAL_TCE, rel=1e-12)
    # the inputs are the balance in long form, as the engine received it
    assert run.inputs["file"] == "im-2022.csv"
    assert run.inputs["balance"]["columns"][:6] == ["region", "year", "flow", "sector", "product", "value"]
    assert run.inputs["options"]["electricity_region"] == "150000"
    # lines add up to the totals and carry their factor
    lines = service.list_lines(session, run.id)
    assert sum(ln.tco2 or 0 for ln in lines if ln.category == "combustion") == pytest.approx(GROSS, rel=1e-12)
    assert sum(ln.tce or 0 for ln in lines if ln.category == "energy_consumption") == pytest.approx(ENERGY_TCE,
                                                                                                    rel=1e-12)
    coal_power = next(ln for ln in lines if ln.sector == "thermal_power" and ln.category == "combustion")
    assert (coal_power.product, coal_power.activity, coal_power.activity_unit) == ("raw_coal", 10, "wan_t")
    assert coal_power.factor_id == "cn-provincial-2011:co2:raw_coal"
    assert coal_power.factor_value == pytest.approx(19_003, rel=1e-12)  # 1.9003 tCO2/t × 10 000 t/万吨
    assert coal_power.factor_confidence in ("A", "B")
    assert coal_power.factor_source


def test_recompute_from_stored_inputs_equals_the_stored_result(engine: Engine, balance: Path) -> None:
    factory = make_session_factory(engine)
    with factory() as s:
        run_id = service.run_inventory(s, balance, region="150000", year=2022, actor="tester",
                                       options=service.InventoryOptions(electricity_region="150000")).id
    with factory() as s:  # a new session reads the stored JSON back from the database
        again = service.recompute(s, run_id)
        assert again.equal is True
        assert again.differences == []
        assert again.result == service.get_run(s, run_id).result
        # a stored result that no longer matches the engine is reported, with the field that differs
        s.execute(update(AccountingRunRow).where(AccountingRunRow.id == run_id).values(
            result={**again.result, "factor_set": "ipcc2006"}))
        s.commit()
    with factory() as s:
        changed = service.recompute(s, run_id)
        assert changed.equal is False
        assert changed.differences[0].startswith("factor_set")


def _large_balance() -> pl.DataFrame:
    """4 regions × 3 years × 40 sectors × 8 products of final consumption plus supply (≈ 4 000 rows): enough
    rows for polars to aggregate in parallel, where an unordered join or group-by changes the last bits."""
    rng = np.random.default_rng(7)
    fuels = ["raw_coal", "coke", "diesel", "gasoline", "natural_gas", "lpg", "fuel_oil", "electricity"]
    keys = [(r, y, f"s{s:02d}", f) for r in ("150100", "150200", "150300", "150400") for y in (2020, 2021, 2022)
            for s in range(40) for f in fuels]
    final = pl.DataFrame({"region": [k[0] for k in keys], "year": [k[1] for k in keys],
                          "flow": "final_consumption", "sector": [k[2] for k in keys], "product": [k[3] for k in keys],
                          "value": rng.random(len(keys)) * 100})
    supply = (final.group_by("region", "year", "product", maintain_order=True).agg(pl.col("value").sum())
              .with_columns(pl.lit("production").alias("flow"), pl.lit("").alias("sector")))
    return pl.concat([final, supply.select(final.columns)])


def test_recompute_is_exact_for_a_large_balance(engine: Engine) -> None:
    factory = make_session_factory(engine)
    with factory() as s:
        run_id = service.run_inventory(s, _large_balance(), actor="tester", file_name="generated").id
    with factory() as s:
        for _ in range(3):
            again = service.recompute(s, run_id)
            assert again.differences == []
            assert again.equal is True


def test_explain_a_line_gives_the_factor_source_and_arithmetic(session: Session, balance: Path) -> None:
    run = service.run_inventory(session, balance, region="150000", year=2022, actor="tester")
    lines = service.list_lines(session, run.id)
    n = next(ln.line_no for ln in lines if ln.category == "combustion" and ln.product == "diesel")
    ex = service.explain(session, run.id, n)
    assert [f.id for f in ex.factors] == ["cn-provincial-2011:co2:diesel"]
    assert ex.factors[0].value == 3.0959
    assert ex.factors[0].source
    assert ex.arithmetic.startswith("1 wan_t × 30959 tCO2/wan_t = 30959 tCO2")
    e = next(ln.line_no for ln in lines if ln.category == "energy_consumption" and ln.product == "raw_coal"
             and ln.sector == "industry")
    ex = service.explain(session, run.id, e)
    assert ex.factors[0].id == "gbt2589:raw_coal"
    assert ex.arithmetic.startswith("15 wan_t × 7143")
    with pytest.raises(NotFoundError, match="no line 9999"):
        service.explain(session, run.id, 9999)


def test_each_stored_run_writes_one_audit_entry_and_one_import_batch(session: Session, balance: Path) -> None:
    before = _counts(session)
    run = service.run_inventory(session, balance, region="150000", year=2022, actor="tester")
    after = _counts(session)
    assert after[0] == before[0] + 1
    assert after[2] == before[2] + 1
    assert after[3] == before[3] + 1
    audit = list_audit(session, entity="accounting_run", entity_id=str(run.id))
    assert len(audit) == 1
    assert (audit[0].actor, audit[0].action) == ("tester", "insert")
    assert audit[0].after["input_digest"] == run.input_digest
    assert audit[0].after["tco2"] == pytest.approx(GROSS, rel=1e-12)
    batch = session.scalars(select(ImportBatchRow).order_by(ImportBatchRow.id.desc())).first()
    assert batch is not None
    assert (batch.kind, batch.name, batch.content_hash, batch.actor) == (
        "accounting_inventory", "im-2022.csv", run.input_digest, "tester")


def test_a_bad_file_stores_nothing_and_names_row_and_field(session: Session, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(BALANCE.replace("工业,15,1,3", "工业,15,1,x"), encoding="utf-8")
    before = _counts(session)
    with pytest.raises(ImportDataError) as err:
        service.run_inventory(session, bad, region="150000", year=2022, actor="tester")
    loc = err.value.location
    assert loc is not None
    assert (loc.file, loc.row, loc.field) == ("bad.csv", 5, "电力(亿千瓦时)")
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("项目,原煤(万吨)\n工业,1\n不存在的行,2\n", encoding="utf-8")
    with pytest.raises(ImportDataError) as err2:
        service.run_inventory(session, unknown, region="150000", year=2022, actor="tester")
    assert err2.value.location is not None
    assert (err2.value.location.row, err2.value.location.field) == (3, "项目")
    assert _counts(session) == before


def test_a_write_that_fails_halfway_leaves_nothing(session: Session, balance: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    before = _counts(session)

    def boom(*args: object, **kwargs: object) -> None:
        raise ConflictError("simulated failure after the run and its lines were flushed")

    monkeypatch.setattr(runs, "record_batch", boom)
    with pytest.raises(ConflictError):
        service.run_inventory(session, balance, region="150000", year=2022, actor="tester")
    session.rollback()
    assert _counts(session) == before


def test_energy_totals_hand_computed_with_gbt2589_coefficients() -> None:
    # GB/T 2589-2008 附录A: raw coal 0.7143 kgce/kg, electricity 0.1229 kgce/kWh (当量值)
    # 10 万吨 raw coal = 100 000 t × 0.7143 = 71 430 tce; 5 亿kWh = 5e8 kWh × 0.1229 kgce = 61 450 tce
    frame = pl.DataFrame({"region": ["150000"] * 2, "year": [2022] * 2, "flow": ["final_consumption"] * 2,
                          "sector": ["industry"] * 2, "product": ["raw_coal", "electricity"], "value": [10.0, 5.0]})
    inv = regional_inventory(frame)
    t = inv.totals.row(0, named=True)
    assert t["energy_tce"] == pytest.approx(132_880, rel=1e-12)
    s = inv.summary()
    assert s.electricity_conversion == "equivalent"
    assert {r["product"]: r["tce"] for r in s.energy_by_product} == pytest.approx(
        {"raw_coal": 71_430, "electricity": 61_450}, rel=1e-12)
    assert [r["tce"] for r in s.energy_by_sector] == pytest.approx([132_880], rel=1e-12)
    assert {f.id for f in s.energy_factors} == {"gbt2589:raw_coal", "gbt2589:electricity"}
    # 等价值 with a supply coal rate of 300 gce/kWh (given by the caller): 5e8 kWh × 300 g = 150 000 tce
    eq = regional_inventory(frame, electricity_conversion="equal", supply_coal_rate=300)
    assert eq.totals.row(0, named=True)["energy_tce"] == pytest.approx(71_430 + 150_000, rel=1e-12)
    assert eq.summary().supply_coal_rate_gce_per_kwh == 300


def test_equal_value_inventory_is_recorded_with_the_run(session: Session, balance: Path) -> None:
    opts = service.InventoryOptions(electricity_conversion="equal", supply_coal_rate=300)
    run = service.run_inventory(session, balance, region="150000", year=2022, options=opts, actor="tester")
    # electricity at 300 gce/kWh = 30 000 tce per 亿kWh: 3 final − 4 thermal-power output
    expected = 250_000 * 0.7143 + 10_000 * 1.4571 + (3 - 4) * 30_000
    assert run.energy_tce == pytest.approx(expected, rel=1e-12)
    assert run.electricity_conversion == "equal"
    assert run.result["supply_coal_rate_gce_per_kwh"] == 300
    assert service.recompute(session, run.id).equal


def test_production_and_sinks_are_stored_and_recomputed(session: Session, balance: Path, tmp_path: Path) -> None:
    prod = tmp_path / "p.csv"
    prod.write_text("region,year,process,value\n150000,2022,lime,10000\n", encoding="utf-8")
    sinks = tmp_path / "s.csv"
    sinks.write_text("region,year,category,tco2\n150000,2022,forest,-30\n", encoding="utf-8")
    run = service.run_inventory(session, balance, region="150000", year=2022, actor="tester", production=prod,
                                sinks=sinks)
    t = run.result["totals"][0]
    assert t["process"] == pytest.approx(7_680, rel=1e-12)  # 10 000 t lime × 0.768
    assert run.tco2 == pytest.approx(GROSS + 7_680, rel=1e-12)
    assert t["net"] == pytest.approx(GROSS + 7_680 - 30, rel=1e-12)
    proc = service.list_lines(session, run.id, category="process")
    assert [(p.product, p.factor_value) for p in proc] == [("lime", 0.768)]
    assert proc[0].tco2 == pytest.approx(7_680, rel=1e-12)
    assert service.recompute(session, run.id).equal


def test_enterprise_runs_from_json_and_205_1_excel(session: Session, tmp_path: Path) -> None:
    import openpyxl

    report = {"enterprise": "包头某企业", "year": 2022, "region": "150200",
              "fuels": [{"product": "raw_coal", "quantity": 1000, "unit": "t"}],
              "purchased_electricity": 1000, "electricity_unit": "MWh", "grid_region": "150000", "grid_year": 2022}
    run = service.run_enterprise(session, report, actor="tester")
    # 1 000 t × 1.9003 + 1 000 MWh × 0.6849
    assert run.tco2e == pytest.approx(1900.3 + 684.9, rel=1e-12)
    assert (run.kind, run.unit_id, run.year, run.region) == ("enterprise", "包头某企业", 2022, "150200")
    assert service.recompute(session, run.id).equal
    el = next(ln for ln in service.list_lines(session, run.id) if ln.category == "electricity")
    assert el.factor_value == 0.6849
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["能源名称", "计量单位", "消费量合计"])
    ws.append(["原煤", "t", 1000])
    ws.append(["柴油", "t", 10])
    path = tmp_path / "205-1.xlsx"
    wb.save(path)
    x = service.run_enterprise(session, path, actor="tester", enterprise="E", year=2022)
    assert x.tco2e == pytest.approx(1900.3 + 30.959, rel=1e-12)  # 10 t diesel × 3.0959
    assert x.source_name == "205-1.xlsx"
    before = _counts(session)
    with pytest.raises(ImportDataError, match="enterprise"):
        service.run_enterprise(session, path, actor="tester")
    ws.append(["柴油", "t", -1])
    wb.save(path)
    with pytest.raises(NegativeQuantityError) as err:
        service.run_enterprise(session, path, actor="tester", enterprise="E", year=2022)
    assert err.value.location is not None
    assert (err.value.location.file, err.value.location.row, err.value.location.field) == (
        "205-1.xlsx", 4, "消费量合计")
    assert _counts(session) == before


def test_list_and_get_runs(session: Session, balance: Path) -> None:
    inv = service.run_inventory(session, balance, region="150000", year=2022, actor="tester")
    el = service.run_electricity(session, service.ElectricityRequest(value=1000, unit="MWh", region="150000",
                                                                     year=2022), actor="tester")
    assert el.tco2 == pytest.approx(684.9, rel=1e-12)  # 1 000 MWh × 0.6849
    co = service.run_combustion(session, service.CombustionRequest(value=1, unit="t", product="柴油"), actor="tester")
    assert co.tco2 == pytest.approx(3.0959, abs=1e-12)
    assert [r.id for r in service.list_runs(session)] == [inv.id, el.id, co.id]
    assert [r.id for r in service.list_runs(session, kind="inventory")] == [inv.id]
    assert [r.id for r in service.list_runs(session, region="150000", year=2022)] == [inv.id, el.id]
    assert service.get_run(session, co.id).result["tco2"] == pytest.approx(3.0959, abs=1e-12)
    for run_id in (el.id, co.id):
        assert service.recompute(session, run_id).equal
    with pytest.raises(NotFoundError, match="not in the store"):
        service.get_run(session, 424242)


def test_convert_and_factors() -> None:
    assert service.convert(1, "t", "原煤").value == pytest.approx(0.7143, abs=1e-12)
    assert service.convert(1, "t", "原煤", to="kgce").value == pytest.approx(714.3, abs=1e-9)
    grid = service.list_factors(what="grid_co2", region="内蒙古", year=2022)
    assert [f.value for f in grid] == [0.6849]
