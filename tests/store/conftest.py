"""Store fixtures: a migrated engine on each backend, a session, and a small hand-built plan.

The plan's sentences are verbatim from the shipped source text of 内党发〔2022〕19号; their offsets are
computed from that file, so a round trip can be checked against the text itself.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

import pytest

from tanfeng.plan.model import Action, Certainty, Comparator, Measure, Part, Plan, SourceRef, Target

DOCUMENT = "内党发〔2022〕19号《内蒙古自治区碳达峰实施方案》"
SOURCE_FILE = "inner_mongolia_2022.source.txt"


@pytest.fixture
def make_plan() -> Callable[..., Plan]:
    """The small hand-built plan (a function: ``make_plan(storage_target=600.0)`` gives a changed copy)."""
    return small_plan


@pytest.fixture
def plan_source_text() -> str:
    """The shipped source text the plan's offsets point into."""
    return source_text()


def source_text() -> str:
    return resources.files("tanfeng.plan").joinpath("plans", SOURCE_FILE).read_text(encoding="utf-8")


def ref(sentence: str, *, certainty: Certainty = Certainty.PRIMARY, note: str | None = None) -> SourceRef:
    text = source_text()
    start = text.index(sentence)
    line = text.count("\n", 0, start) + 1
    return SourceRef(document=DOCUMENT, file=SOURCE_FILE, line=line, start=start, end=start + len(sentence),
                     certainty=certainty, note=note)


S_STORAGE = "到2025年,新型储能装机容量达到500万千瓦以上,完成3000万千瓦左右的煤电机组灵活性改造。"
S_COAL = "到2025年力争完成煤电机组节能改造3000万千瓦,煤电机组平均供电煤耗达到305克标准煤/千瓦时左右。"
S_PREFAB = "到2025年,全区装配式建筑占当年新建建筑面积比例达到30%左右,其中,呼和浩特、包头主城区达到40%左右;"
S_TRANSPORT = "到2025年,营运车辆单位换算周转碳排放强度比2020年下降5%,"


def small_plan(*, storage_target: float = 500.0) -> Plan:
    """A plan with every kind of node: targets on measures and on a part, a range, a decrease, unicode."""
    m_power = Measure(id="im.a01.m2", number=2, title="加快构建新型电力系统",
                      text="加快推进存量煤电机组“三改联动”。" + S_STORAGE, departments=["自治区能源局", "内蒙古电力集团"],
                      source=ref("2.加快构建新型电力系统。"))
    m_saving = Measure(id="im.a02.m2", number=2, title="实施节能降碳工程", text=S_COAL, departments=[],
                       source=ref("2.实施节能降碳工程。"))
    a1 = Action(id="im.a01", number=1, numeral="一", title="能源绿色低碳转型行动", title_en="Green energy transition",
                measures=[m_power], source=ref("加快构建新型电力系统", certainty=Certainty.SECONDARY, note="heading inferred"))
    a2 = Action(id="im.a02", number=2, numeral="二", title="节能降碳增效行动", measures=[m_saving],
                source=ref("实施节能降碳工程"))
    policy = Measure(id="im.p1", number=1, title="建立统一规范的碳排放统计核算体系", text="", source=SourceRef(document=DOCUMENT))
    parts = [
        Part(id="im.main", kind="main_targets", title="主要目标"),
        Part(id="im.tasks", kind="key_tasks", title="重点任务", actions=[a1, a2]),
        Part(id="im.policy", kind="policy_support", title="政策保障", measures=[policy]),
    ]
    targets = [
        Target(id="im.a01.m2.t1", action="im.a01", measure="im.a01.m2", indicator="新型储能装机容量",
               indicator_id="new_energy_storage_capacity", indicator_en="New-type energy storage capacity",
               scope="150000", scope_regions=["150000"], year=2025, comparator=Comparator.GE, value=storage_target,
               unit="万千瓦", departments=["自治区能源局"], source_text=S_STORAGE, source=ref(S_STORAGE)),
        Target(id="im.a02.m2.t1", action="im.a02", measure="im.a02.m2", indicator="煤电机组平均供电煤耗",
               indicator_id="coal_power_supply_coal_consumption", scope="150000", year=2025,
               comparator=Comparator.APPROX, value=305.0, unit="克标准煤/千瓦时", aspirational=True,
               source_text=S_COAL, source=ref(S_COAL)),
        Target(id="im.t.prefab", action="im.main", indicator="装配式建筑占当年新建建筑面积比例",
               indicator_id="prefab_building_share", scope="呼和浩特、包头主城区", scope_regions=["150100", "150200"],
               year=2025, comparator=Comparator.BETWEEN, value=0.1 + 0.2, value_high=40.0, unit="%",
               source_text=S_PREFAB, source=ref(S_PREFAB), note="range made up for the round trip: 0.30000000000000004"),
        Target(id="im.t.transport", indicator="营运车辆单位换算周转碳排放强度", indicator_id="transport_carbon_intensity",
               scope="150000", year=2025, comparator=Comparator.DECREASE_BY, qualifier="≈", value=5.0, unit="%",
               baseline_year=2020, source_text=S_TRANSPORT, source=ref(S_TRANSPORT)),
    ]
    return Plan(id="im-test", title="内蒙古自治区碳达峰实施方案 (test excerpt)", title_en="Inner Mongolia carbon peak plan",
                region="150000", document_number="内党发〔2022〕19号", issuer="中共内蒙古自治区委员会 内蒙古自治区人民政府",
                published="2022-11", source_file=SOURCE_FILE, notes=["测试用摘录 ✓", "second note"], parts=parts,
                targets=targets)
