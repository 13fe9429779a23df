"""Benchmark: the peak path at full size (prints figures; never asserted in tests).

Shape: 13 regions (Inner Mongolia and its 12 leagues) × 10 sectors × 5 fuel groups × 42 years (the base year
2019 and the 41 result years 2020–2060), calibrated on CEADs 2019; the 强化情景 (enhanced) scenario with its
11 levers. Prints the deterministic path, the 10 000-draw Monte Carlo of the peak, a whole run (path, BAU,
Monte Carlo, wedges, LMDI, targets, league order) and the server time of the run page with its fan chart.

Run: ``.venv/bin/python benchmarks/bench_scenarios.py [--draws 10000] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from tanfeng.scenarios import files, model, montecarlo, run
from tanfeng.scenarios.catalog import load_catalog
from tanfeng.services.scenarios import base_inventory, plan_targets


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def page_time(repeat: int) -> float:
    """Server time of ``/scenarios/enhanced`` (1 000 draws) on a fresh embedded store, logged in."""
    from fastapi.testclient import TestClient

    from tanfeng.config import Settings
    from tanfeng.services import accounts
    from tanfeng.services.bootstrap import init
    from tanfeng.store import make_engine, make_session_factory
    from tanfeng.web.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite:///{Path(tmp) / 't.db'}", data_dir=Path(tmp) / "data")
        init(settings)
        engine = make_engine(settings.database_url)
        with make_session_factory(engine)() as session:
            accounts.create_admin(session, username="bench", password="bench-password-123",
                                  actor=accounts.Actor(name="bench"))
            session.commit()
        engine.dispose()
        with TestClient(create_app(settings)) as client:
            token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
            assert token is not None
            r = client.post("/login", data={"username": "bench", "password": "bench-password-123",
                                            "csrf_token": token.group(1), "next": "/"}, follow_redirects=False)
            assert r.status_code == 303, r.text
            return best(lambda: client.get("/scenarios/enhanced").raise_for_status(), repeat)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-page", action="store_true", help="skip the page timing")
    args = parser.parse_args()
    catalog = load_catalog()
    base = base_inventory()
    scenarios = files.load_builtin()
    enhanced, bau = files.resolve("enhanced", scenarios), files.resolve("bau", scenarios)
    path = model.run_path(base, enhanced, catalog)
    cells = path.cells
    print(f"shape: {cells.shape[0]} regions × {cells.shape[1]} sectors × {cells.shape[2]} fuels × "
          f"{cells.shape[3]} years = {cells.size:,} cells; {len(enhanced.levers)} levers")
    t_det = best(lambda: model.run_path(base, enhanced, catalog), args.repeat)
    print(f"deterministic path: {t_det * 1000:.1f} ms")
    u95 = np.array([f.u95_pct for f in catalog.fuels])
    t_mc = best(lambda: montecarlo.draw_peaks(cells, path.years, gdp_sd_pp=1.0, intensity_sd_pp=0.5,
                                              factor_u95_pct=u95, draws=args.draws, seed=1), args.repeat)
    print(f"Monte Carlo, {args.draws:,} draws: {t_mc:.2f} s (target < 5 s on 2 cores)")
    targets = plan_targets()
    t_run = best(lambda: run.run_scenario(base, enhanced, bau, catalog, targets=targets, draws=args.draws),
                 args.repeat)
    print(f"whole run with {args.draws:,} draws (path, BAU, Monte Carlo, wedges, LMDI, targets, leagues): "
          f"{t_run:.2f} s")
    if not args.no_page:
        print(f"page /scenarios/enhanced (1 000 draws), server time: {page_time(args.repeat) * 1000:.0f} ms "
              "(target < 1 s)")


if __name__ == "__main__":
    main()
