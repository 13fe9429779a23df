"""The region catalogue (GB/T 2260 codes) and the shipped regional statistics.

The catalogue is ``data/regions.csv``: the nation (``000000`` 全国, the level of national plans; GB/T 2260
itself has no code for it), the 31 province-level divisions, the 12 leagues and cities of Inner Mongolia and
its 103 banners, counties and districts (旗县区), each row with its source and certainty (see
``data/SOURCES.md``). The nation stands above every province (:func:`higher_levels`) without being written as
their ``parent``, which stays the GB/T 2260 parent. Codes that were replaced (152600 乌兰察布盟 → 150900 乌兰察布市,
152800 巴彦淖尔盟 → 150800 巴彦淖尔市) resolve to the current code with a notice.

The statistics are the CSV files of ``data/statistics/``, read into one long table by
:func:`load_statistics` (region, indicator, year, period, value, unit, certainty, source, note).

Examples
--------
>>> get_region("150900").name_zh
'乌兰察布市'
>>> resolve_region_code("152600")
('150900', '152600 is a legacy code (replaced); using 150900 乌兰察布市')
>>> [r.code for r in children("150000")][:3]
['150100', '150200', '150300']
>>> higher_levels("150200")
['150000', '000000']
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Literal

from tanfeng.errors import ImportDataError, ReferenceDataError, UnknownRegionError, at
from tanfeng.reference import ceads
from tanfeng.reference.certainty import Certainty

__all__ = [
    "LEVELS",
    "NATION",
    "REGIONS_FILE",
    "STATISTICS_FILES",
    "Region",
    "RegionLevel",
    "Statistic",
    "children",
    "get_region",
    "higher_levels",
    "known_region_codes",
    "legacy_codes",
    "load_regions",
    "load_statistics",
    "resolve_region_code",
]

RegionLevel = Literal["nation", "province", "league", "county"]
LEVELS: tuple[RegionLevel, ...] = ("nation", "province", "league", "county")
"""The levels of the catalogue, from the top."""
_LEVELS: tuple[str, ...] = LEVELS
_TYPES = frozenset({"国家", "省", "直辖市", "自治区", "地级市", "盟", "市辖区", "旗", "县", "县级市", "自治旗"})

NATION = "000000"
"""The catalogue's key for the nation (全国): national plans are for this region."""
_CODE = re.compile(r"^\d{6}$")

REGIONS_FILE = "regions.csv"
"""Name of the catalogue inside ``tanfeng/reference/data``."""

STATISTICS_FILES: tuple[str, ...] = (
    "im_macro_facts.csv",
    "nbs_2020_province_energy_intensity_change.csv",
    "ndrc_2021h1_dual_control_barometer.csv",
    "im_league_gdp_2023.csv",
    "ceads_co2_totals_1997_2019.csv",
)
"""The statistics files inside ``tanfeng/reference/data/statistics``."""

_HOW_TO_FIND = "run `tanfeng regions` (or call tanfeng.reference.regions.known_region_codes()) to list valid codes"


