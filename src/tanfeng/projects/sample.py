"""Sample project list (示例数据): invented projects and withdrawals that show every rule at work.

**None of these projects exists.** Every record has ``sample = True``; names end in （示例）.
"""

from __future__ import annotations

from datetime import date

from tanfeng.projects.offsets import Withdrawal
from tanfeng.projects.registry import Project

__all__ = ["sample_projects", "sample_withdrawals"]

_OFFICIAL = [{"name": "示例负责人", "post": "分管副盟市长", "department": "发展改革委"}]


def _p(code: str, name: str, league: str, county: str, industry: str, stage: str, equal: float, equiv: float,
       **kw: object) -> Project:
    data: dict[str, object] = {
        "code": code, "name": f"{name}（示例）", "owner_name": f"{name[:4]}有限公司（示例）", "league": league,
        "county": county, "industry": industry, "stage": stage, "energy_equal_tce": equal, "energy_equiv_tce": equiv,
        "departments": ["发展改革委", "工业和信息化局"], "officials": _OFFICIAL,
        "milestones": [{"name": "投产", "due": "2026-12-31"}], "sample": True}
    data.update(kw)
    return Project.model_validate(data)


def sample_projects() -> list[Project]:
    """Twelve projects over several leagues and stages."""
    return [
        _p("SAMPLE-150600-01", "鄂尔多斯煤制烯烃项目", "150600", "150621", "C2614", "拟建", 1_150_000, 1_200_000,
           product="coal_to_olefins_feedstock_included", output=450_000, coal_t=900_000, electricity_10k_kwh=80_000,
           feedstock_tce=700_000, value_added_10k_yuan=450_000, capacity=45, capacity_unit="万吨/年"),
        _p("SAMPLE-150600-02", "鄂尔多斯煤制甲醇技改项目", "150600", "150627", "C2614", "在建", 300_000, 320_000,
           product="coal_to_methanol_bituminous", output=200_000, coal_t=260_000, electricity_10k_kwh=20_000,
           feedstock_tce=180_000, value_added_10k_yuan=90_000, rebuild=True),
        _p("SAMPLE-150600-03", "鄂尔多斯数据中心项目", "150600", "150602", "I6450", "拟建", 60_000, 95_000,
           project_type="数据中心", electricity_10k_kwh=48_000, value_added_10k_yuan=120_000),
        _p("SAMPLE-150600-04", "鄂尔多斯光伏电站项目", "150600", "150624", "D4416", "拟建", 200, 300,
           project_type="光伏电站", electricity_10k_kwh=150, value_added_10k_yuan=30_000),
        _p("SAMPLE-150300-01", "乌海电石扩能项目", "150300", "150304", "C2619", "拟建", 40_000, 48_000,
           product="calcium_carbide", output=60_000, electricity_10k_kwh=19_000, coal_t=12_000,
           value_added_10k_yuan=15_000),
        _p("SAMPLE-150300-02", "乌海焦化存量装置", "150300", "150303", "C2521", "存量", 180_000, 190_000,
           product="coke_top_charged", output=1_300_000, coal_t=150_000, electricity_10k_kwh=9_000,
           value_added_10k_yuan=40_000),
        _p("SAMPLE-150200-01", "包头电解铝存量产能", "150200", "150206", "C3216", "存量", 1_100_000, 2_400_000,
           product="electrolytic_aluminium_ac_power", output=800_000, electricity_10k_kwh=1_080_000,
           value_added_10k_yuan=520_000),
        _p("SAMPLE-150200-02", "包头高炉系统改造项目", "150200", "150205", "C3110", "已建", 850_000, 900_000,
           product="steel_blast_furnace", output=2_300_000, coal_t=700_000, electricity_10k_kwh=30_000,
           value_added_10k_yuan=260_000),
        _p("SAMPLE-150900-01", "乌兰察布硅铁项目", "150900", "150981", "C3140", "在建", 55_000, 120_000,
           product="ferrosilicon", output=60_000, electricity_10k_kwh=50_000, value_added_10k_yuan=18_000),
        _p("SAMPLE-150100-01", "呼和浩特新材料项目", "150100", "150121", "C3985", "拟建", 8_000, 11_000,
           electricity_10k_kwh=6_000, value_added_10k_yuan=60_000),
        _p("SAMPLE-150100-02", "呼和浩特乳制品扩产项目", "150100", "150125", "C1441", "拟建", 2_000, 2_600,
           electricity_10k_kwh=1_200, value_added_10k_yuan=40_000),
        _p("SAMPLE-152500-01", "锡林郭勒水泥熟料置换项目", "152500", "152502", "C3011", "拟建", 90_000, 95_000,
           product="cement_clinker", output=900_000, coal_t=100_000, electricity_10k_kwh=5_000,
           value_added_10k_yuan=30_000),
    ]


def sample_withdrawals() -> list[Withdrawal]:
    """Withdrawals in three leagues (one already backs the olefins project in the sample load)."""
    return [
        Withdrawal(id="SAMPLE-W-150600-01", league="150600", description="关停落后兰炭产能（示例）", capacity=60,
                   capacity_unit="万吨/年", energy_tce=300_000, withdrawn_on=date(2023, 12, 31), sample=True),
        Withdrawal(id="SAMPLE-W-150600-02", league="150600", description="淘汰小型燃煤锅炉（示例）",
                   energy_tce=80_000, withdrawn_on=date(2024, 6, 30), sample=True),
        Withdrawal(id="SAMPLE-W-150300-01", league="150300", description="关停电石炉两台（示例）", capacity=10,
                   capacity_unit="万吨/年", energy_tce=45_000, withdrawn_on=date(2024, 3, 31), sample=True),
        Withdrawal(id="SAMPLE-W-152500-01", league="152500", description="淘汰熟料生产线（示例）", capacity=100,
                   capacity_unit="万吨/年", energy_tce=110_000, withdrawn_on=date(2024, 9, 30), sample=True),
    ]
