"""``tanfeng registry``: the JSON shapes the issue gives, idempotent commands, refusals that write nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from tanfeng.cli.main import app


def _setup(run: Callable[[list[str]], Any]) -> None:
    run(["registry", "open", "CEA", "E1", "--name", "企业一", "--region", "150200"])
    run(["registry", "open", "CEA", "E2", "--name", "企业二", "--region", "150200"])
    run(["registry", "issue", "CEA-E1", "1000", "--vintage", "2024", "--key", "i-1"])


def test_accounts_and_verify_shapes(env: Path, run: Callable[[list[str]], Any]) -> None:
    _setup(run)
    tx = run(["registry", "transfer", "CEA-E1", "CEA-E2", "300", "--key", "t-1"])
    assert tx["entries"][0] == {"account": "CEA-E1", "serial": "CEA-2024-000000001-000000300", "instrument": "CEA",
                                "vintage": 2024, "amount": -300}
    again = run(["registry", "transfer", "CEA-E1", "CEA-E2", "300", "--key", "t-1"])
    assert (again["replayed"], again["tx_id"]) == (True, tx["tx_id"])
    accounts = {a["account"]: a for a in run(["registry", "accounts"])}
    assert accounts["CEA-E1"] == {"account": "CEA-E1", "owner": "E1", "instrument": "CEA", "balance": 700}
    assert accounts["CEA-E2"]["balance"] == 300
    assert accounts["CEA-ISSUANCE"]["balance"] == -1000
    verify = run(["registry", "verify"])
    assert verify == {"ok": True, "entries": 4, "accounts": 4, "issued": 1000, "retired": 0, "in_circulation": 1000,
                      "first_bad_entry": None}


def test_surrender_over_the_offset_cap_is_refused(env: Path, run: Callable[[list[str]], Any]) -> None:
    _setup(run)
    r = CliRunner().invoke(app, ["registry", "surrender", "CEA-E1", "--year", "2024", "--on", "2025-06-01",
                                 "--obligation", "1000", "--line", "CEA:2024:900", "--line", "CCER:2023:100",
                                 "--key", "s-1"])
    assert r.exit_code == 1
    assert "capped at 5%" in r.output
    done = run(["registry", "surrender", "CEA-E1", "--year", "2024", "--on", "2025-12-31", "--obligation", "1000",
                "--line", "CEA:2024:1000", "--key", "s-2"])
    assert done["details"]["surrendered"] == 1000
    status = run(["registry", "compliance", "--year", "2024"])
    assert [(s["account"], s["status"]) for s in status] == [("CEA-E1", "complete"), ("CEA-E2", "no_obligation")]
    assert run(["registry", "verify"])["retired"] == 1000


def test_statement_and_excel(env: Path, run: Callable[[list[str]], Any]) -> None:
    _setup(run)
    lines = run(["registry", "statement", "CEA-E1"])
    assert [(ln["amount"], ln["balance"]) for ln in lines] == [(1000, 1000)]
    out = env / "s.xlsx"
    r = CliRunner().invoke(app, ["registry", "statement", "CEA-E1", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert out.read_bytes()[:2] == b"PK"


def test_unknown_account_is_refused(env: Path, run: Callable[[list[str]], Any]) -> None:
    _setup(run)
    r = CliRunner().invoke(app, ["registry", "transfer", "CEA-E1", "CEA-NOPE", "1", "--key", "x"])
    assert r.exit_code == 1
    assert "unknown account 'CEA-NOPE'" in r.output
    assert json.loads(CliRunner().invoke(app, ["registry", "verify", "--format", "json"]).stdout)["entries"] == 2


def test_power_allocation_pre_and_settlement(env: Path, run: Callable[[list[str]], Any]) -> None:
    # class I 2024, 1 000 000 MWh at F = 0.70, 100 000 GJ: A = 791 000 + 10 330 = 801 330 tCO2
    run(["registry", "open", "CEA", "P1", "--name", "电厂一"])
    common = ["--year", "2024", "--class", "I", "--power-mwh", "1000000", "--heat-gj", "100000",
              "--load-factor", "0.7"]
    # unit P1: previous year 1 050 000 → pre-allocation 735 000; verified 1 100 000 → topped up to 880 000
    pre = run(["registry", "allocate", "CEA-P1", *common, "--verified", "1100000", "--previous-verified", "1050000",
               "--stage", "pre_allocation", "--key", "p1-pre"])
    assert pre["transaction"]["entries"][-1]["amount"] == 735_000
    settle = run(["registry", "allocate", "CEA-P1", *common, "--verified", "1100000", "--previous-verified",
                  "1050000", "--stage", "settlement", "--key", "p1-settle"])
    assert settle["transaction"]["entries"][-1]["amount"] == 145_000  # 880 000 − 735 000
    # unit P2: previous year 1 200 000 → 840 000 pre-allocated; final 801 330 → 38 670 taken back (多退少补)
    run(["registry", "open", "CEA", "P2", "--name", "电厂二"])
    run(["registry", "allocate", "CEA-P2", *common, "--verified", "900000", "--previous-verified", "1200000",
         "--stage", "pre_allocation", "--key", "p2-pre"])
    back = run(["registry", "allocate", "CEA-P2", *common, "--verified", "900000", "--previous-verified", "1200000",
                "--stage", "settlement", "--key", "p2-settle"])
    assert back["transaction"]["kind"] == "return"
    accounts = {a["account"]: a["balance"] for a in run(["registry", "accounts"])}
    assert (accounts["CEA-P1"], accounts["CEA-P2"]) == (880_000, 801_330)
    verify = run(["registry", "verify"])
    assert (verify["ok"], verify["issued"], verify["in_circulation"]) == (True, 880_000 + 801_330, 880_000 + 801_330)
