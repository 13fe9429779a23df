"""Tables of the accounting topic. Their migrations form the ``accounting`` branch (see :mod:`tanfeng.store.migrate`)."""

from __future__ import annotations

from tanfeng.store.models import Base

__all__ = ["Base"]
