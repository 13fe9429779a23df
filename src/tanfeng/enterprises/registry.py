"""Registry of key energy-consuming units (重点用能单位): units, facilities and meters.

A *unit* is identified by its unified social credit code (统一社会信用代码), an 18-character code
defined by GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》:

========  ===========================================================
position  meaning
========  ===========================================================
1         registration authority (登记管理部门代码), e.g. ``9`` = market regulation
2         organisation category (机构类别代码), e.g. ``1`` = enterprise
3–8       administrative division of the registering office (GB/T 2260)
9–17      subject identifier (主体标识码, the GB 11714 organisation code)
18        check character
========  ===========================================================

The charset is the digits and the capital letters without I, O, Z, S, V (31 characters, valued
0–30 in the order ``0123456789ABCDEFGHJKLMNPQRTUWXY``). The check character is

    C18 = 31 − MOD(Σ_{i=1..17} C_i × W_i, 31),   W_i = MOD(3^(i−1), 31),

and a result of 31 is written ``0``. Source: GB 32100-2015 §4 and its calculation example
(``91350100M000100Y4`` → Σ = 1640, MOD 31 = 28, check ``3``), as reproduced in
"统一社会信用代码唯一性校验规则" (renrendoc.com/p-47802332.html; wddqw.com/doc/53f79e6a99…);
the same weights appear in public implementations, e.g. Hutool ``CreditCodeUtil``
(dromara/hutool) and ``aarioai/id-rule`` ``chinese_org_id.go``.

Only the 18th character is checked here; the GB 11714 check digit inside positions 9–17 is not
(some early pilot codes do not satisfy it).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

import polars as pl
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from tanfeng.errors import InputError, InvalidCreditCodeError

__all__ = ["CREDIT_CODE_CHARSET", "CREDIT_CODE_WEIGHTS", "IM_LEAGUE_CODES", "KEY_UNIT_LEVEL_ZH", "METER_SCHEMA",
           "UNIT_SCHEMA", "Contact", "CreditCode", "DivisionCode", "Facility", "IndustryCode", "KeyUnit",
           "KeyUnitLevel", "Meter", "MeterKind", "credit_code_check_char", "meters_frame", "units_frame",
           "validate_credit_code"]

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""GB 32100-2015 Table 1: the 31 code characters in value order (no I, O, Z, S, V)."""

CREDIT_CODE_WEIGHTS: tuple[int, ...] = tuple(pow(3, i, 31) for i in range(17))
"""GB 32100-2015 Table 2: W_i = MOD(3^(i-1), 31) = 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28."""

_VALUE = {c: i for i, c in enumerate(CREDIT_CODE_CHARSET)}
_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

IM_LEAGUE_CODES: tuple[str, ...] = (
    "150100", "150200", "150300", "150400", "150500", "150600",
    "150700", "150800", "150900", "152200", "152500", "152900",
)
"""GB/T 2260 codes of Inner Mongolia's 12 leagues and cities (reference doc §1.5, certain)."""

KeyUnitLevel = Literal["national", "autonomous_region", "league"]
"""Who supervises the unit: 国家 (national list), 自治区 (regional list), 盟市 (league list)."""

KEY_UNIT_LEVEL_ZH: dict[str, str] = {"national": "国家", "autonomous_region": "自治区", "league": "盟市"}

MeterKind = Literal["interval", "cumulative"]

_GBT4754 = re.compile(r"^[A-T](\d{2}|\d{3}|\d{4})?$")
_DIVISION = re.compile(r"^\d{6}$")


