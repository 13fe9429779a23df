"""The instruments' rules, each test with the rule's text and hand arithmetic.

Sources (see src/tanfeng/registry/data/instruments.yaml):
- 《碳排放权交易管理办法（试行）》 Art. 29: CCER offsets ≤ 5 % of the surrender obligation.
- 2023–2024 power allocation plan: 2023 obligation by 2024-12-31, 2024 by 2025-12-31; a year's allowances cover
  that year and later ones, no borrowing; pre-allocation 70 % of the previous year's verified emissions; an
  allocation below 80 % of verified emissions is topped up to 80 %; Ff = 1.015^(16 − 20F) for F < 65 %;
  benchmark class I 2024: 0.7910 tCO2/MWh and 0.1033 tCO2/GJ.
- 《碳排放权交易管理暂行条例》 Art. 24: fine of 5–10 × the average price of the month before the deadline.
"""

from __future__ import annotations

from datetime import date

import pytest

from tanfeng.errors import InputError
from tanfeng.registry import (
    SurrenderLine,
    check_surrender,
    deadline_for,
    instrument,
    offset_cap,
    penalty_range,
    power_allocation,
)
from tanfeng.registry.rules import peak_regulation_factor

CEA = instrument("CEA")
EUR = instrument("EUR")


def _surrender(rules=CEA, *, year=2023, on=date(2024, 12, 31), obligation=1000, lines=(), already=0):  # type: ignore[no-untyped-def]
    check_surrender(rules, compliance_year=year, on=on, obligation=obligation, lines=list(lines),
                    offsets_already=already)


def test_published_deadlines_and_the_stated_default() -> None:
    assert deadline_for(CEA, 2023) == date(2024, 12, 31)
    assert deadline_for(CEA, 2024) == date(2025, 12, 31)
    # ASSUMPTION in the data file: 31 December of the following year
    assert deadline_for(CEA, 2026) == date(2027, 12, 31)


def test_deadline_edge() -> None:
    line = [SurrenderLine(instrument="CEA", vintage=2023, amount=1000)]
    _surrender(on=date(2024, 12, 31), lines=line)  # on the deadline: accepted
    with pytest.raises(InputError, match="deadline") as err:
        _surrender(on=date(2025, 1, 1), lines=line)
    assert err.value.location.field == "on"


def test_offset_cap_edge() -> None:
    # 5 % of 1000 = 50 units
    assert offset_cap(CEA, 1000) == 50
    assert offset_cap(CEA, 1019) == 50  # 50.95 rounds down
    ok = [SurrenderLine(instrument="CEA", vintage=2023, amount=950), SurrenderLine(instrument="CCER", vintage=2022,
                                                                                    amount=50)]
    _surrender(lines=ok)
    over = [SurrenderLine(instrument="CCER", vintage=2022, amount=51)]
    with pytest.raises(InputError, match="capped at 5%"):
        _surrender(lines=over)
    # 30 surrendered earlier + 21 now = 51 > 50
    with pytest.raises(InputError, match="30 already"):
        _surrender(lines=[SurrenderLine(instrument="CCER", vintage=2022, amount=21)], already=30)
    _surrender(lines=[SurrenderLine(instrument="CCER", vintage=2022, amount=20)], already=30)


def test_vintage_no_borrowing() -> None:
    _surrender(year=2024, on=date(2025, 12, 31), lines=[SurrenderLine(instrument="CEA", vintage=2024, amount=1)])
    _surrender(year=2024, on=date(2025, 12, 31), lines=[SurrenderLine(instrument="CEA", vintage=2023, amount=1)])
    with pytest.raises(InputError, match="borrowing") as err:
        _surrender(year=2023, lines=[SurrenderLine(instrument="CEA", vintage=2024, amount=1)])
    assert err.value.location.field == "vintage"


def test_energy_rights_expire_after_their_year() -> None:
    # ASSUMPTION in the data file: 指标 are valid for their own year only (validity_years 1)
    _surrender(EUR, year=2025, on=date(2026, 6, 30), lines=[SurrenderLine(instrument="EUR", vintage=2025, amount=5)])
    with pytest.raises(InputError, match="expired"):
        _surrender(EUR, year=2025, on=date(2026, 6, 30),
                   lines=[SurrenderLine(instrument="EUR", vintage=2024, amount=5)])


def test_wrong_instrument_is_refused() -> None:
    with pytest.raises(InputError, match="cannot be surrendered"):
        _surrender(lines=[SurrenderLine(instrument="EUR", vintage=2023, amount=5)])
    with pytest.raises(InputError, match="cannot be surrendered"):
        _surrender(EUR, year=2025, on=date(2026, 1, 1),
                   lines=[SurrenderLine(instrument="CCER", vintage=2025, amount=1)])


def test_peak_regulation_factor() -> None:
    # F = 0.60 < 0.65: 1.015^(16 − 12) = 1.015^4 = 1.061363550625
    assert peak_regulation_factor(0.60) == pytest.approx(1.061363550625, rel=1e-12)
    assert peak_regulation_factor(0.65) == 1.0


def test_power_allocation_capped_at_80_percent() -> None:
    # class I 2024, 1 000 000 MWh at F = 0.70 (Ff = 1), 100 000 GJ of heat:
    # A = 1 000 000 × 0.7910 + 100 000 × 0.1033 = 791 000 + 10 330 = 801 330 tCO2
    # verified 1 100 000 → 80 % = 880 000 > A → topped up to 880 000
    # pre-allocation = 70 % × 1 050 000 (previous year) = 735 000; settlement = 880 000 − 735 000 = 145 000
    a = power_allocation(year=2024, unit_class="I", power_mwh=1_000_000, heat_gj=100_000, load_factor=0.70,
                         verified_tco2=1_100_000, previous_verified_tco2=1_050_000)
    assert a.benchmark_tco2 == pytest.approx(801_330)
    assert (a.final, a.capped, a.pre_allocation, a.settlement) == (880_000, True, 735_000, 145_000)


def test_power_allocation_not_capped_and_gas_top_up() -> None:
    # A = 801 330 ≥ 80 % × 900 000 = 720 000: no cap
    a = power_allocation(year=2024, unit_class="I", power_mwh=1_000_000, heat_gj=100_000, load_factor=0.70,
                         verified_tco2=900_000, previous_verified_tco2=900_000)
    assert (a.final, a.capped) == (801_330, False)
    # gas (IV) 2024: A = 100 000 × 0.3288 = 32 880 < verified 40 000 → topped up to 40 000
    g = power_allocation(year=2024, unit_class="IV", power_mwh=100_000, heat_gj=0, load_factor=0.9,
                         verified_tco2=40_000, previous_verified_tco2=40_000)
    assert (g.final, g.capped) == (40_000, True)


def test_unknown_class_or_year() -> None:
    with pytest.raises(InputError, match="no benchmark"):
        power_allocation(year=2019, unit_class="I", power_mwh=1, heat_gj=0, load_factor=1, verified_tco2=1,
                         previous_verified_tco2=1)


def test_penalty_range() -> None:
    # shortfall 1 000 t at 90 yuan/t: 5 × 90 × 1 000 = 450 000 to 10 × 90 × 1 000 = 900 000
    assert penalty_range(CEA, 1000, 90.0) == (450_000.0, 900_000.0)
    # energy-use rights: no price multiple was found → no fine computed
    assert penalty_range(EUR, 1000, 90.0) is None


def test_unknown_instrument() -> None:
    with pytest.raises(InputError, match="known: CCER, CEA, EUR"):
        instrument("XYZ")
