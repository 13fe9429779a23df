"""Evidence files attached to dispatch entries: checked, stored under the data folder, listed, read back.

A file is checked before anything is written: not empty, at most :data:`MAX_ATTACHMENT_BYTES`, a name
ending in one of :data:`ATTACHMENT_TYPES`, and content that is what the name says (the PDF, PNG, JPEG or
Office-zip signature; UTF-8 text without NUL for CSV and TXT). The bytes are kept once per content under
``<data dir>/dispatch/attachments/<sha256>``; the row (``dispatch_attachments``) names the entry version, the
file name, type, size and hash, and the upload is audited together with the entry it proves.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from tanfeng.errors import InputError, NotFoundError, at
from tanfeng.services.tracking.dispatch import submit_entry
from tanfeng.services.tracking.schemas import AttachmentOut, DispatchEntryOut
from tanfeng.store import repository_tracking
from tanfeng.store.models import utcnow
from tanfeng.store.models_tracking import DispatchAttachmentRow
from tanfeng.store.repository import record_audit
from tanfeng.store.transaction import atomic

__all__ = ["ATTACHMENT_DIR", "ATTACHMENT_TYPES", "MAX_ATTACHMENTS", "MAX_ATTACHMENT_BYTES", "AttachmentFile",
           "CheckedFile", "check_attachment", "read_attachment", "submit_with_attachments"]

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
"""The largest evidence file accepted (10 MiB)."""
MAX_ATTACHMENTS = 5
"""At most this many files per entry version."""
ATTACHMENT_DIR = Path("dispatch") / "attachments"
"""Where the files are kept, relative to the data folder."""
ATTACHMENT_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".csv": "text/csv",
    ".txt": "text/plain",
}
"""File name suffix → media type of the evidence accepted."""
_SIGNATURES = {".pdf": (b"%PDF-",), ".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",),
               ".jpeg": (b"\xff\xd8\xff",), ".xlsx": (b"PK\x03\x04",), ".docx": (b"PK\x03\x04",)}
_BAD_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


@dataclass(frozen=True)
class AttachmentFile:
    """A file as uploaded: its name and bytes."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed :func:`check_attachment`."""

    filename: str
    media_type: str
    content: bytes
    sha256: str


def check_attachment(filename: str, content: bytes) -> CheckedFile:
    """Check one evidence file; the error names the file and says what is allowed.

    Raises
    ------
    InputError
        Empty, too large, an unaccepted type, or content that does not match the name (field ``attachment``).
    """
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    where = at(name or "(no name)", field="attachment")
    if not name or _BAD_NAME.search(name) or len(name) > 200:
        msg = f"the file name {filename!r} is empty, too long or has control characters"
        raise InputError(msg, location=where)
    suffix = Path(name).suffix.lower()
    if suffix not in ATTACHMENT_TYPES:
        msg = f"{name}: {suffix or 'no suffix'} is not an accepted evidence type"
        raise InputError(msg, location=where, hint="attach " + ", ".join(sorted(ATTACHMENT_TYPES)))
    if not content:
        msg = f"{name} is empty"
        raise InputError(msg, location=where)
    if len(content) > MAX_ATTACHMENT_BYTES:
        msg = f"{name} has {len(content):,} bytes; at most {MAX_ATTACHMENT_BYTES:,} are accepted"
        raise InputError(msg, location=where, hint="attach a smaller file, or a PDF of the pages that matter")
    signatures = _SIGNATURES.get(suffix)
    if signatures is not None and not content.startswith(signatures):
        msg = f"{name} is not a {suffix[1:].upper()} file (its content does not start as one does)"
        raise InputError(msg, location=where)
    if signatures is None:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            msg = f"{name} is not UTF-8 text"
            raise InputError(msg, location=where, hint="save it as UTF-8") from None
        if "\x00" in text:
            msg = f"{name} contains NUL characters: not a text file"
            raise InputError(msg, location=where)
    return CheckedFile(filename=name, media_type=ATTACHMENT_TYPES[suffix], content=content,
                       sha256=hashlib.sha256(content).hexdigest())


def _keep(data_dir: Path, f: CheckedFile) -> str:
    """Write the bytes once per content (atomically: a temporary file renamed); the path relative to ``data_dir``."""
    rel = ATTACHMENT_DIR / f.sha256
    path = Path(data_dir) / rel
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        with os.fdopen(fd, "wb") as out:
            out.write(f.content)
        Path(tmp).replace(path)
    return rel.as_posix()


def submit_with_attachments(session: Session, *, data_dir: Path, files: Sequence[AttachmentFile], period: str,
                            unit: str, actor: str, actor_units: Collection[str], as_of: date,
                            target_id: str | None = None, measure_id: str | None = None, value: float | None = None,
                            value_unit: str | None = None, measure_status: str | None = None, evidence: str = "",
                            actor_role: str | None = None, client_address: str | None = None) -> DispatchEntryOut:
    """:func:`~tanfeng.services.tracking.dispatch.submit_entry` with evidence files, in one transaction.

    Every file is checked before anything is written; a refused file stores neither the entry nor any file row.
    """
    if len(files) > MAX_ATTACHMENTS:
        msg = f"{len(files)} files attached; at most {MAX_ATTACHMENTS} per entry"
        raise InputError(msg, location=at(field="attachment"))
    checked = [check_attachment(f.filename, f.content) for f in files]
    with atomic(session, f"dispatch entry {period}/{unit} with {len(checked)} file(s)"):
        entry = submit_entry(session, period=period, unit=unit, actor=actor, actor_units=actor_units, as_of=as_of,
                             target_id=target_id, measure_id=measure_id, value=value, value_unit=value_unit,
                             measure_status=measure_status, evidence=evidence, actor_role=actor_role,
                             client_address=client_address)
        for f in checked:
            row = DispatchAttachmentRow(entry_id=entry.id, filename=f.filename, media_type=f.media_type,
                                        size=len(f.content), sha256=f.sha256, stored_as=_keep(data_dir, f),
                                        uploaded_by=actor, uploaded_at=utcnow())
            session.add(row)
            session.flush()
            repository_tracking.bump_read_version(session)  # a new stamp for the tracking read model's caches
            record_audit(session, actor=actor, action="attach", entity="dispatch_attachment", entity_id=str(row.id),
                         before=None, after={"entry_id": entry.id, "period": period, "unit": entry.responsible_unit,
                                             "filename": f.filename, "size": len(f.content), "sha256": f.sha256},
                         actor_role=actor_role, client_address=client_address)
    return entry


def read_attachment(session: Session, *, data_dir: Path, attachment_id: int) -> tuple[AttachmentOut, str, str, bytes]:
    """An attachment, the period and unit of its entry (for the caller's permission check), and its bytes.

    Raises
    ------
    NotFoundError
        No such attachment, or its file is gone from the data folder.
    """
    found = repository_tracking.attachment(session, attachment_id=attachment_id)
    if found is None:
        msg = f"no attachment {attachment_id}"
        raise NotFoundError(msg)
    a, entry = found
    path = Path(data_dir) / a.stored_as
    if not path.is_file():
        msg = f"the file of attachment {attachment_id} ({a.filename}) is missing from the data folder"
        raise NotFoundError(msg, hint="restore the data folder from its backup")
    out = AttachmentOut(id=a.id, entry_id=a.entry_id, filename=a.filename, media_type=a.media_type, size=a.size,
                        sha256=a.sha256, uploaded_by=a.uploaded_by, uploaded_at=a.uploaded_at)
    return out, entry.period, entry.responsible_unit, path.read_bytes()
