"""The in-memory map the read models keep their values in: one computation per key, however many ask at once."""

from __future__ import annotations

import threading
import time

import pytest

from tanfeng.services.read_cache import ReadCache


def test_a_key_is_computed_once_and_an_error_is_not_kept() -> None:
    cache = ReadCache(2)
    calls: list[str] = []
    assert cache.get(("v1", "a"), lambda: calls.append("a") or 1) == 1
    assert cache.get(("v1", "a"), lambda: calls.append("a") or 2) == 1
    with pytest.raises(ValueError, match="boom"):
        cache.get(("v1", "b"), lambda: (_ for _ in ()).throw(ValueError("boom")))
    assert cache.get(("v1", "b"), lambda: 3) == 3
    assert cache.get(("v1", "c"), lambda: 4) == 4  # the least recently used, ("v1", "a"), goes
    assert cache.get(("v1", "a"), lambda: 5) == 5
    assert calls == ["a"]
    assert (cache.hits, cache.misses, len(cache)) == (1, 5, 2)


def test_threads_asking_for_a_missing_key_at_once_compute_it_once() -> None:
    cache = ReadCache()
    computed: list[int] = []
    start = threading.Barrier(8)

    def slow() -> int:
        computed.append(1)
        time.sleep(0.2)
        return 42

    results: list[int] = []

    def reader() -> None:
        start.wait()
        results.append(cache.get("key", slow))

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [42] * 8
    assert computed == [1]
