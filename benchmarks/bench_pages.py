"""First paint of the main pages on the sample data, measured in Debian's Chromium (target: < 1.5 s).

Initialises a temporary embedded store as ``tanfeng init`` does, serves it with uvicorn on a loopback
port, and loads each page several times in a fresh browser context (no cache), reading the browser's own
paint timing (``first-contentful-paint``) and the load event. Prints the median and the worst of each.

    .venv/bin/python benchmarks/bench_pages.py [--runs 5] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from tanfeng.config import Settings
from tanfeng.services import bootstrap
from tanfeng.web.app import create_app

PAGES = ["/", "/overview", "/board", "/regions/150600", "/plans/im2022/targets/im2022.a01.m2.t1"]
TARGET_MS = 1500.0

FCP_JS = """() => new Promise(resolve => {
  const nav = performance.getEntriesByType('navigation')[0];
  const done = fcp => resolve({fcp: fcp, load: nav.loadEventEnd});
  const seen = performance.getEntriesByName('first-contentful-paint')[0];
  if (seen) { done(seen.startTime); return; }
  new PerformanceObserver(list => {
    const e = list.getEntriesByName('first-contentful-paint')[0];
    if (e) { done(e.startTime); }
  }).observe({type: 'paint', buffered: true});
  setTimeout(() => done(null), 5000);
})"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        settings = Settings(database_url=f"sqlite:///{root / 'tanfeng.db'}", data_dir=root / "data")
        t0 = time.perf_counter()
        bootstrap.init(settings)
        print(f"init (migrations, reference data, plan, sample series): {time.perf_counter() - t0:.2f} s")
        port = _free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                               log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        print(f"{'page':<45} {'FCP median':>11} {'FCP worst':>10} {'load median':>12}  target < {TARGET_MS:.0f} ms")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            for path in PAGES:
                fcp: list[float] = []
                load: list[float] = []
                for _ in range(args.runs):
                    context = browser.new_context(viewport={"width": 1280, "height": 900})
                    page = context.new_page()
                    page.goto(base + path, wait_until="load")
                    timing = page.evaluate(FCP_JS)
                    if timing["fcp"] is None:
                        raise RuntimeError(f"{path}: the browser reported no first-contentful-paint")
                    fcp.append(float(timing["fcp"]))
                    load.append(float(timing["load"]))
                    context.close()
                verdict = "ok" if statistics.median(fcp) < TARGET_MS else "SLOW"
                print(f"{path:<45} {statistics.median(fcp):>9.0f} ms {max(fcp):>7.0f} ms "
                      f"{statistics.median(load):>9.0f} ms  {verdict}")
            browser.close()
        server.should_exit = True
        thread.join(timeout=10)


if __name__ == "__main__":
    main()
