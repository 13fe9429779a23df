"""The annual report as an Excel workbook: download it (pre-filled with the stored report), fill it in
offline, upload it. The workbook format itself is :mod:`tanfeng.enterprises.workbook`'s.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from tanfeng.enterprises.annual_report import ReportContent, ReportKind, parse_content
from tanfeng.enterprises.sample import SAMPLE_NOTICE
from tanfeng.enterprises.workbook import Cover, parse_template, write_template
from tanfeng.errors import ConflictError
from tanfeng.services.key_units.registry import require_unit
from tanfeng.services.key_units.reports import create_report, update_report
from tanfeng.services.key_units.schemas import ReportOut
from tanfeng.store import repository_key_units as repo

__all__ = ["parse_template", "report_template", "upload_report"]


def report_template(session: Session, code: str, *, year: int, kind: ReportKind) -> bytes:
    """An Excel workbook to fill in offline (cover, fuels, electricity and heat, outputs, measures).

    The unit's existing report of that kind and year, if any, is pre-filled.
    """
    unit = require_unit(session, code)
    existing = repo.find_report(session, unit_code=code, year=year, kind=kind)
    content = parse_content(existing.content) if existing is not None else ReportContent()
    cover = Cover(unit_code=unit.code, unit_name=unit.name, year=year, kind=kind,
                  lock_version=existing.lock_version if existing is not None else None,
                  sample_notice=SAMPLE_NOTICE if unit.sample else None)
    return write_template(cover, content)


def upload_report(session: Session, code: str, data: bytes, *, filename: str, actor: str,
                  actor_role: str | None = None) -> ReportOut:
    """File a filled template: creates the report, or edits it (with the lock version written in the workbook).

    Raises
    ------
    ImportDataError
        A bad cell, naming sheet, row and field; nothing is saved.
    ConflictError
        The report exists and the workbook has no lock version, or a stale one.
    """
    require_unit(session, code)
    year, kind, content, lock = parse_template(data, filename=filename, code=code)
    existing = repo.find_report(session, unit_code=code, year=year, kind=kind)
    if existing is None:
        return create_report(session, code, year=year, kind=kind, content=content, actor=actor, actor_role=actor_role)
    if lock is None:
        msg = "the workbook has no lock version but the report already exists"
        raise ConflictError(msg, hint=f"download the template again (report {existing.id}, lock version "
                                      f"{existing.lock_version}) and refill it")
    return update_report(session, code, existing.id, content=content, lock_version=lock, actor=actor,
                         actor_role=actor_role)
