"""Take the README's four pictures (``docs/images/*.png``, 1280 px wide) from a real Chromium on the sample store.

Starts the app on a temporary store initialised as ``make run`` does (the plan, the reference data, the sample
series and 200 sample key units), opens a dispatch round as the office, and then, in Chromium:

``dashboard.png``             the plan dashboard ``/`` as the public sees it (the first screen)
``overview.png``              the dual-control overview ``/overview`` as the public sees it (the whole page)
``home-office.png``           the office's landing page ``/home`` with the open round and what is missing
``unit-report-returned.png``  an enterprise's unit page after it filed its annual report from the template and
                              the league returned it with a comment

Usage: ``python scripts/docs_screenshots.py [--out docs/images] [--chromium /usr/bin/chromium]``. Needs the
front-end assets (``bash scripts/ensure-frontend.sh``), a CJK font (fonts-noto-cjk) and Chromium's Chinese
language pack (chromium-l10n, for the browser's own labels). The pictures are reduced to a 256-colour palette so
that each stays under 400 KB.
"""

from __future__ import annotations

import argparse
import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import uvicorn
from openpyxl import load_workbook
from PIL import Image

from tanfeng.config import Settings
from tanfeng.services import accounts, bootstrap, key_units, tracking
from tanfeng.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "docs-screenshots-2025"  # the accounts of a throwaway store
WIDTH = 1280
LEAGUE = "150600"  # 鄂尔多斯市: the enterprise's unit is one of its sample units


def _store(root: Path) -> tuple[Settings, str]:
    """A store as ``make run`` leaves it, the accounts of the pictures, an open dispatch round; the enterprise's
    unit code."""
    settings = Settings(database_url=f"sqlite:///{root / 'tanfeng.db'}", data_dir=root / "data")
    bootstrap.init(settings)
    app = create_app(settings)
    with app.state.sessions() as session:
        key_units.load_sample(session, settings, units=200, days=1)
        session.commit()
        unit = next(u.code for u in key_units.list_units(session, league=LEAGUE))
        setup = accounts.Actor(name="docs-screenshots")
        for username, role, name, attrs in (
                ("office", "office", "领导小组办公室 王明", {}),
                ("ordos", "league", "鄂尔多斯市发展改革委 李华", {"region_code": LEAGUE}),
                ("enterprise", "enterprise", "示例企业 能源管理岗 赵强", {"unit_id": unit})):
            accounts.add_user(session, username=username, role=role, password=PASSWORD, actor=setup,
                              display_name=name, **attrs)
        session.commit()
        today = tracking.today_in_beijing()
        quarter = (today.month - 1) // 3 + 1
        period = f"{today.year}Q{quarter}"
        end = tracking.period_end(period)
        tracking.open_period(session, period=period, due_date=end + timedelta(days=10), actor="office",
                             actor_role="office")
        session.commit()
    return settings, unit


@contextmanager
def _serve(settings: Settings) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            msg = "the app did not start"
            raise RuntimeError(msg)
        time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login?lang=zh")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#current-user")


def _save(page: Any, path: Path, *, full_page: bool) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(800)  # chart animations
    page.screenshot(path=str(path), full_page=full_page)
    Image.open(path).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def _report_returned(new_page: Any, base: str, unit: str, work: Path, out: Path) -> None:
    """The enterprise files its annual report from the template; the league returns it with a comment."""
    ent = new_page()
    _login(ent, base, "enterprise")
    ent.goto(f"{base}/units/{unit}?lang=zh")
    with ent.expect_download() as got:
        ent.click("#template-ghg")
    template = work / "template.xlsx"
    got.value.save_as(template)
    wb = load_workbook(template)
    fuels = wb["能源消费"]
    fuels.cell(2, 1, "raw_coal")
    fuels.cell(2, 2, 2000)
    fuels.cell(2, 3, "t")
    filled = work / "温室气体排放报告.xlsx"
    wb.save(filled)
    ent.set_input_files("#upload-file", str(filled))
    ent.click("#upload-submit")
    ent.wait_for_selector("#unit-notice")
    report = ent.locator("tr[data-report]", has_text="温室气体排放报告").get_attribute("data-report")
    ent.click(f"#submit-{report}")
    ent.wait_for_selector("#unit-notice")
    league = new_page()
    _login(league, base, "ordos")
    league.goto(f"{base}/units/{unit}?lang=zh")
    league.fill(f"#comments-{report}", "原煤消费量请附计量台账，排放因子按2024年版本填报")
    league.click(f"#return-{report}")
    league.wait_for_selector("#unit-notice")
    ent.goto(f"{base}/units/{unit}?lang=zh")
    ent.wait_for_selector(f'tr[data-report="{report}"][data-state="returned"]')
    _save(ent, out / "unit-report-returned.png", full_page=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        settings, unit = _store(work / "store")
        with _serve(settings) as base, sync_playwright() as p:
            # the browser's own labels (the file picker's button) in Chinese, as a reader in the region sees them;
            # LANG stays C.UTF-8 so that file names in Chinese are read as UTF-8
            browser = p.chromium.launch(executable_path=args.chromium,
                                        args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                              "--lang=zh-CN"],
                                        env={**os.environ, "LANG": "C.UTF-8", "LANGUAGE": "zh_CN:zh"})
            contexts: list[Any] = []

            def new_page() -> Any:
                context = browser.new_context(viewport={"width": WIDTH, "height": 1000}, accept_downloads=True,
                                              locale="zh-CN", timezone_id="Asia/Shanghai")
                contexts.append(context)
                return context.new_page()

            public = new_page()
            public.goto(f"{base}/?lang=zh")
            _save(public, args.out / "dashboard.png", full_page=False)
            public.goto(f"{base}/overview?lang=zh")
            public.wait_for_selector("#league-map canvas, #league-map svg")
            _save(public, args.out / "overview.png", full_page=True)
            office = new_page()
            _login(office, base, "office")
            office.goto(f"{base}/home?lang=zh")
            _save(office, args.out / "home-office.png", full_page=True)
            _report_returned(new_page, base, unit, work, args.out)
            for c in contexts:
                c.close()
            browser.close()
    for name in ("dashboard", "overview", "home-office", "unit-report-returned"):
        path = args.out / f"{name}.png"
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
