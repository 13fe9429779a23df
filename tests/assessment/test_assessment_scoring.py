"""League comprehensive assessment: a score recomputed by hand from the rules file, a weight changed in a copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from tanfeng.assessment.scoring import IndicatorInput, LeagueInputs, load_rules, rank, score_league
from tanfeng.errors import InputError

RULES_TEXT = (Path(__file__).parents[2] / "src/tanfeng/assessment/data/league_assessment.yaml").read_text(
    encoding="utf-8")


def _league(code: str, *, intensity: int | None, total: int | None, carbon: int | None, targets: float | None,
            dispatch: float | None, two_high: float | None, units: float | None) -> LeagueInputs:
    vals = {"energy_intensity": intensity, "energy_total": total, "carbon_intensity": carbon,
            "plan_targets": targets, "dispatch": dispatch, "two_high": two_high, "key_unit_reporting": units}
    return LeagueInputs(league=code, year=2025, intensity_level=intensity,
                        inputs={k: IndicatorInput(value=v) for k, v in vals.items()})


def test_score_recomputed_by_hand_from_the_rules_file() -> None:
    # league_assessment.yaml: energy_intensity 25 (level 2 → 0.5), energy_total 10 (level 3 → 1),
    # carbon_intensity 15 (level 2 → 0.5), plan_targets 15 × 0.6, dispatch 10 × 0.9, two_high 15 × 0.75,
    # key_unit_reporting 10 × 0.8
    # = 12.5 + 10 + 7.5 + 9 + 9 + 11.25 + 8 = 67.25
    li = _league("150200", intensity=2, total=3, carbon=2, targets=0.6, dispatch=0.9, two_high=0.75, units=0.8)
    score, points = score_league(li, load_rules())
    assert score == pytest.approx(67.25)
    assert [p.score for p in points] == pytest.approx([12.5, 10.0, 7.5, 9.0, 9.0, 11.25, 8.0])
    assert all(p.reason for p in points)


def test_missing_input_earns_nothing_and_says_so() -> None:
    li = _league("150200", intensity=3, total=None, carbon=3, targets=1.0, dispatch=1.0, two_high=1.0, units=1.0)
    score, points = score_league(li, load_rules())
    assert score == pytest.approx(90.0)  # 100 − the 10 points of energy_total
    assert "无数据" in points[1].reason


def test_changing_a_weight_in_a_copy_changes_the_score(tmp_path: Path) -> None:
    copy = tmp_path / "rules.yaml"
    copy.write_text(RULES_TEXT.replace("  - id: energy_intensity\n    label: 能耗强度降低 (双控)\n    weight: 25",
                                       "  - id: energy_intensity\n    label: 能耗强度降低 (双控)\n    weight: 45"),
                    encoding="utf-8")
    li = _league("150200", intensity=2, total=3, carbon=2, targets=0.6, dispatch=0.9, two_high=0.75, units=0.8)
    # 67.25 + (45 − 25) × 0.5 = 77.25
    assert score_league(li, load_rules(copy))[0] == pytest.approx(77.25)


def test_ranks_and_results_by_rule() -> None:
    full = {"total": 3, "carbon": 3, "targets": 1.0, "dispatch": 1.0, "two_high": 1.0, "units": 1.0}
    leagues = [
        _league("150100", intensity=3, **full),                                    # 100 → rank 1, 表彰
        _league("150200", intensity=3, **full),                                    # 100 → rank 1 (tie), 表彰
        _league("150300", intensity=1, **full),                                    # 75, 一级 → 通报
        _league("150400", intensity=2, total=2, carbon=2, targets=0.5, dispatch=0.5, two_high=0.5, units=0.5),  # 50
        _league("150500", intensity=3, total=3, carbon=3, targets=0.9, dispatch=1.0, two_high=1.0, units=1.0),
    ]
    out = {r.league: r for r in rank(leagues, load_rules())}
    assert (out["150100"].rank, out["150200"].rank) == (1, 1)
    assert out["150100"].result == out["150200"].result == "表彰"
    assert out["150500"].score == pytest.approx(98.5)
    assert out["150500"].rank == 3
    assert out["150500"].result == "表彰"
    assert out["150300"].result == "通报"
    assert out["150400"].score == pytest.approx(50.0)
    assert out["150400"].result == "通报"


def test_a_share_outside_zero_one_is_refused() -> None:
    li = _league("150200", intensity=2, total=3, carbon=2, targets=1.2, dispatch=0.9, two_high=0.75, units=0.8)
    with pytest.raises(InputError, match="plan_targets"):
        score_league(li, load_rules())
