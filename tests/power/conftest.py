"""A tiny power data folder whose optimal dispatch is worked out by hand in the tests.

Three buses: 蒙西 ``west`` (load 100 MW every hour, coal 150 MW with a 20 % floor), 蒙东 ``east``
(wind 100 MW, no load), joined by a 60 MW tie, and the external bus of one channel from ``west``
(40 MW, utilisation 0.5). Costs are chosen so that coal costs 25 CNY/MWh: fuel 10 /MWh_th at an
efficiency of 0.5 (supply coal rate 245.8 gce/kWh = 122.9 / 0.5) plus 5 /MWh VOM, exchange rate 1.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

HEADERS = {
    "nodes.csv": "node,name_zh,kind,grid,lon,lat,load_share,hub_league,source,certainty",
    "capacity.csv": "year,node,carrier,p_nom_mw,source,certainty",
    "channels.csv": "name,name_zh,from_node,to_region,first_year,p_nom_mw,utilisation_pu,re_share_min_pct,source,certainty",
    "technology.csv": "carrier,parameter,value,unit,source,certainty",
    "demand.csv": "year,annual_twh,source,certainty",
    "full_load_hours.csv": "grid,carrier,flh_h,source,certainty",
    "leagues.csv": "code,name_zh,grid,lon,lat,share_load,source,certainty",
    "league_capacity_wri.csv": "league,name_zh,fuel,plants,capacity_mw,pumped_storage_mw,source,certainty",
    "league_links.csv": "league_a,league_b,p_nom_mw,source,certainty",
    "grid_ties.csv": "node_a,node_b,p_nom_mw,source,certainty",
    "heating_season.csv": "grid,start,end,source,certainty",
}

HAND = {
    "nodes.csv": ["west,西,grid,west,111,40,1,150100,test,A", "east,东,grid,east,122,43,0,150500,test,A",
                  "base,基地,base,west,110,39,0,,test,A"],
    "capacity.csv": ["2025,west,coal,150,test,A", "2025,east,wind,100,test,A"],
    "channels.csv": ["ch,通道,west,X,2020,40,0.5,,test,A"],
    "technology.csv": ["fx,eur_cny,1,x,test,A", "coal,supply_coal_rate,245.8,gce/kWh,test,A",
                       "coal,co2_intensity,0.34,t/MWh,test,A", "coal,fuel,10,x,test,A", "coal,vom,5,x,test,A",
                       "coal,p_min_pu,0.2,x,test,A", "coal_flex,p_min_pu,0.2,x,test,A",
                       "coal,ramp_limit,1,x,test,A", "wind,vom,0,x,test,A", "solar,vom,0,x,test,A",
                       "hydro,vom,0,x,test,A"],
    "demand.csv": ["2025,0.876,test,A"],
    "full_load_hours.csv": ["west,wind,2000,test,A", "east,wind,2000,test,A", "west,solar,1500,test,A"],
    "leagues.csv": ["150100,呼和浩特市,west,111,40,1,test,A", "150500,通辽市,east,122,43,1,test,A"],
    "league_capacity_wri.csv": ["150100,呼和浩特市,Coal,1,100,0,test,S", "150500,通辽市,Wind,1,100,0,test,S"],
    "league_links.csv": ["150100,150500,60,test,A"],
    "grid_ties.csv": ["west,east,60,test,A"],
    "heating_season.csv": ["west,10-15,04-15,test,A", "east,10-15,04-15,test,A"],
}

STUDIES = """studies:
  - id: hand
    title_zh: 手算
    title_en: hand
    year: 2025
    topology: two_grid
    measures: []
"""

WIND_EAST = [1.0, 0.5, 0.2, 0.0]


def write_folder(root: Path, tables: dict[str, list[str]], studies: str = STUDIES) -> Path:
    """Write a data folder: the given rows under the standard headers, a flat load and the studies."""
    root.mkdir(parents=True, exist_ok=True)
    for name, header in HEADERS.items():
        rows = tables.get(name, [])
        (root / name).write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    load = ["hour,load_mw", *(f"{h},1" for h in range(8760))]
    (root / "load_nm_hourly.csv").write_text("\n".join(load) + "\n", encoding="utf-8")
    (root / "studies.yaml").write_text(studies, encoding="utf-8")
    return root


def wind_profile(first: list[float], key: str = "east:wind") -> dict[str, np.ndarray]:
    """A year-long profile whose first hours are ``first`` (zero afterwards)."""
    values = np.zeros(8760)
    values[: len(first)] = first
    return {key: values}


@pytest.fixture
def hand_profiles() -> dict[str, np.ndarray]:
    """The east wind of the hand network: 1.0, 0.5, 0.2, 0.0 in the first four hours."""
    return wind_profile(WIND_EAST)


@pytest.fixture
def profile_of() -> Callable[..., dict[str, np.ndarray]]:
    """Make a year-long profile from its first hours."""
    return wind_profile


@pytest.fixture
def hand_folder(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "hand", HAND)


@pytest.fixture
def folder_with(tmp_path: Path) -> Callable[..., Path]:
    """Build a folder from HAND with some tables replaced or extended."""

    def make(studies: str = STUDIES, **tables: list[str]) -> Path:
        merged = {**HAND, **{k.replace("_csv", ".csv"): v for k, v in tables.items()}}
        return write_folder(tmp_path / "custom", merged, studies)

    return make
