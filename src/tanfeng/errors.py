"""One exception tree for tanfeng.

Every error says *what* went wrong, *where* (file, line or row, field) and *how to fix it*.
Routes map these to HTTP statuses in one place; the CLI prints ``TypeName: message`` and exits 1.

::

    TanfengError
     ├── InputError                  bad input from a user or a file (ValueError)
     │    ├── PlanFileError          a plan YAML file does not match the schema
     │    ├── TextReadError          a plan/policy text cannot be read or decoded
     │    ├── ImportDataError        a CSV/Excel/JSON import has a bad row or field
     │    │    └── MeterDataError    a meter-reading batch has a bad line or field
     │    ├── UnknownRegionError     a region code that is neither current nor legacy
     │    ├── UnitError              a unit that is unknown or does not fit the quantity
     │    ├── UnknownProductError    an energy product that is not in the catalogue
     │    ├── NegativeQuantityError  a quantity that cannot be negative is negative
     │    ├── HeatingValueRequiredError  a conversion needs a measured heating value
     │    ├── InvalidCreditCodeError a unified social credit code (GB 32100) that does not check
     │    └── PasswordPolicyError    a new password breaks the password policy
     ├── ReferenceDataError          a shipped reference file is inconsistent (a bug in the data)
     ├── FactorNotFoundError         no factor for the (what, region, year, version) asked (LookupError)
     ├── NotFoundError               a record asked for by id does not exist (LookupError)
     ├── ConflictError               a write collides with another (optimistic locking, duplicates)
     ├── StoreError                  the database cannot be reached or migrated
     ├── AuthError                   no valid login or token
     │    └── LockedOutError         too many failed logins; retry later
     ├── PermissionDeniedError       a logged-in principal may not do this
     ├── AuditChainError             an audit entry cannot be chained
     ├── AssetMissingError           a file installed at set-up is missing (FileNotFoundError)
     └── ReportRenderError           a report cannot be rendered

A test checks that this tree and the classes below agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "AssetMissingError",
    "AuditChainError",
    "AuthError",
    "ConflictError",
    "FactorNotFoundError",
    "HeatingValueRequiredError",
    "ImportDataError",
    "InputError",
    "InvalidCreditCodeError",
    "Location",
    "LockedOutError",
    "MeterDataError",
    "NegativeQuantityError",
    "NotFoundError",
    "PasswordPolicyError",
    "PermissionDeniedError",
    "PlanFileError",
    "ReferenceDataError",
    "ReportRenderError",
    "StoreError",
    "TanfengError",
    "TextReadError",
    "UnitError",
    "UnknownProductError",
    "UnknownRegionError",
    "at",
]


@dataclass(frozen=True)
class Location:
    """Where a problem sits in an input: file, line or row, field (any may be unknown)."""

    file: str | None = None
    line: int | None = None
    row: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts)


class TanfengError(Exception):
    """Base of every error the platform raises on purpose."""

    def __init__(self, message: str, *, location: Location | None = None, hint: str | None = None) -> None:
        self.message = message
        self.location = location
        self.hint = hint
        super().__init__(self._render())

    def _render(self) -> str:
        text = self.message
        if self.location is not None and str(self.location):
            text = f"{self.location}: {text}"
        if self.hint:
            text = f"{text} — {self.hint}"
        return text

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready description, the same shape for the API and ``--format json``."""
        loc = self.location
        return {
            "error": type(self).__name__,
            "message": self.message,
            "hint": self.hint,
            "file": loc.file if loc else None,
            "line": loc.line if loc else None,
            "row": loc.row if loc else None,
            "field": loc.field if loc else None,
        }


class InputError(TanfengError, ValueError):
    """Bad input from a user or a file; nothing was written."""


class PlanFileError(InputError):
    """A plan YAML file does not match the plan schema."""


class TextReadError(InputError):
    """A plan or policy text cannot be read (missing, wrong encoding, unsupported format)."""


class ImportDataError(InputError):
    """An import (CSV, Excel, JSON) has a bad row or field; the whole import is refused."""


class UnknownRegionError(InputError):
    """A region code that is neither a current GB/T 2260 code in the catalogue nor a known legacy code."""


class UnitError(InputError):
    """A unit that is unknown, or that does not fit the quantity or product it is given for."""


class UnknownProductError(InputError):
    """An energy product that is not in the catalogue."""


class ReferenceDataError(TanfengError):
    """A shipped reference data file is inconsistent; this is a bug in the data, not in the input."""


class FactorNotFoundError(TanfengError, LookupError):
    """No factor for the (what, region, year, version) asked; the message lists what exists."""


class NotFoundError(TanfengError, LookupError):
    """A record asked for by its id does not exist."""


class ConflictError(TanfengError):
    """A write collides with another one (someone changed the record since it was read, or a duplicate).

    ``current_version``: the record's version now, when the conflict is a stale optimistic lock (the API
    sends it as the ``ETag`` of the 409, so the client can reload and retry on it).
    """

    def __init__(self, message: str, *, location: Location | None = None, hint: str | None = None,
                 current_version: int | None = None) -> None:
        super().__init__(message, location=location, hint=hint)
        self.current_version = current_version


class StoreError(TanfengError):
    """The database cannot be reached, or its schema is not at the expected migration."""


def at(file: str | Path | None = None, *, line: int | None = None, row: int | None = None,
       field: str | None = None) -> Location:
    """Shorthand to build a :class:`Location`."""
    return Location(file=str(file) if file is not None else None, line=line, row=row, field=field)


class NegativeQuantityError(InputError):
    """A quantity that cannot be negative (consumption, production, purchase) is negative."""


class HeatingValueRequiredError(InputError):
    """A conversion needs a measured heating value (NCV/LHV) that was not given: no published default fits."""


class InvalidCreditCodeError(InputError):
    """A unified social credit code (统一社会信用代码, GB 32100-2015) with a wrong length, charset or check digit."""


class MeterDataError(ImportDataError):
    """A meter-reading batch (JSON, CSV, Parquet) has a bad line or field; the whole batch is refused."""


class AuthError(TanfengError):
    """Authentication failed: unknown user, wrong password, or a token that is malformed, unknown, revoked or expired.

    The message is safe to log; the web layer shows users one generic text so it does not reveal which part
    was wrong.
    """


class LockedOutError(AuthError):
    """Too many failed logins for this user or client address; ``retry_after_seconds`` says when to try again."""

    def __init__(self, message: str, *, retry_after_seconds: int, hint: str | None = None) -> None:
        self.retry_after_seconds = retry_after_seconds
        super().__init__(message, hint=hint)


class PermissionDeniedError(TanfengError):
    """An authenticated principal may not do this action on this resource; the message gives the rule."""


class PasswordPolicyError(InputError):
    """A new password does not meet the password policy; the message lists every rule it breaks."""


class AuditChainError(TanfengError):
    """An audit entry cannot be chained (wrong sequence number, value that has no canonical JSON form)."""


class AssetMissingError(TanfengError, FileNotFoundError):
    """A file installed at set-up (front-end assets from npm, a font from a Debian package) is missing."""


class ReportRenderError(TanfengError):
    """A report cannot be rendered (unsupported output format, a missing font or chart backend)."""
