"""The record store: SQLAlchemy models, Alembic migrations, keyword-only repository functions.

SQLite (embedded default) and PostgreSQL (psycopg 3) run the same code and the same migrations.
"""

# every topic's tables, so that Base.metadata is complete wherever the store is used
from tanfeng.store import (  # noqa: F401  every topic's tables
    models_access,
    models_accounting,
    models_enterprises,
    models_projects,
    models_readmodel,
    models_registry,
    models_scenarios,
    models_tracking,
)
from tanfeng.store.engine import make_engine, make_session_factory, normalise_url
from tanfeng.store.migrate import check_schema, current_revision, head_revision, upgrade
from tanfeng.store.repository import (
    PlanSaveResult,
    WriteResult,
    get_plan,
    list_plan_ids,
    list_plans,
    list_regions,
    list_statistics,
    list_targets,
    save_plan,
    save_regions,
    save_statistics,
)
from tanfeng.store.transaction import atomic, supersede

__all__ = [
    "PlanSaveResult",
    "WriteResult",
    "atomic",
    "check_schema",
    "current_revision",
    "get_plan",
    "head_revision",
    "list_plan_ids",
    "list_plans",
    "list_regions",
    "list_statistics",
    "list_targets",
    "make_engine",
    "make_session_factory",
    "normalise_url",
    "save_plan",
    "save_regions",
    "save_statistics",
    "supersede",
    "upgrade",
]
