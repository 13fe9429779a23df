"""节能审查 rules: levels at their boundaries, exempt types, the m/n classes at their edges, the worked n case,
suspension under an 一级 warning (发改办环资〔2021〕629号)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tanfeng.errors import ReferenceDataError
from tanfeng.projects.registry import Project, two_high_industry
from tanfeng.projects.review import (
    LeagueContext,
    class_of,
    impact_class,
    intensity_effect_pct,
    review,
    review_level,
)
from tanfeng.projects.rules import load_rules

RULES = load_rules()


def _project(**kw: object) -> Project:
    base: dict[str, object] = {"code": "P1", "name": "测试项目", "league": "150600", "industry": "C2614",
                               "stage": "拟建", "energy_equal_tce": 2000.0, "energy_equiv_tce": 2500.0}
    base.update(kw)
    return Project.model_validate(base)


def _ctx(**kw: object) -> LeagueContext:
    base: dict[str, object] = {"league": "150600", "year": 2024, "energy_tce": 1_000_000.0,
                               "gdp_10k_yuan": 2_000_000.0, "increment_cap_tce": 3_000_000.0}
    base.update(kw)
    return LeagueContext.model_validate(base)


def _zero_co2(_p: Project, _y: int) -> float:
    return 0.0


# the 2023 order (Art. 8 as quoted): ≥ 10,000 tce at the 当量值 to the province; the middle band (5,000) is the
# file's stated assumption; < 1,000 tce AND < 500万kWh needs no separate review.
@pytest.mark.parametrize(("tce", "kwh", "level"), [
    (10_000.0, 0.0, "region"), (9_999.9, 0.0, "league"), (10_000.1, 0.0, "region"),
    (5_000.0, 0.0, "league"), (4_999.9, 0.0, "county"),
    (1_000.0, 0.0, "county"), (999.9, 499.9, "exempt"), (999.9, 500.0, "county"), (0.0, 0.0, "exempt"),
])
def test_review_level_at_and_around_each_threshold(tce: float, kwh: float, level: str) -> None:
    got, _why = review_level(_project(energy_equal_tce=tce, energy_equiv_tce=tce, electricity_10k_kwh=kwh), RULES)
    assert got == level


def test_exempt_types_from_the_published_list_and_data_centres_are_not() -> None:
    big = {"energy_equal_tce": 50_000.0, "energy_equiv_tce": 60_000.0, "industry": "D4415"}
    assert review_level(_project(project_type="光伏电站", **big), RULES)[0] == "exempt"
    assert review_level(_project(project_type="抽水蓄能电站", **big), RULES)[0] == "exempt"
    assert review_level(_project(project_type="数据中心", industry="I6450", energy_equal_tce=50_000.0,
                                 energy_equiv_tce=60_000.0), RULES)[0] == "region"


def test_worked_intensity_case_by_hand() -> None:
    # policy_rules_and_data.md §4.2: a = 1,000,000 tce, b = 2,000,000 万元 → c = 0.5; d = 50,000 tce, e = 20,000 万元
    # (a + d) / (b + e) = 1,050,000 / 2,020,000 = 0.5198020; n = (0.5198020 − 0.5) / 0.5 × 100 = 3.9604 %
    assert intensity_effect_pct(1_000_000, 2_000_000, 50_000, 20_000) == pytest.approx(3.9604, abs=1e-4)
    p = _project(energy_equal_tce=45_000.0, energy_equiv_tce=50_000.0, value_added_10k_yuan=20_000.0)
    r = review(p, _ctx(), RULES, co2=_zero_co2)
    # m = 50,000 / 3,000,000 × 100 = 1.6667 % (一定影响); n = 3.9604 % > 3.5 → 决定性影响; the worse one wins
    assert r.increment_share_pct == pytest.approx(1.6667, abs=1e-4)
    assert r.intensity_effect_pct == pytest.approx(3.9604, abs=1e-4)
    assert (r.m_class, r.n_class, r.impact_class) == ("一定影响", "决定性影响", "决定性影响")


def test_m_uses_the_remaining_room_and_feedstock_is_deducted() -> None:
    # room = 3,000,000 − 2,500,000 = 500,000; d = 50,000 − 10,000 feedstock = 40,000 → m = 8 %
    p = _project(energy_equal_tce=45_000.0, energy_equiv_tce=50_000.0, feedstock_tce=10_000.0)
    r = review(p, _ctx(used_increment_tce=2_500_000.0), RULES, co2=_zero_co2)
    assert r.increment_share_pct == pytest.approx(8.0)
    assert r.m_class == "较大影响"
    assert r.remaining_room_tce == pytest.approx(500_000.0)


@pytest.mark.parametrize(("m", "label"), [(-5.0, "影响较小"), (1.0, "影响较小"), (1.0001, "一定影响"), (3.0, "一定影响"),
                                          (3.0001, "较大影响"), (10.0, "较大影响"), (10.0001, "重大影响"),
                                          (20.0, "重大影响"), (20.0001, "决定性影响")])
def test_m_classes_at_their_edges(m: float, label: str) -> None:
    assert class_of(m, RULES, kind="m").label == label


@pytest.mark.parametrize(("n", "label"), [(-0.2, "影响较小"), (0.1, "影响较小"), (0.1001, "一定影响"), (0.3, "一定影响"),
                                          (0.3001, "较大影响"), (1.0, "较大影响"), (1.0001, "重大影响"),
                                          (3.5, "重大影响"), (3.5001, "决定性影响")])
def test_n_classes_at_their_edges(n: float, label: str) -> None:
    assert class_of(n, RULES, kind="n").label == label


def test_overall_class_is_the_worse_of_m_and_n() -> None:
    assert impact_class(0.5, 1.2, RULES).label == "重大影响"  # type: ignore[union-attr]
    assert impact_class(25.0, 0.05, RULES).label == "决定性影响"  # type: ignore[union-attr]
    assert impact_class(None, None, RULES) is None


def test_two_high_review_suspended_under_a_level_one_warning() -> None:
    p = _project(industry="C2614", energy_equal_tce=20_000.0, energy_equiv_tce=22_000.0)
    r = review(p, _ctx(intensity_warning_level=1), RULES, co2=_zero_co2)
    assert r.suspended
    assert r.consequence is not None
    assert "暂停" in r.consequence
    assert any(ref.id == "suspension_629" and "629号" in ref.document for ref in r.rules)
    # level 2, a non-两高 industry or a national major project: not suspended
    assert not review(p, _ctx(intensity_warning_level=2), RULES, co2=_zero_co2).suspended
    assert not review(_project(industry="C3912", energy_equal_tce=20_000.0, energy_equiv_tce=22_000.0),
                      _ctx(intensity_warning_level=1), RULES, co2=_zero_co2).suspended
    assert not review(p.model_copy(update={"national_major": True}), _ctx(intensity_warning_level=1), RULES,
                      co2=_zero_co2).suspended


def test_two_high_by_industry_and_window_guidance() -> None:
    assert two_high_industry("C2614", RULES) is not None
    assert two_high_industry("D4411", RULES) is not None
    assert two_high_industry("D4415", RULES) is None
    p = _project(energy_equal_tce=48_000.0, energy_equiv_tce=50_000.0)
    assert review(p, _ctx(), RULES, co2=_zero_co2).window_guidance  # ≥ 50,000 tce (发改环资〔2021〕1310号)
    assert not review(p.model_copy(update={"energy_equiv_tce": 49_999.0}), _ctx(), RULES,
                      co2=_zero_co2).window_guidance


def test_summary_has_exactly_the_issue_shape() -> None:
    s = review(_project(), _ctx(), RULES, co2=_zero_co2).summary()
    assert set(s) == {"project", "level", "impact_class", "increment_share_pct", "intensity_effect_pct", "co2_t",
                      "efficiency_level", "suspended", "rules"}
    assert all(set(r) == {"id", "document"} for r in s["rules"])  # type: ignore[attr-defined]


def test_a_copy_of_the_rules_with_another_threshold_changes_the_level(tmp_path: Path) -> None:
    text = (Path(__file__).parents[2] / "src/tanfeng/projects/data/review_rules.yaml").read_text(encoding="utf-8")
    copy = tmp_path / "rules.yaml"
    copy.write_text(text.replace("region_tce: {value: 10000", "region_tce: {value: 8000"), encoding="utf-8")
    p = _project(energy_equal_tce=9_000.0, energy_equiv_tce=9_000.0)
    assert review_level(p, RULES)[0] == "league"
    assert review_level(p, load_rules(copy))[0] == "region"


def test_a_broken_rules_file_names_the_field(tmp_path: Path) -> None:
    text = (Path(__file__).parents[2] / "src/tanfeng/projects/data/review_rules.yaml").read_text(encoding="utf-8")
    copy = tmp_path / "rules.yaml"
    copy.write_text(text.replace("league_tce: {value: 5000", "league_tce: {value: 50000"), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="league_tce"):
        load_rules(copy)

