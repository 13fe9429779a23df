"""Answers of the metering reads kept in memory per version of the derived store.

Every update of the derived store (a landed batch, a rebuild) writes a new version token
(:meth:`tanfeng.analytics.metering.MeteringStore.version`); an answer is kept under its question, the version
it was computed at and a fingerprint of the unit and meter tables (their counts and last change), so the next
read after any write computes afresh and a repeated read in between costs a dictionary look-up. Each process
(each server worker) keeps its own, at most :data:`MAX_ANSWERS`, least recently used dropped first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from sqlalchemy.orm import Session

from tanfeng.analytics.metering import MeteringStore
from tanfeng.store import repository_metering as repo

__all__ = ["MAX_ANSWERS", "remembered"]

MAX_ANSWERS = 256
_T = TypeVar("_T")
_lock = threading.Lock()
_answers: OrderedDict[Hashable, object] = OrderedDict()


def remembered(session: Session, store: MeteringStore, question: tuple[Hashable, ...], compute: Callable[[], _T],
               copy: Callable[[_T], _T]) -> _T:
    """The answer to ``question`` at the store's current version: remembered, else computed and remembered.

    ``copy`` makes the copy handed out, so a caller that changes its answer changes no one else's.
    """
    key = (str(store.root), store.version(), repo.registry_fingerprint(session), *question)
    with _lock:
        if key in _answers:
            _answers.move_to_end(key)
            return copy(_answers[key])  # type: ignore[arg-type]
    value = compute()
    with _lock:
        _answers[key] = value
        while len(_answers) > MAX_ANSWERS:
            _answers.popitem(last=False)
    return copy(value)
