"""Importers (pure functions): energy balances (NBS layout, CSV or Excel) and enterprise reports (form 205-1 Excel, JSON).

Every importer reads the whole input first and either returns it whole or raises an error naming file,
row and field; nothing partial is returned.

Balance, NBS layout (地区能源平衡表), one sheet or CSV::

    项目, [地区], [年份], 原煤(万吨), 洗精煤(万吨), …, 天然气(亿立方米), 电力(亿千瓦时)

Rows are balance items (一次能源生产量, 进口量, 火力发电, 工业, 其中：用作原料、材料 …, see
``reference/data/energy/balance_items.csv``) or the CEADs sectors (``ceads_sectors.csv``, by id or Chinese
name). Values are printed as NBS prints them: exports, outflows and transformation inputs negative.
Columns name a product (id or Chinese name) with its unit in brackets; a column without a unit is read in
the product's NBS balance unit. Region and year come from the 地区/年份 columns or from the arguments.

The same file in long form (``region, year, flow, sector, product, value[, unit]``) is accepted as well.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl
from pydantic import ValidationError

from tanfeng.accounting.enterprise import EnterpriseReport, FuelUse
from tanfeng.errors import ImportDataError, InputError, Location, NegativeQuantityError, UnitError, at
from tanfeng.intake import (
    MAX_MAGNITUDE,
    Workbook,
    check_rows,
    check_size,
    decode_text,
    finite_number,
    limits,
    refuse_empty,
)
from tanfeng.reference.products import check_unit, get_product
from tanfeng.units import parse_unit

__all__ = ["balance_from_rows", "read_balance", "read_production", "read_report_205_1", "read_report_json", "read_sinks", "report_from_dict"]

_HEADER = re.compile(r"^\s*(?P<name>[^(（]+?)\s*(?:[(（]\s*(?P<unit>[^)）]+?)\s*[)）])?\s*$")
_REGION_COLS = ("地区", "region")
_YEAR_COLS = ("年份", "year")
_ITEM_COLS = ("项目", "item")


@lru_cache(maxsize=1)
def _items() -> dict[str, tuple[str, str, int]]:
    def text(name: str) -> str:
        return resources.files("tanfeng.reference").joinpath("data", "energy", name).read_text(encoding="utf-8")

    items: dict[str, tuple[str, str, int]] = {}
    for row in csv.DictReader(text("ceads_sectors.csv").splitlines()):
        items[row["id"]] = ("final_consumption", row["id"], 1)
        items[row["name_zh"]] = ("final_consumption", row["id"], 1)
    for row in csv.DictReader(text("balance_items.csv").splitlines()):
        items[row["label_zh"]] = (row["flow"], row["sector"], int(row["nbs_sign"]))
    return items


def _filled(row: list[Any]) -> bool:
    """Whether a row has any cell that is not blank."""
    return any(c is not None and str(c).strip() != "" for c in row)


def _unread(row: list[Any], read: set[int | None], *, file: str, row_no: int) -> None:
    """Refuse a row with a value in a column that is not read (no header above it)."""
    for i, c in enumerate(row):
        if i not in read and c is not None and str(c).strip() != "":
            msg = f"the value '{c}' in column {i + 1} has no header; it would not be read"
            raise ImportDataError(msg, location=at(file, row=row_no, field=f"column {i + 1}"),
                                  hint="name the column in the header (product and unit), or clear the cell")


def _cell_number(raw: Any, where: Location) -> float | None:
    return finite_number(raw, where)


def balance_from_rows(rows: list[list[Any]], *, file: str, region: str | None = None,
                      year: int | None = None) -> pl.DataFrame:
    """Parse a balance table given as rows of cells (the first row is the header) into long form.

    Parameters
    ----------
    rows
        Header row then data rows, as read from CSV or Excel.
    file
        Name of the input, quoted in errors.
    region, year
        Region code and year when the table has no 地区/年份 columns.

    Returns
    -------
    polars.DataFrame
        ``region, year, flow, sector, product, value, unit, row`` with positive magnitudes.

    Raises
    ------
    ImportDataError, UnknownProductError, UnitError, NegativeQuantityError
        For a bad header, row or cell (file, row and field named).
    """
    if not any(_filled(r) for r in rows):
        raise refuse_empty(file, header_row=None)
    # title rows above the header (as in printed NBS tables) are skipped; row numbers stay those of the file
    start = next((i for i, r in enumerate(rows)
                  if any(str(c).strip() in (*_ITEM_COLS, "flow") for c in r if c is not None)), 0)
    header = [str(h).strip() if h is not None else "" for h in rows[start]]
    first = start + 2  # file row number of the first data row
    rows = rows[start:]
    if not any(_filled(r) for r in rows[1:]):
        raise refuse_empty(file, header_row=start + 1)
    if {"flow", "product", "value"} <= set(header):
        return _long_rows(header, rows[1:], file=file, region=region, year=year, first=first)
    item_col = next((i for i, h in enumerate(header) if h in _ITEM_COLS), None)
    if item_col is None:
        msg = "no item column (项目) in the header"
        raise ImportDataError(msg, location=at(file, row=start + 1),
                              hint="the header row must name 项目 and the product columns")
    region_col = next((i for i, h in enumerate(header) if h in _REGION_COLS), None)
    year_col = next((i for i, h in enumerate(header) if h in _YEAR_COLS), None)
    products = _product_columns(header, {item_col, region_col, year_col}, file=file, header_row=start + 1)
    labels = {str(r[item_col]).strip() for r in rows[1:] if len(r) > item_col and r[item_col] is not None}
    has_household = "居民生活" in labels
    out: dict[str, list[Any]] = {k: [] for k in _LONG_SCHEMA}
    read = {item_col, region_col, year_col, *(i for i, _, _ in products)}
    for n, r in enumerate(rows[1:], start=first):
        if not _filled(r):
            continue
        _unread(r, read, file=file, row_no=n)
        label = str(r[item_col]).strip() if len(r) > item_col and r[item_col] is not None else ""
        flow, sector, sign = _item_flow(label, has_household=has_household,
                                        where=at(file, row=n, field=header[item_col]))
        if flow == "total":
            continue
        row_region, row_year = _row_region_year(region if region_col is None else str(r[region_col]).strip(),
                                             year if year_col is None else r[year_col], file=file, row_no=n)
        for i, pid, unit in products:
            value = _cell_number(r[i] if i < len(r) else None, at(file, row=n, field=header[i]))
            if value is None or value == 0:
                continue
            cell_flow, magnitude = _signed(flow, sign, value)
            if magnitude < 0 and cell_flow != "stock_draw":
                msg = f"'{label}' has the wrong sign for {pid}: {value}"
                raise NegativeQuantityError(msg, location=at(file, row=n, field=header[i]),
                                            hint="exports, outflows and inputs are printed negative; consumption positive")
            for key, cell in zip(_LONG_SCHEMA, (row_region, row_year, cell_flow, sector, pid, magnitude, unit, n),
                                 strict=True):
                out[key].append(cell)
    return pl.DataFrame(out, schema=_LONG_SCHEMA)


_LONG_SCHEMA: dict[str, Any] = {"region": pl.String, "year": pl.Int64, "flow": pl.String, "sector": pl.String,
                                "product": pl.String, "value": pl.Float64, "unit": pl.String, "row": pl.Int64}
"""The long form every balance importer gives, in this column order."""


def _product_columns(header: list[str], skip: set[int | None], *, file: str,
                     header_row: int) -> list[tuple[int, str, str]]:
    """(column, product id, unit) of every product column: ``原煤(万吨)``; no unit means the balance unit."""
    products: list[tuple[int, str, str]] = []
    for i, h in enumerate(header):
        if i in skip or not h:
            continue
        m = _HEADER.match(h)
        name = m.group("name") if m else h
        p = get_product(name, where=at(file, row=header_row, field=h))
        unit = (m.group("unit") if m and m.group("unit") else None) or p.balance_unit
        try:
            parse_unit(unit)
        except UnitError as exc:
            raise UnitError(exc.message, location=at(file, row=header_row, field=h), hint=exc.hint) from exc
        check_unit(p, unit, where=at(file, row=header_row, field=h), allow_heat=p.dimension == "energy")
        products.append((i, p.id, unit))
    return products


def _item_flow(label: str, *, has_household: bool, where: Location) -> tuple[str, str, int]:
    """A row label's flow, sector and NBS sign (0: transformation, the cell's sign tells input or output).

    城镇/乡村 are household consumption when the table has no 居民生活 row (otherwise its sub-rows).
    """
    items = _items()
    if label in ("城镇", "乡村") and not has_household:
        return "final_consumption", "urban" if label == "城镇" else "rural", 1
    if label in items:
        return items[label]
    if ":" in label and label.split(":", 1)[0] in ("final_consumption", "non_energy_use", "transformation"):
        flow, sector = label.split(":", 1)
        return flow, sector, 0 if flow == "transformation" else 1
    msg = f"unknown balance item '{label}'"
    raise ImportDataError(msg, location=where, hint="use an NBS balance row (一次能源生产量, 工业 …), a CEADs "
                          "sector, or flow:sector (final_consumption:coal_mining)")


def _row_region_year(region: str | None, year_cell: Any, *, file: str, row_no: int) -> tuple[str, int]:
    """A row's region and year (from its columns or the arguments); both must be there."""
    if not region:
        msg = "no region: add a 地区 column or give the region"
        raise ImportDataError(msg, location=at(file, row=row_no, field="地区"))
    year = _cell_number(year_cell, at(file, row=row_no, field="年份"))
    if year is None:
        msg = "no year: add a 年份 column or give the year"
        raise ImportDataError(msg, location=at(file, row=row_no, field="年份"))
    return region, int(year)


