"""Forest and grassland carbon: a worked example with the IPCC 2006 Vol. 4 equations and table defaults,
reproduced by hand; the region's account; the project lifecycle.

Table values used (IPCC 2006 Guidelines, Vol. 4):
- Table 4.5, boreal larch: BCEF_S 0.77 (growing stock 51–100 m³/ha), BCEF_I 0.77, BCEF_R 0.85.
- Table 4.4, boreal coniferous forest, above-ground biomass < 75 t dm/ha: R = 0.39.
- Table 4.3, temperate and boreal coniferous: CF = 0.51 t C/t dm.
- Table 6.1 (cold temperate dry grassland) R = 2.8; Table 6.4 above-ground biomass 1.7 t dm/ha; CF 0.47.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tanfeng.errors import InputError
from tanfeng.sinks import (
    CO2_PER_C,
    account,
    advance,
    conversion_gain_tc,
    forest_stock_tc,
    gain_loss_tc,
    parameter,
    register,
    stock_difference_tc,
)

LARCH = {"zone": "boreal", "forest_type": "larch", "r_class": "conifer", "cf_class": "conifer"}


def test_table_lookups_by_class() -> None:
    assert parameter("bcef_s", "boreal", "larch", 80).value == 0.77  # 51–100 m³/ha
    assert parameter("bcef_s", "boreal", "larch", 20).value == 1.22  # ≤ 20 m³/ha
    assert parameter("bcef_s", "boreal", "larch", 21).value == 0.78  # 21–50 m³/ha
    assert parameter("r", "boreal", "conifer", 61.6).value == 0.39  # AGB < 75
    assert parameter("r", "boreal", "conifer", 80).value == 0.24  # AGB > 75
    with pytest.raises(InputError, match="no IPCC default"):
        parameter("bcef_s", "tropical", "teak", 10)


def test_worked_example_stock_and_gain_loss_by_hand() -> None:
    # 1 000 ha of boreal larch, 80 m³/ha:
    #   AGB = 80 × 0.77 = 61.6 t dm/ha → R = 0.39 (AGB < 75)
    #   C = 1 000 × 61.6 × (1 + 0.39) × 0.51 = 43 668.24 t C           (Eq. 2.8 with BCEF_S)
    assert forest_stock_tc(1000, 80, **LARCH) == pytest.approx(43_668.24, rel=1e-12)
    # gain: I_V = 2 m³/ha/yr → G_W = 2 × 0.77 = 1.54 t dm/ha/yr
    #   ΔC_G = 1 000 × 1.54 × 1.39 × 0.51 = 1 091.706 t C/yr           (Eqs. 2.9, 2.10)
    # loss: H = 500 m³ → L = 500 × 0.85 × 1.39 × 0.51 = 301.2825 t C/yr (Eq. 2.12)
    gain, loss = gain_loss_tc(1000, 2, 500, volume_m3_ha=80, **LARCH)
    assert gain == pytest.approx(1_091.706, rel=1e-12)
    assert loss == pytest.approx(301.2825, rel=1e-12)
    # net 790.4235 t C = 790.4235 × 44/12 = 2 898.2195 tCO2
    assert (gain - loss) * CO2_PER_C == pytest.approx(2_898.2195, rel=1e-9)


def test_stock_difference_equals_gain_loss_when_consistent() -> None:
    # the same stand one year later with 80 + 2 − 0.5 = 81.5 m³/ha and no class change: Eq. 2.5 gives
    # 1 000 × (81.5 − 80) × 0.77 × 1.39 × 0.51 = 1 500 × 0.545853 = 818.7795 t C
    c1 = forest_stock_tc(1000, 80, **LARCH)
    c2 = forest_stock_tc(1000, 81.5, **LARCH)
    assert stock_difference_tc(c1, c2, 2023, 2024) == pytest.approx(818.7795, rel=1e-9)
    with pytest.raises(InputError, match="later"):
        stock_difference_tc(c1, c2, 2024, 2024)


def test_grassland_conversion_by_hand() -> None:
    # 100 ha of bare land under grass: 100 × (1.7 − 0) × (1 + 2.8) × 0.47 = 303.62 t C
    assert conversion_gain_tc(100, after_t_dm_ha=1.7, before_t_dm_ha=0, r=2.8, cf=0.47) == pytest.approx(303.62)


def test_region_account_arithmetic() -> None:
    # forest: growing stock 13.45亿 m³ (2008) → 15.5亿 m³ (2025 target): +2.05e8 / 17 = 12 058 823.5 m³/yr;
    # 54.1 m³/ha (13.45e8 / 24.88e6 ha) → BCEF_S 0.77, AGB 41.6 → R 0.39, CF 0.51:
    # 12 058 823.5 × 0.77 × 1.39 × 0.51 × 44/12 = 24 135 265 tCO2/yr
    a = account("150000", 2024)
    assert a.forest_tco2 == pytest.approx(12_058_823.53 * 0.77 * 1.39 * 0.51 * 44 / 12, rel=1e-6)
    # grassland: 2.89亿 亩 / 15 / 10 = 1 926 667 ha/yr × 1.7 × 3.8 × 0.47 × 44/12
    assert a.grassland_tco2 == pytest.approx(1_926_667 * 1.7 * 3.8 * 0.47 * 44 / 12, rel=1e-6)
    assert a.total_tco2 == pytest.approx(a.forest_tco2 + a.grassland_tco2, abs=0.2)
    assert set(a.model_dump()) == {"region", "year", "method", "forest_tco2", "grassland_tco2", "total_tco2",
                                   "uncertainty_pct", "sources"}
    league = account("150700", 2024)
    assert league.forest_tco2 == pytest.approx(a.forest_tco2 * 0.55, abs=0.2)
    assert any("示例数据" in s for s in league.sources)
    with pytest.raises(InputError, match="outside"):
        account("150000", 2030)
    with pytest.raises(InputError, match="no sink data"):
        account("110000", 2024)


def test_project_lifecycle() -> None:
    t = [datetime(2025, m, 1, tzinfo=UTC) for m in range(1, 7)]
    p = register("FP-1", "示例林业碳汇项目", "150700", 5000, document="PDD v1", actor="developer", when=t[0])
    with pytest.raises(InputError, match="only from monitored"):
        advance(p, "verified", document="VR", actor="dvv", when=t[1], tco2e=10)
    p = advance(p, "monitored", document="MR 2024", actor="developer", when=t[1])
    with pytest.raises(InputError, match="verified tCO2e"):
        advance(p, "verified", document="VR", actor="dvv", when=t[2])
    p = advance(p, "verified", document="VR 2024", actor="verifier", when=t[2], tco2e=12_000)
    p = advance(p, "credited", document="issuance notice", actor="registry", when=t[3])
    assert (p.state, p.credited_tco2e) == ("credited", 12_000)
    p = advance(p, "monitored", document="MR 2025", actor="developer", when=t[4])
    assert [s.state for s in p.steps] == ["registered", "monitored", "verified", "credited", "monitored"]
    with pytest.raises(InputError, match="before the previous"):
        advance(p, "verified", document="VR", actor="v", when=t[0], tco2e=1)
