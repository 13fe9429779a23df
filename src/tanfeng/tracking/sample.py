"""Sample data (示例数据) for demonstrations and tests: Inner Mongolia and its 12 leagues, 2015–2025.

**None of these numbers is an official statistic.** Every row carries ``sample: True`` and
``source = "示例数据 (tanfeng sample generator, seed N)"``. The generator is pure and deterministic for
a seed.

What is anchored on real figures (the region's rows only; ``anchor`` names the source, all from
``im_macro_facts.csv`` of the project's research notes):

=========================================  ====  =======  ======================================================
indicator                                  year  value    source
=========================================  ====  =======  ======================================================
``energy_consumption_growth``              2020  7.1 %    NBS/NDRC/NEA 2021-08-23 公报 (2020年分省能耗降低率)
``energy_intensity_change_vs_prev_year``   2020  +6.89 %  same
``energy_intensity_change_vs_prev_year``   2021  −6.8 %   自治区发改委 as quoted in the press (2022-06)
``gdp_real_growth``                        2021  6.3 %    same
``gdp_real_growth``                        2023  7.3 %    自治区统计局 2024-01-19 (2023统计公报)
``non_fossil_energy_share``                2019  8.1 %    NDRC 约谈 2020-09-18
energy 2019 − 2015                         2019  +6562 万tce   same (十三五 increase by 2019)
energy intensity 2019 / 2015               2019  +9.5 %   same (前四年能耗强度累计上升9.5%)
=========================================  ====  =======  ======================================================

Everything else is an assumption of the generator: GDP 2020 = 17 360 亿元 (constant 2020 prices, so
equal to the 2020 value at current prices; near the published figure but not taken from a cited
file), the other years' growth rates, the 2022–2025 energy growth, feedstock energy, new renewable
electricity, CO2 (energy-related, a simple factor on non-feedstock fossil energy), shares and every
plan-target indicator. League shares of GDP start from the 2023 league GDP in
``im_league_gdp_2023.csv`` (9 leagues; 乌海市, 兴安盟 and 阿拉善盟 are missing there and get assumed
values that close the gap to the region's 24 627 亿元).

League statuses are built in so that warnings have something to show: in the latest year (2025) some
leagues' energy intensity falls faster than the 14th five-year pace (green), some slower (yellow),
and 乌海市 and 阿拉善盟 see it rise (red). The region is behind its 2025 non-fossil (18 %) and coal
(≤ 75 %) share targets.

Units: GDP in 亿元 at constant 2020 prices; energy, feedstock energy and new renewable electricity
consumption in 万tce (new renewable electricity: consumption added since 2020, counted in tce at the
equivalent value); CO2 in 万tCO2; intensities in tce/万元 and tCO2/万元; shares and rates in %.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import numpy as np

from tanfeng.plan.loader import load_builtin_plan
from tanfeng.plan.model import Comparator
from tanfeng.reference.indicators import get_indicator
from tanfeng.tracking.scope import REGION, intensity_required_annual_pct, leagues

__all__ = [
    "ADDITIVE",
    "ANCHORS",
    "DEFAULT_SEED",
    "ENERGY_INCREASE_2015_2019",
    "INTENSITY_REQUIRED_ANNUAL_PCT",
    "INTENSITY_RISE_2015_2019_PCT",
    "LEAGUES",
    "SHARES",
    "UNITS",
    "YEARS",
    "SampleRow",
    "generate_sample",
    "intensity_status",
    "sample_source",
    "series",
]


YEARS: tuple[int, ...] = tuple(range(2015, 2026))
DEFAULT_SEED = 2025

LEAGUES: tuple[str, ...] = leagues(REGION)
"""The 12 leagues of the region (from the region catalogue)."""

_GENERATED = ("gdp", "energy_consumption", "feedstock_energy", "new_renewable_electricity", "co2_emissions",
              "non_fossil_energy_share", "coal_consumption_share", "gdp_real_growth", "energy_consumption_growth",
              "energy_intensity", "energy_intensity_change_vs_prev_year", "carbon_intensity",
              "carbon_intensity_change_vs_prev_year")

ADDITIVE: tuple[str, ...] = tuple(i for i in _GENERATED if get_indicator(i).additive)
"""Indicators whose league values add up to the region's (``additive`` in the indicator vocabulary)."""

