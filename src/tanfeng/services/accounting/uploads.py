"""Uploaded files accounted and stored: each is kept in a temporary folder under its own name while read."""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from tanfeng.services.accounting._files import safe_name
from tanfeng.services.accounting.enterprise import run_enterprise
from tanfeng.services.accounting.inventory import run_inventory
from tanfeng.services.accounting.schemas import InventoryOptions, RunDetail

__all__ = ["run_enterprise_upload", "run_inventory_upload"]

_TEMP_PREFIX = "tanfeng-upload-"


def run_inventory_upload(session: Session, data: bytes, filename: str | None, *, region: str | None,
                         year: int | None, options: InventoryOptions, actor: str) -> RunDetail:
    """:func:`run_inventory` on an uploaded file (kept in a temporary folder under its own name while read)."""
    name = safe_name(filename, "balance.csv")
    with tempfile.TemporaryDirectory(prefix=_TEMP_PREFIX) as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        return run_inventory(session, path, region=region, year=year, options=options, actor=actor, file_name=name)


def run_enterprise_upload(session: Session, data: bytes, filename: str | None, *, actor: str,
                          enterprise: str | None, year: int | None, sector: str = "generic",
                          region: str | None = None) -> RunDetail:
    """:func:`run_enterprise` on an uploaded 205-1 workbook or JSON file."""
    name = safe_name(filename, "report.json")
    with tempfile.TemporaryDirectory(prefix=_TEMP_PREFIX) as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        return run_enterprise(session, path, actor=actor, enterprise=enterprise, year=year, sector=sector,
                              region=region, file_name=name)
