"""The leagues' energy-increment control numbers (能耗增量控制数) for the m indicator.

``projects/data/league_increment_caps.csv``: one row per league with the five-year span, the cap in 万tce,
its certainty and source. The shipped numbers are 示例数据 (stated assumptions): the real control numbers
were not found; replace the file's rows with the allocated figures.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, ValidationError

from tanfeng.errors import ReferenceDataError, at

__all__ = ["CAPS_FILE", "IncrementCap", "load_caps"]

CAPS_FILE = "league_increment_caps.csv"


class IncrementCap(BaseModel):
    """A league's increment cap over ``base_year``–``end_year``, in 万tce."""

    league: str
    base_year: int
    end_year: int
    increment_cap_10k_tce: float
    certainty: str
    sample: bool
    source: str
    source_zh: str = ""


@lru_cache(maxsize=1)
def load_caps() -> dict[str, IncrementCap]:
    """The caps by league code (ReferenceDataError names the line and field of a bad row)."""
    where = f"projects/data/{CAPS_FILE}"
    text = resources.files("tanfeng.projects").joinpath("data", CAPS_FILE).read_text(encoding="utf-8")
    out: dict[str, IncrementCap] = {}
    for i, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            cap = IncrementCap.model_validate(row)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise ReferenceDataError(err["msg"], location=at(where, line=i, field=str(err["loc"][0]))) from exc
        out[cap.league] = cap
    return out
