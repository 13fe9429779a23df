"""Tables of the access topic. Their migrations form the ``access`` branch (see :mod:`tanfeng.store.migrate`)."""

from __future__ import annotations

from tanfeng.store.models import Base

__all__ = ["Base"]
