"""The indicator vocabulary: every id the plan, the sample and the pages use is in it, every unit parses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tanfeng.errors import InputError, ReferenceDataError
from tanfeng.plan.loader import load_builtin_plan
from tanfeng.plan.model import Comparator
from tanfeng.reference.indicators import (
    get_indicator,
    headline_ids,
    indicators,
    label_of,
    map_ids,
    parse_vocabulary,
    statistic_aliases,
    trend_ids,
)
from tanfeng.reference.regions import load_statistics
from tanfeng.tracking.sample import generate_sample
from tanfeng.units import convert, parse_unit

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "tanfeng" / "web" / "templates"


def _ids() -> set[str]:
    return {i.id for i in indicators()}


def test_every_unit_parses_in_the_one_registry() -> None:
    for ind in indicators():
        parse_unit(ind.unit)  # raises UnitError for an unknown spelling


def test_every_plan_target_indicator_is_in_the_vocabulary_with_its_unit() -> None:
    for t in load_builtin_plan("im2022").targets:
        ind = get_indicator(t.indicator_id)
        want = "指数 (2020=100)" if t.comparator in (Comparator.DECREASE_BY, Comparator.INCREASE_BY) else t.unit
        assert ind.unit == want, t.id


def test_every_sample_indicator_is_in_the_vocabulary_with_its_unit() -> None:
    for row in generate_sample():
        assert get_indicator(row.indicator).unit == row.unit, (row.indicator, row.unit)


def test_every_indicator_the_pages_name_is_in_the_vocabulary() -> None:
    named = set(headline_ids()) | set(map_ids()) | set(trend_ids())
    for page in TEMPLATES.rglob("*.html"):
        named |= set(re.findall(r"indicator=([a-z0-9_]+)", page.read_text(encoding="utf-8")))
    assert named
    assert named <= _ids()


def test_page_lists_keep_their_order() -> None:
    assert map_ids() == ("energy_intensity", "energy_intensity_change_vs_prev_year", "carbon_intensity",
                         "non_fossil_energy_share", "coal_consumption_share", "energy_consumption")
    assert trend_ids()[0] == "energy_consumption"
    assert trend_ids()[-1] == "gdp"
    assert "energy_intensity_assessed" in headline_ids()


def test_statistic_aliases_point_at_real_statistics_and_known_indicators() -> None:
    stats = {s.indicator for s in load_statistics()}
    aliases = statistic_aliases()
    assert aliases["non_fossil_share_energy_consumption"] == "non_fossil_energy_share"
    for stat, ind in aliases.items():
        assert stat in stats
        assert ind in _ids()


def test_unknown_indicator_is_an_input_error_naming_the_field() -> None:
    with pytest.raises(InputError, match="unknown indicator 'nope'") as err:
        get_indicator("nope")
    assert err.value.location is not None
    assert err.value.location.field == "indicator"
    assert label_of("nope") == "nope"
    assert label_of("energy_intensity") == "单位GDP能耗"


@pytest.mark.parametrize(("value", "unit", "to", "expected"), [
    (1.0, "万tce", "吨标准煤", 10_000.0),
    (1.0, "万吨标准煤", "万tce", 1.0),
    (2.5, "万吨标煤", "tce", 25_000.0),
    (1.0, "万tCO2", "万吨二氧化碳", 1.0),
    (1.0, "tce/万元", "吨标准煤/万元", 1.0),
    (1.0, "tCO2/万元", "吨二氧化碳/万元", 1.0),
    (1.0, "亿元 (2020年不变价)", "万元", 10_000.0),
    (5.0, "％", "%", 5.0),
])
def test_the_store_spellings_convert_through_the_registry(value: float, unit: str, to: str, expected: float) -> None:
    assert convert(value, unit, to) == pytest.approx(expected)


HEADER = ("id,label_zh,label_en,unit,kind,additive,polarity,statistic_aliases,forecast_method,headline,map,trend,"
          "source\n")


@pytest.mark.parametrize(("row", "field"), [
    ("gdp,地区生产总值,GDP,亿元 (2020年不变价),stock,true,neutral,,linear,,,,x", "kind"),
    ("gdp,地区生产总值,GDP,furlong_per_fortnight,level,true,neutral,,linear,,,,x", "unit"),
    ("gdp,地区生产总值,GDP,亿元,level,yes,neutral,,linear,,,,x", "additive"),
    ("gdp,,GDP,亿元,level,true,neutral,,linear,,,,x", "label_zh"),
    ("gdp,地区生产总值,GDP,亿元,level,true,neutral,,linear,first,,,x", "headline"),
])
def test_a_bad_row_names_file_line_and_field(row: str, field: str) -> None:
    with pytest.raises(ReferenceDataError) as err:
        parse_vocabulary(HEADER + "co2,二氧化碳,CO2,万tCO2,level,true,lower_better,,linear,,,,x\n" + row + "\n", "v.csv")
    loc = err.value.location
    assert loc is not None
    assert (loc.file, loc.row, loc.field) == ("v.csv", 3, field)


def test_a_repeated_id_is_refused() -> None:
    row = "co2,二氧化碳,CO2,万tCO2,level,true,lower_better,,linear,,,,x\n"
    with pytest.raises(ReferenceDataError, match="appears twice"):
        parse_vocabulary(HEADER + row + row)
