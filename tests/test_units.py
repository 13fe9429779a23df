"""The platform's unit registry against the published definitions."""

from __future__ import annotations

import pytest

from tanfeng.errors import UnitError
from tanfeng.units import convert, readable_number


def test_kgce_is_29307_kj() -> None:
    # GB/T 2589 §3: fuel with a lower heating value of 29 307 kJ is 1 kg of standard coal.
    assert convert(1, "千克标准煤", "kJ") == pytest.approx(29307)
    assert convert(1, "tce", "GJ") == pytest.approx(29.307)


def test_chinese_scaled_units() -> None:
    assert convert(2, "亿千瓦", "万千瓦") == pytest.approx(20000)
    assert convert(305, "克标准煤/千瓦时", "kgce/kWh") == pytest.approx(0.305)
    assert convert(1, "万吨/日", "t/day") == pytest.approx(10000)
    # 1 公顷 = 15 亩 (法定计量单位 usage)
    assert convert(15, "亩", "公顷") == pytest.approx(1)


def test_unknown_unit_is_a_clear_error() -> None:
    with pytest.raises(UnitError, match="unknown unit '万斤斤'"):
        convert(1, "万斤斤", "t")


def test_incompatible_units_are_refused() -> None:
    with pytest.raises(UnitError, match="different quantities"):
        convert(1, "万千瓦", "万吨")


@pytest.mark.parametrize("text", ["", " ", ":", "**", "kg/", "万千瓦)", "1/0"])
def test_malformed_unit_text_is_a_unit_error(text: str) -> None:
    with pytest.raises(UnitError):
        convert(1, text, "t")


# -- readable_number: figures in texts a person reads (issue 10) -------------------------------------------

@pytest.mark.parametrize(("value", "text"), [
    (1_100_000, "1,100,000"),  # %g: 1.1e+06
    (30_629_200.0, "30,629,200"),  # %g: 3.06292e+07
    (48_000.0, "48,000"),
    (12_345.67, "12,345.7"),
    (800.0, "800"),
    (4.660347, "4.66035"),
    (0.5, "0.5"),
    (0.0000125, "0.0000125"),  # %g: 1.25e-05
    (-1_234_567.0, "-1,234,567"),
    (0.0, "0"),
    (float("inf"), "∞"),
])
def test_readable_number_is_never_scientific(value: float, text: str) -> None:
    assert readable_number(value) == text


def test_readable_number_without_grouping_keeps_the_plan_s_spelling() -> None:
    assert readable_number(1000.0, grouping=False) == "1000"
    assert readable_number(2_500_000.0, grouping=False) == "2500000"


def test_the_cli_prints_large_floats_without_an_exponent() -> None:
    from tanfeng.cli.output import _cell

    assert _cell(30_629_200.0) == "30629200"  # %g: 3.06292e+07
    assert _cell(0.0000125) == "0.0000125"
