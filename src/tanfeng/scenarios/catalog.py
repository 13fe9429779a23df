"""The model's sectors, fuel groups and league groups, read from ``scenarios/data/*.csv`` with their sources."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from tanfeng.errors import ReferenceDataError, at

__all__ = ["Catalog", "FuelDef", "LeagueDef", "SectorDef", "load_catalog"]


@dataclass(frozen=True)
class SectorDef:
    """A model sector: the CEADs sectors it gathers and its stated driver assumptions."""

    id: str
    name_zh: str
    name_en: str
    ceads_sectors: tuple[str, ...]
    gdp_share_base: float
    """Share of regional GDP in the base year (assumption; sets the activity level only)."""
    elasticity: float
    """Growth of the sector's activity per unit of GDP growth."""
    intensity_change_pct: float
    """Autonomous change of energy per unit of activity, % a year (no lever)."""
    certainty: str
    source: str


@dataclass(frozen=True)
class FuelDef:
    """A fuel group: the CEADs fuels it gathers and its emission factor (tCO2/tce) with a 95 % half-width."""

    id: str
    name_zh: str
    ceads_fuels: tuple[str, ...]
    factor: float
    u95_pct: float
    certainty: str
    source: str


@dataclass(frozen=True)
class LeagueDef:
    """A league and the plan's league type it is placed in (light | renewable | heavy), with the reason."""

    region: str
    name_zh: str
    group: str
    reason: str
    certainty: str
    reason_zh: str = ""


@dataclass(frozen=True)
class Catalog:
    """Sectors, fuels and leagues in their file order."""

    sectors: tuple[SectorDef, ...]
    fuels: tuple[FuelDef, ...]
    leagues: tuple[LeagueDef, ...]

    @property
    def sector_ids(self) -> tuple[str, ...]:
        """Sector ids in order."""
        return tuple(s.id for s in self.sectors)

    @property
    def fuel_ids(self) -> tuple[str, ...]:
        """Fuel ids in order."""
        return tuple(f.id for f in self.fuels)


_GROUPS = ("light", "renewable", "heavy")


def _rows(name: str) -> list[tuple[int, dict[str, str]]]:
    text = resources.files("tanfeng.scenarios").joinpath("data", name).read_text(encoding="utf-8")
    return list(enumerate(csv.DictReader(text.splitlines()), start=2))


def _num(row: dict[str, str], field: str, file: str, line: int) -> float:
    try:
        return float(row[field])
    except ValueError:
        msg = f"'{row[field]}' is not a number"
        raise ReferenceDataError(msg, location=at(file, row=line, field=field)) from None


def _same_as_above(text: str, above: str) -> str:
    return above + text.removeprefix("同上") if text.startswith("同上") else text


@cache
def load_catalog() -> Catalog:
    """The shipped catalogue (``scenarios/data/sectors.csv``, ``fuels.csv``, ``leagues.csv``)."""
    sectors: list[SectorDef] = []
    file = "scenarios/data/sectors.csv"
    for line, r in _rows("sectors.csv"):
        source = _same_as_above(r["source"], sectors[-1].source.split("; share")[0] if sectors else "")
        sectors.append(SectorDef(
            id=r["id"], name_zh=r["name_zh"], name_en=r["name_en"], ceads_sectors=tuple(r["ceads_sectors"].split(";")),
            gdp_share_base=_num(r, "gdp_share_base", file, line), elasticity=_num(r, "elasticity", file, line),
            intensity_change_pct=_num(r, "intensity_change_pct", file, line), certainty=r["certainty"], source=source))
    file = "scenarios/data/fuels.csv"
    fuels = [FuelDef(id=r["id"], name_zh=r["name_zh"], ceads_fuels=tuple(r["ceads_fuels"].split(";")),
                     factor=_num(r, "factor_tco2_per_tce", file, line), u95_pct=_num(r, "u95_pct", file, line),
                     certainty=r["certainty"], source=r["source"]) for line, r in _rows("fuels.csv")]
    leagues: list[LeagueDef] = []
    for line, r in _rows("leagues.csv"):
        if r["group"] not in _GROUPS:
            msg = f"league group '{r['group']}' is not one of {', '.join(_GROUPS)}"
            raise ReferenceDataError(msg, location=at("scenarios/data/leagues.csv", row=line, field="group"))
        leagues.append(LeagueDef(region=r["region"], name_zh=r["name_zh"], group=r["group"], reason=r["reason"],
                                 certainty=r["certainty"], reason_zh=r.get("reason_zh") or ""))
    return Catalog(sectors=tuple(sectors), fuels=tuple(fuels), leagues=tuple(leagues))
