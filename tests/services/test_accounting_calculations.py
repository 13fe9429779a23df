"""The accounting service's calculations, without a database: a run's result and lines from its inputs,
the arithmetic of a line, the differences a recompute reports, the JSON a run keeps.

Published values used (the same as the golden tests cite):

- China default table (《省级温室气体清单编制指南(试行)》, version cn-provincial-2011): raw coal 1.9003 tCO2/t,
  diesel 3.0959 tCO2/t.
- GB/T 2589-2008 附录A: raw coal 0.7143 kgce/kg, electricity 0.1229 kgce/kWh (当量值).
- MEE/NBS grid factor, Inner Mongolia 2022: 0.6849 tCO2/MWh.
"""

from __future__ import annotations

import math

import polars as pl
import pytest

from tanfeng.services import accounting as service
from tanfeng.services.accounting._stored import BALANCE_SCHEMA, clean, factor_records_in, frame_to_json
from tanfeng.services.accounting.calculators import compute_combustion, compute_electricity
from tanfeng.services.accounting.enterprise import compute_enterprise
from tanfeng.services.accounting.explain import arithmetic, differences
from tanfeng.services.accounting.inventory import compute_inventory
from tanfeng.store.models_accounting import AccountingLineRow


def _inventory_inputs(rows: list[tuple[str, str, str, float]], **options: object) -> dict[str, object]:
    frame = pl.DataFrame({"region": ["150000"] * len(rows), "year": [2022] * len(rows),
                          "flow": [r[0] for r in rows], "sector": [r[1] for r in rows],
                          "product": [r[2] for r in rows], "value": [r[3] for r in rows]})
    return clean({"file": "hand.csv", "balance": frame_to_json(frame, BALANCE_SCHEMA), "production": None,
                  "sinks": None, "options": service.InventoryOptions.model_validate(options).model_dump(mode="json")})


def test_inventory_lines_burn_final_use_less_feedstock_and_count_all_of_it_in_tce() -> None:
    # chemicals use 10 万吨 raw coal, 4 万吨 of it as feedstock (non-energy use):
    # burnt 6 万吨 = 60 000 t × 1.9003 tCO2/t = 114 018 tCO2;
    # energy counts the whole final use: 100 000 t × 0.7143 kgce/kg = 71 430 tce.
    inputs = _inventory_inputs([("final_consumption", "chemicals", "raw_coal", 10.0),
                                ("non_energy_use", "chemicals", "raw_coal", 4.0)])
    result, lines = compute_inventory(inputs)
    combustion = [ln for ln in lines if ln["category"] == "combustion"]
    energy = [ln for ln in lines if ln["category"] == "energy_consumption"]
    assert len(combustion) == 1
    assert combustion[0]["activity"] == pytest.approx(6.0)
    assert combustion[0]["activity_unit"] == "wan_t"
    assert combustion[0]["factor_value"] == pytest.approx(19_003.0, rel=1e-12)
    assert combustion[0]["factor_unit"] == "tCO2/wan_t"
    assert combustion[0]["tco2"] == pytest.approx(114_018.0, rel=1e-12)
    assert combustion[0]["factor_id"] == "cn-provincial-2011:co2:raw_coal"
    assert sum(ln["tce"] for ln in energy) == pytest.approx(71_430.0, rel=1e-12)
    assert result["totals"][0]["gross"] == pytest.approx(114_018.0, rel=1e-12)


def test_inventory_electricity_at_the_supply_coal_rate_names_no_coefficient_record() -> None:
    # 等价值: 1 亿kWh = 1e8 kWh × 300 gce/kWh = 30 000 tce, the rate given by the caller
    inputs = _inventory_inputs([("final_consumption", "urban", "electricity", 1.0)],
                               electricity_conversion="equal", supply_coal_rate=300.0)
    _, lines = compute_inventory(inputs)
    (line,) = [ln for ln in lines if ln["category"] == "energy_consumption"]
    assert line["tce"] == pytest.approx(30_000.0, rel=1e-12)
    assert (line["factor_id"], line["factor_confidence"]) == (None, None)
    assert line["factor_source"] == "supply coal rate given by the caller (等价值)"