def _signed(flow: str, sign: int, value: float) -> tuple[str, float]:
    """A printed cell as (flow, magnitude): transformation rows split by the cell's sign, others × the row's sign."""
    if sign == 0:
        return ("transformation_input" if value < 0 else "transformation_output"), abs(value)
    return flow, value * sign


def _long_rows(header: list[str], rows: list[list[Any]], *, file: str, region: str | None,
               year: int | None, first: int = 2) -> pl.DataFrame:
    out: dict[str, list[Any]] = {k: [] for k in ("region", "year", "flow", "sector", "product", "value", "unit", "row")}
    idx = {h: i for i, h in enumerate(header)}
    read: set[int | None] = {i for h, i in idx.items() if h in out}
    for n, r in enumerate(rows, start=first):
        if not _filled(r):
            continue
        _unread(r, read, file=file, row_no=n)

        def get(col: str, r: list[Any] = r) -> Any:
            return r[idx[col]] if col in idx and idx[col] < len(r) else None

        reg = str(get("region") or region or "").strip()
        yr = _cell_number(get("year") if "year" in idx else year, at(file, row=n, field="year"))
        v = _cell_number(get("value"), at(file, row=n, field="value"))
        if not reg or yr is None or v is None:
            field = "region" if not reg else "year" if yr is None else "value"
            msg = f"missing {field}"
            raise ImportDataError(msg, location=at(file, row=n, field=field))
        p = get_product(str(get("product") or ""), where=at(file, row=n, field="product"))
        out["region"].append(reg)
        out["year"].append(int(yr))
        out["flow"].append(str(get("flow") or "").strip())
        out["sector"].append(str(get("sector") or "").strip())
        out["product"].append(p.id)
        out["value"].append(v)
        out["unit"].append(str(get("unit") or p.balance_unit).strip())
        out["row"].append(n)
    return pl.DataFrame(out, schema={"region": pl.String, "year": pl.Int64, "flow": pl.String, "sector": pl.String,
                                     "product": pl.String, "value": pl.Float64, "unit": pl.String, "row": pl.Int64})


