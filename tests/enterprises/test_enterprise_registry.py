"""Registry model: GB 32100-2015 credit codes, units, facilities, meters.

Worked examples (published, not computed by the code under test):

* GB 32100-2015 calculation example: for ``91350100M000100Y4`` the weighted sum is 1640, 1640 mod 31 = 28,
  check = 31 − 28 = 3 (the standard's example; reproduced in "统一社会信用代码唯一性校验规则",
  renrendoc.com/p-47802332.html, which also shows that ``91350100M000100Y4Z`` is rejected).
* A second worked example: ``91512081MA62K0260E`` — sum 1495, 1495 mod 31 = 17, 31 − 17 = 14 → ``E``
  (yizhanzhixiao.com/link/1796942066087784707.html).
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tanfeng.enterprises.registry import (
    CREDIT_CODE_WEIGHTS,
    KeyUnit,
    Meter,
    credit_code_check_char,
    meters_frame,
    units_frame,
    validate_credit_code,
)
from tanfeng.errors import InputError, InvalidCreditCodeError

GB_EXAMPLE = "91350100M000100Y43"
SECOND_EXAMPLE = "91512081MA62K0260E"


def test_weights_are_the_published_table() -> None:
    # GB 32100-2015 Table 2 as printed in the worked example
    assert CREDIT_CODE_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@pytest.mark.parametrize(("first17", "check"), [(GB_EXAMPLE[:17], "3"), (SECOND_EXAMPLE[:17], "E")])
def test_check_character_of_worked_examples(first17: str, check: str) -> None:
    assert credit_code_check_char(first17) == check


@pytest.mark.parametrize("code", [GB_EXAMPLE, SECOND_EXAMPLE, f"  {GB_EXAMPLE} "])
def test_valid_codes_pass(code: str) -> None:
    assert validate_credit_code(code) == code.strip()


def test_standard_counter_example_is_rejected() -> None:
    # the standard's example of a bad code ends in Z, which is not even in the charset
    with pytest.raises(InvalidCreditCodeError, match="'Z' at position 18"):
        validate_credit_code("91350100M000100Y4Z")


@pytest.mark.parametrize(("code", "expected"), [("91350100M000100Y44", "3"), ("91512081MA62K0260F", "E")])
def test_wrong_check_character_named(code: str, expected: str) -> None:
    with pytest.raises(InvalidCreditCodeError, match=f"expected '{expected}'"):
        validate_credit_code(code)


@pytest.mark.parametrize("code", ["91350100M000100Y4", "91350100M000100Y433", ""])
def test_wrong_length(code: str) -> None:
    with pytest.raises(InvalidCreditCodeError, match="GB 32100-2015 codes have 18"):
        validate_credit_code(code)


@pytest.mark.parametrize(("code", "char", "pos"), [
    ("91350100M000100I43", "I", 16),   # I, O, Z, S, V are not in the charset
    ("91350100M0001O0Y43", "O", 14),
    ("91350100m000100Y43", "m", 9),    # lower case is refused
    ("9135010-M000100Y43", "-", 8),
])
def test_wrong_charset_names_position(code: str, char: str, pos: int) -> None:
    with pytest.raises(InvalidCreditCodeError, match=f"character '{char}' at position {pos}"):
        validate_credit_code(code)


def test_division_part_must_be_digits() -> None:
    with pytest.raises(InvalidCreditCodeError, match="positions 3–8"):
        validate_credit_code("913501A0M000100Y43")


def _unit(**kw: object) -> KeyUnit:
    base: dict[str, object] = {
        "code": GB_EXAMPLE, "name": "示例水泥有限公司", "league": "150200", "county": "150203",
        "industry": "C3011", "level": "autonomous_region", "products": ("cement_clinker",),
        "contacts": ({"name": "张三", "role": "能源管理负责人"},),
        "facilities": ({"facility_id": "kiln-1", "unit_code": GB_EXAMPLE, "name": "1号窑", "product": "cement_clinker"},),
        "meters": ({"meter_id": "E1", "unit_code": GB_EXAMPLE, "product": "electricity", "unit": "kWh",
                    "multiplier": 200, "kind": "interval"},
                   {"meter_id": "G1", "unit_code": GB_EXAMPLE, "product": "natural_gas", "unit": "m**3",
                    "kind": "cumulative", "rollover_max": 1e7}),
    }
    base.update(kw)
    return KeyUnit.model_validate(base)


def test_unit_model_accepts_a_consistent_unit() -> None:
    u = _unit()
    assert u.meters[0].multiplier == 200
    assert u.meters[1].rollover_max == 1e7
    frame = meters_frame(list(u.meters))
    assert frame.columns[:3] == ["meter_id", "unit_code", "product"]
    assert units_frame([u])["league"].to_list() == ["150200"]


def test_unit_with_bad_credit_code_is_refused() -> None:
    with pytest.raises(ValidationError, match="expected '3'"):
        _unit(code="91350100M000100Y44", facilities=(), meters=())


def test_county_must_lie_in_league() -> None:
    with pytest.raises(ValidationError, match="not inside league"):
        _unit(county="150602")


@pytest.mark.parametrize("industry", ["3011", "C30111", "c3011", "Z30"])
def test_industry_code_format(industry: str) -> None:
    with pytest.raises(ValidationError, match="GB/T 4754-2017"):
        _unit(industry=industry)


def test_meter_of_another_unit_is_refused() -> None:
    other = {"meter_id": "X", "unit_code": SECOND_EXAMPLE, "product": "electricity", "unit": "kWh",
             "kind": "interval"}
    with pytest.raises(ValidationError, match="belongs to unit"):
        _unit(meters=(other,))


def test_rollover_only_for_cumulative_meters() -> None:
    with pytest.raises(ValidationError, match="only meaningful for cumulative"):
        Meter(meter_id="E", unit_code=GB_EXAMPLE, product="electricity", unit="kWh", kind="interval",
              rollover_max=1e6)


def test_meter_multiplier_must_be_positive() -> None:
    with pytest.raises(ValidationError, match="greater than 0"):
        Meter(meter_id="E", unit_code=GB_EXAMPLE, product="electricity", unit="kWh", kind="interval",
              multiplier=0)


def test_duplicate_meter_ids_refused_in_frame() -> None:
    m = Meter(meter_id="E", unit_code=GB_EXAMPLE, product="electricity", unit="kWh", kind="interval")
    with pytest.raises(InputError, match="used twice"):
        meters_frame([m, m])
