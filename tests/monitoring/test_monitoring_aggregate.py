"""The Ibis aggregation runs unchanged on DuckDB and on Spark, and matches hand-computed totals.

Conversion coefficients used (inputs, with their sources):

* electricity 0.1229 kgce/kWh (当量值), natural gas 1.3300 kgce/m³, raw coal 0.7143 kgce/kg —
  GB/T 2589-2008 附录A (as shipped in reference/data/energy/standard_coal_gbt2589.csv);
* electricity 0.5366 kgCO2/kWh — MEE/NBS 2022 national average grid factor (reference/data/factors/
  grid_and_heat.csv, confidence A);
* natural gas 2.1622 kgCO2/m³ and raw coal 1.9003 tCO2/t — 《省级温室气体清单编制指南(试行)》 (2011)
  table as shipped in reference/data/factors/fuel_china_provincial_2011.csv.
"""

from __future__ import annotations

import warnings
from datetime import datetime
from typing import Any

import ibis
import polars as pl
import pytest

from tanfeng.errors import InputError
from tanfeng.monitoring.aggregate import aggregate, missing_factors, table_from_polars

# pyspark 4 with pandas 3: pyspark warns that it does not fully support pandas >= 3 and calls a
# deprecated pandas keyword when collecting results; neither is about our code.
pytestmark = [pytest.mark.filterwarnings("ignore::FutureWarning"),
              pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")]

READINGS = pl.DataFrame(
    [
        ("E1", datetime(2025, 1, 31, 23, 0), 1000.0, True),
        ("E1", datetime(2025, 1, 31, 23, 45), 1000.0, True),
        ("E1", datetime(2025, 2, 1, 0, 0), 500.0, True),
        ("G1", datetime(2025, 1, 31, 23, 15), 100.0, True),
        ("E2", datetime(2025, 1, 31, 23, 0), 2000.0, True),
        ("E2", datetime(2025, 1, 31, 23, 15), 99999.0, False),  # invalid: never counted
        ("C2", datetime(2025, 2, 1, 0, 15), 1000.0, True),
    ],
    schema={"meter_id": pl.String, "interval_start_local": pl.Datetime("us"), "energy": pl.Float64,
            "valid": pl.Boolean},
    orient="row",
)
METERS = pl.DataFrame({
    "meter_id": ["E1", "G1", "E2", "C2"], "unit_code": ["U1", "U1", "U2", "U2"],
    "product": ["electricity", "natural_gas", "electricity", "raw_coal"], "unit": ["kWh", "m**3", "kWh", "kg"],
})
UNITS = pl.DataFrame({"unit_code": ["U1", "U2"], "league": ["150200", "150600"], "industry": ["C3216", "C3011"]})
FACTORS = pl.DataFrame({
    "product": ["electricity", "natural_gas", "raw_coal"], "unit": ["kWh", "m**3", "kg"],
    "kgce_per_unit": [0.1229, 1.3300, 0.7143], "tco2_per_unit": [0.5366e-3, 2.1622e-3, 1.9003e-3],
    "source": ["GB/T 2589-2008; MEE/NBS 2022 grid", "GB/T 2589-2008; provincial guideline 2011",
               "GB/T 2589-2008; provincial guideline 2011"],
})

JAN, FEB = datetime(2025, 1, 1), datetime(2025, 2, 1)
# hand-computed: U1 January = 2000 kWh + 100 m³ → (2000 × 0.1229 + 100 × 1.33) / 1000 = 0.3788 tce,
#   2000 × 0.0005366 + 100 × 0.0021622 = 1.28942 tCO2; U1 February = 500 kWh → 0.06145 tce, 0.2683 tCO2;
# U2 January = 2000 kWh → 0.2458 tce, 1.0732 tCO2; U2 February = 1000 kg coal → 0.7143 tce, 1.9003 tCO2.
EXPECTED: dict[tuple[str, str], list[tuple[datetime, str, float, float]]] = {
    ("month", "league"): [(JAN, "150200", 0.3788, 1.28942), (JAN, "150600", 0.2458, 1.0732),
                          (FEB, "150200", 0.06145, 0.2683), (FEB, "150600", 0.7143, 1.9003)],
    ("hour", "unit"): [(datetime(2025, 1, 31, 23), "U1", 0.3788, 1.28942),
                       (datetime(2025, 1, 31, 23), "U2", 0.2458, 1.0732),
                       (datetime(2025, 2, 1, 0), "U1", 0.06145, 0.2683),
                       (datetime(2025, 2, 1, 0), "U2", 0.7143, 1.9003)],
    ("day", "industry"): [(datetime(2025, 1, 31), "C3011", 0.2458, 1.0732),
                          (datetime(2025, 1, 31), "C3216", 0.3788, 1.28942),
                          (datetime(2025, 2, 1), "C3011", 0.7143, 1.9003),
                          (datetime(2025, 2, 1), "C3216", 0.06145, 0.2683)],
    ("month", "meter"): [(JAN, "E1", 0.2458, 1.0732), (JAN, "E2", 0.2458, 1.0732),
                         (JAN, "G1", 0.133, 0.21622), (FEB, "C2", 0.7143, 1.9003), (FEB, "E1", 0.06145, 0.2683)],
}


def _tables() -> tuple[Any, Any, Any, Any]:
    return (table_from_polars(READINGS), table_from_polars(METERS), table_from_polars(UNITS),
            table_from_polars(FACTORS))


def _rows(df: Any, by: str) -> list[tuple[datetime, str, float, float]]:
    frame = pl.from_pandas(df)
    return [(r["period"].replace(tzinfo=None), r[by], r["energy_tce"], r["tco2"]) for r in frame.iter_rows(named=True)]


def _check(got: list[tuple[datetime, str, float, float]], expected: list[tuple[datetime, str, float, float]]) -> None:
    assert [(p, k) for p, k, _, _ in got] == [(p, k) for p, k, _, _ in expected]
    for (_, _, e, c), (_, _, e2, c2) in zip(got, expected, strict=True):
        assert e == pytest.approx(e2, rel=1e-12)
        assert c == pytest.approx(c2, rel=1e-12)


@pytest.fixture(scope="module")
def spark_con(spark_session: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return ibis.pyspark.connect(spark_session)


@pytest.mark.parametrize(("grain", "by"), list(EXPECTED))
def test_duckdb_matches_hand_computed_totals(grain: str, by: str) -> None:
    expr = aggregate(*_tables(), grain=grain, by=by)  # type: ignore[arg-type]
    assert expr.columns == ("period", by, "energy_tce", "tco2")
    _check(_rows(ibis.duckdb.connect().execute(expr), by), EXPECTED[(grain, by)])


@pytest.mark.slow
def test_spark_matches_hand_computed_totals_and_duckdb(spark_con: Any) -> None:
    # every grain and every group key is covered by the four hand-computed cases
    duck = ibis.duckdb.connect()
    for (grain, by), expected in EXPECTED.items():
        expr = aggregate(*_tables(), grain=grain, by=by)  # type: ignore[arg-type]
        on_spark = _rows(spark_con.execute(expr), by)
        _check(on_spark, _rows(duck.execute(expr), by))
        _check(on_spark, expected)


def test_unknown_grain_or_group_is_refused() -> None:
    with pytest.raises(InputError, match="grain 'week'"):
        aggregate(*_tables(), grain="week", by="unit")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="by 'county'"):
        aggregate(*_tables(), grain="day", by="county")  # type: ignore[arg-type]


def test_meters_without_factor_are_refused_before_aggregating() -> None:
    meters = pl.concat([METERS, pl.DataFrame({"meter_id": ["H1"], "unit_code": ["U1"], "product": ["heat"],
                                              "unit": ["GJ"]})])
    with pytest.raises(InputError, match=r"\('heat', 'GJ'\)"):
        missing_factors(meters, FACTORS)
    missing_factors(METERS, FACTORS)  # all present: no error
