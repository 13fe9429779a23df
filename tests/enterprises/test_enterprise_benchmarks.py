"""Benchmark levels file, GB grade and 标杆/基准 position, monitored vs reported energy.

The GB grades checked here are the S-sourced transcriptions listed in docs/reference/
policy_rules_and_data.md §5 (the doc marks the grades S and the 标杆/基准 list values R). No R value is
used as an expected value: positions are tested against a hand-made level table.
"""

from __future__ import annotations

import polars as pl
import pytest

from tanfeng.enterprises.benchmarks import (
    GRADES,
    POSITIONS,
    classify,
    load_levels,
    monitored_vs_reported,
    specific_energy,
)
from tanfeng.errors import InputError


@pytest.mark.parametrize(("product", "standard", "grades", "unit"), [
    ("cement_clinker", "GB 16780-2021", (100, 107, 117), "kgce/t"),
    ("silicon_manganese", "GB 21341-2022", (850, 860, 950), "kgce/t"),
    ("ferrosilicon", "GB 21341-2022", (1700, 1770, 1850), "kgce/t"),
    ("electrolytic_aluminium_ac_power", "GB 21346-2022", (12950, 13000, 13350), "kWh/t"),
    ("coal_to_methanol_bituminous", "GB 29436-2023", (1380, 1400, 1800), "kgce/t"),
    ("steel_blast_furnace", "GB 21256-2025", (361, 370, 415), "kgce/t"),
    ("steel_bof", "GB 21256-2025", (-30, -28, -12), "kgce/t"),
    ("calcium_carbide", "GB 21343-2023", (805, 823, 940), "kgce/t"),
])
def test_gb_grades_match_the_reference_doc(product: str, standard: str, grades: tuple[int, int, int],
                                           unit: str) -> None:
    row = load_levels().filter(pl.col("product") == product).row(0, named=True)
    assert (row["grade_1"], row["grade_2"], row["grade_3"]) == grades
    assert (row["standard"], row["unit"], row["grades_certainty"]) == (standard, unit, "S")


def test_every_list_level_is_marked_recalled_and_every_row_has_a_source() -> None:
    lv = load_levels()
    with_levels = lv.filter(pl.col("benchmark").is_not_null())
    assert with_levels.height > 0
    assert set(with_levels["levels_certainty"].to_list()) == {"R"}
    assert lv["source"].str.len_chars().min() > 0  # type: ignore[operator]


def _units(product: str, *values: float) -> pl.DataFrame:
    return pl.DataFrame({"unit_code": [f"U{i}" for i in range(len(values))], "product": [product] * len(values),
                         "specific": list(values)})


def test_gb_grade_from_the_s_grades() -> None:
    # clinker grades 100 / 107 / 117 kgce/t; a value at a limit meets that grade
    out = classify(_units("cement_clinker", 99, 100, 105, 107, 117, 118))
    assert out["gb_grade"].to_list() == ["1级", "1级", "2级", "2级", "3级", "未达3级"]


def test_gb_grade_with_negative_values_for_bof() -> None:
    out = classify(_units("steel_bof", -31, -29, -12, -11))
    assert out["gb_grade"].to_list() == ["1级", "2级", "3级", "未达3级"]


def test_position_against_benchmark_and_baseline() -> None:
    levels = pl.DataFrame({
        "product": ["p", "q"], "unit": ["kgce/t", "kgce/t"], "grade_1": [90.0, 10.0], "grade_2": [100.0, 20.0],
        "grade_3": [120.0, 30.0], "benchmark": [100.0, None], "baseline": [120.0, None],
        "levels_certainty": ["test", None],
    })
    out = classify(pl.concat([_units("p", 99, 100, 101, 120, 121), _units("q", 15)]), levels)
    assert out["position"].to_list() == ["优于标杆", "优于标杆", "标杆–基准之间", "标杆–基准之间", "未达基准",
                                         "无标杆基准"]
    assert set(out["position"].to_list()) <= set(POSITIONS)
    assert set(out["gb_grade"].to_list()) <= set(GRADES)


def test_unknown_product_is_refused_naming_the_row() -> None:
    frame = pl.concat([_units("cement_clinker", 100), _units("unobtainium", 1)])
    with pytest.raises(InputError, match="unobtainium") as err:
        classify(frame)
    assert err.value.location is not None
    assert err.value.location.row == 2


def test_specific_energy_in_kgce_per_tonne() -> None:
    frame = pl.DataFrame({"energy_tce": [117.0], "output_t": [1000.0]})
    assert frame.select(specific_energy(pl.col("energy_tce"), pl.col("output_t")))["energy_tce"][0] == 117.0


def test_monitored_vs_reported_flags_gaps_above_five_percent() -> None:
    monitored = pl.DataFrame({"unit_code": ["A", "B", "C", "D", "E"], "period": ["2025-01"] * 5,
                              "energy_tce": [104.0, 105.5, 95.0, 1.0, 3.0]})
    reported = pl.DataFrame({"unit_code": ["A", "B", "C", "E", "F"], "period": ["2025-01"] * 5,
                             "energy_tce": [100.0, 100.0, 100.0, 0.0, 7.0]})
    out = {r["unit_code"]: r for r in monitored_vs_reported(monitored, reported).iter_rows(named=True)}
    assert out["A"]["gap"] == pytest.approx(0.04)
    assert not out["A"]["flagged"]
    assert out["B"]["gap"] == pytest.approx(0.055)
    assert out["B"]["flagged"]
    assert out["C"]["gap"] == pytest.approx(-0.05)
    assert not out["C"]["flagged"]
    assert out["D"]["present"] == "monitored_only"
    assert out["D"]["flagged"]
    assert out["E"]["gap"] is None
    assert out["E"]["flagged"]
    assert out["F"]["present"] == "reported_only"
    assert out["F"]["flagged"]
