"""Where each figure's number comes from and the year it is of (issue 10, item 4), without a database.

A value read from the store keeps its kind (a published statistic with its file, a value someone reported with
who reported it, sample data), and a computed value (an intensity, a year-on-year change, the 803号 intensity)
carries the provenance of what it was computed from.
"""

from __future__ import annotations

import pytest

from tanfeng.plan.loader import load_builtin_plan
from tanfeng.tracking.figures import Provenance, region_figures, region_status, short_source
from tanfeng.tracking.series import IndicatorSeries, StatisticInput, StoredInput
from tanfeng.tracking.warning import region_warnings

R = "150000"
GDP = "亿元 (2020年不变价)"
NBS = "reference/data/statistics/nbs_2020_province_energy_intensity_change.csv"
SAMPLE = "示例数据 (tanfeng sample generator, seed 2025)"


def _stored(indicator: str, year: int, value: float, unit: str, *, source: str, sample: bool = False,
            by: str | None = None) -> StoredInput:
    return StoredInput(region=R, indicator=indicator, period=str(year), value=value, unit=unit, source=source,
                       certainty="P", sample=sample, entered_by=by)


def _series() -> IndicatorSeries:
    """Energy 2024 and 2025 reported by a league officer, GDP from the sample, the 2025 change of intensity a
    published statistic (in its shipped file)."""
    rows = [_stored("energy_consumption", 2024, 10_000, "万tce", source="鄂尔多斯市发展改革委 调度报送", by="t_league"),
            _stored("energy_consumption", 2025, 10_300, "万tce", source="鄂尔多斯市发展改革委 调度报送", by="t_league"),
            _stored("gdp", 2024, 5_000, GDP, source=SAMPLE, sample=True, by="tanfeng init"),
            _stored("gdp", 2025, 5_250, GDP, source=SAMPLE, sample=True, by="tanfeng init")]
    stats = [StatisticInput(region=R, indicator="energy_intensity_change_vs_prev_year", year=2025, period=None,
                            value=-1.9, unit="%", source="国家统计局·国家发展改革委·国家能源局 公报, 2026-08-20",
                            certainty="P", file=NBS)]
    return IndicatorSeries.merge(rows, stats, {"energy_intensity_change_vs_prev_year":
                                               "energy_intensity_change_vs_prev_year"})


REPORTED = Provenance(kind="reported", label="鄂尔多斯市发展改革委 调度报送", source="鄂尔多斯市发展改革委 调度报送",
                      reporter="t_league")
SAMPLE_GDP = Provenance(kind="sample", label="示例数据", source=SAMPLE)
STATISTIC = Provenance(kind="statistic", label="国家统计局·国家发展改革委·国家能源局 公报",
                       source="国家统计局·国家发展改革委·国家能源局 公报, 2026-08-20", file=NBS)


def test_each_figure_says_its_year_and_where_its_value_comes_from() -> None:
    figs = {f.indicator: f for f in region_figures(_series(), R, 2025)}
    assert figs["energy_consumption"].as_of == 2025
    assert figs["energy_consumption"].provenance == [REPORTED]
    assert figs["gdp"].provenance == [SAMPLE_GDP]  # the sample's own writer is nobody's report
    assert figs["energy_intensity_change_vs_prev_year"].provenance == [STATISTIC]
    # computed from the reported energy and the sample's GDP: both named, in that order
    assert figs["energy_intensity"].provenance == [REPORTED, SAMPLE_GDP]
    assert figs["energy_intensity"].as_of == 2025
    # no value: no year, no source
    assert (figs["co2_emissions"].value, figs["co2_emissions"].as_of, figs["co2_emissions"].provenance) == (
        None, None, [])


def test_a_computed_change_names_the_levels_it_was_computed_from() -> None:
    # the carbon-intensity change is computed from CO2 and GDP levels of two years (no stored change)
    rows = [_stored("co2_emissions", y, v, "万tCO2", source="CEADs provincial inventory, energy activity; Shan 2020")
            for y, v in ((2024, 30_000), (2025, 30_600))]
    rows += [_stored("gdp", y, v, GDP, source=SAMPLE, sample=True) for y, v in ((2024, 5_000), (2025, 5_250))]
    series = IndicatorSeries.merge(rows, [], {})
    change = {f.indicator: f for f in region_figures(series, R, 2025)}["carbon_intensity_change_vs_prev_year"]
    assert change.value == pytest.approx((30_600 / 5_250) / (30_000 / 5_000) * 100 - 100, abs=1e-4)
    assert [p.kind for p in change.provenance] == ["reported", "sample"]
    assert change.provenance[0].label == "CEADs provincial inventory"


def test_targets_and_warning_levels_carry_the_provenance_of_their_values() -> None:
    series = _series()
    status = region_status(series, load_builtin_plan(), R, 2025)
    assert status.figures[0].provenance == [REPORTED]
    w = region_warnings(series, R, "2025", 2025, required_intensity_change_pct=-3.2, required_carbon_change_pct=-3.89)
    assert w.intensity is not None
    assert w.intensity.value_pct == -1.9
    assert w.provenance == [STATISTIC]


@pytest.mark.parametrize(("source", "label"), [
    ("国家统计局·国家发展改革委·国家能源局 2020年分省万元地区生产总值能耗降低率等指标公报, 2021-08-23 (reposted at qiongling.com)",
     "国家统计局·国家发展改革委·国家能源局 2020年分省万元地区生产总值能耗降低率等指标公报"),
    ("CEADs 290-city inventory, emission vector; Shan et al. 2022 Sci. Bull. 67(18):1910", "CEADs 290-city inventory"),
    ("2023年内蒙古统计公报 (pages corpus excerpt)", "2023年内蒙古统计公报"),
    ("tj.nmg.gov.cn/hdjl/xwfbh/202401/t20240119_2443748.html (自治区统计局 2024-01-19); 2023统计公报", "tj.nmg.gov.cn"),
    ("NDRC环资司约谈内蒙古 2020-09-18 (xrxxw.com/article/view/260716.html): 2019年能源消费总量",
     "NDRC环资司约谈内蒙古 2020-09-18"),
    ("发改办环资〔2021〕629号《2021年上半年各地区能耗双控目标完成情况晴雨表》 (tax100.com)",
     "发改办环资〔2021〕629号《2021年上半年各地区能耗双控目标完成情况晴雨表》"),
    ("鄂尔多斯市统计局", "鄂尔多斯市统计局"),
])
def test_short_source_names_the_institution_or_publication(source: str, label: str) -> None:
    assert short_source(source) == label
