"""The one pint registry of the platform.

Energy and emission units used in Chinese statistics are defined here once: standard coal
(kgce, tce, 万吨标准煤), CO2 and CO2-equivalent masses (tCO2, tCO2e, 万吨二氧化碳), GJ, TJ, kWh, MWh, 万千瓦, 万千瓦时, 万立方米, 万亩, 万吨/日 …
Chinese unit spellings map to pint expressions through :data:`CHINESE_UNITS`.

Definitions and sources:
- 1 kgce = 29 307 kJ (lower heating value), GB/T 2589 《综合能耗计算通则》 §3 (标准煤的定义).
- Standard cubic metres (Nm³, 标准立方米) are counted as m³: the reference conditions are stated by the
  data source, not by the unit.
- 亩 = 10000/15 m² (1 公顷 = 15 亩), 《中华人民共和国法定计量单位》 usage; 万 = 10^4, 亿 = 10^8.
- A trailing qualifier that names a price base or an index base (``亿元 (2020年不变价)``,
  ``指数 (2020=100)``) labels the unit without changing it: it is dropped before parsing (the caller
  that cares about the base reads it from the text).
"""

from __future__ import annotations

import math
import re
import tokenize
from functools import lru_cache
from typing import Any

import pint

from tanfeng.errors import UnitError

__all__ = ["CHINESE_UNITS", "convert", "dimension_of", "parse_unit", "quantity", "readable_number", "registry"]

_DEFINITIONS = """
kilogram_coal_equivalent = 29307 * kilojoule = kgce
tonne_coal_equivalent = 1000 * kilogram_coal_equivalent = tce
gram_coal_equivalent = kilogram_coal_equivalent / 1000 = gce
wan_tce = 10000 * tonne_coal_equivalent
yi_tce = 100000000 * tonne_coal_equivalent
carbon_dioxide = [co2_mass]
tonne_co2 = 1000 * kilogram * carbon_dioxide / kilogram = tCO2
kilogram_co2 = tonne_co2 / 1000 = kgCO2
tonne_co2e = tonne_co2 = tCO2e
wan_tCO2 = 10000 * tonne_co2
yi_tCO2 = 100000000 * tonne_co2
mu = 10000 / 15 * meter ** 2
wan_mu = 10000 * mu
wan_kW = 10000 * kilowatt
yi_kW = 100000000 * kilowatt
wan_kWh = 10000 * kilowatt_hour
yi_kWh = 100000000 * kilowatt_hour
wan_t = 10000 * metric_ton
yi_t = 100000000 * metric_ton
wan_m2 = 10000 * meter ** 2
yi_m2 = 100000000 * meter ** 2
wan_m3 = 10000 * meter ** 3
yi_m3 = 100000000 * meter ** 3
wan_hectare = 10000 * hectare
kilogram_co2e = kilogram_co2 = kgCO2e
wan_tCO2e = wan_tCO2
yi_tCO2e = yi_tCO2
tonne_carbon = [carbon_mass] = tC
kilogram_carbon = tonne_carbon / 1000 = kgC
normal_cubic_meter = meter ** 3 = Nm3
wan_Nm3 = 10000 * normal_cubic_meter
yi_Nm3 = 100000000 * normal_cubic_meter
"""

CHINESE_UNITS: dict[str, str] = {
    "千克标准煤": "kgce",
    "公斤标准煤": "kgce",
    "克标准煤": "gce",
    "吨标准煤": "tce",
    "万吨标准煤": "wan_tce",
    "亿吨标准煤": "yi_tce",
    "吨二氧化碳": "tCO2",
    "万吨二氧化碳": "wan_tCO2",
    "亿吨二氧化碳": "yi_tCO2",
    "千瓦": "kW",
    "万千瓦": "wan_kW",
    "亿千瓦": "yi_kW",
    "兆瓦": "MW",
    "吉瓦": "GW",
    "千瓦时": "kWh",
    "万千瓦时": "wan_kWh",
    "亿千瓦时": "yi_kWh",
    "吨": "t",
    "万吨": "wan_t",
    "亿吨": "yi_t",
    "吨/日": "t / day",
    "万吨/日": "wan_t / day",
    "平方米": "m ** 2",
    "万平方米": "wan_m2",
    "亿平方米": "yi_m2",
    "亩": "mu",
    "万亩": "wan_mu",
    "公顷": "hectare",
    "万公顷": "wan_hectare",
    "立方米": "m ** 3",
    "万立方米": "wan_m3",
    "亿立方米": "yi_m3",
    "克标准煤/千瓦时": "gce / kWh",
    "千克标准煤/千瓦时": "kgce / kWh",
    "吨标准煤/万元": "tce / wan_CNY",
    "元": "CNY",
    "万元": "wan_CNY",
    "亿元": "yi_CNY",
    "%": "percent",
    "吨二氧化碳当量": "tCO2e",
    "万吨二氧化碳当量": "wan_tCO2e",
    "亿吨二氧化碳当量": "yi_tCO2e",
    "千克二氧化碳": "kgCO2",
    "千焦": "kJ",
    "兆焦": "MJ",
    "吉焦": "GJ",
    "太焦": "TJ",
    "兆瓦时": "MWh",
    "吉瓦时": "GWh",
    "千克": "kg",
    "公斤": "kg",
    "标准立方米": "Nm3",
    "万标准立方米": "wan_Nm3",
    "亿标准立方米": "yi_Nm3",
    "万Nm³": "wan_Nm3",
    "万m³": "wan_m3",
    "百万千焦": "GJ",
    "亿m³": "yi_m3",
    "万吨标煤": "wan_tce",
    "万tce": "wan_tce",
    "亿tce": "yi_tce",
    "万tCO2": "wan_tCO2",
    "亿tCO2": "yi_tCO2",
    "tce/万元": "tce / wan_CNY",
    "tCO2/万元": "tCO2 / wan_CNY",
    "吨二氧化碳/万元": "tCO2 / wan_CNY",
    "％": "percent",
    "指数": "dimensionless",
}

