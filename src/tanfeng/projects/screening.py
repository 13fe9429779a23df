"""The 两高 list: 能效排查 of built and building projects, and the pre-approval assessment of planned ones.

能效排查 (projects 在建/已建/存量 with a product and output), against the levels file:

==================  ==========================================================================
``标杆已达``         specific energy ≤ 标杆
``标杆–基准之间``    between the two levels: no obligation
``须改造``           above 基准: must retrofit (or close) by the deadline of the rules file
``无标杆基准``       the product has no levels; ``无产品数据`` the project has no product/output
==================  ==========================================================================

Pre-approval (拟建 两高 projects): each check with its result and document —
``banned_product`` (no new capacity of the banned products), ``efficiency`` (new projects reach
标杆), ``offsets`` (减量替代 coverage), ``window_guidance`` (≥ 50,000 tce to the national window).
"""

from __future__ import annotations

from pydantic import BaseModel

from tanfeng.projects.offsets import Coverage
from tanfeng.projects.registry import Project
from tanfeng.projects.rules import ReviewRules
from tanfeng.units import readable_number

__all__ = ["Check", "Screening", "pre_approval", "screen"]


class Screening(BaseModel):
    """One project's 能效排查 result."""

    project: str
    status: str
    position: str | None
    retrofit_by: str | None


class Check(BaseModel):
    """One pre-approval check."""

    id: str
    passed: bool
    reason: str
    document: str


def screen(project: Project, position: str | None, rules: ReviewRules) -> Screening:
    """The 能效排查 status of ``project`` given its position against 标杆/基准 (None: no product data)."""
    if position is None:
        return Screening(project=project.code, status="无产品数据", position=None, retrofit_by=None)
    status = {"优于标杆": "标杆已达", "标杆–基准之间": "标杆–基准之间", "未达基准": "须改造"}.get(position, "无标杆基准")
    due = rules.efficiency.retrofit_deadline.value if status == "须改造" else None
    return Screening(project=project.code, status=status, position=position, retrofit_by=due)


def pre_approval(project: Project, position: str | None, cover: Coverage, rules: ReviewRules) -> list[Check]:
    """The pre-approval checks of a planned 两高 project (see the module docstring)."""
    banned = rules.two_high.banned_new_products
    hit = next((p for p in banned.products if p in project.name or (project.product or "") == p), None)
    checks = [Check(id="banned_product", passed=hit is None, document=rules.cite(banned.document),
                    reason=f"新增产能属禁止类: {hit}" if hit else "不属于禁止新增产能的产品")]
    need = rules.efficiency.new_projects_must_reach
    ok = position == "优于标杆" if need == "标杆" else position in ("优于标杆", "标杆–基准之间")
    checks.append(Check(id="efficiency", passed=ok, document=rules.cite(rules.efficiency.document),
                        reason=f"新建项目须达到{need}水平; 本项目: {position or '无产品数据'}"))
    checks.append(Check(id="offsets", passed=cover.covered, document=rules.cite(rules.offsets.document),
                        reason=f"减量替代 {readable_number(cover.withdrawn_tce)} tce / 需要 {readable_number(cover.needed_tce)} tce "
                               f"(比例 {readable_number(cover.ratio)})"))
    limit = rules.thresholds.window_guidance_tce
    big = project.energy_equiv_tce >= limit.value
    checks.append(Check(id="window_guidance", passed=True, document=rules.cite(limit.document),
                        reason=("须报国家发展改革委窗口指导" if big else "低于窗口指导门槛, 自治区管控")
                        + f" (门槛 {readable_number(limit.value)} tce)"))
    return checks
