"""Concurrency on PostgreSQL: 50 clients move random amounts among 20 accounts for a while, sending some
requests twice (the same idempotency key again, from the same or another client); then nothing is lost or
created, every acknowledged transfer is in the ledger exactly once and ``verify`` passes. The second run
kills the database server with SIGKILL mid-run and restarts it: no acknowledged transfer is lost and no
transfer is partly written (clients resend a request that failed, with its key, until it is answered).

Duration of each run: ``TANFENG_REGISTRY_CONCURRENCY_SECONDS`` (default 60, as the issue asks).
The killed server is a throwaway cluster (initdb + pg_ctl in a temporary folder), never the shared one.
"""

from __future__ import annotations

import contextlib
import glob
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from tanfeng.errors import InputError
from tanfeng.services import registry as service
from tanfeng.store import upgrade
from tanfeng.store.models_registry import RegistryTransactionRow

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

SECONDS = float(os.environ.get("TANFENG_REGISTRY_CONCURRENCY_SECONDS", "60"))
CLIENTS, ACCOUNTS, START = 50, 20, 10_000
WHO = service.Actor(name="load-test", role="region_admin")


@dataclass
class Tally:
    """What the clients saw: acknowledged transfers by key, refusals, resends."""

    acked: dict[str, tuple[str, str, str, int]] = field(default_factory=dict)
    refused: int = 0
    resent: int = 0
    duplicates: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _accounts() -> list[str]:
    return [service.account_id("CEA", f"C{i:02d}") for i in range(ACCOUNTS)]


def _prepare(engine: Engine) -> None:
    with sessionmaker(engine)() as s:
        for i in range(ACCOUNTS):
            service.open_account(s, service.OpenAccountRequest(instrument="CEA", kind="enterprise", owner=f"C{i:02d}",
                                                               name=f"client {i}", region="150200"), actor=WHO)
            service.issue(s, service.IssueRequest(idempotency_key=f"start-{i}", account=_accounts()[i], vintage=2024,
                                                  amount=START), actor=WHO)


def _send(factory: sessionmaker, req: service.TransferRequest) -> service.TransactionOut:  # type: ignore[type-arg]
    with factory() as s:
        return service.transfer(s, req, actor=WHO)


def _client(factory: sessionmaker, until: float, tally: Tally, shared: list[service.TransferRequest],  # type: ignore[type-arg]
            seed: int) -> None:
    rng = random.Random(seed)
    names = _accounts()
    pending: service.TransferRequest | None = None
    while True:
        if pending is None:
            if time.monotonic() > until:
                return
            if shared and rng.random() < 0.15:  # another client's request sent again, same key
                pending = rng.choice(shared)
                tally.duplicates += 1
            else:
                src, dst = rng.sample(names, 2)
                pending = service.TransferRequest(idempotency_key=str(uuid.uuid4()), source=src, target=dst,
                                                  amount=rng.randint(1, 800))
        try:
            tx = _send(factory, pending)
        except InputError:
            tally.refused += 1  # too few units: refused, nothing written
            pending = None
            continue
        except Exception:  # the server is down or the request failed: send it again, same key
            tally.resent += 1
            time.sleep(0.2)
            continue
        with tally.lock:
            seen = tally.acked.get(pending.idempotency_key)
            assert seen is None or seen[0] == tx.tx_id, "one key acknowledged as two transactions"
            tally.acked[pending.idempotency_key] = (tx.tx_id, pending.source, pending.target, pending.amount)
            if len(shared) < 200:
                shared.append(pending)
            else:
                shared[rng.randrange(200)] = pending
        if rng.random() < 0.1:  # the same request again at once
            tally.duplicates += 1
            continue
        pending = None


def _run(url: str, *, kill: Iterator[None] | None = None) -> Tally:
    engine = create_engine(url, pool_size=CLIENTS, max_overflow=10, pool_pre_ping=True)
    try:
        _prepare(engine)
        factory = sessionmaker(engine)
        tally = Tally()
        shared: list[service.TransferRequest] = []
        until = time.monotonic() + SECONDS
        threads = [threading.Thread(target=_client, args=(factory, until, tally, shared, i)) for i in range(CLIENTS)]
        for t in threads:
            t.start()
        if kill is not None:
            time.sleep(SECONDS / 3)
            next(kill)  # SIGKILL the server, wait, restart it
        for t in threads:
            t.join(timeout=SECONDS + 300)
        assert not any(t.is_alive() for t in threads), "a client never got an answer"
        _check(factory, tally)
        return tally
    finally:
        engine.dispose()


