"""Flag landed batches into the derived store in the background, right after they are answered.

The ingestion answers a batch once its file and ledger row are durable (see
:mod:`tanfeng.services.metering.ingest`); deriving its flags and rollups is left to :class:`Deriver`, one thread
per server process that wakes on :meth:`Deriver.kick` and runs :func:`~tanfeng.services.metering.derive.catch_up`
until nothing is pending, many batches per pass. While batches keep arriving it lets them gather for up to
:data:`GATHER` seconds (a pass costs about the same for one batch of a unit as for ten), so a burst of uploads
is flagged in a few passes rather than one per batch, and the flagging leaves the processor to the uploads. A read never waits for it to be current: every read calls
``catch_up`` first, which takes what is still pending (usually nothing). Server workers each run one; the store's
lock makes them take turns.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy.orm import Session, sessionmaker

from tanfeng.config import Settings
from tanfeng.services.metering.derive import catch_up

__all__ = ["GATHER", "SETTLE", "Deriver"]

_log = logging.getLogger(__name__)
SETTLE = 0.2
"""A pass starts once no batch landed for this many seconds …"""
GATHER = 2.0
"""… or this many seconds after the first kick, whichever comes first."""


class Deriver:
    """A background thread that derives pending batches whenever it is kicked (started by :meth:`start`)."""

    def __init__(self, sessions: sessionmaker[Session], settings: Settings) -> None:
        self._sessions = sessions
        self._settings = settings
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.passes = 0
        """How many catch-up passes derived at least one batch (for tests and logs)."""

    def start(self) -> None:
        """Start the thread (idempotent)."""
        if self._thread is None or not self._thread.is_alive():
            self._stopping = False
            self._thread = threading.Thread(target=self._loop, name="tanfeng-deriver", daemon=True)
            self._thread.start()

    def kick(self) -> None:
        """Say a batch landed; a no-op when the thread is not started (reads then catch up themselves)."""
        self._wake.set()

    def stop(self, timeout: float = 60.0) -> None:
        """Finish the pass in progress and stop."""
        self._stopping = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _gather(self) -> None:
        """Wait while kicks keep coming (each within :data:`SETTLE`), at most :data:`GATHER` seconds."""
        deadline = time.monotonic() + GATHER
        while not self._stopping:
            self._wake.clear()
            left = deadline - time.monotonic()
            if left <= 0 or not self._wake.wait(min(SETTLE, left)):
                return

    def _loop(self) -> None:
        while True:
            self._wake.wait()
            if self._stopping:
                return
            self._gather()
            if self._stopping:
                return
            self._wake.clear()
            try:
                with self._sessions() as session:
                    if catch_up(session, self._settings).batches:
                        self.passes += 1
            except Exception:  # a failed pass leaves the batches pending: the next kick or read retries
                _log.exception("deriving landed batches failed; they stay pending")