def _excel_rows(path: Path, sheet: str | None = None) -> list[list[Any]]:
    """Every row of a sheet (the first by default), read whole: see :class:`tanfeng.intake.Workbook`."""
    book = Workbook(path, path.name)
    try:
        name = sheet or book.first_sheet()
        return [list(r) for _, r in book.rows(name)]
    finally:
        book.close()


def _csv_rows(path: Path) -> list[list[Any]]:
    """Every row of a CSV file (UTF-8 or UTF-16 with BOM), within the size and row limits."""
    lim = limits()
    try:
        check_size(path.stat().st_size, path.name, lim)
        data = path.read_bytes()
    except OSError as exc:
        msg = f"cannot read the file: {exc}"
        raise ImportDataError(msg, location=at(path.name)) from exc
    rows: list[list[Any]] = []
    try:
        for n, r in enumerate(csv.reader(io.StringIO(decode_text(data, path.name), newline="")), start=1):
            check_rows(n, path.name, lim)
            rows.append(list(r))
    except csv.Error as exc:
        msg = f"not a CSV file: {exc}"
        raise ImportDataError(msg, location=at(path.name, row=len(rows) + 1)) from exc
    return rows


def read_balance(path: str | Path, *, region: str | None = None, year: int | None = None,
                 sheet: str | None = None) -> pl.DataFrame:
    """Read an energy balance from CSV or Excel (``.xlsx``) in the NBS layout or in long form.

    Parameters
    ----------
    path
        The file.
    region, year
        Region code and year when the table has no 地区/年份 columns.
    sheet
        Excel sheet name (default: the first).

    Raises
    ------
    ImportDataError, UnknownProductError, UnitError, NegativeQuantityError
        For a bad file, row or field; nothing is returned in part.
    """
    p = Path(path)
    if not p.exists():
        msg = "file not found"
        raise ImportDataError(msg, location=at(p))
    rows = _excel_rows(p, sheet) if p.suffix.lower() in (".xlsx", ".xlsm") else _csv_rows(p)
    return balance_from_rows(rows, file=p.name, region=region, year=year)