def test_combustion_run_line_is_the_published_factor_times_the_fuel() -> None:
    # 2 t diesel × 3.0959 tCO2/t = 6.1918 tCO2
    req = service.CombustionRequest(value=2, unit="t", product="diesel")
    result, (line,) = compute_combustion({"request": req.model_dump(mode="json")})
    assert result["tco2"] == pytest.approx(6.1918, rel=1e-12)
    assert (line["activity"], line["activity_unit"], line["factor_value"]) == (2, "t", pytest.approx(3.0959))
    assert line["tco2"] == result["tco2"]


def test_electricity_run_line_is_the_grid_factor_times_the_use() -> None:
    # 10 000 MWh × 0.6849 tCO2/MWh (Inner Mongolia, 2022) = 6 849 tCO2
    req = service.ElectricityRequest(value=10_000, unit="MWh", region="150000", year=2022)
    result, (line,) = compute_electricity({"request": req.model_dump(mode="json")})
    assert result["tco2"] == pytest.approx(6_849.0, rel=1e-12)
    assert line["factor_value"] == pytest.approx(0.6849, rel=1e-12)
    assert line["category"] == "electricity"


def test_enterprise_run_lines_keep_co2_apart_from_co2e() -> None:
    # 100 t raw coal burnt: 100 × 1.9003 = 190.03 tCO2, which is also its tCO2e
    report = {"enterprise": "某厂", "year": 2022, "fuels": [{"product": "raw_coal", "quantity": 100, "unit": "t"}]}
    result, lines = compute_enterprise({"file": "<json>", "report": report})
    (fuel,) = [ln for ln in lines if ln["product"] == "raw_coal"]
    assert fuel["tco2"] == pytest.approx(190.03, rel=1e-12)
    assert fuel["tco2e"] == pytest.approx(190.03, rel=1e-12)
    assert result["total"] == pytest.approx(190.03, rel=1e-12)


def _line(**fields: object) -> AccountingLineRow:
    base: dict[str, object] = {"run_id": 1, "line_no": 1, "category": "combustion", "activity": 2.0,
                               "activity_unit": "t", "factor_id": None, "factor_value": None, "factor_unit": None,
                               "formula": None, "tco2": None, "tco2e": None, "tce": None}
    return AccountingLineRow(**{**base, **fields})


def test_arithmetic_writes_activity_times_factor() -> None:
    line = _line(factor_value=3.0959, factor_unit="tCO2/t", tco2=6.1918)
    assert arithmetic(line, []) == "2 t × 3.0959 tCO2/t = 6.1918 tCO2"


def test_arithmetic_without_a_factor_shows_the_formula_and_prefers_tce() -> None:
    line = _line(formula="non-fossil", tce=1.5)
    assert arithmetic(line, []) == "2 t → 1.5 tce (non-fossil)"


def test_arithmetic_adds_co2e_when_it_differs_from_co2() -> None:
    line = _line(factor_value=1.0, factor_unit="tCO2/t", tco2=2.0, tco2e=2.5)
    assert arithmetic(line, []) == "2 t × 1 tCO2/t = 2 tCO2; 2.5 tCO2e"


def test_differences_name_the_path_and_both_values() -> None:
    stored = {"totals": [{"gross": 1.0, "net": 2.0}], "method": "a"}
    now = {"totals": [{"gross": 1.0, "net": 3.0}], "method": "a", "new": True}
    assert differences(stored, now) == ["new: stored null, now true", "totals[0].net: stored 2.0, now 3.0"]
    assert differences(stored, stored) == []
    assert len(differences({str(i): i for i in range(30)}, {str(i): -i - 1 for i in range(30)})) == 20


def test_clean_gives_json_as_the_database_returns_it() -> None:
    assert clean({1: math.nan, "x": [math.inf, 1.5], "t": (1, 2)}) == {"1": None, "x": [None, 1.5], "t": [1, 2]}


def test_factor_records_are_found_at_any_depth_first_one_kept() -> None:
    rec = {"id": "a", "what": "co2_ef", "key": "diesel", "value": 3.0959, "version": "v", "source": "s",
           "confidence": "A"}
    found = factor_records_in({"lines": [{"factors": [rec]}, {"factors": [{**rec, "value": 0}]}], "other": {"id": "b"}})
    assert found == {"a": rec}
