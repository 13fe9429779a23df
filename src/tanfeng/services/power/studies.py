"""Use cases: the shipped studies and what a study's network is made of (no solve)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from tanfeng.power.data import HOURS_PER_YEAR, MEASURES
from tanfeng.power.network import BuildOptions, build_network
from tanfeng.power.profiles import SYNTHETIC_NOTE
from tanfeng.power.studies import get_study
from tanfeng.services.power._cache import data_set

__all__ = ["MEASURES", "BusOut", "NetworkOut", "StudyOut", "build_study", "list_studies"]


class StudyOut(BaseModel):
    """A shipped study as ``tanfeng power list`` and the API show it."""

    id: str
    title_zh: str
    title_en: str
    year: int
    topology: str
    measures: list[str]
    co2_cap_mt: float | None
    note: str = SYNTHETIC_NOTE


class BusOut(BaseModel):
    """A bus of a built network with its coordinates (longitude, latitude) and grid."""

    name: str
    x: float
    y: float
    grid: str | None


class NetworkOut(BaseModel):
    """What a study's network holds: buses, links, capacities by carrier (MW), channels."""

    study: str
    year: int
    topology: str
    snapshots: int
    buses: list[BusOut]
    links: list[dict[str, str | float]]
    capacity_mw: dict[str, float]
    loads_twh: float
    channels: list[str]
    note: str = SYNTHETIC_NOTE


def list_studies(*, data_dir: Path | None = None) -> list[StudyOut]:
    """The studies in ``studies.yaml``."""
    data = data_set(data_dir)
    return [StudyOut(id=s.id, title_zh=s.title_zh, title_en=s.title_en, year=s.year, topology=s.topology,
                     measures=list(s.measures), co2_cap_mt=s.co2_cap_mt) for s in data.studies.values()]


def build_study(study_id: str, *, hours: int = HOURS_PER_YEAR, start: int = 0,
                data_dir: Path | None = None) -> NetworkOut:
    """Build the study's network and describe it (nothing is solved)."""
    data = data_set(data_dir)
    study = get_study(data, study_id)
    built = build_network(data, study, BuildOptions(hours=hours, start=start))
    n = built.network
    capacity: dict[str, float] = {}
    for carrier, value in n.generators.groupby("carrier").p_nom.sum().items():
        if carrier != "export":
            capacity[str(carrier)] = float(value)
    for carrier, value in n.storage_units.groupby("carrier").p_nom.sum().items():
        capacity[str(carrier)] = float(value)
    buses = [BusOut(name=str(b), x=float(r.x), y=float(r.y), grid=built.bus_grid.get(str(b)))
             for b, r in n.buses.iterrows()]
    links = [{"name": str(name), "bus0": str(r.bus0), "bus1": str(r.bus1), "p_nom_mw": float(r.p_nom)}
             for name, r in n.links.iterrows()]
    return NetworkOut(study=study.id, year=study.year, topology=study.topology, snapshots=len(n.snapshots),
                      buses=buses, links=links, capacity_mw=capacity,
                      loads_twh=float(n.loads_t.p_set.sum().sum()) / 1e6,
                      channels=[c.name for c in built.channels])
