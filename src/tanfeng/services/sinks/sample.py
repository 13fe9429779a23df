"""A sample forestry carbon project (示例数据) that ``tanfeng init`` loads after the sample registry: registered,
monitored, verified and credited, its credits issued as CCER into 呼伦贝尔市's sample CCER account."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from tanfeng.services.registry import Actor
from tanfeng.services.sinks.projects import advance_project, register_project
from tanfeng.store import repository_registry, repository_sinks

__all__ = ["SAMPLE_PROJECT", "load_sample_projects"]

SAMPLE_PROJECT = "S-FP-150700-01"
"""The sample project's id (示例数据)."""


def load_sample_projects(session: Session, *, actor: str = "tanfeng init") -> int:
    """Load the sample project when missing (and when the sample CCER account exists); steps written."""
    if repository_sinks.get_project(session, project_id=SAMPLE_PROJECT) is not None:
        return 0
    if repository_registry.get_account(session, account="CCER-150700") is None:
        return 0
    who = Actor(name=actor)

    def day(y: int, m: int, d: int) -> datetime:
        return datetime(y, m, d, tzinfo=UTC)

    register_project(session, project_id=SAMPLE_PROJECT, name="示例 大兴安岭 森林经营碳汇项目（示例数据）", region="150700",
                     area_ha=20_000, credit_account="CCER-150700", document="项目设计文件 PDD v1（示例数据）",
                     actor=who, when=day(2023, 3, 1), sample=True)
    advance_project(session, project_id=SAMPLE_PROJECT, to="monitored", document="监测报告 2023（示例数据）", actor=who,
                    when=day(2024, 2, 1))
    advance_project(session, project_id=SAMPLE_PROJECT, to="verified", document="核查报告 2023（示例数据）", actor=who,
                    tco2e=48_000, when=day(2024, 4, 15))
    advance_project(session, project_id=SAMPLE_PROJECT, to="credited", document="减排量登记通知（示例数据）", actor=who,
                    when=day(2024, 5, 10))
    return 4