SHARES: tuple[str, ...] = tuple(i for i in _GENERATED if get_indicator(i).kind == "share")
"""Indicators whose region value is the energy-weighted mean of the leagues'."""

UNITS: dict[str, str] = {i: get_indicator(i).unit for i in _GENERATED}
"""The unit of each generated indicator (the indicator vocabulary's)."""

INTENSITY_REQUIRED_ANNUAL_PCT = intensity_required_annual_pct()
"""The yearly fall of energy intensity that a 15 % fall over 2021–2025 needs (−3.2 %/a); the sample's
yardstick for league statuses (``reference/data/tracking/required_pace.csv``, an assumption)."""

# ---------------------------------------------------------------------------------------------------
# anchors

_FACTS = "im_macro_facts.csv"
ANCHORS: dict[tuple[str, int], tuple[float, str]] = {
    ("energy_consumption_growth", 2020): (7.1, f"{_FACTS}: 国家统计局等 2021-08-23 公报"),
    ("energy_intensity_change_vs_prev_year", 2020): (6.89, f"{_FACTS}: 国家统计局等 2021-08-23 公报"),
    ("energy_intensity_change_vs_prev_year", 2021): (-6.8, f"{_FACTS}: 自治区发改委 (新闻转引, 2022-06)"),
    ("gdp_real_growth", 2021): (6.3, f"{_FACTS}: 自治区发改委 (新闻转引, 2022-06)"),
    ("gdp_real_growth", 2023): (7.3, f"{_FACTS}: 自治区统计局 2024-01-19"),
    ("non_fossil_energy_share", 2019): (8.1, f"{_FACTS}: 国家发展改革委约谈 2020-09-18"),
}
"""Region rows that equal a real figure: (indicator, year) → (value, source)."""

ENERGY_INCREASE_2015_2019 = 6562.0
"""万tce: energy consumption 2019 minus 2015 (NDRC 2020-09-18, in im_macro_facts.csv)."""
INTENSITY_RISE_2015_2019_PCT = 9.5
"""%: energy intensity 2019 against 2015 (NDRC 2020-09-18, in im_macro_facts.csv)."""

# ---------------------------------------------------------------------------------------------------
# assumptions

_GDP_2020 = 17360.0  # 亿元, constant 2020 prices (assumption)
_GDP_GROWTH = {2016: 7.2, 2017: 4.0, 2018: 5.3, 2019: 5.2, 2021: 6.3, 2022: 4.2, 2023: 7.3, 2024: 5.8,
               2025: 5.5}  # %; 2021 and 2023 anchored, 2020 follows from the anchors
_ENERGY_GROWTH_LATE = {2022: 4.5, 2023: 6.0, 2024: 4.0, 2025: 2.0}  # % (assumption)
_ENERGY_SPLIT_2016_2019 = (0.2, 0.25, 0.3, 0.25)  # shares of the 2015→2019 log growth per year

