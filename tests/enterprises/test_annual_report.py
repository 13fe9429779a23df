"""Annual reports without a database: the figures (recomputed from published coefficients), the workflow
table written out state by state, and what a transition stamps."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tanfeng.enterprises.annual_report import (
    EDITABLE,
    STATE_ZH,
    TRANSITIONS,
    ReportContent,
    check_action,
    check_editable,
    check_transition,
    parse_content,
    transition_values,
)
from tanfeng.enterprises.figures import compute_figures, newest_grid_year
from tanfeng.errors import ConflictError, InputError

COAL = ReportContent.model_validate({"fuels": [{"product": "raw_coal", "quantity": 1000, "unit": "t"}],
                                     "purchased_electricity": 100, "measures": ["余热发电"]})


def test_figures_from_published_coefficients() -> None:
    figures = compute_figures("91150602MA00000021", 2022, COAL, budget_tce=1000.0)
    # GB/T 2589-2020 附录A: raw coal 0.7143 kgce/kg → 1 000 t = 714.3 tce; electricity 当量值 0.1229 kgce/kWh →
    # 100 MWh = 12.29 tce
    assert figures["energy_tce"] == pytest.approx(714.3 + 12.29, rel=1e-12)
    assert figures["energy_lines"][0]["tce"] == pytest.approx(714.3, rel=1e-12)
    # raw coal 1.9003 tCO2/t (China default factor set); grid 0.6849 kgCO2/kWh, Inner Mongolia 2022
    # (MEE/NBS announcement of 2024-12-20)
    assert figures["combustion_tco2"] == pytest.approx(1900.3, rel=1e-12)
    assert figures["electricity_tco2"] == pytest.approx(68.49, rel=1e-12)
    assert figures["tco2"] == pytest.approx(1900.3 + 68.49, rel=1e-12)
    assert figures["grid_year"] == 2022
    assert figures["budget_use"] == pytest.approx(726.59 / 1000.0, rel=1e-12)
    assert figures["benchmark"] == []


def test_without_a_budget_there_is_no_budget_use() -> None:
    figures = compute_figures("U", 2022, COAL)
    assert (figures["budget_tce"], figures["budget_use"]) == (None, None)


def test_exported_electricity_and_heat_come_off() -> None:
    # 100 MWh bought, 40 MWh sold: 60 MWh × 0.1229 = 7.374 tce; 1 000 GJ bought, 1 000 GJ sold: nothing
    content = ReportContent(purchased_electricity=100, exported_electricity=40, purchased_heat=1000,
                            exported_heat=1000)
    assert compute_figures("U", 2022, content)["energy_tce"] == pytest.approx(7.374, rel=1e-12)


def test_grid_year_falls_back_to_the_newest_published_year() -> None:
    # the library holds Inner Mongolia's factor for 2021 and 2022 (MEE/NBS announcements of 2024)
    assert newest_grid_year(2024) == 2022
    assert newest_grid_year(2021) == 2021
    assert newest_grid_year(2020) is None


def test_specific_energy_and_gb_grade_of_clinker() -> None:
    content = ReportContent.model_validate({**COAL.model_dump(),
                                            "outputs": [{"product": "cement_clinker", "quantity": 5000, "unit": "t"}]})
    (pos,) = compute_figures("U", 2022, content)["benchmark"]
    # 726.59 tce × 1 000 / 5 000 t = 145.318 kgce/t, above grade 3 of GB 16780-2021 (117 kgce/t)
    assert pos["specific_kgce_per_t"] == pytest.approx(145.318, rel=1e-12)
    assert pos["gb_grade"] == "未达3级"


# every (state, action) pair, written out from the workflow diagram: the target state, or None (refused)
TABLE = {
    ("draft", "submit"): "submitted", ("returned", "submit"): "submitted",
    ("submitted", "review"): "under_review",
    ("under_review", "approve"): "approved",
    ("submitted", "return"): "returned", ("under_review", "return"): "returned",
}


@pytest.mark.parametrize("state", sorted(STATE_ZH))
@pytest.mark.parametrize("action", ["submit", "review", "approve", "return"])
def test_the_transition_table(state: str, action: str) -> None:
    expected = TABLE.get((state, action))
    if expected is None:
        with pytest.raises(ConflictError, match=f"report 7 is {state}"):
            check_transition(7, state, action, "fix line 2")
    else:
        assert check_transition(7, state, action, "fix line 2") == expected


def test_the_table_in_the_module_is_the_diagram() -> None:
    derived = {(s, a): target for a, (sources, target) in TRANSITIONS.items() for s in sources}
    assert derived == TABLE
    assert set(EDITABLE) == {"draft", "returned"}


def test_return_needs_comments_and_unknown_actions_are_refused() -> None:
    with pytest.raises(InputError, match="needs comments") as err:
        check_transition(7, "submitted", "return", "  ")
    assert err.value.location is not None
    assert err.value.location.field == "comments"
    with pytest.raises(InputError, match="'publish' is not one of"):
        check_action("publish")


@pytest.mark.parametrize("state", sorted(STATE_ZH))
def test_only_drafts_and_returned_reports_are_editable(state: str) -> None:
    if state in ("draft", "returned"):
        check_editable(7, state)
    else:
        with pytest.raises(ConflictError, match="only a draft or a returned report"):
            check_editable(7, state)


def test_what_a_transition_stamps() -> None:
    now = datetime(2025, 3, 1, tzinfo=UTC)
    submit = transition_values("submit", "submitted", actor="ent", now=now, comments=None)
    assert submit == {"state": "submitted", "updated_at": now, "updated_by": "ent", "submitted_at": now,
                      "submitted_by": "ent"}
    back = transition_values("return", "returned", actor="league", now=now, comments="电量有误")
    assert back["reviewed_by"] == "league"
    assert back["comments"] == "电量有误"
    assert "submitted_at" not in back
    review = transition_values("review", "under_review", actor="league", now=now, comments=None)
    assert "reviewed_at" not in review


def test_bad_content_names_the_field() -> None:
    with pytest.raises(InputError) as err:
        parse_content({"fuels": [{"product": "raw_coal", "quantity": -1, "unit": "t"}]})
    assert err.value.location is not None
    assert err.value.location.field == "fuels.0.quantity"
