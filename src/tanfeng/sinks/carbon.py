"""Forest and grassland biomass carbon by the IPCC 2006 Guidelines, Vol. 4 (pure functions).

Equations (IPCC 2006 Vol. 4, Chapter 2):

=====================  ======================================================================================
Eq. 2.5                stock difference: ΔC = (C(t2) − C(t1)) / (t2 − t1)
Eq. 2.8 (stock)        C = A · V · BCEF_S · (1 + R) · CF
Eqs. 2.9, 2.10         gain: ΔC_G = A · G_W · (1 + R) · CF with G_W = I_V · BCEF_I
Eq. 2.12               loss from wood removals: L = H · BCEF_R · (1 + R) · CF
Eq. 2.16 (biomass)     land converted: ΔC = ΔA · (B_after − B_before) · (1 + R) · CF
=====================  ======================================================================================

A in ha, V (growing stock) and I_V (net annual increment) in m³/ha, H (removals) in m³, BCEF in t dm/m³,
R (root-to-shoot) in t dm/t dm, CF in t C/t dm, B (above-ground biomass) in t dm/ha. BCEF depends on the
growing-stock class and R on the above-ground biomass class: :func:`parameter` looks both up in
``data/ipcc_parameters.csv``, where every value has its table and certainty. CO2 = C × 44/12.
"""

from __future__ import annotations

import csv
import io
import math
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict

from tanfeng.errors import InputError, at

__all__ = [
    "CO2_PER_C",
    "PARAMETERS_FILE",
    "Parameter",
    "conversion_gain_tc",
    "forest_stock_tc",
    "gain_loss_tc",
    "load_parameters",
    "parameter",
    "stock_difference_tc",
]

PARAMETERS_FILE = "ipcc_parameters.csv"
CO2_PER_C = 44 / 12
"""tCO2 per tC (molar masses)."""


class Parameter(BaseModel):
    """One IPCC default with the class it applies to, its uncertainty, source and certainty."""

    model_config = ConfigDict(frozen=True)

    parameter: str
    zone: str
    forest_type: str
    lower: float | None
    upper: float | None
    value: float
    uncertainty_pct: float
    unit: str
    source: str
    certainty: str
    label_zh: str = ""
    """What the parameter is, for Chinese pages (北方带落叶松立木蓄积生物量转换扩展因子)."""
    unit_zh: str = ""
    source_zh: str = ""


@cache
def load_parameters() -> tuple[Parameter, ...]:
    """The shipped parameters (``same`` in the source column repeats the row above's source)."""
    text = resources.files("tanfeng.sinks").joinpath("data", PARAMETERS_FILE).read_text(encoding="utf-8")
    out: list[Parameter] = []
    previous, previous_zh = "", ""
    for row in csv.DictReader(io.StringIO(text)):
        source = previous if row["source"] == "same" else row["source"]
        source_zh = previous_zh if row.get("source_zh") == "same" else row.get("source_zh") or ""
        previous, previous_zh = source, source_zh

        def bound(text: str) -> float | None:
            return None if text == "" else math.inf if text == "inf" else float(text)

        out.append(Parameter(parameter=row["parameter"], zone=row["zone"], forest_type=row["forest_type"],
                             lower=bound(row["lower"]), upper=bound(row["upper"]), value=float(row["value"]),
                             uncertainty_pct=float(row["uncertainty_pct"]), unit=row["unit"], source=source,
                             certainty=row["certainty"], label_zh=row.get("label_zh") or "",
                             unit_zh=row.get("unit_zh") or "", source_zh=source_zh))
    return tuple(out)


def parameter(name: str, zone: str, kind: str, at_value: float | None = None) -> Parameter:
    """The default ``name`` (bcef_s, bcef_i, bcef_r, r, cf, agb) for a zone and type, in the class that holds
    ``at_value`` (growing stock in m³/ha for BCEF, above-ground biomass in t dm/ha for R): lower < x ≤ upper,
    the first class from 0.

    Raises
    ------
    InputError
        No such parameter for the zone and type, or no class holds the value.
    """
    rows = [p for p in load_parameters() if p.parameter == name and p.zone == zone and p.forest_type == kind]
    if not rows:
        msg = f"no IPCC default {name} for zone {zone!r} and type {kind!r}"
        raise InputError(msg, location=at(PARAMETERS_FILE, field=name))
    for p in rows:
        if p.lower is None or at_value is None:
            return p
        if (p.lower < at_value or (p.lower == 0 and at_value >= 0)) and at_value <= (p.upper or math.inf):
            return p
    msg = f"no {name} class of zone {zone!r} and type {kind!r} holds {at_value}"
    raise InputError(msg, location=at(PARAMETERS_FILE, field=name))


def forest_stock_tc(area_ha: float, volume_m3_ha: float, *, zone: str, forest_type: str, r_class: str,
                    cf_class: str) -> float:
    """Biomass carbon stock (t C): ``A · V · BCEF_S · (1 + R) · CF`` with the classes of V and of V·BCEF_S."""
    bcef = parameter("bcef_s", zone, forest_type, volume_m3_ha).value
    agb = volume_m3_ha * bcef
    r = parameter("r", zone, r_class, agb).value
    cf = parameter("cf", zone, cf_class).value
    return area_ha * agb * (1 + r) * cf


def gain_loss_tc(area_ha: float, increment_m3_ha: float, removals_m3: float, *, volume_m3_ha: float, zone: str,
                 forest_type: str, r_class: str, cf_class: str) -> tuple[float, float]:
    """Annual gain and loss (t C/yr) by the gain-loss method (Eqs. 2.9, 2.10, 2.12); net = gain − loss."""
    agb = volume_m3_ha * parameter("bcef_s", zone, forest_type, volume_m3_ha).value
    r = parameter("r", zone, r_class, agb).value
    cf = parameter("cf", zone, cf_class).value
    gain = area_ha * increment_m3_ha * parameter("bcef_i", zone, forest_type, volume_m3_ha).value * (1 + r) * cf
    loss = removals_m3 * parameter("bcef_r", zone, forest_type, volume_m3_ha).value * (1 + r) * cf
    return gain, loss


def stock_difference_tc(stock1_tc: float, stock2_tc: float, year1: int, year2: int) -> float:
    """Annual change (t C/yr) between two stocks (Eq. 2.5).

    Raises
    ------
    InputError
        ``year2`` is not after ``year1``.
    """
    if year2 <= year1:
        msg = f"the second stock must be later than the first, got {year1} and {year2}"
        raise InputError(msg, location=at(field="year"))
    return (stock2_tc - stock1_tc) / (year2 - year1)


def conversion_gain_tc(area_ha: float, *, after_t_dm_ha: float, before_t_dm_ha: float, r: float, cf: float) -> float:
    """Biomass carbon gained (t C) on ``area_ha`` converted (Eq. 2.16): ``ΔA · (B_after − B_before) · (1+R) · CF``."""
    return area_ha * (after_t_dm_ha - before_t_dm_ha) * (1 + r) * cf
