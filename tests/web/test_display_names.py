"""Who changed a project, or took a forestry project a step further, is shown by display name as everywhere else
(the dispatch pages, the unit pages, a target's history), never by user name (issue 10)."""

from __future__ import annotations

import re
from pathlib import Path

from clients import add_test_user, login_client, store_app

from tanfeng.projects.registry import Project
from tanfeng.services import projects

USER, NAME, PASSWORD = "wang.review", "节能审查科 王工", "a-long-test-password-1"


def _cells(html: str, table: str, column: int) -> list[str]:
    body = re.search(rf'<table[^>]*id="{table}".*?</table>', html, re.S)
    assert body is not None
    rows = re.findall(r"<tr>(.*?)</tr>", body.group(0), re.S)
    return [re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)[column] for r in rows if "<td" in r]


def test_project_versions_and_lifecycle_steps_show_display_names(tmp_path: Path) -> None:
    app = store_app(tmp_path)
    add_test_user(app, USER, "region_admin", PASSWORD, display_name=NAME)
    with app.state.sessions() as session:
        current = projects.get_project(session, "SAMPLE-150300-01")
        p = Project.model_validate(current.model_dump(include=set(Project.model_fields)))
        projects.save_projects(session, [p.model_copy(update={"name": f"{p.name}（变更）"})], actor=USER)
        session.commit()
    c = login_client(app, USER, PASSWORD)
    by = _cells(c.get("/projects/SAMPLE-150300-01").text, "versions", 2)
    assert by[-1] == NAME
    assert USER not in by

    assert c.post("/api/registry/accounts", json={"instrument": "CCER", "kind": "league", "owner": "150600",
                                                  "name": "鄂尔多斯市 林业碳汇", "region": "150600"}).status_code == 201
    r = c.post("/api/sinks/projects", json={"project_id": "T-FP-150600-09", "name": "测试 造林碳汇项目",
                                            "region": "150600", "area_ha": 800, "credit_account": "CCER-150600",
                                            "document": "PDD v1"})
    assert r.status_code == 201, r.text
    assert c.post("/api/sinks/projects/T-FP-150600-09/steps",
                  json={"to": "monitored", "document": "监测报告 2025"}).status_code == 201
    steps = _cells(c.get("/sinks/projects/T-FP-150600-09").text, "steps", 3)
    assert steps == [NAME, NAME]