def _check(factory: sessionmaker, tally: Tally) -> None:  # type: ignore[type-arg]
    with factory() as s:
        result, message = service.verify(s)
        assert result.ok, message
        rows = {r.idempotency_key: r.tx_id for r in s.scalars(
            select(RegistryTransactionRow).where(RegistryTransactionRow.kind == "transfer"))}
        balances = {a.account: a.balance for a in service.list_accounts(s, instrument_code="CEA")}
    # every acknowledged transfer is there exactly once (keys are unique), as the transaction acknowledged
    assert {k: v[0] for k, v in tally.acked.items()} == rows
    # nothing lost or created: the balances are the start plus the acknowledged moves
    expected = dict.fromkeys(_accounts(), START)
    for _, src, dst, amount in tally.acked.values():
        expected[src] -= amount
        expected[dst] += amount
    assert {a: balances[a] for a in expected} == expected
    assert sum(expected.values()) == ACCOUNTS * START == result.in_circulation
    assert len(tally.acked) > CLIENTS  # the run did move units


def test_concurrent_transfers_with_duplicates(postgres_database_url: str) -> None:
    with psycopg.connect(make_url(postgres_database_url).set(drivername="postgresql").render_as_string(False),
                         autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
    upgrade(postgres_database_url)
    tally = _run(postgres_database_url)
    print(f"\n{len(tally.acked)} transfers acknowledged, {tally.refused} refused, {tally.duplicates} duplicates")  # noqa: T201


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found and shutil.which("initdb") is None:
        pytest.fail("the SIGKILL test needs the PostgreSQL server binaries (initdb, pg_ctl); "
                    "scripts/ensure-postgres.sh installs them", pytrace=False)
    return Path(found[-1]).parent if found else Path(str(shutil.which("initdb"))).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """A throwaway PostgreSQL cluster in a temporary folder (run as user postgres when we are root)."""

    def __init__(self) -> None:
        self.bin = _pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="tanfeng-pg-kill-"))
        self.port = _free_port()
        self.as_user: list[str] = []
        if os.getuid() == 0:
            subprocess.run(["id", "postgres"], check=True, capture_output=True)
            shutil.chown(self.dir, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        subprocess.run([*self.as_user, str(self.bin / "initdb"), "-D", str(self.dir / "data"), "-U", "postgres",
                        "-A", "trust", "-E", "UTF8"], check=True, capture_output=True)
        self.start()
        subprocess.run([*self.as_user, str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U",
                        "postgres", "test"], check=True, capture_output=True)
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/test"

    def start(self) -> None:
        subprocess.run([*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-l",
                        str(self.dir / "log"), "-w", "-o",
                        f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=150",
                        "start"], check=True, capture_output=True)

    def kill(self) -> None:
        """SIGKILL the postmaster and its backends (as a crash would), then wait until they are gone."""
        pid = int((self.dir / "data" / "postmaster.pid").read_text().splitlines()[0])
        children = [int(p) for p in os.listdir("/proc") if p.isdigit() and _ppid(int(p)) == pid]
        os.kill(pid, signal.SIGKILL)
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        for p in [pid, *children]:
            while Path(f"/proc/{p}").exists() and "zombie" not in _state(p):
                time.sleep(0.05)

    def stop(self) -> None:
        subprocess.run([*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate",
                        "stop"], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


def _ppid(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return "zombie"


def test_no_acknowledged_transfer_is_lost_when_the_server_is_killed() -> None:
    cluster = Cluster()

    def kill() -> Iterator[None]:
        cluster.kill()
        time.sleep(2)
        cluster.start()  # crash recovery replays the WAL
        yield

    try:
        upgrade(cluster.url)
        tally = _run(cluster.url, kill=kill())
        assert tally.resent > 0, "the clients never noticed the server die"
        print(f"\n{len(tally.acked)} transfers acknowledged, {tally.resent} resent after the kill")  # noqa: T201
    finally:
        cluster.stop()
