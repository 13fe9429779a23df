"""Benchmark: 节能审查 of a project list and the leagues' assessment on an initialised embedded store (prints
figures; never asserted in tests).

Shape: ``--projects N`` synthetic projects (seeded, spread over the 12 leagues, 两高 and not) imported as one
Excel 清单, each reviewed against its league; then the 12-league assessment of 2025. Timings: the import,
the reviews (per project), the 两高 list, the assessment.

Run: ``.venv/bin/python benchmarks/bench_projects.py [--projects 500]``
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from tanfeng.config import Settings
from tanfeng.projects.registry import Project
from tanfeng.projects.workbook import write_workbook
from tanfeng.services import assessment, bootstrap, projects
from tanfeng.store import make_engine, make_session_factory
from tanfeng.tracking.sample import LEAGUES

INDUSTRIES = ("C2614", "C3011", "C3216", "C3110", "C1441", "C3985", "I6450")


def _projects(n: int, seed: int) -> list[Project]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        league = LEAGUES[i % len(LEAGUES)]
        equal = float(rng.lognormal(9.0, 1.5))
        out.append(Project(code=f"BENCH-{i:05d}", name=f"基准测试项目{i}", league=league,
                           industry=INDUSTRIES[i % len(INDUSTRIES)], stage=("拟建", "在建", "已建", "存量")[i % 4],
                           energy_equal_tce=round(equal, 1), energy_equiv_tce=round(equal * 1.2, 1),
                           coal_t=round(equal * 0.8, 1), electricity_10k_kwh=round(equal * 0.1, 1),
                           value_added_10k_yuan=round(float(rng.lognormal(8.0, 1.0)), 1), sample=True))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite:///{Path(tmp) / 'bench.db'}", data_dir=Path(tmp) / "data")
        bootstrap.init(settings)
        engine = make_engine(settings.database_url)
        with make_session_factory(engine)() as session:
            content = write_workbook(_projects(args.projects, args.seed))
            t0 = time.perf_counter()
            res = projects.import_workbook(session, content, filename="bench.xlsx", actor="bench")
            t_import = time.perf_counter() - t0
            codes = [p.code for p in projects.list_projects(session)]
            t0 = time.perf_counter()
            for code in codes:
                projects.review_project(session, code)
            t_review = time.perf_counter() - t0
            t0 = time.perf_counter()
            rows = projects.list_two_high(session)
            t_two_high = time.perf_counter() - t0
            t0 = time.perf_counter()
            ranking = assessment.assess_leagues(session, year=2025)
            t_assess = time.perf_counter() - t0
        engine.dispose()
    print(f"import of {res.inserted} projects (one Excel 清单): {t_import:.2f} s")
    print(f"review of {len(codes)} projects: {t_review:.2f} s ({t_review / len(codes) * 1000:.1f} ms per project)")
    print(f"两高 list ({len(rows)} projects): {t_two_high:.2f} s")
    print(f"assessment of {len(ranking)} leagues: {t_assess:.2f} s")


if __name__ == "__main__":
    main()
