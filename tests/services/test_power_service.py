"""Power services: the emissions function the scenario model calls, and the figures of the pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tanfeng.power.data import default_data_dir
from tanfeng.services import power as service
from tanfeng.services.power.exports import hourly_by_carrier

TINY = """studies:
  - id: tiny
    title_zh: 小
    title_en: tiny
    year: 2025
    topology: two_grid
    measures: [storage]
"""


CAPACITY = """year,node,carrier,p_nom_mw,source,certainty
2025,west,coal,60000,test,A
2025,east,coal,30000,test,A
2025,west,wind,30000,test,A
2025,east,solar,10000,test,A
2025,west,battery,3000,test,A
"""
CHANNELS = """name,name_zh,from_node,to_region,first_year,p_nom_mw,utilisation_pu,re_share_min_pct,source,certainty
out,外送,west,X,2020,10000,0.5,,test,A
"""


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    """The shipped files with a small two-grid study (a few units, one channel) that solves a year in seconds."""
    folder = tmp_path / "power"
    shutil.copytree(default_data_dir(), folder)
    (folder / "studies.yaml").write_text(TINY, encoding="utf-8")
    (folder / "capacity.csv").write_text(CAPACITY, encoding="utf-8")
    (folder / "channels.csv").write_text(CHANNELS, encoding="utf-8")
    return folder


def test_annual_power_emissions_is_coal_burn_times_the_fuel_factor(tiny_dir: Path) -> None:
    # 305 gce/kWh (plan) → efficiency 122.9 / 305; 0.34 tCO2/MWh_th (PyPSA-China-PIK cost table)
    details = service.run_details("tiny", hours=8760, data_dir=tiny_dir)
    coal_twh = details.generation_twh["coal"]
    expected = coal_twh / (122.9 / 305) * 0.34
    assert service.annual_power_emissions("tiny", data_dir=tiny_dir) == pytest.approx(expected, rel=1e-6)
    assert details.snapshots == 8760


def test_page_figures(tiny_dir: Path) -> None:
    stack = service.dispatch_stack("tiny", week=1, data_dir=tiny_dir)
    assert stack["hours"][0] == 168
    assert len(stack["series"]["coal"]) == 168
    # storage: discharge above the zero axis, charging below it; together the net output of the export sheet
    out, charge = stack["series"]["battery"], stack["series"]["battery_charge"]
    assert min(out) >= 0.0
    assert max(charge) <= 0.0
    assert min(charge) < 0.0  # the battery charges at some hour of the week
    net = hourly_by_carrier("tiny", hours=168, start=168, data_dir=tiny_dir)["battery"]
    assert [round(a + b, 1) for a, b in zip(out, charge, strict=True)] == pytest.approx(list(net), abs=0.11)
    curves = service.duration_curves("tiny", hours=168, start=168, data_dir=tiny_dir)
    load = curves["curves"]["load"]
    assert load == sorted(load, reverse=True)
    by_measure = service.curtailment_by_measure("tiny", hours=168, start=168, data_dir=tiny_dir)
    assert set(by_measure["cases"]) == {"full", "without storage"}
    assert by_measure["cases"]["without storage"]["wind"] >= by_measure["cases"]["full"]["wind"] - 1e-9
    network = service.network_map("tiny", data_dir=tiny_dir)
    assert {b["name"] for b in network["buses"]} >= {"west", "east"}
