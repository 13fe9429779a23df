"""Targets in a table of indicators flattened into lines (a header line, then one line per indicator).

Plans often list their indicators in a table (指标 | 单位 | 2020年 | 2025年 | 属性). Copied from a page or a PDF,
each row becomes a line whose cells are cut by ``|``, a tab or two spaces or more::

    指标 | 单位 | 2020年 | 2025年 | 属性
    非化石能源消费比重 | % | 15.9 | 20 | 约束性
    单位地区生产总值能耗降低 | % | — | [13.5] | 约束性

The value of a row is read in the column of the header's latest year (or the column named 目标), its year from
that header, its unit from the 单位 column (else from the indicator's brackets, 装机容量(万千瓦), or the cell).
An indicator that names a fall (降低, 下降, 减少) or a rise (提高, 增长) is a change, from the year of the
header's earliest year column when there is one. A cell with no number (—, 完成国家下达任务) gives no target.

A row cut by single spaces whose header is not in the text (``12 建成区黑臭水体比例 % 约束性 0 0``) is read by its
属性 cell (约束性, 预期性): of the two cells after it (the current value, the target), the last is the target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tanfeng.plan._extract_lexicon import DECREASE_WORDS, INCREASE_WORDS, TAIL_COMPARATOR, UNITS
from tanfeng.plan.reasons import Reason, reason

__all__ = ["TableTarget", "table_targets"]

_CELL_SEP = re.compile(r"[ \t]*(?:\||│|\t)[ \t]*|[ \t]{2,}")
_YEAR = re.compile(r"(?P<y>(?:19|20)\d{2})[ ]?年?")
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_VALUE = re.compile(
    r"^(?P<pre>≥|≤|>|<|不低于|不少于|不高于|不超过|超过|达到)?[ ]?[\[〔【(]?(?P<v>\d+(?:\.\d+)?)"
    r"(?:[ ]?(?:-|—{1,2}|~|至)[ ]?(?P<v2>\d+(?:\.\d+)?))?[\]〕】)]?[ ]?(?P<unit>" + _UNIT_ALT + r")?"
    r"(?P<tail>以上|以下|以内|左右)?$"
)
_PRE = {"≥": "≥", "不低于": "≥", "不少于": "≥", "≤": "≤", "不高于": "≤", "不超过": "≤", ">": ">", "超过": ">",
        "<": "<", "达到": "="}
_BRACKET_UNIT = re.compile(r"[(（](?P<u>[^()（）]{1,12})[)）]$")
_HEADER_WORDS = ("指标", "单位", "属性", "名称", "序号")
"""Words of a header's own cells (指标名称, 单位, 属性): a row's cells are longer or hold none of them."""


@dataclass(frozen=True)
class TableTarget:
    """A target read off one row of a table: offsets into the text (the row, the value's cell)."""

    row_start: int
    row_end: int
    match_start: int
    match_end: int
    indicator: str
    value: float
    value_high: float | None
    unit: str
    comparator: str
    qualifier: str | None
    year: int | None
    baseline_year: int | None
    confidence: float
    reasons: list[Reason] = field(default_factory=list)


@dataclass(frozen=True)
class _Header:
    cells: int
    target: int
    year: int | None
    base_year: int | None
    unit: int | None
    indicator: int


def _cells(norm: str, start: int, end: int) -> list[tuple[int, int]]:
    """The cells of the line ``norm[start:end]`` as (start, end) offsets (an empty cell kept as one), when it has
    three or more."""
    line = norm[start:end]
    out, pos = [], 0
    for m in _CELL_SEP.finditer(line):
        out.append((start + pos, start + m.start()))
        pos = m.end()
    out.append((start + pos, end))
    if out and not norm[out[0][0]:out[0][1]].strip():
        out = out[1:]  # a line that starts with | (a markdown row)
    if out and not norm[out[-1][0]:out[-1][1]].strip():
        out = out[:-1]
    return out if len(out) >= 3 else []


def _header(texts: list[str]) -> _Header | None:
    """What the columns of a header line are, or None when the line is no table header."""
    if not any(len(t) <= 8 and any(w in t for w in _HEADER_WORDS) for t in texts):
        return None
    years = [(int(m.group("y")), k) for k, t in enumerate(texts) if (m := _YEAR.search(t)) and len(t) <= 12]
    named = [k for k, t in enumerate(texts) if "目标" in t and "指标" not in t]
    if years:
        year, target = max(years)
        base = min(years)[0] if min(years)[0] < year else None
    elif named:
        year, target, base = None, named[-1], None
    else:
        return None
    unit = next((k for k, t in enumerate(texts) if t in ("单位", "计量单位")), None)
    indicator = next((k for k, t in enumerate(texts) if "指标" in t and "属性" not in t and "目标" not in t),
                     next((k for k, t in enumerate(texts) if t not in ("序号", "类别", "领域", "类型")), 0))
    if target <= indicator:
        return None
    return _Header(len(texts), target, year, base, unit, indicator)


def _row_target(norm: str, cells: list[tuple[int, int]], h: _Header, row: tuple[int, int]) -> TableTarget | None:
    """The target of one row under header ``h`` (cells aligned from the right when a merged cell is missing)."""
    shift = h.cells - len(cells)
    if shift < 0 or shift > 1:
        return None

    def cell(k: int | None) -> tuple[int, int] | None:
        return None if k is None or k - shift < 0 else cells[k - shift]

    tcell, icell = cell(h.target), cell(h.indicator) if h.indicator - shift >= 0 else cells[0]
    if tcell is None or icell is None:
        return None
    m = _VALUE.match(norm[tcell[0]:tcell[1]].strip())
    if m is None:
        return None
    doubts = [reason("from_table")]
    indicator = norm[icell[0]:icell[1]].strip()
    ucell = cell(h.unit)
    bracket = _BRACKET_UNIT.search(indicator)
    unit = (norm[ucell[0]:ucell[1]].strip() if ucell else None) or m.group("unit") or (
        bracket.group("u") if bracket else "")
    if bracket:
        indicator = indicator[: bracket.start()]
    v, v2 = float(m.group("v")), float(m.group("v2")) if m.group("v2") else None
    change = ("decrease_by" if any(w in indicator for w in DECREASE_WORDS)
              else "increase_by" if any(w in indicator for w in INCREASE_WORDS) else None)
    tail = m.group("tail")
    if change:
        comparator, qualifier = change, TAIL_COMPARATOR.get(tail or "") or _PRE.get(m.group("pre") or "")
    else:
        qualifier = None
        comparator = ("between" if v2 is not None else TAIL_COMPARATOR.get(tail or "")
                      or _PRE.get(m.group("pre") or "") or "=")
    return TableTarget(row_start=row[0], row_end=row[1], match_start=tcell[0], match_end=tcell[1],
                       indicator=indicator, value=v, value_high=v2, unit=unit, comparator=comparator,
                       qualifier=qualifier if qualifier != "=" else None, year=h.year,
                       baseline_year=h.base_year if change else None, confidence=0.85, reasons=doubts)


_ATTRIBUTE = ("约束性", "预期性")
"""A row's 属性 cell: an indicator table's row even when its header is not in the text."""


def _attribute_row(norm: str, start: int, end: int) -> TableTarget | None:
    """``12 建成区黑臭水体比例 % 约束性 0 0``: a row cut by single spaces whose 属性 cell is followed by two cells,
    the current value and the target (the last); read with no year, as the header is not at hand."""
    tokens = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", norm[start:end])]
    texts = [norm[a:b] for a, b in tokens]
    k = next((i for i, t in enumerate(texts) if t in _ATTRIBUTE), None)
    if k is None or len(texts) - k != 3 or k < 2:
        return None
    m = _VALUE.match(texts[-1])
    if m is None:
        return None
    unit_cell = texts[k - 1]
    has_unit = len(unit_cell) <= 6 and re.search(r"[%‰/]|^(?:" + _UNIT_ALT + r")$", unit_cell) is not None
    names = texts[: k - 1 if has_unit else k]
    numbered = [i for i, t in enumerate(names) if t.isdigit()]
    indicator = "".join(names[numbered[-1] + 1:] if numbered else names)
    if not re.search(r"[\u4e00-\u9fff]{2}", indicator):
        return None
    change = ("decrease_by" if any(w in indicator for w in DECREASE_WORDS)
              else "increase_by" if any(w in indicator for w in INCREASE_WORDS) else None)
    pre = _PRE.get(m.group("pre") or "") or TAIL_COMPARATOR.get(m.group("tail") or "")
    comparator = change or pre or "="
    return TableTarget(row_start=start, row_end=end, match_start=tokens[-1][0], match_end=tokens[-1][1],
                       indicator=indicator, value=float(m.group("v")), value_high=None,
                       unit=unit_cell if has_unit and unit_cell != "/" else (m.group("unit") or ""),
                       comparator=comparator, qualifier=pre if change else None, year=None, baseline_year=None,
                       confidence=0.7, reasons=[reason("from_table_by_attribute")])


def table_targets(norm: str) -> tuple[list[TableTarget], list[tuple[int, int]]]:
    """The targets of the tables in ``norm`` (the normalised text), and the spans of the tables' lines (header
    and rows), which hold no other target."""
    out: list[TableTarget] = []
    spans: list[tuple[int, int]] = []
    header: _Header | None = None
    pos = 0
    for line in norm.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        cells = _cells(norm, start, end)
        if not cells:
            header = None
            if (row := _attribute_row(norm, start, end)) is not None:
                out.append(row)
                spans.append((start, end))
            continue
        texts = [norm[a:b].strip() for a, b in cells]
        if header is not None and (found := _row_target(norm, cells, header, (start, end))) is not None:
            out.append(found)
            spans.append((start, end))
            continue
        new = _header(texts)
        if new is not None:
            header = new
            spans.append((start, end))
        elif header is not None:
            spans.append((start, end))  # a row with no number under a header (—, 完成国家下达任务)
    return out, spans