def credit_code_check_char(first17: str) -> str:
    """Return the GB 32100-2015 check character for the first 17 characters of a code.

    Parameters
    ----------
    first17
        Positions 1–17 of a unified social credit code, capital letters from the GB 32100 charset.

    Returns
    -------
    str
        The 18th character.

    Raises
    ------
    InvalidCreditCodeError
        If ``first17`` is not 17 characters of the charset.
    """
    if len(first17) != 17 or any(c not in _VALUE for c in first17):
        msg = f"'{first17}' is not 17 characters of the GB 32100 charset ({CREDIT_CODE_CHARSET})"
        raise InvalidCreditCodeError(msg)
    total = sum(_VALUE[c] * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def validate_credit_code(code: str) -> str:
    """Check a unified social credit code (length, charset, division digits, check character).

    Parameters
    ----------
    code
        The code as written; surrounding blanks are stripped, lower-case letters are refused
        (the standard uses capitals only).

    Returns
    -------
    str
        The code, stripped.

    Raises
    ------
    InvalidCreditCodeError
        Naming what is wrong: the length, the offending character and its position, or the
        expected check character.
    """
    text = code.strip()
    if len(text) != 18:
        msg = f"unified social credit code '{text}' has {len(text)} characters; GB 32100-2015 codes have 18"
        raise InvalidCreditCodeError(msg)
    for pos, c in enumerate(text, start=1):
        if c not in _VALUE:
            msg = (f"unified social credit code '{text}': character '{c}' at position {pos} is not in the "
                   "GB 32100 charset (digits and capitals without I, O, Z, S, V)")
            raise InvalidCreditCodeError(msg)
    if not _SHAPE.match(text):
        msg = f"unified social credit code '{text}': positions 3–8 must be the 6-digit division code"
        raise InvalidCreditCodeError(msg)
    expected = credit_code_check_char(text[:17])
    if text[17] != expected:
        msg = f"unified social credit code '{text}': check character is '{text[17]}', expected '{expected}'"
        raise InvalidCreditCodeError(msg, hint="check the code for a typing error")
    return text


CreditCode = Annotated[str, AfterValidator(validate_credit_code)]


def _division(value: str) -> str:
    if not _DIVISION.match(value):
        msg = f"'{value}' is not a 6-digit GB/T 2260 division code"
        raise ValueError(msg)
    return value


def _industry(value: str) -> str:
    if not _GBT4754.match(value):
        msg = (f"'{value}' is not a GB/T 4754-2017 industry code: a section letter A–T followed by "
               "2, 3 or 4 digits (e.g. 'C3011', 'D4411')")
        raise ValueError(msg)
    return value


DivisionCode = Annotated[str, AfterValidator(_division)]
IndustryCode = Annotated[str, AfterValidator(_industry)]


class Contact(BaseModel):
    """A person responsible at the unit (能源管理负责人 etc.)."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1)
    role: str = Field(min_length=1, description="e.g. 能源管理负责人, 计量负责人")
    phone: str | None = None
    email: str | None = None


class Facility(BaseModel):
    """A production facility of a unit (a kiln, a potline, a boiler …)."""

    model_config = ConfigDict(frozen=True)

    facility_id: str = Field(min_length=1)
    unit_code: CreditCode
    name: str = Field(min_length=1)
    product: str | None = Field(default=None, description="product id it makes, as in the benchmark file")


class Meter(BaseModel):
    """An energy meter read online by the unit's access endpoint (接入端).

    Attributes
    ----------
    meter_id
        Identifier as sent in readings.
    unit_code
        Credit code of the unit the meter belongs to.
    product
        Energy product id from the catalogue (``electricity``, ``natural_gas``, ``raw_coal`` …).
    unit
        Physical unit of the meter's values after the multiplier (``kWh``, ``m**3``, ``kg``, ``t``).
    multiplier
        Factor from raw register values to ``unit`` (CT × PT ratio for electricity meters).
    kind
        ``interval``: each reading is the energy of the 15-minute interval ending at its timestamp;
        ``cumulative``: each reading is the register value at its timestamp.
    rollover_max
        For cumulative counters, the modulus of the register: it counts 0 … rollover_max − 1 and
        then wraps to 0 (e.g. 1e6 for a 6-digit register). ``None`` = never rolls over.
    """

    model_config = ConfigDict(frozen=True)

    meter_id: str = Field(min_length=1)
    unit_code: CreditCode
    facility_id: str | None = None
    product: str = Field(min_length=1)
    unit: str = Field(min_length=1)
    multiplier: float = Field(default=1.0, gt=0)
    kind: MeterKind
    rollover_max: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _rollover_only_for_cumulative(self) -> Meter:
        if self.kind == "interval" and self.rollover_max is not None:
            msg = f"meter {self.meter_id}: rollover_max is only meaningful for cumulative meters"
            raise ValueError(msg)
        return self


class KeyUnit(BaseModel):
    """A key energy-consuming unit (重点用能单位).

    Attributes
    ----------
    code
        Unified social credit code, validated with its GB 32100-2015 check character.
    league
        GB/T 2260 code of the league or city (盟市) the unit reports to.
    county
        GB/T 2260 code of the county (旗县区); must lie inside ``league``.
    industry
        GB/T 4754-2017 industry code (e.g. ``C3011`` cement clinker).
    level
        Which list the unit is on: ``national`` (国家), ``autonomous_region`` (自治区), ``league`` (盟市).
    products
        Product ids it makes (keys of the benchmark file).
    """

    model_config = ConfigDict(frozen=True)

    code: CreditCode
    name: str = Field(min_length=1)
    league: DivisionCode
    county: DivisionCode
    industry: IndustryCode
    level: KeyUnitLevel
    products: tuple[str, ...] = ()
    contacts: tuple[Contact, ...] = ()
    facilities: tuple[Facility, ...] = ()
    meters: tuple[Meter, ...] = ()
    sample: bool = Field(default=False, description="True for generated 示例数据")

    @model_validator(mode="after")
    def _consistent(self) -> KeyUnit:
        if not self.league.endswith("00"):
            msg = f"unit {self.code}: league '{self.league}' is not a prefecture-level code (ends in 00)"
            raise ValueError(msg)
        if self.county[:4] != self.league[:4]:
            msg = f"unit {self.code}: county '{self.county}' is not inside league '{self.league}'"
            raise ValueError(msg)
        owners = [(f.facility_id, f.unit_code) for f in self.facilities]
        owners += [(m.meter_id, m.unit_code) for m in self.meters]
        for name, owner in owners:
            if owner != self.code:
                msg = f"unit {self.code}: '{name}' belongs to unit {owner}"
                raise ValueError(msg)
        ids = [m.meter_id for m in self.meters]
        if len(ids) != len(set(ids)):
            msg = f"unit {self.code}: duplicate meter ids"
            raise ValueError(msg)
        return self


METER_SCHEMA: dict[str, pl.DataType] = {
    "meter_id": pl.String(), "unit_code": pl.String(), "product": pl.String(), "unit": pl.String(),
    "multiplier": pl.Float64(), "kind": pl.String(), "rollover_max": pl.Float64(),
}

UNIT_SCHEMA: dict[str, pl.DataType] = {
    "unit_code": pl.String(), "name": pl.String(), "league": pl.String(), "county": pl.String(),
    "industry": pl.String(), "level": pl.String(),
}


def meters_frame(meters: list[Meter]) -> pl.DataFrame:
    """The meter table as a polars frame (the shape :mod:`tanfeng.monitoring` expects).

    Raises
    ------
    InputError
        If two meters share an id.
    """
    frame = pl.DataFrame(
        [{k: getattr(m, k) for k in METER_SCHEMA} for m in meters], schema=METER_SCHEMA,
    )
    dup = frame.filter(pl.col("meter_id").is_duplicated())["meter_id"].unique().to_list()
    if dup:
        msg = f"meter ids used twice: {sorted(dup)[:5]}"
        raise InputError(msg)
    return frame


def units_frame(units: list[KeyUnit]) -> pl.DataFrame:
    """The unit table as a polars frame: ``unit_code, name, league, county, industry, level``."""
    return pl.DataFrame(
        [{"unit_code": u.code, "name": u.name, "league": u.league, "county": u.county,
          "industry": u.industry, "level": u.level} for u in units],
        schema=UNIT_SCHEMA,
    )
