"""The region catalogue and the shipped statistics, checked against published codes and values.

Expected values come from GB/T 2260 as printed in public division tables and from the sources named
in ``reference/data/SOURCES.md``; never from the code's own output.
"""

from __future__ import annotations

import pytest

from tanfeng.errors import UnknownRegionError
from tanfeng.plan.model import Certainty
from tanfeng.reference.regions import (
    NATION,
    children,
    get_region,
    higher_levels,
    known_region_codes,
    legacy_codes,
    load_regions,
    load_statistics,
    resolve_region_code,
)

# GB/T 2260 codes of the 12 leagues and cities of Inner Mongolia (盟市).
LEAGUES = {
    "150100": "呼和浩特市", "150200": "包头市", "150300": "乌海市", "150400": "赤峰市",
    "150500": "通辽市", "150600": "鄂尔多斯市", "150700": "呼伦贝尔市", "150800": "巴彦淖尔市",
    "150900": "乌兰察布市", "152200": "兴安盟", "152500": "锡林郭勒盟", "152900": "阿拉善盟",
}


def test_inner_mongolia_is_a_province() -> None:
    r = get_region("150000")
    assert (r.name_zh, r.level, r.parent, r.type) == ("内蒙古自治区", "province", None, "自治区")


def test_the_nation_stands_above_every_province() -> None:
    # GB/T 2260 has no code for the nation; the catalogue keys it 000000 so that national plans have a region
    n = get_region(NATION)
    assert (n.code, n.name_zh, n.level, n.parent, n.type) == ("000000", "全国", "nation", None, "国家")
    assert "GB/T 2260" in n.source
    assert higher_levels("150203") == ["150200", "150000", "000000"]
    assert higher_levels("370000") == ["000000"]
    assert higher_levels("000000") == []
    provinces = [r for r in load_regions() if r.level == "province"]
    assert len(provinces) == 31
    assert all(r.parent is None for r in provinces)
    assert all(higher_levels(r.code) == ["000000"] for r in provinces)


def test_twelve_leagues_with_their_codes() -> None:
    got = {r.code: r.name_zh for r in children("150000")}
    assert got == LEAGUES
    assert {r.type for r in children("150000")} == {"地级市", "盟"}
    assert sorted(r.name_zh for r in children("150000") if r.type == "盟") == ["兴安盟", "锡林郭勒盟", "阿拉善盟"]


def test_103_banners_and_counties() -> None:
    # 内蒙古辖 103 个旗县(市、区): 23 市辖区, 11 县级市, 17 县, 49 旗, 3 自治旗
    counties = [r for r in load_regions() if r.level == "county"]
    assert len(counties) == 103
    by_type: dict[str, int] = {}
    for c in counties:
        by_type[c.type] = by_type.get(c.type, 0) + 1
    assert by_type == {"市辖区": 23, "县级市": 11, "县": 17, "旗": 49, "自治旗": 3}
    assert all(c.parent in LEAGUES for c in counties)


@pytest.mark.parametrize(
    ("code", "name", "parent"),
    [
        ("150121", "土默特左旗", "150100"),
        ("150102", "新城区", "150100"),
        ("150223", "达尔罕茂明安联合旗", "150200"),
        ("150603", "康巴什区", "150600"),
        ("150722", "莫力达瓦达斡尔族自治旗", "150700"),
        ("152502", "锡林浩特市", "152500"),
        ("152923", "额济纳旗", "152900"),
    ],
)
def test_county_codes(code: str, name: str, parent: str) -> None:
    r = get_region(code)
    assert (r.name_zh, r.parent, r.level) == (name, parent, "county")


def test_development_zones_are_not_divisions() -> None:
    # x7x codes of the NBS statistical table (e.g. 150172 呼和浩特经济技术开发区) are not GB/T 2260
    assert "150172" not in known_region_codes()


def test_every_row_has_source_and_certainty() -> None:
    for r in load_regions():
        assert r.source
        assert r.certainty in (Certainty.PRIMARY, Certainty.SECONDARY)


def test_legacy_codes_map_to_current_with_a_notice() -> None:
    assert legacy_codes() == {"152600": "150900", "152800": "150800"}
    code, notice = resolve_region_code("152800")
    assert code == "150800"
    assert notice is not None
    assert "legacy" in notice
    assert "巴彦淖尔市" in notice
    assert get_region("152600").name_zh == "乌兰察布市"
    assert resolve_region_code("150800") == ("150800", None)


def test_unknown_code_says_how_to_find_valid_ones() -> None:
    with pytest.raises(UnknownRegionError, match="999999") as info:
        get_region("999999")
    assert "tanfeng regions" in str(info.value)
    with pytest.raises(UnknownRegionError):
        children("15")


def test_counties_of_a_league() -> None:
    assert [r.name_zh for r in children("152900")] == ["阿拉善左旗", "阿拉善右旗", "额济纳旗"]
    assert children("150121") == []


# -- statistics ---------------------------------------------------------------------------------------

def _stat(region: str, indicator: str, year: int) -> list[float]:
    return [s.value for s in load_statistics() if (s.region, s.indicator, s.year) == (region, indicator, year)]


def test_nbs_2020_inner_mongolia_energy_intensity() -> None:
    # 国家统计局等 2021-08-23 公报: 内蒙古 2020 万元GDP能耗 上升 6.89 % (both copies agree)
    assert _stat("150000", "energy_intensity_change_vs_prev_year", 2020) == [6.89, 6.89]
    assert _stat("420000", "energy_consumption_growth", 2020) == [-6.1]
    assert _stat("540000", "energy_intensity_change_vs_prev_year", 2020) == []  # Tibet not published


def test_ndrc_barometer_levels() -> None:
    # 发改办环资〔2021〕629号: 内蒙古 三级 (green) on both indicators in 2021 H1; 1 is 一级 (red)
    assert _stat("150000", "dual_control_intensity_warning_level", 2021) == [3.0]
    assert _stat("150000", "dual_control_total_warning_level", 2021) == [3.0]
    assert len([s for s in load_statistics() if s.indicator == "dual_control_total_warning_level"]) == 30


def test_league_gdp_and_sources() -> None:
    assert _stat("150600", "gdp_current", 2023) == [5849.86]
    gdp = [s for s in load_statistics() if s.indicator == "gdp_current" and s.region != "150000"]
    assert len(gdp) == 9
    assert all(s.source.startswith("m.163.com") and s.certainty is Certainty.SECONDARY for s in gdp)


def test_macro_facts_periods_and_same_as_above() -> None:
    stats = [s for s in load_statistics() if s.indicator == "new_energy_capacity"]
    assert {(s.year, s.period, s.value) for s in stats} == {(2022, None, 6182.0), (2024, "2024-05", 10158.0)}
    gdp_2023 = next(s for s in load_statistics() if s.indicator == "gdp_real_growth" and s.year == 2023)
    assert gdp_2023.value == 7.3
    assert gdp_2023.certainty is Certainty.PRIMARY
    assert gdp_2023.source.startswith("tj.nmg.gov.cn")
    assert all("同上" not in s.source[:2] for s in load_statistics())
