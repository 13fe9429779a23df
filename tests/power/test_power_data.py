"""The power data files: shipped values against the plan's text, sources on every row, bad files refused.

Plan figures (《内蒙古自治区碳达峰实施方案》, 加快构建新型电力系统): 到2025年,新型储能装机容量达到500万千瓦以上,
完成3000万千瓦左右的煤电机组灵活性改造; 到2030年,抽水蓄能电站装机容量达到240万千瓦; 5%以上的尖峰负荷响应能力;
煤电机组平均供电煤耗达到305克标准煤/千瓦时左右.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from tanfeng.errors import ImportDataError, NotFoundError
from tanfeng.power.data import default_data_dir, load_power_data
from tanfeng.power.profiles import SYNTHETIC_NOTE, calibrate, load_profiles, synthetic_profile
from tanfeng.power.studies import get_study


def _capacity_total(year: int, carrier: str) -> float:
    data = load_power_data()
    return sum(v for (y, _, c), v in data.capacity.items() if y == year and c == carrier)


def test_shipped_plan_figures() -> None:
    data = load_power_data()
    assert _capacity_total(2025, "battery") == 5000.0
    assert _capacity_total(2025, "coal_flex") == 30000.0
    assert _capacity_total(2030, "phs") == 2400.0
    assert data.tech("demand_response", "share_of_peak") == 0.05
    assert data.tech("coal", "supply_coal_rate") == 305.0


def test_shipped_minimum_outputs_follow_the_nea_flexibility_pilot() -> None:
    # 经济日报 2016-06-21 on the NEA flexibility pilot: 热电机组增加20%额定容量的调峰能力,最小技术出力达到
    # 40%至50%额定容量;纯凝机组增加15%至20%额定容量的调峰能力,最小技术出力达到30%至35%额定容量
    data = load_power_data()
    assert data.tech("chp", "p_min_pu_heating_flex") == pytest.approx((0.40 + 0.50) / 2)
    assert data.tech("chp", "p_min_pu_heating") == pytest.approx((0.40 + 0.50) / 2 + 0.20)
    assert 0.30 <= data.tech("coal_flex", "p_min_pu") <= 0.35
    assert data.tech("coal", "p_min_pu") == pytest.approx((0.30 + 0.35 + 0.15 + 0.20) / 2)


def test_shipped_load_shape_is_the_pypsa_china_inner_mongolia_column() -> None:
    # pik-piam/PyPSA-China-PIK Hourly_demand_of_31_province_China_modified_V2.1.csv, column NM:
    # 335.3 TWh a year, peak 45,350 MW, minimum 33,055 MW (reference notes, data_markets_review_power §1.5)
    shape = load_power_data().load_shape_mw
    assert shape.sum() / 1e6 == pytest.approx(335.3, abs=0.05)
    assert shape.max() == pytest.approx(45350, abs=1)
    assert shape.min() == pytest.approx(33055, abs=1)


def test_every_row_has_a_source_and_a_certainty() -> None:
    for path in sorted(default_data_dir().glob("*.csv")):
        if path.name == "load_nm_hourly.csv":
            continue  # one profile; its source is in SOURCES.md
        with path.open(encoding="utf-8") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=1):
                assert row["source"].strip(), f"{path.name} row {number}: no source"
                assert row["certainty"] in {"P", "S", "R", "A", "B", "C"}, f"{path.name} row {number}"
    assert "load_nm_hourly.csv" in (default_data_dir() / "SOURCES.md").read_text(encoding="utf-8")


def test_shipped_studies_include_the_two_grid_2025_and_2030() -> None:
    data = load_power_data()
    assert {"im2g-2025", "im2g-2030"} <= set(data.studies)
    assert get_study(data, "im2g-2030").topology == "two_grid"
    with pytest.raises(NotFoundError, match="im2g-2025"):
        get_study(data, "nope")


def test_synthetic_profiles_meet_full_load_hours_and_are_marked() -> None:
    data = load_power_data()
    wind = synthetic_profile("wind", "west", 40.8, data.flh[("west", "wind")])
    solar = synthetic_profile("solar", "west", 40.8, data.flh[("west", "solar")])
    assert wind.sum() == pytest.approx(2270.0, rel=1e-6)
    assert solar.sum() == pytest.approx(1500.0, rel=1e-6)
    assert wind.min() >= 0.0
    assert wind.max() <= 1.0
    assert solar[0] == 0.0  # midnight
    assert "synthetic" in SYNTHETIC_NOTE
    assert calibrate(np.zeros(8760), 1000).sum() == 0.0


def test_missing_column_is_refused_with_file_and_field(folder_with: Callable[..., Path]) -> None:
    folder = folder_with()
    text = (folder / "capacity.csv").read_text(encoding="utf-8").replace("p_nom_mw", "p_nom")
    (folder / "capacity.csv").write_text(text, encoding="utf-8")
    with pytest.raises(ImportDataError) as info:
        load_power_data(folder)
    assert info.value.location is not None
    assert (info.value.location.file, info.value.location.field) == ("capacity.csv", "p_nom_mw")


def test_solver_options_are_read_for_all_studies_and_per_study(folder_with: Callable[..., Path]) -> None:
    studies = """solver_options: {solver: ipm, run_crossover: "on", threads: 1}