_QUALIFIER = re.compile(r"\s*[(（][^()（）]*(?:不变价|=\s*100)[^()（）]*[)）]\s*$")
"""A trailing price-base or index-base qualifier: ``(2020年不变价)``, ``(2020=100)``."""


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry[Any]:
    """Return the platform's single pint registry (built once, on first use)."""
    ureg: pint.UnitRegistry[Any] = pint.UnitRegistry()
    for line in _DEFINITIONS.strip().splitlines():
        ureg.define(line.strip())
    ureg.define("CNY = [currency] = yuan")
    ureg.define("wan_CNY = 10000 * CNY")
    ureg.define("yi_CNY = 100000000 * CNY")
    return ureg


def parse_unit(text: str) -> Any:
    """Parse a unit written in Chinese (``万千瓦``) or in pint syntax (``10000 * kW``, ``tce``).

    Raises
    ------
    UnitError
        If the unit is not known; the message lists the Chinese spellings the platform knows.
    """
    ureg = registry()
    bare = _QUALIFIER.sub("", text.strip())
    expr = CHINESE_UNITS.get(bare, bare)
    known = "、".join(CHINESE_UNITS)
    hint = f"use a pint unit (tce, kWh, m**3) or one of: {known}"
    if not expr:
        msg = "no unit given"
        raise UnitError(msg, hint=hint)
    try:
        quantity = ureg.parse_expression(expr)
    # pint's expression parser also fails with AssertionError (':' '**' 'kg/'), TokenError ('万千瓦)') and
    # ZeroDivisionError ('1/0') on malformed text: all of them mean the text is not a unit
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError, AttributeError, TypeError,
            ValueError, SyntaxError, AssertionError, tokenize.TokenError, ZeroDivisionError) as exc:
        msg = f"unknown unit '{text}'"
        raise UnitError(msg, hint=hint) from exc
    if isinstance(quantity, pint.Quantity) and quantity.magnitude == 1:
        return quantity.units
    msg = f"'{text}' is not a plain unit"
    raise UnitError(msg, hint="write the unit alone, e.g. 万千瓦 or tce; scaled units need a name in tanfeng.units")


def quantity(value: float, unit: str) -> pint.Quantity:  # type: ignore[type-arg]
    """Build a quantity from a number and a unit written in Chinese or pint syntax."""
    return registry().Quantity(value, parse_unit(unit))


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert ``value`` from one unit to another (Chinese or pint spellings).

    Raises
    ------
    UnitError
        If a unit is unknown or the two units measure different things.
    """
    q = quantity(value, from_unit)
    try:
        return float(q.to(parse_unit(to_unit)).magnitude)
    except pint.errors.DimensionalityError as exc:
        msg = f"cannot convert {from_unit} to {to_unit}: they measure different quantities"
        raise UnitError(msg) from exc


_DIMENSIONS: dict[str, str] = {
    "[mass]": "mass",
    "[length] ** 3": "volume",
    "[length] ** 2 * [mass] / [time] ** 2": "energy",
    "[co2_mass]": "co2_mass",
}


def dimension_of(unit: str) -> str:
    """Name the physical dimension of a unit: ``mass``, ``volume``, ``energy``, ``co2_mass`` or pint's own text.

    Parameters
    ----------
    unit
        A unit written in Chinese or pint syntax (``万吨``, ``m³``, ``GJ``).

    Raises
    ------
    UnitError
        If the unit is unknown.
    """
    dims = registry().Quantity(1, parse_unit(unit)).dimensionality
    text = str(dims)
    for key, name in _DIMENSIONS.items():
        if registry().get_dimensionality(key) == dims:
            return name
    return text


def readable_number(value: float, *, significant: int = 6, grouping: bool = True) -> str:
    """``value`` as a reader expects it in a text: never in scientific notation, thousands separated
    (``grouping``), with ``significant`` digits as Python's ``g`` keeps them and no trailing zeros.

    ``1100000`` → ``1,100,000`` (``g``: ``1.1e+06``); ``48443712.5`` → ``48,443,712``; ``12345.67`` →
    ``12,345.7``; ``0.5`` → ``0.5``; ``0.0000125`` → ``0.0000125`` (``g``: ``1.25e-05``); ``5.0`` → ``5``.
    Every figure written into a text a person reads (a review's reasons, a change, a target) goes through
    here; tables format their cells themselves.
    """
    if math.isnan(value):
        return "—"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if value == 0:
        return "0"
    decimals = max(significant - 1 - math.floor(math.log10(abs(value))), 0)
    text = f"{value:{',' if grouping else ''}.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
