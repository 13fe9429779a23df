"""Benchmark of reading large annual-report workbooks: seconds and peak memory, printed (not asserted).

Issue 16 measured a 6.3 MB workbook of 600,000 rows at 799 s and about 2 GB before the limits. Here each
workbook is written first (openpyxl write-only mode, not timed), then read by ``parse_template`` in a fresh
Python process, whose wall and CPU time and peak resident memory (``ru_maxrss``) are printed:

* ``--rows`` fuel rows (default 600,000, over the default cap of 100,000 rows: refused at row 100,001);
* 90,000 fuel rows (under the cap: read whole and accepted);
* a workbook with a part that declares 250 MB of zeros (refused from its ZIP directory, nothing inflated).

Usage::

    .venv/bin/python benchmarks/bench_intake.py
    .venv/bin/python benchmarks/bench_intake.py --rows 200000
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from openpyxl import Workbook

UNIT = "91150602MA00000021"

_READ = """
import resource
import sys
from pathlib import Path
from tanfeng.enterprises.workbook import parse_template
from tanfeng.errors import ImportDataError
try:
    _, _, content, _ = parse_template(Path(sys.argv[1]).read_bytes(), filename=Path(sys.argv[1]).name)
    print(f"accepted: {len(content.fuels):,} fuel rows")
except ImportDataError as exc:
    print(f"refused: {exc.location}: {exc.message}")
usage = resource.getrusage(resource.RUSAGE_SELF)
print(f"{usage.ru_utime + usage.ru_stime:.1f} {usage.ru_maxrss}")
"""


def write_workbook(path: Path, rows: int) -> None:
    """The annual-report template with ``rows`` fuel rows of 1 t raw coal (write-only, streamed to disk)."""
    wb = Workbook(write_only=True)
    cover = wb.create_sheet("封面")
    for row in (["统一社会信用代码", UNIT], ["单位名称", "示例水泥 (示例数据)"], ["年度", 2023], ["报告类型", "energy"]):
        cover.append(row)
    fuels = wb.create_sheet("能源消费")
    fuels.append(["product", "quantity", "unit"])
    for _ in range(rows):
        fuels.append(["raw_coal", 1, "t"])
    elec = wb.create_sheet("电力热力")
    elec.append(["item", "value"])
    elec.append(["外购电力 (MWh)", 100])
    for name in ("产品产量", "节能措施"):
        wb.create_sheet(name).append(["product"])
    wb.save(path)


def add_bomb(path: Path, size: int) -> None:
    """Append a part of ``size`` zero bytes to the workbook."""
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z, z.open("xl/media/image1.bin", "w",
                                                                     force_zip64=True) as part:
        chunk = bytes(1_000_000)
        for _ in range(size // len(chunk)):
            part.write(chunk)


def measure(path: Path) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds, peak resident MB and the outcome of reading ``path`` in a fresh process."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _READ, str(path)], capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - start
    outcome, usage = out.stdout.strip().rsplit("\n", 1)
    cpu, peak_kb = usage.split()
    return seconds, float(cpu), int(peak_kb) / 1024, outcome[:160]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=600_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tanfeng-bench-intake-") as tmp:
        cases = [(f"{args.rows:,} rows", args.rows, 0), ("90,000 rows", 90_000, 0), ("250 MB zip part", 10, 250_000_000)]
        for label, rows, bomb in cases:
            path = Path(tmp) / f"report-{rows}-{bomb}.xlsx"
            write_workbook(path, rows)
            if bomb:
                add_bomb(path, bomb)
            seconds, cpu, peak_mb, outcome = measure(path)
            size_mb = path.stat().st_size / 1e6
            print(f"{label:>18}: {size_mb:6.1f} MB file, {seconds:6.1f} s wall, {cpu:6.1f} s CPU, "
                  f"peak {peak_mb:6.0f} MB — {outcome}", flush=True)


if __name__ == "__main__":
    main()
