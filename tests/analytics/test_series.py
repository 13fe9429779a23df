"""Series as Parquet read back through Ibis/DuckDB: the shipped statistics, filtered and aggregated.

Expected values are the published figures named in reference/data/SOURCES.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tanfeng.analytics import (
    IAMC_COLUMNS,
    SeriesStore,
    connect,
    list_series,
    series,
    statistics_table,
    to_iamc,
    write_series,
)
from tanfeng.config import Settings
from tanfeng.errors import ImportDataError, InputError, NotFoundError, StoreError
from tanfeng.reference.regions import load_statistics


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'db.sqlite'}", data_dir=tmp_path / "data")


@pytest.fixture
def written(settings: Settings) -> Settings:
    write_series("reference_statistics", statistics_table(load_statistics()), settings=settings)
    return settings


def test_write_and_read_back_every_row(written: Settings) -> None:
    t = series("reference_statistics", settings=written)
    # 197 + 170 CEADs totals + 23 province energy-activity years (CEADs scope-1 minus cement process)
    assert t.count().execute() == 390
    assert list_series(settings=written) == ["reference_statistics"]
    assert (written.data_dir / "series" / "reference_statistics.parquet").is_file()


def test_filter_inner_mongolia_2020(written: Settings) -> None:
    t = series("reference_statistics", settings=written)
    q = t.filter((t.region == "150000") & (t.indicator == "energy_intensity_change_vs_prev_year") & (t.year == 2020))
    df = q.select("value", "unit", "certainty", "source").execute()
    # 国家统计局等 2021-08-23 公报: 内蒙古 2020 年万元GDP能耗上升 6.89 %
    assert df["value"].tolist() == [6.89, 6.89]
    assert set(df["unit"]) == {"%"}
    assert set(df["certainty"]) == {"P"}
    assert df["source"].str.len().min() > 0


def test_aggregate_ndrc_barometer(written: Settings) -> None:
    # 发改办环资〔2021〕629号, 30 provinces: intensity 9 一级 (red) / 10 二级 / 11 三级 (green);
    # total consumption 8 一级 / 5 二级 / 17 三级
    t = series("reference_statistics", settings=written)
    f = t.filter(t.indicator == "dual_control_intensity_warning_level")
    q = f.group_by("value").aggregate(n=f.count()).order_by("value")
    df = q.execute()
    assert dict(zip(df["value"].astype(int), df["n"], strict=True)) == {1: 9, 2: 10, 3: 11}
    f = t.filter(t.indicator == "dual_control_total_warning_level")
    q = f.group_by("value").aggregate(n=f.count()).order_by("value")
    df = q.execute()
    assert dict(zip(df["value"].astype(int), df["n"], strict=True)) == {1: 8, 2: 5, 3: 17}


def test_league_gdp_sum(written: Settings) -> None:
    # 网易 2024: 2023 GDP of 9 leagues (亿元), summed by hand from the article's figures
    t = series("reference_statistics", settings=written)
    league = t.filter((t.indicator == "gdp_current") & (t.year == 2023) & (t.region != "150000"))
    total = league.value.sum().execute()
    assert total == pytest.approx(5849.86 + 4263.90 + 3801.55 + 2197.50 + 1609.00 + 1595.57 + 1184.78
                                  + 1161.10 + 1084.60)
    assert league.count().execute() == 9


def test_to_iamc(written: Settings) -> None:
    t = series("reference_statistics", settings=written)
    iamc = to_iamc(t.filter(t.region == "150000"), model="tanfeng", scenario="historical")
    assert tuple(iamc.columns) == IAMC_COLUMNS
    df = iamc.filter(iamc.variable == "gdp_current").order_by("year").execute()
    # 2012 10470 and 2021 20514 亿元 (自治区统计局局长, 中国发展网); 2023 24627 亿元 (2023 统计公报)
    assert df[["year", "value", "unit"]].values.tolist() == [[2012, 10470.0, "亿元"], [2021, 20514.0, "亿元"],
                                                              [2023, 24627.0, "亿元"]]
    assert set(df["model"]) == {"tanfeng"}
    # sub-annual values (2023Q1, 2024-05) are not IAMC years
    assert iamc.filter(iamc.variable == "new_energy_capacity").year.execute().tolist() == [2022]


def test_write_accepts_pandas_and_polars(settings: Settings) -> None:
    row = {"region": ["150000"], "indicator": ["gdp_current"], "year": [2023], "value": [24627.0],
           "unit": ["亿元"], "source": ["2023统计公报"], "certainty": ["P"]}
    write_series("from_pandas", pd.DataFrame(row), settings=settings)
    write_series("from_polars", pl.DataFrame(row), settings=settings)
    for name in ("from_pandas", "from_polars"):
        assert series(name, settings=settings).value.sum().execute() == 24627.0


def test_write_is_atomic(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    store = SeriesStore.from_settings(settings)
    good = statistics_table(load_statistics()[:3])
    store.write("s", good)

    def broken(table: pa.Table, where: str) -> None:
        Path(where).write_bytes(b"PAR1 half a file")
        raise OSError("disk full (injected)")

    monkeypatch.setattr(pq, "write_table", broken)
    with pytest.raises(OSError, match="injected"):
        store.write("s", statistics_table(load_statistics()))
    monkeypatch.undo()
    assert store.read("s").count().execute() == 3
    assert [p.name for p in store.folder.iterdir()] == ["s.parquet"]  # no temporary file left


def test_bad_series_are_refused_with_row_and_field(settings: Settings) -> None:
    base = {"region": ["150000", "150100"], "indicator": ["x", "x"], "year": [2020, 2021], "value": [1.0, 2.0],
            "unit": ["%", "%"], "source": ["a", "b"], "certainty": ["P", "S"]}
    no_unit = {k: v for k, v in base.items() if k != "unit"}
    with pytest.raises(ImportDataError, match="unit"):
        write_series("bad", pa.table(no_unit), settings=settings)
    with pytest.raises(ImportDataError, match=r"row 2, field 'source'"):
        write_series("bad", pa.table({**base, "source": ["a", None]}), settings=settings)
    with pytest.raises(ImportDataError, match=r"row 1, field 'certainty'"):
        write_series("bad", pa.table({**base, "certainty": ["certain", "S"]}), settings=settings)
    with pytest.raises(InputError, match="series name"):
        write_series("../escape", pa.table(base), settings=settings)
    assert list_series(settings=settings) == []


def test_missing_series_lists_what_exists(written: Settings) -> None:
    with pytest.raises(NotFoundError, match="reference_statistics"):
        series("nope", settings=written)


def test_spark_without_pyspark_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(StoreError, match="pyspark"):
        connect(Settings(data_dir=tmp_path, analytics="spark"))
