"""``tanfeng plan show`` and ``tanfeng plan targets`` on the built-in Inner Mongolia plan.

Expected values are read off the seed text of 内党发〔2022〕19号 (see tests/plan/test_inner_mongolia_plan.py).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from tanfeng.cli.main import app
from tanfeng.plan.loader import PLANS_DIR

REQUIRED = {"id", "action", "indicator", "scope", "year", "comparator", "value", "unit", "baseline_year",
            "source_text"}


def run(*args: str) -> Any:
    result = CliRunner().invoke(app, ["plan", *args])
    assert result.exit_code == 0, result.output
    return result


def targets_json(*args: str) -> list[dict[str, Any]]:
    data = json.loads(run("targets", "--format", "json", *args).stdout)
    assert isinstance(data, list)
    return data


def test_targets_json_is_an_array_of_targets_with_typed_fields() -> None:
    rows = targets_json()
    assert len(rows) == 34  # 29 in the print + 5 of the companion 实施意见
    for row in rows:
        assert set(row) >= REQUIRED
        assert isinstance(row["value"], int | float)
        assert not isinstance(row["value"], bool)
        assert row["year"] is None or isinstance(row["year"], int)
        assert row["baseline_year"] is None or isinstance(row["baseline_year"], int)
        assert isinstance(row["source_text"], str)
        assert row["source_text"]
    storage = next(r for r in rows if r["id"] == "im2022.a01.m2.t1")
    # 到2025年,新型储能装机容量达到500万千瓦以上
    assert (storage["indicator"], storage["year"], storage["comparator"], storage["value"], storage["unit"]) == (
        "新型储能装机容量", 2025, "≥", 500, "万千瓦")
    standing = next(r for r in rows if r["id"] == "im2022.a01.m3.t1")  # 新建通道…不低于50%: no year
    assert standing["year"] is None


def test_targets_filters() -> None:
    # (五)1 装配式建筑: 30%左右 and 40%左右 in 2025, 40%左右 in 2030
    assert [r["id"] for r in targets_json("--action", "a05")] == [
        "im2022.a05.m1.t1", "im2022.a05.m1.t2", "im2022.a05.m1.t3"]
    in_2030 = targets_json("--year", "2030")
    assert in_2030
    assert {r["year"] for r in in_2030} == {2030}
    assert [r["value"] for r in targets_json("--scope", "150100")] == [40]
    decreases = targets_json("--indicator", "营运车辆")  # 比2020年下降5% (2025), 10% (2030)
    assert [(r["comparator"], r["value"], r["baseline_year"], r["year"]) for r in decreases] == [
        ("decrease_by", 5, 2020, 2025), ("decrease_by", 10, 2020, 2030)]
    assert [r["value"] for r in targets_json("--action", "a09", "--year", "2025", "--indicator", "forest_coverage")] == [
        23.5]
    assert targets_json("--year", "2040") == []


def test_targets_csv_has_a_header() -> None:
    out = run("targets", "--format", "csv", "--action", "a07.m4").stdout
    reader = csv.DictReader(io.StringIO(out.lstrip("\ufeff")))
    assert reader.fieldnames is not None
    assert set(reader.fieldnames) >= REQUIRED
    rows = list(reader)
    # (七)4: 1万吨/日以上, 100%, 不低于40% (2025); 1.2万吨/日以上 (2030)
    assert [(r["value"], r["unit"], r["year"]) for r in rows] == [
        ("1", "万吨/日", "2025"), ("100", "%", "2025"), ("40", "%", "2025"), ("1.2", "万吨/日", "2030")]


def test_targets_table_is_readable() -> None:
    out = run("targets", "--action", "a02").stdout
    assert "≈ 305 克标准煤/千瓦时" in out
    assert "力争" in out
    out = run("targets", "--indicator", "营运车辆").stdout
    assert "比2020年下降 5 %" in out


def test_show_json_has_twelve_actions() -> None:
    plan = json.loads(run("show", "--format", "json").stdout)
    assert plan["id"] == "im2022"
    assert plan["document_number"] == "内党发〔2022〕19号"
    key_tasks = [p for p in plan["parts"] if p["kind"] == "key_tasks"]
    assert len(key_tasks) == 1
    assert len(key_tasks[0]["actions"]) == 12
    assert key_tasks[0]["actions"][11]["title"] == "碳达峰碳中和试点示范建设行动"
    assert len(plan["targets"]) == 34


def test_show_table_and_csv() -> None:
    out = run("show").stdout
    assert "梯次有序碳达峰行动" in out
    assert "上下联动制定碳达峰方案" in out
    rows = list(csv.DictReader(io.StringIO(run("show", "--format", "csv").stdout.lstrip("\ufeff"))))
    assert len(rows) == 51  # 44 measures of the 12 actions + 3 of 政策保障 + 4 of 组织实施
    assert {r["part"] for r in rows} == {"重点任务", "政策保障", "组织实施"}


def test_show_from_a_file(tmp_path: Path) -> None:
    for name in ("inner_mongolia_2022.yaml", "inner_mongolia_2022.source.txt"):
        (tmp_path / name).write_bytes((PLANS_DIR / name).read_bytes())
    plan = json.loads(run("show", "--file", str(tmp_path / "inner_mongolia_2022.yaml"), "--format", "json").stdout)
    assert plan["id"] == "im2022"


def test_bad_file_exits_1_naming_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: t\nregion: '150000'\nparts:\n- id: p\n  kind: nonsense\n  title: t\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["plan", "show", "--file", str(bad)])
    assert result.exit_code == 1
    assert "PlanFileError" in result.stderr
    assert "bad.yaml" in result.stderr
    assert "line 6" in result.stderr
    assert "parts.0.kind" in result.stderr


def test_plan_and_file_together_are_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["plan", "targets", "--plan", "im2022", "--file", str(tmp_path / "x.yaml")])
    assert result.exit_code == 1
    assert "either --plan or --file" in result.stderr


def test_unknown_plan_id() -> None:
    result = CliRunner().invoke(app, ["plan", "targets", "--plan", "nope"])
    assert result.exit_code == 1
    assert "NotFoundError" in result.stderr


def test_plan_commands_are_registered() -> None:
    out = run("--help").stdout
    for command in ("show", "targets", "extract"):
        assert command in out
