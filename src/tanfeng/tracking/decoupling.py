"""Tapio decoupling: the elasticity of emissions (or energy) to real GDP, and its eight states.

Tapio, P. (2005). Towards a theory of decoupling: degrees of decoupling in the EU and the case of
road traffic in Finland between 1970 and 2001. *Transport Policy* 12(2):137–151,
doi:10.1016/j.tranpol.2005.01.001.

``e = (ΔC/C₀) / (ΔGDP/GDP₀)``, with GDP at constant prices. Thresholds 0.8 and 1.2:

=============  ======  ======  =====================  ==============================
state          ΔGDP    ΔC      e (closed)             e (open, Tapio)
=============  ======  ======  =====================  ==============================
强脱钩          > 0     < 0     e < 0                  e < 0
弱脱钩          > 0     ≥ 0     0 ≤ e < 0.8            0 ≤ e ≤ 0.8
扩张连接        > 0     > 0     0.8 ≤ e ≤ 1.2          0.8 < e < 1.2
扩张负脱钩      > 0     > 0     e > 1.2                e ≥ 1.2
强负脱钩        < 0     > 0     e < 0                  e < 0
弱负脱钩        < 0     ≤ 0     0 ≤ e < 0.8            0 ≤ e ≤ 0.8
衰退连接        < 0     < 0     0.8 ≤ e ≤ 1.2          0.8 < e < 1.2
衰退脱钩        < 0     < 0     e > 1.2                e ≥ 1.2
=============  ======  ======  =====================  ==============================

Boundary convention: ``closed`` (the common Chinese usage, 0.8 ≤ e ≤ 1.2 is coupling) or ``open``
(Tapio's open coupling band 0.8 < e < 1.2; a value exactly at 0.8 or 1.2 then falls in the
neighbouring decoupling state).

Zero changes: ΔC = 0 with ΔGDP ≠ 0 gives e = 0 (弱脱钩 when GDP grows, 弱负脱钩 when it falls).
ΔGDP = 0 leaves e undefined (None): ΔC < 0 is then 强脱钩 (emissions fall without growth),
ΔC > 0 is 强负脱钩 (emissions rise without growth), and ΔC = 0 has no state (None).
"""

from __future__ import annotations

from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict

from tanfeng.errors import InputError, at

__all__ = [
    "Boundary",
    "Decoupling",
    "TapioState",
    "classify_elasticity",
    "tapio",
]


Boundary = Literal["open", "closed"]
LOW, HIGH = 0.8, 1.2


class TapioState(Enum):
    """The eight Tapio states: value = (Chinese name, English name)."""

    STRONG_DECOUPLING = ("强脱钩", "strong decoupling")
    WEAK_DECOUPLING = ("弱脱钩", "weak decoupling")
    EXPANSIVE_COUPLING = ("扩张连接", "expansive coupling")
    EXPANSIVE_NEGATIVE_DECOUPLING = ("扩张负脱钩", "expansive negative decoupling")
    STRONG_NEGATIVE_DECOUPLING = ("强负脱钩", "strong negative decoupling")
    WEAK_NEGATIVE_DECOUPLING = ("弱负脱钩", "weak negative decoupling")
    RECESSIVE_COUPLING = ("衰退连接", "recessive coupling")
    RECESSIVE_DECOUPLING = ("衰退脱钩", "recessive decoupling")

    @property
    def zh(self) -> str:
        """Chinese name."""
        return self.value[0]

    @property
    def en(self) -> str:
        """English name."""
        return self.value[1]


class Decoupling(BaseModel):
    """A Tapio classification. ``elasticity`` is None when ΔGDP = 0; ``state`` None when nothing changed."""

    model_config = ConfigDict(extra="forbid")

    gdp_growth_pct: float | None
    emission_growth_pct: float | None
    elasticity: float | None
    state: str | None
    state_en: str | None
    boundary: Boundary
    note: str | None = None


def _band(e: float, boundary: Boundary) -> int:
    """0 below the coupling band, 1 inside it, 2 above it."""
    if boundary == "closed":
        return 0 if e < LOW else (1 if e <= HIGH else 2)
    return 0 if e <= LOW else (1 if e < HIGH else 2)


def classify_elasticity(elasticity: float, gdp_grows: bool, boundary: Boundary = "closed") -> TapioState:
    """The state for a known elasticity and the sign of GDP change.

    For e ≥ 0 the sign of ΔC follows from e and the sign of ΔGDP; for e < 0 it is opposite to ΔGDP.

    Parameters
    ----------
    elasticity
        e = %ΔC / %ΔGDP.
    gdp_grows
        True if real GDP rose, False if it fell.
    boundary
        ``closed`` (0.8 ≤ e ≤ 1.2 is coupling) or ``open`` (Tapio, 0.8 < e < 1.2).
    """
    if boundary not in ("open", "closed"):
        msg = f"boundary must be 'open' or 'closed', not {boundary!r}"
        raise InputError(msg, location=at(field="boundary"))
    if elasticity < 0:
        return TapioState.STRONG_DECOUPLING if gdp_grows else TapioState.STRONG_NEGATIVE_DECOUPLING
    band = _band(elasticity, boundary)
    if gdp_grows:
        return (TapioState.WEAK_DECOUPLING, TapioState.EXPANSIVE_COUPLING,
                TapioState.EXPANSIVE_NEGATIVE_DECOUPLING)[band]
    return (TapioState.WEAK_NEGATIVE_DECOUPLING, TapioState.RECESSIVE_COUPLING, TapioState.RECESSIVE_DECOUPLING)[band]


def tapio(gdp_growth_pct: float, emission_growth_pct: float, boundary: Boundary = "closed") -> Decoupling:
    """Classify a period by Tapio's scheme from the relative changes of real GDP and emissions (or energy).

    Parameters
    ----------
    gdp_growth_pct
        ΔGDP/GDP₀ in % (real, constant prices).
    emission_growth_pct
        ΔC/C₀ in % (emissions or energy).
    boundary
        ``closed`` (default, Chinese usage) or ``open`` (Tapio's open band).
    """
    if gdp_growth_pct == 0:
        if emission_growth_pct == 0:
            return Decoupling(gdp_growth_pct=0.0, emission_growth_pct=0.0, elasticity=None, state=None, state_en=None,
                              boundary=boundary, note="no change in GDP nor emissions: no state")
        st = TapioState.STRONG_DECOUPLING if emission_growth_pct < 0 else TapioState.STRONG_NEGATIVE_DECOUPLING
        return Decoupling(gdp_growth_pct=0.0, emission_growth_pct=emission_growth_pct, elasticity=None, state=st.zh,
                          state_en=st.en, boundary=boundary, note="ΔGDP = 0: elasticity undefined, state from the sign of ΔC")
    e = emission_growth_pct / gdp_growth_pct
    st = classify_elasticity(e, gdp_growth_pct > 0, boundary)
    note = "ΔC = 0: e = 0" if emission_growth_pct == 0 else None
    return Decoupling(gdp_growth_pct=gdp_growth_pct, emission_growth_pct=emission_growth_pct, elasticity=e,
                      state=st.zh, state_en=st.en, boundary=boundary, note=note)
