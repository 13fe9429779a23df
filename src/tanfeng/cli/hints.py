"""Hints that name a command: services say what went wrong without naming a transport; the command that
called them adds how to go on from the command line."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tanfeng.errors import TanfengError

__all__ = ["hint_on"]


@contextmanager
def hint_on(kind: type[TanfengError], hint: str) -> Iterator[None]:
    """Re-raise an error of ``kind`` from the block with ``hint`` (same type, message and location)."""
    try:
        yield
    except kind as exc:
        if type(exc) is not kind:
            raise
        raise kind(exc.message, location=exc.location, hint=hint) from exc
