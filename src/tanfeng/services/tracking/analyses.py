"""Analyses of stored series: Tapio decoupling, the peak (plateau) rule and trend forecasts."""

from __future__ import annotations

from typing import Literal

from sqlalchemy.orm import Session

from tanfeng.errors import InputError, NotFoundError, at
from tanfeng.plan.model import Plan
from tanfeng.reference.indicators import get_indicator, indicators
from tanfeng.services.tracking.common import check_in_plan, load_series, tracked_plan
from tanfeng.services.tracking.schemas import DecouplingOut, ForecastOut, PeakOut
from tanfeng.tracking.decoupling import Boundary, Decoupling, tapio
from tanfeng.tracking.figures import target_applies
from tanfeng.tracking.forecast import forecast as fit_forecast
from tanfeng.tracking.peak import detect_peak
from tanfeng.tracking.scope import BASE_YEAR
from tanfeng.tracking.series import Observation, is_sample, sources
from tanfeng.tracking.trajectory import TrajectoryTarget

__all__ = ["decouple_growth", "decoupling", "forecast", "peak"]


def decoupling(session: Session, region: str, start: int, end: int, *, indicator: str = "co2_emissions",
               boundary: Boundary = "closed") -> DecouplingOut:
    """Tapio decoupling of ``indicator`` (CO2 or energy) from real GDP between ``start`` and ``end``."""
    if end <= start:
        msg = f"end {end} must be after start {start}"
        raise InputError(msg, location=at(field="end"))
    series = load_series(session, [region])
    gdp, _ = series.gdp(region)
    c = series.annual(region, indicator)
    for y in (start, end):
        if y not in gdp or y not in c:
            msg = f"no GDP or {indicator} value of {region} for {y}"
            raise NotFoundError(msg, hint="list the indicator values the store holds for the region")
    g_pct = (gdp[end].value / gdp[start].value - 1) * 100
    c_pct = (c[end].value / c[start].value - 1) * 100
    used = (gdp[start], gdp[end], c[start], c[end])
    return DecouplingOut(region=region, start=start, end=end, indicator=indicator,
                         result=tapio(g_pct, c_pct, boundary), sample=is_sample(*used),
                         sources=sources(*used).split("; "))


def decouple_growth(gdp_growth_pct: float, emission_growth_pct: float, boundary: Boundary = "closed") -> Decoupling:
    """Tapio decoupling of given growth rates (%), with no stored series: the elasticity and its state."""
    return tapio(gdp_growth_pct, emission_growth_pct, boundary)


def peak(session: Session, region: str, *, indicator: str = "co2_emissions") -> PeakOut:
    """Whether ``indicator`` of ``region`` has peaked (:func:`tanfeng.tracking.peak.detect_peak`)."""
    s = load_series(session, [region]).annual(region, indicator)
    if len(s) < 2:
        msg = f"fewer than 2 yearly values of {indicator} for {region}"
        raise NotFoundError(msg)
    vs = list(s.values())
    return PeakOut(region=region, indicator=indicator, unit=vs[0].unit,
                   result=detect_peak({y: v.value for y, v in s.items()}), series=[(y, v.value) for y, v in s.items()],
                   sample=is_sample(*vs), sources=sources(*vs).split("; "))


def _plan_target(plan: Plan, s: dict[int, Observation], region: str, indicator: str,
                 target_year: int) -> tuple[float | None, str | None, Literal["up", "down"]]:
    """The value, id and direction of the plan target of ``indicator`` in ``target_year`` (None: none applies)."""
    for t in plan.targets:
        if t.indicator_id == indicator and t.year == target_year and target_applies(t, region):
            base = s.get(t.baseline_year or BASE_YEAR)
            if base is None:
                continue
            try:
                tt = TrajectoryTarget.from_plan(t, baseline_value=base.value, baseline_year=t.baseline_year or BASE_YEAR)
            except InputError:
                continue
            return tt.target_value, t.id, tt.direction
    return None, None, "down"


def forecast(session: Session, region: str, indicator: str, target_year: int) -> ForecastOut:
    """Trend forecast (:func:`tanfeng.tracking.forecast.forecast`) to ``target_year``, with P(target met).

    The method (linear or log-linear) is the indicator's ``forecast_method`` in the vocabulary.
    """
    check_in_plan(session, target_year, field="target_year")
    s = load_series(session, [region]).annual(region, indicator)
    if not s:
        msg = f"no yearly values of {indicator} for {region}"
        raise NotFoundError(msg)
    tv, tid, direction = _plan_target(tracked_plan(session), s, region, indicator, target_year)
    known = {i.id for i in indicators()}
    method = get_indicator(indicator).forecast_method if indicator in known else "linear"
    vs = list(s.values())
    res = fit_forecast({y: v.value for y, v in s.items()}, target_year, method=method, target_value=tv,
                       direction=direction)
    return ForecastOut(region=region, indicator=indicator, unit=vs[0].unit, target_id=tid, result=res,
                       sample=is_sample(*vs), sources=sources(*vs).split("; "))
