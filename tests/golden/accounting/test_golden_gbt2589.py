"""GB/T 2589 《综合能耗计算通则》: standard-coal coefficients against the published table.

Source of every expected value: GB/T 2589-2008 附录A 各种能源折标准煤参考系数, as transcribed on the web
(msthinker.com/zhuanjia/article-134429.html; qq94.com/fjx/1nPbW2.html; huatuo6.cn/wenku/rdvvd/4gNGBm3BKO),
compiled in docs/reference/accounting_standards.md §1.2 (confidence A unless noted).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tanfeng.accounting.conversion import to_standard_coal

# (product, unit of 1 physical unit, published coefficient in kgce per that unit)
PUBLISHED = [
    ("raw_coal", "kg", "0.7143"),
    ("washed_coal", "kg", "0.9000"),
    ("coke", "kg", "0.9714"),
    ("crude_oil", "kg", "1.4286"),
    ("fuel_oil", "kg", "1.4286"),
    ("gasoline", "kg", "1.4714"),
    ("kerosene", "kg", "1.4714"),
    ("diesel", "kg", "1.4571"),
    ("coal_tar", "kg", "1.1429"),
    ("crude_benzene", "kg", "1.4286"),
    ("lpg", "kg", "1.7143"),
    ("refinery_gas", "kg", "1.5714"),
    ("natural_gas", "m**3", "1.3300"),  # 油田天然气
    ("blast_furnace_gas", "m**3", "0.1286"),  # B: one public file gives the LHV 3763 kJ/m3
    ("electricity", "kWh", "0.1229"),  # 当量值
]


@pytest.mark.parametrize(("product", "unit", "coefficient"), PUBLISHED)
def test_published_coefficient(product: str, unit: str, coefficient: str) -> None:
    # 1000 units x coefficient kgce = coefficient tce
    res = to_standard_coal(1000.0, unit, product)
    assert round(Decimal(repr(res.value)), 6) == Decimal(coefficient)
    assert res.coefficient == float(coefficient)
    assert res.factor is not None
    assert res.factor.confidence in ("A", "B")


def test_variants_gas_field_gas_and_producer_gas() -> None:
    # 气田天然气 1.2143 kgce/m3; 发生炉煤气 0.1786 kgce/m3 (GB/T 2589 附录A)
    assert to_standard_coal(1000, "m³", "natural_gas", variant="gas_field").value == pytest.approx(1.2143, abs=1e-12)
    assert to_standard_coal(1000, "m³", "other_gas", variant="producer_gas").value == pytest.approx(0.1786, abs=1e-12)


def test_heat_equivalent_value() -> None:
    # 热力 (当量值) 0.03412 kgce/MJ = 34.12 kgce/GJ (GB/T 2589 附录A)
    assert to_standard_coal(1000, "GJ", "heat").value == pytest.approx(34.12, abs=1e-9)


def test_g1_mixed_site_1502_2_tce() -> None:
    # G-1 (reference doc §6): 1 000 t raw coal + 500 000 m3 natural gas + 1 000 000 kWh (当量)
    # = 714.3 + 665.0 + 122.9 = 1 502.2 tce, from the published coefficients 0.7143, 1.3300, 0.1229.
    total = (to_standard_coal(1000, "t", "原煤").value + to_standard_coal(500_000, "m³", "天然气").value
             + to_standard_coal(1_000_000, "kWh", "电力").value)
    assert round(total, 6) == 1502.2


def test_g2_coefficient_is_not_recomputed_from_kj() -> None:
    # G-2: raw coal is 0.7143 kgce/kg as published (5000 kcal / 7000), not 20908/29307 = 0.7134.
    res = to_standard_coal(1, "kg", "raw_coal")
    assert res.coefficient == 0.7143
    assert round(20908 / 29307, 4) == 0.7134  # what recomputing would (wrongly) give


def test_g3_electricity_equivalent_value() -> None:
    # G-3: 1 kWh = 3 600 kJ = 860 kcal; 860/7000 = 0.122857 -> published 0.1229 kgce/kWh.
    res = to_standard_coal(1, "kWh", "electricity", electricity="equivalent")
    assert res.coefficient == 0.1229
    assert res.electricity_method == "equivalent"
    assert round(860 / 7000, 4) == 0.1229


def test_standard_coal_definition_29307_kj() -> None:
    # GB/T 2589 §3: 1 kgce is fuel with an LHV of 29 307 kJ; a measured LHV of 29 307 kJ/kg gives 1 kgce/kg.
    res = to_standard_coal(1000, "t", "raw_coal", lhv=29307, lhv_unit="kJ/kg")
    assert res.value == pytest.approx(1000.0, rel=1e-12)
