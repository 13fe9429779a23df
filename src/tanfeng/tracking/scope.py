"""What is tracked and against which pace: the plan's region, its leagues, the required yearly changes.

The required pace of energy and carbon intensity is a **stated assumption** kept in
``reference/data/tracking/required_pace.csv`` with its source and note: the region's own allocated
14th-FYP intensity target is not in the store, so the barometer measures each year against the
five-year fall spread evenly, ``((1 + Δ₅)^(1/5) − 1) × 100`` (−15 % over five years → −3.2 %/a).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from tanfeng.errors import ReferenceDataError, at
from tanfeng.reference.regions import children

__all__ = [
    "BASE_YEAR",
    "PLAN_ID",
    "REGION",
    "RequiredPace",
    "carbon_required_annual_pct",
    "intensity_required_annual_pct",
    "leagues",
    "required_note",
    "required_pace",
]

PLAN_ID = "im2022"
"""The plan tracked: 内党发〔2022〕19号《内蒙古自治区碳达峰实施方案》."""
REGION = "150000"
"""The plan's region (内蒙古自治区, GB/T 2260)."""
BASE_YEAR = 2020
"""Base year of the 14th five-year plan's targets and of the constant prices GDP must be at."""

_FILE = "required_pace.csv"


@dataclass(frozen=True, kw_only=True)
class RequiredPace:
    """A required five-year change spread evenly over its years (a row of ``required_pace.csv``)."""

    id: str
    indicator: str
    five_year_change_pct: float
    years: int
    certainty: str
    assumption: bool
    source: str
    note: str

    @property
    def annual_pct(self) -> float:
        """The even yearly change, %, rounded to 2 decimals: ``((1 + Δ/100)^(1/years) − 1) × 100``."""
        factor: float = (1 + self.five_year_change_pct / 100) ** (1 / self.years)
        return round((factor - 1) * 100, 2)


@lru_cache(maxsize=1)
def _paces() -> dict[str, RequiredPace]:
    text = resources.files("tanfeng.reference").joinpath("data", "tracking", _FILE).read_text(encoding="utf-8")
    out: dict[str, RequiredPace] = {}
    for line, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        try:
            pace = RequiredPace(id=row["id"], indicator=row["indicator"],
                                five_year_change_pct=float(row["five_year_change_pct"]), years=int(row["years"]),
                                certainty=row["certainty"], assumption=row["assumption"] == "true",
                                source=row["source"], note=row["note"])
        except (KeyError, ValueError) as exc:
            msg = f"required pace: {exc}"
            raise ReferenceDataError(msg, location=at(_FILE, row=line)) from exc
        if pace.years <= 0 or pace.five_year_change_pct <= -100:
            msg = "required pace: years must be positive and the change above −100 %"
            raise ReferenceDataError(msg, location=at(_FILE, row=line, field="five_year_change_pct"))
        out[pace.id] = pace
    return out


def required_pace(pace_id: str) -> RequiredPace:
    """The row ``pace_id`` (``energy_intensity``, ``carbon_intensity``) of the required pace."""
    try:
        return _paces()[pace_id]
    except KeyError:
        msg = f"required pace has no row '{pace_id}'"
        raise ReferenceDataError(msg, location=at(_FILE, field="id")) from None


def intensity_required_annual_pct() -> float:
    """Required yearly change of energy intensity, % (−3.2: a 15 % fall over 2021–2025; an assumption)."""
    return required_pace("energy_intensity").annual_pct


def carbon_required_annual_pct() -> float:
    """Required yearly change of carbon intensity, % (−3.89: the national 18 % over five years; an assumption)."""
    return required_pace("carbon_intensity").annual_pct


def required_note() -> str:
    """The note a report or page prints beside the warnings: which pace each level is measured against."""
    notes = "; ".join(p.note for p in _paces().values())
    return f"{notes}; 能耗总量增速上限 = 实际GDP增速下按强度进度允许的增速 (推定)"


def leagues(region: str = REGION) -> tuple[str, ...]:
    """The league codes of ``region`` in code order (the 12 leagues of Inner Mongolia)."""
    return tuple(r.code for r in children(region))