@dataclass(frozen=True)
class Region:
    """One region of the catalogue."""

    code: str
    name_zh: str
    name_en: str | None
    level: RegionLevel
    parent: str | None
    type: str
    legacy_codes: tuple[str, ...]
    certainty: Certainty
    source: str

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready mapping (the shape of ``tanfeng regions --format json``)."""
        return {
            "code": self.code,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "level": self.level,
            "parent": self.parent,
            "type": self.type,
            "legacy_codes": list(self.legacy_codes),
            "certainty": self.certainty.value,
            "source": self.source,
        }


@dataclass(frozen=True)
class Statistic:
    """One value of a shipped statistics file, in long format."""

    region: str
    indicator: str
    year: int
    period: str | None
    value: float
    unit: str
    certainty: Certainty
    source: str
    note: str | None
    file: str
    """The shipped file the value comes from (relative to ``reference/data``)."""


def _data_text(*parts: str) -> str:
    return resources.files("tanfeng.reference").joinpath("data", *parts).read_text(encoding="utf-8")


def _read_csv(*parts: str) -> list[dict[str, str]]:
    return list(csv.DictReader(_data_text(*parts).splitlines()))


def _region_row_problem(row: dict[str, str], code: str, level: str,
                        seen: dict[str, Region]) -> tuple[str, str] | None:
    """(field, message) of the first problem of a catalogue row, or None."""
    if not _CODE.match(code):
        return "code", f"'{code}' is not a six-digit GB/T 2260 code"
    if code in seen:
        return "code", f"code {code} appears twice"
    if level not in _LEVELS:
        return "level", f"level '{level}' is not one of {', '.join(_LEVELS)}"
    if row["type"] not in _TYPES:
        return "type", f"type '{row['type']}' is not one of {', '.join(sorted(_TYPES))}"
    if row["certainty"].strip() not in {c.value for c in Certainty}:
        return "certainty", f"certainty '{row['certainty']}' is not P, S or R"
    if not row["source"].strip():
        return "source", "every region row needs its source"
    return None


@cache
def _catalogue() -> tuple[tuple[Region, ...], dict[str, Region], dict[str, str]]:
    regions: list[Region] = []
    by_code: dict[str, Region] = {}
    legacy: dict[str, str] = {}
    for row_no, row in enumerate(_read_csv(REGIONS_FILE), start=2):
        code = row["code"].strip()
        level = row["level"].strip()
        problem = _region_row_problem(row, code, level, by_code)
        if problem is not None:
            field, msg = problem
            raise ReferenceDataError(msg, location=at(f"reference/data/{REGIONS_FILE}", row=row_no, field=field))
        certainty = Certainty(row["certainty"].strip())
        olds = tuple(c for c in row["legacy_codes"].split(";") if c.strip())
        region = Region(
            code=code,
            name_zh=row["name_zh"].strip(),
            name_en=row["name_en"].strip() or None,
            level=level,  # type: ignore[arg-type]  # checked against _LEVELS above
            parent=row["parent"].strip() or None,
            type=row["type"],
            legacy_codes=olds,
            certainty=certainty,
            source=row["source"].strip(),
        )
        regions.append(region)
        by_code[code] = region
        for old in olds:
            legacy[old.strip()] = code
    for r in regions:
        if r.parent is not None and r.parent not in by_code:
            msg = f"region {r.code} names parent {r.parent}, which is not in the catalogue"
            raise ReferenceDataError(msg, location=at(f"reference/data/{REGIONS_FILE}", field="parent"))
    clash = set(legacy) & set(by_code)
    if clash:
        msg = f"codes {sorted(clash)} are both current and legacy"
        raise ReferenceDataError(msg, location=at(f"reference/data/{REGIONS_FILE}", field="legacy_codes"))
    return tuple(regions), by_code, legacy


def load_regions() -> list[Region]:
    """All regions of the catalogue, in file order (the nation, provinces, leagues, counties)."""
    return list(_catalogue()[0])


def known_region_codes() -> frozenset[str]:
    """The current codes of the catalogue (legacy codes not included)."""
    return frozenset(_catalogue()[1])


def legacy_codes() -> dict[str, str]:
    """Legacy code → current code, e.g. ``{"152600": "150900", "152800": "150800"}``."""
    return dict(_catalogue()[2])


def resolve_region_code(code: str) -> tuple[str, str | None]:
    """The current code for ``code`` and a notice when ``code`` was a legacy one.

    Raises
    ------
    UnknownRegionError
        ``code`` is neither a current nor a legacy code of the catalogue.
    """
    _, by_code, legacy = _catalogue()
    c = str(code).strip()
    if c in by_code:
        return c, None
    if c in legacy:
        new = legacy[c]
        return new, f"{c} is a legacy code (replaced); using {new} {by_code[new].name_zh}"
    msg = f"region code '{c}' is neither a current GB/T 2260 code in the catalogue nor a known legacy code"
    raise UnknownRegionError(msg, hint=_HOW_TO_FIND)


def get_region(code: str) -> Region:
    """The region for a current or legacy code (legacy codes give the current region).

    Use :func:`resolve_region_code` to get the notice a legacy code produces.
    """
    current, _ = resolve_region_code(code)
    return _catalogue()[1][current]


def higher_levels(code: str) -> list[str]:
    """The regions above ``code``, nearest first: its GB/T 2260 parents, then the nation (for every region but
    the nation itself).

    Raises
    ------
    UnknownRegionError
        ``code`` is not in the catalogue.
    """
    current: str | None = get_region(code).code
    out: list[str] = []
    while current is not None:
        parent = _catalogue()[1][current].parent
        if parent is None or parent in out:
            break
        out.append(parent)
        current = parent
    if get_region(code).level != "nation" and NATION not in out:
        out.append(NATION)
    return out


def children(code: str) -> list[Region]:
    """The direct children of a region (leagues of a province, counties of a league), in code order."""
    current, _ = resolve_region_code(code)
    return sorted((r for r in _catalogue()[0] if r.parent == current), key=lambda r: r.code)


# ---------------------------------------------------------------------------------------------------
# statistics

_FILE_SOURCES = {
    "nbs_2020_province_energy_intensity_change.csv": (
        "国家统计局·国家发展改革委·国家能源局 2020年分省万元地区生产总值能耗降低率等指标公报, 2021-08-23 "
        "(reposted at qiongling.com/2021/08/23/24019.html)"
    ),
    "ndrc_2021h1_dual_control_barometer.csv": (
        "发改办环资〔2021〕629号《2021年上半年各地区能耗双控目标完成情况晴雨表》 "
        "(tax100.com/thread-542865-1-1.html; hbsb.xny365.com/article-48633.html)"
    ),
}
_NBS_COLUMNS = {
    "energy_intensity_change_pct": "energy_intensity_change_vs_prev_year",
    "energy_consumption_growth_pct": "energy_consumption_growth",
    "electricity_intensity_change_pct": "electricity_intensity_change_vs_prev_year",
}
_NDRC_COLUMNS = {
    "intensity_warning_level": "dual_control_intensity_warning_level",
    "total_warning_level": "dual_control_total_warning_level",
}
_PERIOD = re.compile(r"^(\d{4})(?:Q[1-4]|H[12]|-\d{2})?$")


def _certainty(text: str, where: tuple[str, int]) -> Certainty:
    t = text.strip().lower()
    if t.startswith("primary"):
        return Certainty.PRIMARY
    if t.startswith("secondary"):
        return Certainty.SECONDARY
    if t.startswith("recalled"):
        return Certainty.RECALLED
    msg = f"certainty '{text}' is not primary…, secondary… or recalled…"
    raise ImportDataError(msg, location=at(where[0], row=where[1], field="certainty"))


def _float(text: str, where: tuple[str, int], field: str) -> float:
    try:
        return float(text)
    except ValueError:
        msg = f"'{text}' is not a number"
        raise ImportDataError(msg, location=at(where[0], row=where[1], field=field)) from None


def _province_codes() -> dict[str, str]:
    """Short province name (内蒙古, 广西 …) → code."""
    out: dict[str, str] = {}
    for r in _catalogue()[0]:
        if r.level != "province":
            continue
        short = r.name_zh
        for suffix in ("维吾尔自治区", "回族自治区", "壮族自治区", "自治区", "省", "市"):
            if short.endswith(suffix):
                short = short[: -len(suffix)]
                break
        out[short] = r.code
    return out


def _resolve_same_as_above(text: str, done: list[Statistic], file: str, where: tuple[str, int]) -> str:
    source = text.strip()
    if not source:
        msg = "every statistics row needs its source"
        raise ImportDataError(msg, location=at(where[0], row=where[1], field="source"))
    if not source.startswith("同上"):
        return source
    above = next((s.source for s in reversed(done) if s.file == file), None)
    if above is None:
        msg = "'同上' (same as above) on the first row of the file"
        raise ImportDataError(msg, location=at(where[0], row=where[1], field="source"))
    rest = source.removeprefix("同上").strip()
    base = above.split(" [同上: ")[0]
    return f"{base} [同上: {rest}]" if rest else base


def _long_row(row: dict[str, str], where: tuple[str, int], by_code: dict[str, Region]) -> Statistic:
    """One row of a long-format statistics file (region, indicator, year, value, unit, certainty, source)."""
    code = row["region"].strip()
    if code not in by_code:
        msg = f"region code '{code}' is not in the catalogue"
        raise ImportDataError(msg, location=at(where[0], row=where[1], field="region"))
    year = row["year"].strip()
    if not year.isdigit():
        msg = f"'{year}' is not a year"
        raise ImportDataError(msg, location=at(where[0], row=where[1], field="year"))
    return Statistic(region=code, indicator=row["indicator"].strip(), year=int(year), period=None,
                     value=_float(row["value"], where, "value"), unit=row["unit"].strip(),
                     certainty=_certainty(row["certainty"], where), source=row["source"].strip(), note=None,
                     file=where[0])


@cache
def _statistics() -> tuple[Statistic, ...]:
    out: list[Statistic] = []
    provinces = _province_codes()
    by_code = _catalogue()[1]
    for name in STATISTICS_FILES:
        file = f"reference/data/statistics/{name}"
        rows = _read_csv("statistics", name)
        for row_no, row in enumerate(rows, start=2):
            where = (file, row_no)
            if name == "im_macro_facts.csv":
                m = _PERIOD.match(row["year"].strip())
                if m is None:
                    msg = f"'{row['year']}' is not a year or a period like 2023Q1, 2021H1, 2024-05"
                    raise ImportDataError(msg, location=at(file, row=row_no, field="year"))
                period = row["year"].strip() if row["year"].strip() != m.group(1) else None
                cert_text = row["certainty"]
                source = _resolve_same_as_above(row["source"], out, file, where)
                out.append(Statistic(
                    region="150000", indicator=row["indicator"].strip(), year=int(m.group(1)), period=period,
                    value=_float(row["value"], where, "value"), unit=row["unit"].strip(),
                    certainty=_certainty(cert_text, where), source=source,
                    note=f"certainty as transcribed: {cert_text.strip()}", file=file))
            elif name in ("nbs_2020_province_energy_intensity_change.csv", "ndrc_2021h1_dual_control_barometer.csv"):
                province = row["province_zh"].strip()
                if province not in provinces:
                    msg = f"province '{province}' is not in the region catalogue"
                    raise ImportDataError(msg, location=at(file, row=row_no, field="province_zh"))
                columns = _NBS_COLUMNS if name.startswith("nbs") else _NDRC_COLUMNS
                for column, indicator in columns.items():
                    if not row[column].strip():
                        continue  # Tibet is missing from the NBS release
                    out.append(Statistic(
                        region=provinces[province], indicator=indicator,
                        year=2020 if name.startswith("nbs") else 2021,
                        period=None if name.startswith("nbs") else "2021H1",
                        value=_float(row[column], where, column),
                        unit="%" if name.startswith("nbs") else "预警等级 (1 一级/红色, 2 二级/黄色, 3 三级/绿色)",
                        certainty=Certainty.PRIMARY, source=_FILE_SOURCES[name], note=None, file=file))
            elif name == "ceads_co2_totals_1997_2019.csv":
                st = _long_row(row, where, by_code)
                out.append(replace(st, note=ceads.PROVINCE_SCOPE1_NOTE if st.region == "150000"
                                   else ceads.CITY_TOTAL_NOTE))
            else:  # im_league_gdp_2023.csv
                code = row["code"].strip()
                if code not in by_code:
                    msg = f"region code '{code}' is not in the catalogue"
                    raise ImportDataError(msg, location=at(file, row=row_no, field="code"))
                if not row["gdp_2023_yi_yuan"].strip():
                    continue  # missing from the source excerpt
                source = _resolve_same_as_above(row["source"], out, file, where)
                out.append(Statistic(
                    region=code, indicator="gdp_current", year=2023, period=None,
                    value=_float(row["gdp_2023_yi_yuan"], where, "gdp_2023_yi_yuan"), unit="亿元",
                    certainty=_certainty(row["certainty"], where), source=source, note=None, file=file))
    out.extend(_ceads_energy())
    return tuple(out)


def _ceads_energy() -> list[Statistic]:
    """The province's energy-activity CO2 derived from the CEADs sector × fuel inventory (scope-1 − process)."""
    return [Statistic(region="150000", indicator=ceads.PROVINCE_ENERGY_STATISTIC, year=year, period=None,
                      value=value, unit="MtCO2", certainty=Certainty.PRIMARY,
                      source=f"CEADs provincial inventory, energy activity (scope-1 − cement process); "
                             f"{ceads.CEADS_SOURCE}; {ceads.CEADS_CITATION}",
                      note=ceads.PROVINCE_ENERGY_NOTE, file=ceads.SECTOR_FUEL_FILE)
            for year, value in ceads.province_energy_co2().items()]


def load_statistics() -> list[Statistic]:
    """Every value of the shipped statistics files in long format, each with its source and certainty.

    A source written "同上" (same as above) is replaced by the source of the row above, keeping any
    remark that follows it.
    """
    return list(_statistics())
