"""A deterministic sample population of key energy-consuming units, meters and 15-minute readings.

**示例数据 — sample data, not real enterprises.** Every frame carries ``sample = True``. The load
shapes and magnitudes below are *illustrative*: chosen to look plausible for Inner Mongolia's
heavy industry (coal power, coal chemicals, ferroalloys, aluminium, cement, steel), not taken from
statistics. The generator exists to exercise validation, aggregation and benchmarks.

Model
-----
* Units are spread over the 12 leagues; each has an industry with a GB/T 4754-2017 code, an
  annual energy use drawn log-normally around the industry's median (σ = 0.6) and a split of
  that energy between electricity, natural gas and raw coal.
* Each unit has ``meters_per_unit`` meters: meter 0 natural gas (cumulative, m³), meter 1 raw coal
  (cumulative, kg), meter 2 electricity (cumulative, kWh), the others electricity (interval, kWh,
  with a CT/PT multiplier of 1, 40 or 200). Energy is converted to physical units with the GB/T
  2589 coefficients (0.1229 kgce/kWh, 1.3300 kgce/m³, 0.7143 kgce/kg), used here only to size
  the numbers.
* 15-minute energy = mean × daily profile of the industry × log-normal noise (σ = 3 %). All
  values are positive, so clean data never looks stuck, negative or reset.
* Timestamps are interval-ending in Asia/Shanghai: interval meters report at ``start + 15 min …
  end``; cumulative meters also report a baseline at ``start``.

Injected faults (returned in ``faults`` with ``kind, meter_id, ts``, one fault per meter):
``gap`` (1–8 consecutive interval readings removed), ``spike`` (value × 10), ``negative`` (sign
flipped), ``stuck`` (interval meter: one value held for 5 h; cumulative meter: register frozen
for 5 h, energy lost), ``reset`` (cumulative restarts from 0), ``rollover`` (cumulative register
wraps at ``rollover_max``), ``duplicate`` (an exact copy appended), ``conflict`` (a copy with
another value appended; both rows listed), ``future`` (a reading one day after ``end``),
``unknown_meter`` (readings from a meter id not in the table).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl

from tanfeng.enterprises.registry import CREDIT_CODE_CHARSET, IM_LEAGUE_CODES, credit_code_check_char
from tanfeng.errors import InputError, at

__all__ = ["FAULT_KINDS", "INDUSTRIES", "INDUSTRY_NAMES_ZH", "SAMPLE_NOTICE", "STUCK_INTERVALS", "TZ", "Sample", "SampleParams",
           "generate"]

TZ = ZoneInfo("Asia/Shanghai")
SAMPLE_NOTICE = "示例数据 (sample data, not real enterprises)"
"""The note every page, file and answer that holds sample units carries."""

#: Illustrative industry profiles: GB/T 4754-2017 code, share of units, median annual energy (tce),
#: shares of electricity / natural gas / raw coal, benchmark product id, daily profile (see _profile).
INDUSTRIES: dict[str, dict[str, object]] = {
    "power":          {"gb4754": "D4411", "weight": 0.12, "tce": 1.2e6, "split": (0.06, 0.01, 0.93),
                       "product": "coal_power_usc_1000mw", "profile": ("day_peak", 0.20)},
    "coal_chemicals": {"gb4754": "C2614", "weight": 0.15, "tce": 6.0e5, "split": (0.15, 0.05, 0.80),
                       "product": "coal_to_methanol_bituminous", "profile": ("flat", 0.03)},
    "ferroalloys":    {"gb4754": "C3140", "weight": 0.28, "tce": 8.0e4, "split": (0.85, 0.02, 0.13),
                       "product": "silicon_manganese", "profile": ("night_peak", 0.15)},
    "aluminium":      {"gb4754": "C3216", "weight": 0.05, "tce": 9.0e5, "split": (0.95, 0.02, 0.03),
                       "product": "electrolytic_aluminium_ac_power", "profile": ("flat", 0.02)},
    "cement":         {"gb4754": "C3011", "weight": 0.20, "tce": 1.2e5, "split": (0.15, 0.02, 0.83),
                       "product": "cement_clinker", "profile": ("night_peak", 0.10)},
    "steel":          {"gb4754": "C3120", "weight": 0.20, "tce": 4.0e5, "split": (0.15, 0.05, 0.80),
                       "product": "steel_blast_furnace", "profile": ("two_shift", 0.08)},
}

_KGCE = {"electricity": 0.1229, "natural_gas": 1.3300, "raw_coal": 0.7143}
"""GB/T 2589-2008 附录A coefficients (kgce per kWh / m³ / kg), only to size the sample numbers."""

FAULT_KINDS = ("gap", "spike", "negative", "stuck", "reset", "rollover", "duplicate", "conflict",
               "future", "unknown_meter")
STUCK_INTERVALS = 20
"""Length of an injected stuck run (5 h), above the validation default of 4 h."""


@dataclass(frozen=True)
class SampleParams:
    """Size and seed of the sample (defaults: the full population for one day)."""

    n_units: int = 1500
    meters_per_unit: int = 20
    days: int = 1
    start: date = date(2025, 1, 6)
    seed: int = 20220915
    faults_per_kind: int = 10


@dataclass(frozen=True)
class Sample:
    """The generated population (示例数据).

    Attributes
    ----------
    units
        ``unit_code, name, league, county, industry, level, sector, product, sample``.
    meters
        ``meter_id, unit_code, product, unit, multiplier, kind, rollover_max, sample``.
    readings
        The readings contract ``meter_id, ts, value, kind`` plus ``sample``.
    faults
        ``kind, meter_id, ts`` (UTC) of every injected fault.
    start, end
        Period bounds (timezone-aware); ``end`` is also the ``now`` the faults assume.
    """

    units: pl.DataFrame
    meters: pl.DataFrame
    readings: pl.DataFrame
    faults: pl.DataFrame
    start: datetime
    end: datetime


def _profile(kind: str, amp: float, hours: np.ndarray) -> np.ndarray:
    two_pi = 2 * np.pi
    if kind == "day_peak":
        return 1 + amp * np.sin(two_pi * (hours - 8) / 24)
    if kind == "night_peak":
        return 1 + amp * np.cos(two_pi * hours / 24)
    if kind == "two_shift":
        return 1 + amp * np.sin(two_pi * hours / 12)
    return 1 + amp * np.sin(two_pi * hours / 24)


def _org_code(i: int, rng: np.random.Generator) -> str:
    digits = []
    n = i
    for _ in range(6):
        digits.append(CREDIT_CODE_CHARSET[n % 31])
        n //= 31
    return "MA" + "".join(reversed(digits)) + CREDIT_CODE_CHARSET[int(rng.integers(0, 31))]


@dataclass(frozen=True)
class _Meters:
    """The meter table as arrays (one entry per meter, units' meters consecutive)."""

    unit_of: np.ndarray
    product: np.ndarray
    unit_name: np.ndarray
    cumulative: np.ndarray
    multiplier: np.ndarray
    codes: np.ndarray
    ids: np.ndarray


INDUSTRY_NAMES_ZH = {"power": "电力", "coal_chemicals": "煤化工", "ferroalloys": "铁合金", "aluminium": "电解铝",
                     "cement": "水泥", "steel": "钢铁"}
"""The industries' Chinese names, for the sample units' names (示例·煤化工企业0019)."""


def _units(p: SampleParams, rng: np.random.Generator, names: list[str]) -> tuple[pl.DataFrame, np.ndarray]:
    """The units (industry, league, county, level, credit code) and each unit's industry index."""
    weights = np.array([float(INDUSTRIES[n]["weight"]) for n in names])  # type: ignore[arg-type]
    sector_idx = rng.choice(len(names), size=p.n_units, p=weights / weights.sum())
    league_idx = rng.integers(0, len(IM_LEAGUE_CODES), size=p.n_units)
    county_no = rng.integers(2, 10, size=p.n_units)
    levels = rng.choice(["national", "autonomous_region", "league"], size=p.n_units, p=[0.2, 0.5, 0.3])
    unit_rows = []
    for i in range(p.n_units):
        league = IM_LEAGUE_CODES[int(league_idx[i])]
        county = f"{league[:4]}{int(county_no[i]):02d}"
        first17 = "91" + county + _org_code(i, rng)
        ind = INDUSTRIES[names[int(sector_idx[i])]]
        unit_rows.append({
            "unit_code": first17 + credit_code_check_char(first17),
            "name": f"示例·{INDUSTRY_NAMES_ZH[names[int(sector_idx[i])]]}企业{i + 1:04d}",
            "league": league, "county": county, "industry": ind["gb4754"], "level": str(levels[i]),
            "sector": names[int(sector_idx[i])], "product": ind["product"],
        })
    return pl.DataFrame(unit_rows).with_columns(sample=pl.lit(True)), sector_idx


def _meters(p: SampleParams, rng: np.random.Generator, units: pl.DataFrame) -> _Meters:
    """Meter 0 natural gas, 1 raw coal, 2 electricity (cumulative), the others electricity (interval)."""
    k = p.meters_per_unit
    n_m = p.n_units * k
    unit_of = np.repeat(np.arange(p.n_units), k)
    slot = np.tile(np.arange(k), p.n_units)
    product = np.where(slot == 0, "natural_gas", np.where(slot == 1, "raw_coal", "electricity"))
    unit_name = np.where(slot == 0, "m**3", np.where(slot == 1, "kg", "kWh"))
    cumulative = slot <= 2
    multiplier = np.where(cumulative, 1.0, rng.choice([1.0, 40.0, 200.0], size=n_m))
    codes = units["unit_code"].to_numpy()
    ids = np.array([f"{codes[u]}-M{s:02d}" for u, s in zip(unit_of, slot, strict=True)])
    return _Meters(unit_of=unit_of, product=product, unit_name=unit_name, cumulative=cumulative,
                   multiplier=multiplier, codes=codes, ids=ids)


def _energy(p: SampleParams, rng: np.random.Generator, names: list[str], sector_idx: np.ndarray,
            m: _Meters) -> np.ndarray:
    """Energy per meter and 15-minute interval (physical units): mean × daily profile × noise."""
    k = p.meters_per_unit
    annual = np.array([float(INDUSTRIES[names[s]]["tce"]) for s in sector_idx])  # type: ignore[arg-type]
    annual = annual * rng.lognormal(0.0, 0.6, size=p.n_units)
    split = np.array([INDUSTRIES[names[s]]["split"] for s in sector_idx], dtype=float)
    tce_15 = annual / (365 * 96)
    n_elec = k - 2
    w_elec = 0.5 / n_elec + 0.5 * rng.dirichlet(np.full(n_elec, 2.0), size=p.n_units)
    share = np.empty((p.n_units, k))
    share[:, 0] = split[:, 1]
    share[:, 1] = split[:, 2]
    share[:, 2:] = split[:, [0]] * w_elec
    mean_tce = (tce_15[:, None] * share).ravel()
    kgce = np.where(m.product == "electricity", _KGCE["electricity"],
                    np.where(m.product == "natural_gas", _KGCE["natural_gas"], _KGCE["raw_coal"]))
    mean_phys = mean_tce * 1000.0 / kgce
    n_t = p.days * 96
    hours = (np.arange(n_t) * 0.25 + 0.125) % 24
    prof = {n: _profile(str(INDUSTRIES[n]["profile"][0]), float(INDUSTRIES[n]["profile"][1]), hours)  # type: ignore[index]
            for n in names}
    shape = np.stack([prof[names[s]] for s in sector_idx])[m.unit_of]
    return np.asarray(mean_phys[:, None] * shape * rng.lognormal(0.0, 0.03, size=(len(m.ids), n_t)))


_ON_INTERVAL = ("gap", "spike", "negative", "stuck_i", "duplicate", "conflict", "future")
_ON_CUMULATIVE = ("stuck_c", "reset", "rollover")


def _choose_faults(p: SampleParams, rng: np.random.Generator, cumulative: np.ndarray,
                   n_t: int) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Which meters get which fault (one fault per meter) and at which interval."""
    interval_meters = rng.permutation(np.flatnonzero(~cumulative))
    cumulative_meters = rng.permutation(np.flatnonzero(cumulative))
    f = p.faults_per_kind
    if len(interval_meters) < f * len(_ON_INTERVAL) or len(cumulative_meters) < f * len(_ON_CUMULATIVE):
        need = f * (len(_ON_INTERVAL) + len(_ON_CUMULATIVE))
        msg = (f"too few meters for the injected faults: {len(interval_meters)} interval and "
               f"{len(cumulative_meters)} cumulative meters, {need} faults of {f} per kind")
        raise InputError(msg, location=at(field="meters_per_unit"),
                         hint="give more units or meters per unit, or fewer faults_per_kind")
    chosen = {kind: interval_meters[i * f:(i + 1) * f] for i, kind in enumerate(_ON_INTERVAL)}
    chosen |= {kind: cumulative_meters[i * f:(i + 1) * f] for i, kind in enumerate(_ON_CUMULATIVE)}
    lo, hi = 8, n_t - STUCK_INTERVALS - 8
    if hi <= lo:
        msg = "the period is too short to place faults (need at least one day)"
        raise ValueError(msg)
    return chosen, {kind: rng.integers(lo, hi, size=f) for kind in chosen}


_Fault = tuple[str, int, int]
"""(kind, meter index, interval index)"""


def _interval_values(rng: np.random.Generator, energy: np.ndarray, multiplier: np.ndarray,
                     chosen: dict[str, np.ndarray], pos: dict[str, np.ndarray],
                     faults: list[_Fault]) -> tuple[np.ndarray, np.ndarray]:
    """Raw interval values (energy ÷ multiplier) with spikes, negatives, stuck runs; and which are kept (gaps)."""
    raw_int = energy / multiplier[:, None]
    keep = np.ones(energy.shape, dtype=bool)
    for m, j in zip(chosen["spike"], pos["spike"], strict=True):
        raw_int[m, j] *= 10.0
        faults.append(("spike", m, j))
    for m, j in zip(chosen["negative"], pos["negative"], strict=True):
        raw_int[m, j] *= -1.0
        faults.append(("negative", m, j))
    for m, j in zip(chosen["stuck_i"], pos["stuck_i"], strict=True):
        raw_int[m, j:j + STUCK_INTERVALS] = raw_int[m, j]
        faults.extend(("stuck", m, jj) for jj in range(j, j + STUCK_INTERVALS))
    for m, j in zip(chosen["gap"], pos["gap"], strict=True):
        g = int(rng.integers(1, 9))
        keep[m, j:j + g] = False
        faults.extend(("gap", m, jj) for jj in range(j, j + g))
    return np.round(raw_int, 6), keep


def _registers(rng: np.random.Generator, energy: np.ndarray, cumulative: np.ndarray,
               chosen: dict[str, np.ndarray], pos: dict[str, np.ndarray],
               faults: list[_Fault]) -> tuple[np.ndarray, np.ndarray]:
    """Cumulative registers at ``start + t × 15 min`` (t = 0 … n_t) with stuck, reset and rollover faults,
    and each meter's rollover maximum."""
    cum = np.concatenate([np.zeros((energy.shape[0], 1)), np.cumsum(energy, axis=1)], axis=1)
    total = cum[:, -1]
    rollover_max = np.where(cumulative, 10.0 ** (np.ceil(np.log10(np.maximum(total, 1.0))) + 3), np.nan)
    c0 = rng.uniform(0.1, 0.5, size=energy.shape[0]) * np.nan_to_num(rollover_max)
    reg = c0[:, None] + cum
    for m, j in zip(chosen["stuck_c"], pos["stuck_c"], strict=True):
        # readings j+1 .. j+L (intervals j .. j+L-1) frozen at reading j; energy lost
        lost = cum[m, j + STUCK_INTERVALS] - cum[m, j]
        reg[m, j + 1:j + 1 + STUCK_INTERVALS] = reg[m, j]
        reg[m, j + 1 + STUCK_INTERVALS:] -= lost
        faults.extend(("stuck", m, jj) for jj in range(j, j + STUCK_INTERVALS))
    for m, j in zip(chosen["reset"], pos["reset"], strict=True):
        reg[m, j + 1:] = cum[m, j + 1:] - cum[m, j]
        faults.append(("reset", m, j))
    for m, j in zip(chosen["rollover"], pos["rollover"], strict=True):
        r = rollover_max[m]
        base = r - (cum[m, j] + 0.5 * energy[m, j])
        reg[m, :] = np.mod(base + cum[m, :], r)
        faults.append(("rollover", m, j))
    return np.round(reg, 4), rollover_max


def _readings(m: _Meters, raw_int: np.ndarray, keep: np.ndarray, reg: np.ndarray, ts_end: pl.Series,
              ts_all: pl.Series) -> pl.DataFrame:
    """The clean readings in the contract shape: interval meters at interval ends, cumulative also at start."""
    n_t = raw_int.shape[1]
    int_idx = np.flatnonzero(~m.cumulative)
    cum_idx = np.flatnonzero(m.cumulative)
    mask = keep[int_idx].ravel()
    ids = pl.Series("meter_id", m.ids)
    interval_part = pl.DataFrame({
        "meter_id": ids.gather(np.repeat(int_idx, n_t)[mask]),
        "ts": ts_end.gather(np.tile(np.arange(n_t), len(int_idx))[mask]),
        "value": raw_int[int_idx].ravel()[mask],
    }).with_columns(kind=pl.lit("interval"))
    cumulative_part = pl.DataFrame({
        "meter_id": ids.gather(np.repeat(cum_idx, n_t + 1)),
        "ts": ts_all.gather(np.tile(np.arange(n_t + 1), len(cum_idx))),
        "value": reg[cum_idx].ravel(),
    }).with_columns(kind=pl.lit("cumulative"))
    return pl.concat([interval_part, cumulative_part]).sort("meter_id", "ts")


def _appended(p: SampleParams, m: _Meters, raw_int: np.ndarray, chosen: dict[str, np.ndarray],
              pos: dict[str, np.ndarray], ts_end: pl.Series, start: datetime, end: datetime,
              faults: list[_Fault]) -> tuple[pl.DataFrame, list[tuple[str, str, datetime]]]:
    """Rows appended to the clean readings (duplicates, conflicts, future, unknown meter) and the faults of
    the last two, which have no interval index."""
    n_t = raw_int.shape[1]
    extra = []
    for mi, j in zip(chosen["duplicate"], pos["duplicate"], strict=True):
        extra.append((m.ids[mi], ts_end[int(j)], float(raw_int[mi, j]), "interval"))
        faults.append(("duplicate", mi, j))
    for mi, j in zip(chosen["conflict"], pos["conflict"], strict=True):
        extra.append((m.ids[mi], ts_end[int(j)], float(np.round(raw_int[mi, j] * 1.5, 6)), "interval"))
        faults.append(("conflict", mi, j))
    timed: list[tuple[str, str, datetime]] = []
    for mi in chosen["future"]:
        t = end + timedelta(days=1)
        extra.append((m.ids[mi], t, float(raw_int[mi, 0]), "interval"))
        timed.append(("future", m.ids[mi], t))
    for i in range(p.faults_per_kind):
        mid = f"UNKNOWN-{i:04d}"
        t = start + timedelta(minutes=15 * (i % n_t + 1))
        extra.append((mid, t, 1.0, "interval"))
        timed.append(("unknown_meter", mid, t))
    frame = pl.DataFrame(extra, schema={"meter_id": pl.String, "ts": pl.Datetime("us", "UTC"),
                                        "value": pl.Float64, "kind": pl.String}, orient="row")
    return frame, timed


def _fault_frame(m: _Meters, faults: list[_Fault], timed: list[tuple[str, str, datetime]],
                 ts_end: pl.Series) -> pl.DataFrame:
    """``kind, meter_id, ts`` of every fault; an interval index becomes the ts of the interval's end."""
    fault_df = pl.DataFrame({
        "kind": [k_ for k_, _, _ in faults],
        "meter_id": [str(m.ids[mi]) for _, mi, _ in faults],
        "ts": ts_end.gather([int(j) for _, _, j in faults]),
    })
    return pl.concat([
        fault_df.with_columns(pl.col("ts").dt.cast_time_unit("us")),
        pl.DataFrame(timed, orient="row",
                     schema={"kind": pl.String, "meter_id": pl.String, "ts": pl.Datetime("us", "UTC")}),
    ]).sort("kind", "meter_id", "ts")


def generate(params: SampleParams | None = None) -> Sample:
    """Generate the sample population, its readings and the injected faults (deterministic).

    Parameters
    ----------
    params
        Size, period and seed; scale down for tests (e.g. 20 units × 5 meters × 3 days).

    Returns
    -------
    Sample
    """
    p = params or SampleParams()
    if p.meters_per_unit < 4:
        msg = "meters_per_unit must be at least 4 (3 cumulative meters and 1 interval meter)"
        raise ValueError(msg)
    rng = np.random.default_rng(p.seed)
    names = list(INDUSTRIES)
    units, sector_idx = _units(p, rng, names)
    m = _meters(p, rng, units)
    energy = _energy(p, rng, names, sector_idx, m)
    n_t = p.days * 96
    start = datetime.combine(p.start, time(0, 0), tzinfo=TZ)
    end = start + timedelta(days=p.days)
    chosen, pos = _choose_faults(p, rng, m.cumulative, n_t)
    faults: list[_Fault] = []
    raw_int, keep = _interval_values(rng, energy, m.multiplier, chosen, pos, faults)
    reg, rollover_max = _registers(rng, energy, m.cumulative, chosen, pos, faults)
    ts_end = pl.datetime_range(start + timedelta(minutes=15), end, "15m", eager=True, time_zone="UTC")
    ts_all = pl.datetime_range(start, end, "15m", eager=True, time_zone="UTC")
    clean = _readings(m, raw_int, keep, reg, ts_end, ts_all)
    extra, timed = _appended(p, m, raw_int, chosen, pos, ts_end, start, end, faults)
    readings = pl.concat([clean.with_columns(pl.col("ts").dt.cast_time_unit("us")), extra])
    readings = readings.with_columns(sample=pl.lit(True))
    meters = pl.DataFrame({
        "meter_id": m.ids, "unit_code": m.codes[m.unit_of], "product": m.product, "unit": m.unit_name,
        "multiplier": m.multiplier, "kind": np.where(m.cumulative, "cumulative", "interval"),
        "rollover_max": rollover_max,
    }).with_columns(pl.col("rollover_max").fill_nan(None), sample=pl.lit(True))
    return Sample(units=units, meters=meters, readings=readings, faults=_fault_frame(m, faults, timed, ts_end),
                  start=start, end=end)
