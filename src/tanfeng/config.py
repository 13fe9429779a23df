"""Deployment settings (environment variables ``TANFENG_*``).

Calculation choices (GWP set, electricity conversion, factor version, base year) are never settings:
they are explicit arguments of the functions that use them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


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


def get_settings() -> Settings:
    """Read the settings from the environment now (no import-time singleton)."""
    return Settings()