# -- enterprise ---------------------------------------------------------------------------------------

def _validation_error(exc: ValidationError, file: str) -> ImportDataError:
    err = exc.errors()[0]
    loc = [str(x) for x in err["loc"]]
    row = next((int(x) + 1 for x in loc if x.isdigit()), None)
    msg = f"{err['msg']} (at {'.'.join(loc)})"
    return ImportDataError(msg, location=at(file, row=row, field=loc[-1] if loc else None))


def report_from_dict(data: dict[str, Any], *, file: str = "<json>") -> EnterpriseReport:
    """Validate an enterprise report given as a mapping (the JSON layout of :class:`EnterpriseReport`).

    Raises
    ------
    ImportDataError
        If a field is missing or invalid; the error names the item (row, counted from 1) and the field.
    """
    _check_numbers(data, file, ())
    try:
        return EnterpriseReport.model_validate(data)
    except ValidationError as exc:
        raise _validation_error(exc, file) from exc


def _check_numbers(value: Any, file: str, path: tuple[str | int, ...]) -> None:
    """Refuse NaN, infinity and magnitudes above ``MAX_MAGNITUDE`` anywhere in a report (as numbers or as
    text such as ``"nan"``), naming the item (row, counted from 1) and the field."""
    if isinstance(value, dict):
        for k, v in value.items():
            _check_numbers(v, file, (*path, str(k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _check_numbers(v, file, (*path, i))
    elif isinstance(value, int | float | str) and not isinstance(value, bool):
        if isinstance(value, str):
            try:
                number = float(value)
            except ValueError:
                return
        else:
            number = float(value)
        if not math.isfinite(number) or abs(number) > MAX_MAGNITUDE:
            row = next((p + 1 for p in path if isinstance(p, int)), None)
            field = str(path[-1]) if path else None
            msg = f"{value!r} is not a finite number within ±{MAX_MAGNITUDE:g} (at {'.'.join(map(str, path))})"
            raise ImportDataError(msg, location=at(file, row=row, field=field))


def read_report_json(path: str | Path) -> EnterpriseReport:
    """Read an enterprise report from JSON (see :class:`EnterpriseReport` for the fields)."""
    p = Path(path)
    try:
        check_size(p.stat().st_size, p.name)
        raw = p.read_bytes()
    except OSError as exc:
        msg = f"cannot read the file: {exc}"
        raise ImportDataError(msg, location=at(p)) from exc
    text = decode_text(raw, p.name)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"not valid JSON: {exc.msg}"
        raise ImportDataError(msg, location=at(p.name, line=exc.lineno)) from exc
    except RecursionError as exc:
        msg = "the JSON is nested too deeply"
        raise ImportDataError(msg, location=at(p.name), hint="a report is an object of lists of objects") from exc
    if not isinstance(data, dict):
        msg = "the report must be a JSON object"
        raise ImportDataError(msg, location=at(p.name))
    return report_from_dict(data, file=p.name)


_F2051 = {
    "name": ("能源名称",),
    "unit": ("计量单位",),
    "consumption": ("消费量合计", "消费量", "合计"),
    "feedstock": ("用于原材料", "其中：用于原材料", "其中:用于原材料"),
    "ncv": ("低位发热量",),
    "ncv_unit": ("低位发热量单位",),
}


def _f2051_header(rows: list[list[Any]], file: str) -> tuple[int, list[str], dict[str, int]]:
    """The header row of a 205-1 table (index, cells without spaces) and the column of each field it names.

    Raises
    ------
    ImportDataError
        No row names 能源名称, or 计量单位 or 消费量合计 is missing.
    """
    head_n = next((i for i, r in enumerate(rows) if any(str(c).strip() == "能源名称" for c in r if c is not None)), None)
    if head_n is None:
        msg = "no header row with 能源名称"
        raise ImportDataError(msg, location=at(file), hint="form 205-1 columns: 能源名称, 计量单位, 消费量合计 …")
    header = [str(c).strip().replace(" ", "") if c is not None else "" for c in rows[head_n]]
    col: dict[str, int] = {}
    for key, names in _F2051.items():
        for col_name in names:
            if col_name in header:
                col[key] = header.index(col_name)
                break
    for key in ("name", "unit", "consumption"):
        if key not in col:
            msg = f"column {_F2051[key][0]} is missing"
            raise ImportDataError(msg, location=at(file, row=head_n + 1, field=_F2051[key][0]))
    return head_n, header, col


def _f2051_consumption(row: list[Any], col: dict[str, int], header: list[str], *, file: str,
                       row_no: int) -> tuple[float, float]:
    """A 205-1 row's total consumption and its feedstock use (0 when not given); neither negative, feedstock
    not above the total."""
    total = _cell_number(row[col["consumption"]], at(file, row=row_no, field=header[col["consumption"]]))
    if total is None:
        msg = f"{header[col['consumption']]} is empty"
        raise ImportDataError(msg, location=at(file, row=row_no, field=header[col["consumption"]]),
                              hint="write 0 if the product was not used")
    feed = 0.0
    if "feedstock" in col:
        feed = _cell_number(row[col["feedstock"]], at(file, row=row_no, field=header[col["feedstock"]])) or 0.0
    if total < 0 or feed < 0:
        msg = "consumption must not be negative"
        raise NegativeQuantityError(msg, location=at(file, row=row_no, field=header[col["consumption"]]))
    if feed > total:
        msg = f"feedstock use {feed} exceeds consumption {total}"
        raise ImportDataError(msg, location=at(file, row=row_no, field=header[col["feedstock"]]))
    return total, feed


def read_report_205_1(path: str | Path, *, enterprise: str, year: int, sector: str = "generic",
                      region: str | None = None, sheet: str | None = None) -> EnterpriseReport:
    """Read an enterprise's energy data from Excel in the layout of form 205-1 (工业企业能源购进、消费与库存).

    The header row names at least 能源名称, 计量单位 and 消费量合计 (or 消费量); 用于原材料 (feedstock, kept
    out of combustion) and 低位发热量 / 低位发热量单位 (measured NCV) are read when present. Electricity
    (电力) becomes purchased electricity and heat (热力) purchased heat; every other row is a fuel burnt.

    Parameters
    ----------
    path
        The workbook.
    enterprise, year, sector, region
        What the report is about (form 205-1 carries them in its heading, not in the table).
    sheet
        Sheet name (default: the first).

    Raises
    ------
    ImportDataError, UnknownProductError, UnitError, NegativeQuantityError
        For a bad row or field (file, row and field named); nothing partial is returned.
    """
    p = Path(path)
    if not p.exists():
        msg = "file not found"
        raise ImportDataError(msg, location=at(p))
    rows = _excel_rows(p, sheet)
    if not any(_filled(r) for r in rows):
        raise refuse_empty(p.name, header_row=None)
    head_n, header, col = _f2051_header(rows, p.name)
    width = len(header)
    rows = [[*r, *([None] * (width - len(r)))] for r in rows]
    fuels: list[FuelUse] = []
    electricity = heat = 0.0
    el_unit, heat_unit = "MWh", "GJ"
    seen: dict[str, int] = {}
    for n, r in enumerate(rows[head_n + 1:], start=head_n + 2):
        name = r[col["name"]]
        if name is None or not str(name).strip():
            if _filled(r):
                msg = "能源名称 is empty but the row has figures; it would not be read"
                raise ImportDataError(msg, location=at(p.name, row=n, field="能源名称"),
                                      hint="name the energy product, or clear the row")
            continue
        label = re.sub(r"^\s*\d+[.、\s]*", "", str(name)).strip()
        if label in ("合计", "能源消费总量", "综合能源消费量"):
            continue
        prod = get_product(label, where=at(p.name, row=n, field="能源名称"))
        if prod.id in ("electricity", "heat") and prod.id in seen:
            msg = f"{label} is given twice (first at row {seen[prod.id]})"
            raise ImportDataError(msg, location=at(p.name, row=n, field="能源名称"), hint="give one row per product")
        seen.setdefault(prod.id, n)
        unit = str(r[col["unit"]] or "").strip()
        where_u = at(p.name, row=n, field="计量单位")
        check_unit(prod, unit, where=where_u)
        total, feed = _f2051_consumption(r, col, header, file=p.name, row_no=n)
        if prod.id == "electricity":
            electricity, el_unit = total, unit
            continue
        if prod.id == "heat":
            heat, heat_unit = total, unit
            continue
        ncv = _cell_number(r[col["ncv"]], at(p.name, row=n, field="低位发热量")) if "ncv" in col else None
        ncv_unit = str(r[col["ncv_unit"]]).strip() if "ncv_unit" in col and r[col["ncv_unit"]] else None
        fuels.append(FuelUse(product=prod.id, quantity=total - feed, unit=unit, ncv=ncv, ncv_unit=ncv_unit))
    if not seen:
        raise refuse_empty(p.name, header_row=head_n + 1)
    data: dict[str, Any] = {
        "enterprise": enterprise, "year": year, "sector": sector, "region": region,
        "fuels": [f.model_dump() for f in fuels],
        "purchased_electricity": electricity, "electricity_unit": el_unit,
        "purchased_heat": heat, "heat_unit": heat_unit,
    }
    try:
        return report_from_dict(data, file=p.name)
    except InputError:
        raise


def _small_table(path: str | Path, columns: tuple[str, ...], numeric: str) -> pl.DataFrame:
    p = Path(path)
    if not p.exists():
        msg = "file not found"
        raise ImportDataError(msg, location=at(p))
    rows = _excel_rows(p) if p.suffix.lower() in (".xlsx", ".xlsm") else _csv_rows(p)
    if not any(_filled(r) for r in rows):
        raise refuse_empty(p.name, header_row=None)
    if not any(_filled(r) for r in rows[1:]):
        raise refuse_empty(p.name, header_row=1)
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    missing = [c for c in columns if c not in header]
    if missing:
        msg = f"missing columns {missing}"
        raise ImportDataError(msg, location=at(p.name, row=1), hint=f"columns needed: {', '.join(columns)}")
    idx = {c: header.index(c) for c in columns}
    out: dict[str, list[Any]] = {c: [] for c in (*columns, "row")}
    for n, r in enumerate(rows[1:], start=2):
        if not any(c not in (None, "") for c in r):
            continue
        for c in columns:
            raw = r[idx[c]] if idx[c] < len(r) else None
            if c in ("year", numeric):
                v = _cell_number(raw, at(p.name, row=n, field=c))
                if v is None:
                    msg = f"missing {c}"
                    raise ImportDataError(msg, location=at(p.name, row=n, field=c))
                out[c].append(int(v) if c == "year" else v)
            else:
                if raw is None or not str(raw).strip():
                    msg = f"missing {c}"
                    raise ImportDataError(msg, location=at(p.name, row=n, field=c))
                out[c].append(str(raw).strip())
        out["row"].append(n)
    schema = {c: (pl.Int64 if c in ("year", "row") else pl.Float64 if c == numeric else pl.String) for c in out}
    return pl.DataFrame(out, schema=schema)


def read_production(path: str | Path) -> pl.DataFrame:
    """Read industrial production (CSV or .xlsx): ``region, year, process, value`` with value in t of product.

    Raises
    ------
    ImportDataError
        For a missing column or a bad cell (file, row and field named).
    """
    df = _small_table(path, ("region", "year", "process", "value"), "value")
    neg = df.filter(pl.col("value") < 0)
    if neg.height:
        msg = "production must not be negative"
        raise NegativeQuantityError(msg, location=at(Path(path).name, row=neg["row"][0], field="value"))
    return df


def read_sinks(path: str | Path) -> pl.DataFrame:
    """Read LULUCF removals (CSV or .xlsx): ``region, year, category, tco2`` with tco2 ≤ 0 (tCO2)."""
    return _small_table(path, ("region", "year", "category", "tco2"), "tco2")
