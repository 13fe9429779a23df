"""The Excel 清单 of projects as offices keep it: one sheet ``项目清单``, one row per project.

Reading is all or nothing: every row is checked and the first problem is raised with its row (Excel row
number) and field (the column header); no project of a refused file is kept. Officials are written
``姓名/职务/部门`` separated by ``;``, milestones ``名称/YYYY-MM-DD`` separated by ``;``, departments by ``、``.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook as NewWorkbook
from pydantic import ValidationError

from tanfeng.cells import xlsx_safe
from tanfeng.errors import InputError, at
from tanfeng.intake import Workbook, finite_number, refuse_empty
from tanfeng.projects.registry import Milestone, Official, Project

__all__ = ["COLUMNS", "SHEET", "read_workbook", "write_workbook"]

SHEET = "项目清单"
COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", "项目代码"), ("name", "项目名称"), ("owner_code", "业主统一社会信用代码"), ("owner_name", "业主单位"),
    ("league", "盟市代码"), ("county", "旗县代码"), ("industry", "行业代码"), ("project_type", "项目类型"),
    ("stage", "阶段"), ("rebuild", "原址改扩建"), ("national_major", "国家规划布局重大项目"),
    ("capacity", "产能"), ("capacity_unit", "产能单位"), ("product", "产品"), ("output", "年产量"),
    ("energy_equal_tce", "年综合能耗当量值(tce)"), ("energy_equiv_tce", "年综合能耗等价值(tce)"),
    ("coal_t", "煤炭消费(t)"), ("electricity_10k_kwh", "电力消费(万kWh)"), ("feedstock_tce", "原料用能(tce)"),
    ("value_added_10k_yuan", "年增加值(万元)"), ("departments", "责任部门"), ("officials", "责任人"),
    ("milestones", "节点"), ("sample", "示例数据"),
)
_NUMBERS = frozenset({"capacity", "output", "energy_equal_tce", "energy_equiv_tce", "coal_t", "electricity_10k_kwh",
                      "feedstock_tce", "value_added_10k_yuan"})
_BOOL = {"是": True, "否": False, "true": True, "false": False, "1": True, "0": False, "": False}


def _text(v: Any) -> str:
    return "" if v is None else str(v).strip()


def _officials(text: str) -> list[Official]:
    out = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, post, dept = ([*part.split("/"), "", ""])[:3]
        out.append(Official(name=name.strip(), post=post.strip(), department=dept.strip()))
    return out


def _milestones(text: str) -> list[Milestone]:
    out = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, _, due = part.partition("/")
        out.append(Milestone(name=name.strip(), due=date.fromisoformat(due.strip())))
    return out


def _value(field: str, raw: Any) -> Any:
    if field in ("rebuild", "national_major", "sample"):
        key = _text(raw).lower() if not isinstance(raw, bool) else str(raw).lower()
        if key not in _BOOL:
            msg = f"'{raw}' is not 是/否"
            raise ValueError(msg)
        return _BOOL[key]
    if field == "departments":
        return [d.strip() for d in _text(raw).split("、") if d.strip()]
    if field == "officials":
        return _officials(_text(raw))
    if field == "milestones":
        return _milestones(_text(raw))
    if isinstance(raw, str) and not raw.strip():
        return None
    if isinstance(raw, datetime | date):
        return raw
    if field in _NUMBERS:
        return finite_number(raw, at())
    if field in ("league", "county", "owner_code", "industry") and raw is not None:
        return _text(raw)
    return raw


def _row(cells: dict[str, Any], excel_row: int, where: str, header: dict[str, str]) -> Project:
    data: dict[str, Any] = {}
    for field, _label in COLUMNS:
        try:
            v = _value(field, cells.get(field))
        except InputError as exc:
            raise InputError(exc.message, location=at(where, row=excel_row, field=header[field]),
                             hint=exc.hint) from exc
        except (ValueError, TypeError) as exc:
            raise InputError(str(exc), location=at(where, row=excel_row, field=header[field])) from exc
        if v is not None:
            data[field] = v
    try:
        return Project.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else "code"
        raise InputError(err["msg"], location=at(where, row=excel_row, field=header.get(field, field))) from exc


def read_workbook(content: bytes, *, filename: str = "清单.xlsx") -> list[Project]:
    """Every project of the workbook, or an error for the first bad row (nothing is returned then).

    Raises
    ------
    InputError
        Not a workbook, no ``项目清单`` sheet, a missing column, a bad value or a duplicate code; the
        location names the file, the Excel row and the column header.
    """
    book = Workbook(content, filename)
    try:
        if SHEET not in book.sheetnames:
            msg = f"no sheet '{SHEET}' (sheets: {', '.join(book.sheetnames)})"
            raise InputError(msg, location=at(filename), hint="export a template to see the layout")
        rows = [r for _, r in book.rows(SHEET)]
    finally:
        book.close()
    where = book.where(SHEET)
    if not any(_text(v) for r in rows for v in r):
        raise refuse_empty(where, header_row=None)
    if not any(_text(v) for r in rows[1:] for v in r):
        raise refuse_empty(where, header_row=1)
    labels = [_text(c) for c in rows[0]]
    header = dict(COLUMNS)
    index: dict[str, int] = {}
    for field, label in COLUMNS:
        if label not in labels:
            if field in ("code", "name", "league", "industry", "stage", "energy_equal_tce", "energy_equiv_tce"):
                msg = f"column '{label}' is missing"
                raise InputError(msg, location=at(filename, row=1, field=label))
            continue
        index[field] = labels.index(label)
    out: list[Project] = []
    seen: dict[str, int] = {}
    width = len(labels)
    for i, values in enumerate(rows[1:], start=2):
        if all(v is None or _text(v) == "" for v in values):
            continue
        extra = next((j for j, v in enumerate(values) if j >= width and _text(v)), None)
        if extra is not None:
            msg = f"a value right of the header's last column ('{values[extra]}'); it would not be read"
            raise InputError(msg, location=at(filename, row=i, field=f"column {extra + 1}"))
        cells = {f: values[j] if j < len(values) else None for f, j in index.items()}
        p = _row(cells, i, filename, header)
        if p.code in seen:
            msg = f"project {p.code} is listed twice (first at row {seen[p.code]})"
            raise InputError(msg, location=at(filename, row=i, field=header["code"]))
        seen[p.code] = i
        out.append(p)
    return out


def _cell(field: str, p: Project) -> Any:
    v = getattr(p, field)
    if field in ("rebuild", "national_major", "sample"):
        return "是" if v else "否"
    if field == "departments":
        return "、".join(v)
    if field == "officials":
        return ";".join(f"{o.name}/{o.post}/{o.department}" for o in v)
    if field == "milestones":
        return ";".join(f"{m.name}/{m.due.isoformat()}" for m in v)
    return v


def write_workbook(projects: list[Project]) -> bytes:
    """The 清单 as an .xlsx (the layout :func:`read_workbook` reads back)."""
    wb = NewWorkbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([label for _f, label in COLUMNS])
    for p in projects:
        ws.append([_cell(f, p) for f, _l in COLUMNS])
    buf = io.BytesIO()
    xlsx_safe(wb).save(buf)
    return buf.getvalue()
