"""Values computed from the store, kept in memory under a key that names the data they were computed from.

A key holds the version of that data — the tracking read model's stamp
(:func:`tanfeng.store.repository_tracking.read_version`), which every write bumps in its own transaction,
or a plan's version and content hash — so an entry is found again only while that data is unchanged;
after a write, the next read computes a new entry and the old one ages out (least recently used first).
Each worker process keeps its own entries; they agree because they all read the version from the database.

Entries are shared between requests: callers must not change what they get.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

__all__ = ["ReadCache"]

_T = TypeVar("_T")


class ReadCache:
    """A thread-safe least-recently-used map from a versioned key to a computed value."""

    def __init__(self, max_entries: int = 128) -> None:
        self._max = max_entries
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self.hits = 0
        """How many reads were answered from memory."""
        self.misses = 0
        """How many reads computed their value."""

    def get(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """The value kept under ``key``, or ``compute()`` kept under it (an error is not kept).

        Threads asking for the same missing key at once compute it once: the others wait for the first.
        """
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                found: _T = self._entries[key]
                return found
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                if key in self._entries:  # computed by the thread this one waited for
                    self.hits += 1
                    done: _T = self._entries[key]
                    return done
                self.misses += 1
            try:
                value = compute()
            except BaseException:
                with self._lock:
                    self._computing.pop(key, None)
                raise
            with self._lock:
                self._entries[key] = value
                self._entries.move_to_end(key)
                self._computing.pop(key, None)
                while len(self._entries) > self._max:
                    self._entries.popitem(last=False)
            return value

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