_GDP_2023 = {  # 亿元, current prices, im_league_gdp_2023.csv; the three marked * are assumed
    "150600": 5849.86, "150200": 4263.90, "150100": 3801.55, "150400": 2197.50, "150500": 1609.00,
    "150700": 1595.57, "152500": 1184.78, "150800": 1161.10, "150900": 1084.60,
    "150300": 720.0, "152200": 720.0, "152900": 439.14,  # * assumed: 24 627 − the nine above
}
_REL_INTENSITY = {  # league energy intensity relative to the region (assumption)
    "150100": 0.55, "150200": 1.15, "150300": 3.2, "150400": 0.6, "150500": 1.0, "150600": 1.25,
    "150700": 0.8, "150800": 0.75, "150900": 1.3, "152200": 0.55, "152500": 1.0, "152900": 1.9,
}
_GDP_TREND = {  # league real growth relative to the region, %/a (assumption)
    "150100": 0.4, "150200": 0.3, "150300": -1.0, "150400": 0.0, "150500": -0.3, "150600": 0.6,
    "150700": -0.6, "150800": 0.1, "150900": -0.2, "152200": -0.4, "152500": 0.2, "152900": -0.5,
}
_PROFILE = {  # league energy-intensity movement in 2025 against the region's, % (builds the statuses)
    "150100": -2.0, "150200": 1.2, "150300": 8.0, "150400": -1.5, "150500": 1.5, "150600": -1.0,
    "150700": -1.2, "150800": 1.0, "150900": 0.8, "152200": -1.8, "152500": -1.4, "152900": 6.5,
}
_FEEDSTOCK = {  # feedstock energy's share of the league's energy, % in 2015 (assumption)
    "150100": 3.0, "150200": 6.0, "150300": 14.0, "150400": 3.0, "150500": 6.0, "150600": 16.0,
    "150700": 4.0, "150800": 5.0, "150900": 6.0, "152200": 2.0, "152500": 6.0, "152900": 15.0,
}
_RENEWABLE = {  # weight of the league in new renewable electricity consumption (assumption)
    "150100": 0.6, "150200": 1.4, "150300": 0.3, "150400": 1.0, "150500": 1.1, "150600": 1.5,
    "150700": 0.7, "150800": 1.4, "150900": 1.6, "152200": 0.6, "152500": 1.7, "152900": 1.2,
}
_REGION_NON_FOSSIL = {2015: 6.6, 2016: 7.0, 2017: 7.4, 2018: 7.8, 2019: 8.1, 2020: 9.0, 2021: 10.4,
                      2022: 11.9, 2023: 13.4, 2024: 14.8, 2025: 16.1}  # % (2019 anchored; 2025 < 18)
_REGION_COAL = {2015: 86.5, 2016: 86.0, 2017: 85.4, 2018: 84.8, 2019: 84.3, 2020: 83.2, 2021: 81.8,
                2022: 80.5, 2023: 79.3, 2024: 78.0, 2025: 76.9}  # % (assumption; 2025 > 75)
_REGION_NEW_RENEWABLE = {2021: 420.0, 2022: 910.0, 2023: 1480.0, 2024: 2150.0, 2025: 2780.0}  # 万tce
_CO2_PER_TCE = 2.9  # tCO2 per tce of fossil energy burnt (a coal-heavy mix; assumption)


