"""The indicator vocabulary: every indicator the platform tracks, as data.

Data: ``reference/data/indicators.csv``, one row per indicator:

=====================  ==========================================================================
column                 meaning
=====================  ==========================================================================
``id``                 stable snake_case id (``energy_intensity``), the key of stored values
``label_zh/label_en``  the label pages, downloads and reports show
``unit``               the unit values are stored in; parsed by the one pint registry
                       (:mod:`tanfeng.units`); a price-base qualifier (``亿元 (2020年不变价)``)
                       is kept in the text
``kind``               ``level`` (a stock or flow), ``change`` (a rate of change, %) or ``share`` (%)
``additive``           whether league values add up to the region's
``polarity``           ``higher_better``, ``lower_better`` or ``neutral``
``statistic_aliases``  ids of reference statistics (``reference/data/statistics``) that are values of
                       this indicator, ``;``-separated, in order of priority (the first listed
                       wins a key both give); converted to ``unit`` when read
``forecast_method``    ``linear`` or ``log_linear`` (:func:`tanfeng.tracking.forecast.forecast`)
``headline``           position among the headline figures of the overview page (empty: not shown)
``map``                position among the indicators the league map can be coloured by (empty: not)
``trend``              position among the series of the region page's trend chart (empty: not)
``source``             where the definition comes from
=====================  ==========================================================================
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

from tanfeng.errors import InputError, ReferenceDataError, UnitError, at
from tanfeng.units import parse_unit

__all__ = [
    "Indicator",
    "Kind",
    "Polarity",
    "get_indicator",
    "headline_ids",
    "indicators",
    "label_of",
    "map_ids",
    "parse_vocabulary",
    "statistic_aliases",
    "trend_ids",
]

Kind = Literal["level", "change", "share"]
Polarity = Literal["higher_better", "lower_better", "neutral"]

_FILE = "indicators.csv"
_COLUMNS = ("id", "label_zh", "label_en", "unit", "kind", "additive", "polarity", "statistic_aliases",
            "forecast_method", "headline", "map", "trend", "source")
_KINDS = ("level", "change", "share")
_POLARITIES = ("higher_better", "lower_better", "neutral")
_METHODS = ("linear", "log_linear")


@dataclass(frozen=True, kw_only=True)
class Indicator:
    """One row of the vocabulary (see the module docstring for the columns)."""

    id: str
    label_zh: str
    label_en: str
    unit: str
    kind: Kind
    additive: bool
    polarity: Polarity
    statistic_aliases: tuple[str, ...]
    forecast_method: Literal["linear", "log_linear"]
    headline: int | None
    map: int | None
    trend: int | None
    source: str


def _problem(row: dict[str, str]) -> tuple[str, str] | None:
    """The first bad field of a row and what is wrong with it, or None."""
    for col in _COLUMNS:
        if row.get(col) is None:
            return col, "the column is missing"
    for col in ("id", "label_zh", "label_en", "unit", "source"):
        if not row[col].strip():
            return col, "empty"
    checks = (("kind", _KINDS), ("polarity", _POLARITIES), ("forecast_method", _METHODS),
              ("additive", ("true", "false")))
    for col, allowed in checks:
        if row[col] not in allowed:
            return col, f"'{row[col]}' is not one of {', '.join(allowed)}"
    for col in ("headline", "map", "trend"):
        if row[col] and not row[col].isdigit():
            return col, f"'{row[col]}' is not a position (1, 2 …) or empty"
    try:
        parse_unit(row["unit"])
    except UnitError as exc:
        return "unit", exc.message
    return None


def _position(text: str) -> int | None:
    return int(text) if text else None


def parse_vocabulary(text: str, file: str = _FILE) -> tuple[Indicator, ...]:
    """The rows of a vocabulary CSV (header included).

    Raises
    ------
    ReferenceDataError
        A missing column, an empty or bad field, a unit the registry cannot parse or a repeated id,
        naming the file, the line and the field.
    """
    out: list[Indicator] = []
    seen: set[str] = set()
    for line, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        bad = _problem(row)
        if bad is None and row["id"] in seen:
            bad = ("id", f"'{row['id']}' appears twice")
        if bad is not None:
            msg = f"indicator vocabulary: {bad[1]}"
            raise ReferenceDataError(msg, location=at(file, row=line, field=bad[0]))
        seen.add(row["id"])
        out.append(Indicator(
            id=row["id"], label_zh=row["label_zh"], label_en=row["label_en"], unit=row["unit"],
            kind=row["kind"], additive=row["additive"] == "true", polarity=row["polarity"],  # type: ignore[arg-type]
            statistic_aliases=tuple(a.strip() for a in row["statistic_aliases"].split(";") if a.strip()),
            forecast_method=row["forecast_method"],  # type: ignore[arg-type]
            headline=_position(row["headline"]), map=_position(row["map"]), trend=_position(row["trend"]),
            source=row["source"]))
    return tuple(out)


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[Indicator, ...]:
    return parse_vocabulary(resources.files("tanfeng.reference").joinpath("data", _FILE).read_text(encoding="utf-8"))


def indicators() -> list[Indicator]:
    """Every indicator of the vocabulary, in the file's order."""
    return list(_vocabulary())


def get_indicator(indicator_id: str) -> Indicator:
    """The indicator ``indicator_id``.

    Raises
    ------
    InputError
        The id is not in the vocabulary (the hint lists the known ids).
    """
    for ind in _vocabulary():
        if ind.id == indicator_id:
            return ind
    msg = f"unknown indicator '{indicator_id}'"
    raise InputError(msg, location=at(field="indicator"),
                     hint="known indicators: " + ", ".join(sorted(i.id for i in _vocabulary())))


def label_of(indicator_id: str) -> str:
    """The Chinese label of an indicator, or the id itself for one the vocabulary does not know."""
    return next((i.label_zh for i in _vocabulary() if i.id == indicator_id), indicator_id)


def statistic_aliases() -> dict[str, str]:
    """Reference statistic id → indicator id, for statistics that are values of a tracked indicator."""
    return {alias: i.id for i in _vocabulary() for alias in i.statistic_aliases}


def _ordered(attr: Literal["headline", "map", "trend"]) -> tuple[str, ...]:
    flagged = [(getattr(i, attr), i.id) for i in _vocabulary() if getattr(i, attr) is not None]
    return tuple(i for _, i in sorted(flagged))


def headline_ids() -> tuple[str, ...]:
    """The indicators of the overview page's headline figures, in their order."""
    return _ordered("headline")


def map_ids() -> tuple[str, ...]:
    """The indicators the league map can be coloured by, in the order the page lists them."""
    return _ordered("map")


def trend_ids() -> tuple[str, ...]:
    """The indicators of the region page's trend chart, in their order."""
    return _ordered("trend")