studies:
  - {id: a, title_zh: 甲, title_en: a, year: 2025, topology: two_grid, measures: []}
  - {id: b, title_zh: 乙, title_en: b, year: 2025, topology: two_grid, measures: [],
     solver_options: {run_crossover: "off"}}
"""
    data = load_power_data(folder_with(studies))
    assert data.studies["a"].solver_options == {"solver": "ipm", "run_crossover": "on", "threads": 1}
    assert data.studies["b"].solver_options == {"solver": "ipm", "run_crossover": "off", "threads": 1}
    assert load_power_data().studies["im2g-2030"].solver_options["solver"] == "ipm"
    bad = studies.replace('{run_crossover: "off"}', "[ipm]")
    with pytest.raises(ImportDataError) as info:
        load_power_data(folder_with(bad))
    loc = info.value.location
    assert loc is not None
    assert (loc.file, loc.row, loc.field) == ("studies.yaml", 2, "solver_options")


def test_negative_capacity_is_refused_with_file_row_and_field(folder_with: Callable[..., Path]) -> None:
    folder = folder_with(capacity_csv=["2025,west,coal,150,t,A", "2025,east,wind,-100,t,A"])
    with pytest.raises(ImportDataError, match="negative") as info:
        load_power_data(folder)
    loc = info.value.location
    assert loc is not None
    assert (loc.file, loc.row, loc.field) == ("capacity.csv", 2, "p_nom_mw")


def test_load_profile_of_the_wrong_length_is_refused(folder_with: Callable[..., Path]) -> None:
    folder = folder_with()
    lines = (folder / "load_nm_hourly.csv").read_text(encoding="utf-8").splitlines()[:-1]
    (folder / "load_nm_hourly.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ImportDataError, match="8759 rows, not 8760") as info:
        load_power_data(folder)
    assert info.value.location is not None
    assert info.value.location.file == "load_nm_hourly.csv"


def test_real_profile_loader_checks_length_and_range(tmp_path: Path) -> None:
    good = tmp_path / "cf.csv"
    good.write_text("hour,west:wind\n" + "".join(f"{h},0.25\n" for h in range(8760)), encoding="utf-8")
    assert load_profiles(good, expected={"west:wind": "wind"})["west:wind"].sum() == pytest.approx(2190.0)
    short = tmp_path / "short.csv"
    short.write_text("hour,west:wind\n" + "".join(f"{h},0.25\n" for h in range(100)), encoding="utf-8")
    with pytest.raises(ImportDataError, match="100 rows"):
        load_profiles(short)
    bad = tmp_path / "bad.csv"
    bad.write_text("hour,west:wind\n0,0.2\n1,1.7\n", encoding="utf-8")
    with pytest.raises(ImportDataError) as info:
        load_profiles(bad)
    assert info.value.location is not None
    assert (info.value.location.row, info.value.location.field) == (2, "west:wind")


def test_unknown_measure_in_a_study_file_is_refused(folder_with: Callable[..., Path]) -> None:
    studies = "studies:\n  - {id: x, title_zh: x, title_en: x, year: 2025, topology: two_grid, measures: [nuclear]}\n"
    with pytest.raises(ImportDataError, match="unknown measure 'nuclear'") as info:
        load_power_data(folder_with(studies))
    assert info.value.location is not None
    assert (info.value.location.file, info.value.location.row) == ("studies.yaml", 1)
