"""Deployment settings (environment variables ``TANFENG_*``).

Calculation choices (GWP set, electricity conversion, factor version, base year) are never settings:
they are explicit arguments of the functions that use them.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Literal

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["SECRET_KEY_FILE", "Settings", "get_settings", "pool_size", "secret_key"]

SECRET_KEY_FILE = "secret_key"
"""Name of the file in the data folder that keeps the generated secret key (mode 0600)."""


class Settings(BaseSettings):
    """Where the platform keeps its data and how it serves it."""

    model_config = SettingsConfigDict(env_prefix="TANFENG_", extra="ignore")

    database_url: str = "sqlite:///./var/tanfeng.db"
    """SQLAlchemy URL of the record store: SQLite by default, ``postgresql+psycopg://…`` in production."""

    data_dir: Path = Path("./var/data")
    """Folder of the analytical series (Parquet files read by DuckDB or Spark)."""

    analytics: Literal["duckdb", "spark"] = "duckdb"
    """Engine for analytical pipelines; both run the same Ibis expressions."""

    host: str = "127.0.0.1"
    port: int = 8000

    secret_key: SecretStr | None = None
    """Key that signs session cookies and CSRF tokens (``TANFENG_SECRET_KEY``). When unset, a random key is
    generated on first use and kept in ``<data_dir>/secret_key``; there is no built-in default."""

    cookie_secure: bool = False
    """``TANFENG_COOKIE_SECURE=true``: session cookies only over HTTPS (they always are for https requests)."""

    max_upload_bytes: int = 20_000_000
    """``TANFENG_MAX_UPLOAD_BYTES``: largest file an import reads (workbook, CSV, JSON, .docx, PDF)."""

    max_unzipped_bytes: int = 200_000_000
    """``TANFENG_MAX_UNZIPPED_BYTES``: largest total a workbook's parts may declare once decompressed."""

    max_import_rows: int = 100_000
    """``TANFENG_MAX_IMPORT_ROWS``: most rows one sheet or CSV file of an import may have (header included)."""

    max_batch_rows: int = 1_000_000
    """``TANFENG_MAX_BATCH_ROWS``: most readings one meter-reading batch may have."""

    max_text_bytes: int = 5_000_000
    """``TANFENG_MAX_TEXT_BYTES``: largest plan or policy text (plain text file, or text read from .docx/PDF)."""

    workers: int = 1
    """Server processes (``tanfeng serve --workers N`` sets ``TANFENG_WORKERS``); each has its own pool."""

    db_connections: int = 40
    """Database connections the server may hold in all (``TANFENG_DB_CONNECTIONS``), shared out between the
    workers (:func:`pool_size`); keep it below the database's own limit (PostgreSQL: ``max_connections``)."""


def pool_size(settings: Settings) -> int:
    """The connection pool of one worker: ``db_connections`` shared out between the workers, at least 2.

    >>> pool_size(Settings(workers=2, db_connections=40))
    20
    """
    return max(2, settings.db_connections // max(1, settings.workers))


def secret_key(settings: Settings) -> bytes:
    """The secret key: ``TANFENG_SECRET_KEY``, else the one kept in the data folder, made there on first use.

    The generated key is 48 random bytes (URL-safe text), written once with mode 0600; concurrent first
    starts agree on whichever was written first.
    """
    if settings.secret_key is not None and settings.secret_key.get_secret_value().strip():
        return settings.secret_key.get_secret_value().strip().encode("utf-8")
    path = Path(settings.data_dir) / SECRET_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(secrets.token_urlsafe(48) + "\n")
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        from tanfeng.errors import InputError

        msg = f"the secret key in {path} is too short ({len(key)} characters, at least 32 are needed)"
        raise InputError(msg, hint="delete the file to have a new one made (everyone is logged out)")
    return key.encode("utf-8")


def get_settings() -> Settings:
    """Read the settings from the environment now (no import-time singleton)."""
    return Settings()
