"""Arithmetic between energy (or emissions), GDP and intensity growth rates.

All rates in % (``6.89`` means +6.89 %). With E = energy, Y = real GDP and I = E/Y:
``1 + g_I = (1 + g_E)/(1 + g_Y)``.
"""

from __future__ import annotations

from tanfeng.errors import InputError, at

__all__ = [
    "implied_energy_growth_pct",
    "implied_gdp_growth_pct",
    "intensity_change_pct",
]



def _factor(pct: float, name: str) -> float:
    f = 1.0 + pct / 100.0
    if f <= 0:
        msg = f"{name} of {pct:g} % would make the quantity zero or negative"
        raise InputError(msg, location=at(field=name))
    return f


def implied_gdp_growth_pct(energy_growth_pct: float, intensity_change_pct: float) -> float:
    """Real GDP growth implied by energy growth and the change of energy use per 万元 GDP, in %.

    ``(1 + e)/(1 + i) − 1``; e.g. Inner Mongolia 2020: (1.071/1.0689 − 1) = 0.20 %.
    """
    return (_factor(energy_growth_pct, "energy_growth_pct") / _factor(intensity_change_pct, "intensity_change_pct")
            - 1.0) * 100.0


def implied_energy_growth_pct(gdp_growth_pct: float, intensity_change_pct: float) -> float:
    """Energy (or emission) growth implied by real GDP growth and the intensity change, in %.

    ``(1 + g)(1 + i) − 1``; e.g. Inner Mongolia 2021: 1.063 × 0.932 − 1 = −0.93 %.
    """
    return (_factor(gdp_growth_pct, "gdp_growth_pct") * _factor(intensity_change_pct, "intensity_change_pct")
            - 1.0) * 100.0


def intensity_change_pct(energy_growth_pct: float, gdp_growth_pct: float) -> float:
    """Change of intensity implied by energy (or emission) growth and real GDP growth, in %."""
    return (_factor(energy_growth_pct, "energy_growth_pct") / _factor(gdp_growth_pct, "gdp_growth_pct") - 1.0) * 100.0
