"""Account statements as Excel workbooks: a heading (account, owner, instrument, when, 示例数据) and the lines."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy.orm import Session

from tanfeng.cells import xlsx_safe
from tanfeng.registry import instrument
from tanfeng.services.registry.reading import statement

__all__ = ["STATEMENT_COLUMNS", "statement_workbook"]

STATEMENT_COLUMNS = ("seq", "at", "kind", "tx_id", "serial", "vintage", "amount", "balance", "memo")
_HEADERS_ZH = ("序号", "时间 (UTC)", "类型", "交易编号", "序列号段", "年度", "变动", "余额", "备注")


def statement_workbook(session: Session, account: str, *, now: datetime | None = None) -> bytes:
    """The account's statement with its running balance as ``.xlsx`` bytes.

    Raises
    ------
    NotFoundError
        No such account.
    """
    row, lines = statement(session, account)
    rules = instrument(row.instrument)
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has its first sheet
    ws.title = ("对账单 示例数据" if row.sample else "对账单")[:31]
    when = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    heading = [("账户 account", row.account), ("户名 name", row.name), ("持有人 owner", row.owner),
               ("品种 instrument", f"{rules.code} {rules.name_zh} ({rules.unit})"), ("生成时间 generated", when),
               ("来源 source", "登记簿分录（余额为分录之和）registry ledger entries")]
    if row.sample:
        heading.append(("示例数据", "sample data: not a real account"))
    for label, value in heading:
        ws.append([label, value])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    ws.append([])
    ws.append([f"{zh} {en}" for zh, en in zip(_HEADERS_ZH, STATEMENT_COLUMNS, strict=True)])
    for c in ws[ws.max_row]:
        c.font = Font(bold=True)
    for line in lines:
        data = line.model_dump()
        data["at"] = line.at.strftime("%Y-%m-%d %H:%M:%S")
        ws.append([data[c] for c in STATEMENT_COLUMNS])
    buf = io.BytesIO()
    xlsx_safe(wb).save(buf)
    return buf.getvalue()