@dataclass(frozen=True)
class SampleRow:
    """One value of the sample, long format."""

    region: str
    indicator: str
    year: int
    value: float
    unit: str
    source: str
    sample: bool = True
    anchor: str | None = None
    """For a region row that equals a real figure: where that figure comes from."""

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready mapping."""
        return asdict(self)


def sample_source(seed: int) -> str:
    """The ``source`` text of every row generated with ``seed``."""
    return f"示例数据 (tanfeng sample generator, seed {seed})"


def _region_gdp() -> dict[int, float]:
    g20_over_g19 = (1 + ANCHORS[("energy_consumption_growth", 2020)][0] / 100) / (
        1 + ANCHORS[("energy_intensity_change_vs_prev_year", 2020)][0] / 100)
    gdp = {2020: _GDP_2020, 2019: _GDP_2020 / g20_over_g19}
    for y in range(2018, 2014, -1):
        gdp[y] = gdp[y + 1] / (1 + _GDP_GROWTH[y + 1] / 100)
    for y in range(2021, 2026):
        gdp[y] = gdp[y - 1] * (1 + _GDP_GROWTH[y] / 100)
    return dict(sorted(gdp.items()))


def _region_energy(gdp: dict[int, float]) -> dict[int, float]:
    g_ratio = gdp[2019] / gdp[2015]
    e_ratio = (1 + INTENSITY_RISE_2015_2019_PCT / 100) * g_ratio
    e2015 = ENERGY_INCREASE_2015_2019 / (e_ratio - 1)
    energy = {2015: e2015}
    log_total = math.log(e_ratio)
    for i, y in enumerate(range(2016, 2020)):
        energy[y] = energy[y - 1] * math.exp(log_total * _ENERGY_SPLIT_2016_2019[i])
    energy[2019] = e2015 + ENERGY_INCREASE_2015_2019  # exact despite float drift
    energy[2020] = energy[2019] * (1 + ANCHORS[("energy_consumption_growth", 2020)][0] / 100)
    energy[2021] = energy[2020] * (1 + _GDP_GROWTH[2021] / 100) * (
        1 + ANCHORS[("energy_intensity_change_vs_prev_year", 2021)][0] / 100)
    for y in range(2022, 2026):
        energy[y] = energy[y - 1] * (1 + _ENERGY_GROWTH_LATE[y] / 100)
    return energy


def _allocate(total: float, weights: dict[str, float], ndigits: int = 2) -> dict[str, float]:
    """Split ``total`` by ``weights``, rounded, the rounding remainder on the largest part."""
    s = sum(weights.values())
    parts = {k: round(total * w / s, ndigits) for k, w in weights.items()}
    biggest = max(parts, key=lambda k: parts[k])
    parts[biggest] = round(parts[biggest] + round(total, ndigits) - sum(parts.values()), ndigits)
    return parts


def _weighted_shares(region_value: float, energy: dict[str, float], factors: dict[str, float]) -> dict[str, float]:
    """League shares proportional to ``factors`` whose energy-weighted mean is ``region_value``."""
    total = sum(energy.values())
    mean_factor = sum(energy[c] * factors[c] for c in energy) / total
    return {c: round(region_value * factors[c] / mean_factor, 4) for c in energy}


def generate_sample(seed: int = DEFAULT_SEED) -> list[SampleRow]:
    """Generate the sample series for the region and its 12 leagues, 2015–2025.

    Parameters
    ----------
    seed : int
        Seed of the small random variations (league shares, plan-indicator paths). The same seed
        gives the same rows.

    Returns
    -------
    list of SampleRow
        Long format, sorted by region, indicator, year. Additive indicators (:data:`ADDITIVE`) of the
        leagues add up to the region's; shares (:data:`SHARES`) average to it weighted by energy.
    """
    rng = np.random.default_rng(seed)
    src = sample_source(seed)
    gdp_r = _region_gdp()
    energy_r = _region_energy(gdp_r)

    noise = {c: float(rng.normal(0.0, 0.004)) for c in LEAGUES}
    ren_noise = {c: float(rng.uniform(0.9, 1.1)) for c in LEAGUES}
    values: dict[tuple[str, str, int], float] = {}

    for y in YEARS:
        # GDP: 2023 shares (current prices) moved by each league's relative growth and a little noise
        w_gdp = {c: _GDP_2023[c] * (1 + (_GDP_TREND[c] + 100 * noise[c]) / 100) ** (y - 2023) for c in LEAGUES}
        gdp_l = _allocate(gdp_r[y], w_gdp)
        # energy: GDP times relative intensity, with the 2025 profile; then scaled to the region
        w_en = {}
        for c in LEAGUES:
            drift = (1 + _PROFILE[c] / 100) if y >= 2025 else 1.0
            w_en[c] = gdp_l[c] * _REL_INTENSITY[c] * (1 - 0.004 * (y - 2015) * (1 if _PROFILE[c] < 0 else -0.5)) * drift
        en_l = _allocate(energy_r[y], w_en)
        feed_share = {c: _FEEDSTOCK[c] * (1 + 0.025 * (y - 2015)) for c in LEAGUES}
        feed_l = {c: round(en_l[c] * feed_share[c] / 100, 2) for c in LEAGUES}
        new_ren_total = _REGION_NEW_RENEWABLE.get(y, 0.0)
        ren_w = {c: _RENEWABLE[c] * ren_noise[c] for c in LEAGUES}
        ren_l = _allocate(new_ren_total, ren_w) if new_ren_total else dict.fromkeys(LEAGUES, 0.0)
        nonfossil_l = _weighted_shares(_REGION_NON_FOSSIL[y], en_l, {c: _RENEWABLE[c] ** 0.7 for c in LEAGUES})
        coal_l = _weighted_shares(_REGION_COAL[y], en_l, {c: 1 + 0.08 * (_REL_INTENSITY[c] - 1) for c in LEAGUES})
        co2_l = {c: round((en_l[c] - feed_l[c]) * (1 - nonfossil_l[c] / 100) * _CO2_PER_TCE, 2) for c in LEAGUES}
        for c in LEAGUES:
            for ind, v in (("gdp", gdp_l[c]), ("energy_consumption", en_l[c]), ("feedstock_energy", feed_l[c]),
                           ("new_renewable_electricity", ren_l[c]), ("co2_emissions", co2_l[c]),
                           ("non_fossil_energy_share", nonfossil_l[c]), ("coal_consumption_share", coal_l[c])):
                values[(c, ind, y)] = v
        for ind in ADDITIVE:
            values[(REGION, ind, y)] = round(sum(values[(c, ind, y)] for c in LEAGUES), 2)
        e_tot = values[(REGION, "energy_consumption", y)]
        for ind in SHARES:
            mean = sum(values[(c, ind, y)] * en_l[c] for c in LEAGUES) / e_tot
            values[(REGION, ind, y)] = round(mean, 2)

    for code in (REGION, *LEAGUES):
        for y in YEARS:
            g, e, co2 = (values[(code, k, y)] for k in ("gdp", "energy_consumption", "co2_emissions"))
            values[(code, "energy_intensity", y)] = round(e / g, 4)
            values[(code, "carbon_intensity", y)] = round(co2 / g, 4)
            if y - 1 in YEARS:
                g0, e0, c0 = (values[(code, k, y - 1)] for k in ("gdp", "energy_consumption", "co2_emissions"))
                values[(code, "energy_consumption_growth", y)] = round((e / e0 - 1) * 100, 2)
                values[(code, "energy_intensity_change_vs_prev_year", y)] = round(((e / g) / (e0 / g0) - 1) * 100, 2)
                values[(code, "carbon_intensity_change_vs_prev_year", y)] = round(
                    ((co2 / g) / (c0 / g0) - 1) * 100, 2)
    # GDP growth: the region's real growth is the assumption/anchor; the leagues' follow from their levels
    for y in YEARS[1:]:
        values[(REGION, "gdp_real_growth", y)] = round((gdp_r[y] / gdp_r[y - 1] - 1) * 100, 2)
        for c in LEAGUES:
            values[(c, "gdp_real_growth", y)] = round(
                (values[(c, "gdp", y)] / values[(c, "gdp", y - 1)] - 1) * 100, 2)

    rows = [SampleRow(region=code, indicator=ind, year=y, value=v, unit=UNITS[ind], source=src,
                      anchor=ANCHORS[(ind, y)][1] if code == REGION and (ind, y) in ANCHORS else None)
            for (code, ind, y), v in values.items()]
    rows.extend(_plan_indicator_rows(rng, src))
    _check_anchors(rows)
    return sorted(rows, key=lambda r: (r.region, r.indicator, r.year))


# progress in 2025 of each plan indicator towards its first target (share of the way; >1 = beyond)
_PLAN_PROGRESS = {
    "new_energy_storage_capacity": 1.08, "coal_power_flexibility_retrofit": 0.78, "pumped_storage_capacity": 0.55,
    "peak_load_response_capacity": 0.62, "new_transmission_channel_renewable_share": 1.04,
    "coal_power_energy_saving_retrofit": 0.84, "coal_power_supply_coal_consumption": 0.7,
    "building_energy_retrofit_area": 1.02, "high_standard_farmland_area": 0.96, "black_soil_protection_area": 1.05,
    "prefabricated_building_share": 0.8, "new_energy_vehicle_share_new_and_replaced": 0.74,
    "commercial_vehicle_carbon_intensity": 0.9, "new_clean_energy_vehicle_share": 1.1,
    "public_transport_motorised_trip_share": 0.88, "green_travel_share": 0.97,
    "waste_incineration_power_capacity": 1.1, "household_waste_harmless_treatment_rate": 0.995,
    "reclaimed_water_reuse_rate": 0.92, "forest_grassland_ecological_construction": 0.9,
    "desertified_land_treatment_area": 1.01, "forest_coverage": 0.99, "forest_stock_volume": 0.97,
    "new_energy_generation_capacity": 0.55,
}
# the 2020 starting level as a share of the first target (for levels; cumulative ones start near 0)
_PLAN_START = {
    "coal_power_supply_coal_consumption": 1.05, "commercial_vehicle_carbon_intensity": 1.0,
    "forest_coverage": 0.97, "forest_stock_volume": 0.9, "household_waste_harmless_treatment_rate": 0.97,
    "green_travel_share": 0.85, "public_transport_motorised_trip_share": 0.8, "new_energy_generation_capacity": 0.25,
    "new_transmission_channel_renewable_share": 0.9, "high_standard_farmland_area": 0.8,
    "prefabricated_building_share": 0.4,
}
_DERIVED = {"non_fossil_energy_share", "coal_consumption_share"}  # generated above with the energy data


def _plan_indicator_rows(rng: np.random.Generator, src: str) -> list[SampleRow]:
    plan = load_builtin_plan("im2022")
    first: dict[str, tuple[float, str, Comparator, list[str]]] = {}
    for t in sorted(plan.targets, key=lambda t: (t.year or 9999, t.id)):
        if t.indicator_id in _DERIVED:
            continue
        if t.indicator_id in first:
            if t.scope_regions:
                first[t.indicator_id][3].extend(t.scope_regions)
            continue
        first[t.indicator_id] = (t.value, t.unit, t.comparator, list(t.scope_regions))
    rows: list[SampleRow] = []
    years = [y for y in YEARS if y >= 2020]
    for ind, (target, unit, comp, scopes) in sorted(first.items()):
        if comp is Comparator.DECREASE_BY:
            # level as an index (2020 = 100); the target asks for 100 − value in the target year
            unit = "指数 (2020=100)"
            end, start = 100.0 - target, 100.0
        else:
            end = target
            start = target * _PLAN_START.get(ind, 0.0)
        reach = _PLAN_PROGRESS.get(ind, 0.9) * float(rng.uniform(0.98, 1.02))
        for code in (REGION, *scopes):
            bump = 1.0 if code == REGION else float(rng.uniform(0.85, 1.05))
            for i, y in enumerate(years):
                frac = (i / (len(years) - 1)) ** 1.1 * reach * bump
                v = start + (end - start) * frac
                rows.append(SampleRow(region=code, indicator=ind, year=y, value=round(v, 3), unit=unit, source=src))
    return rows


def _check_anchors(rows: Iterable[SampleRow]) -> None:
    got = {(r.indicator, r.year): r.value for r in rows if r.region == REGION}
    for key, (value, _) in ANCHORS.items():
        if abs(got[key] - value) > 1e-9:
            msg = f"sample generator bug: {key} is {got[key]}, the anchor is {value}"
            raise AssertionError(msg)


def series(rows: Iterable[SampleRow], region: str, indicator: str) -> dict[int, float]:
    """The ``{year: value}`` series of one region and indicator in ``rows``."""
    return {r.year: r.value for r in rows if r.region == region and r.indicator == indicator}


def intensity_status(change_pct: float, required_pct: float = INTENSITY_REQUIRED_ANNUAL_PCT) -> str:
    """``"rose"`` (intensity went up), ``"behind"`` (fell less than required) or ``"on_track"``."""
    if change_pct > 0:
        return "rose"
    return "behind" if change_pct > required_pct else "on_track"
