"""Word lists for drafting targets from Chinese plan texts: units, comparator words, indicator glossary."""

from __future__ import annotations

import re

__all__ = ["DECREASE_WORDS", "ENTITY_NOUNS", "GLOSSARY", "INCREASE_WORDS", "NUMBER", "PER_UNITS", "PRE_LEVEL_WORDS", "PRE_TO_WORDS", "REGION_WORDS", "TAIL_COMPARATOR", "TAIL_RE", "UNITS", "UNIT_STOP_AFTER", "VALUE_RE", "indicator_id_for"]

# Units as printed in plans. Matched longest first, so 万千瓦时 wins over 万千瓦 and 千瓦.
UNITS: tuple[str, ...] = (
    "%", "‰", "个百分点", "百分点",
    "万千瓦时", "亿千瓦时", "千瓦时", "万千瓦", "亿千瓦", "千瓦", "吉瓦", "兆瓦", "GW", "MW", "万千伏安",
    "亿kWh", "万kWh", "kWh", "TWh", "GWh", "MWh", "万kW", "kW", "亿tce", "万tce", "tce",
    "克标准煤/千瓦时", "千克标准煤/吨", "千克标准煤", "吨标准煤/万元", "万吨标准煤", "亿吨标准煤", "吨标准煤",
    "万吨标煤", "亿吨标煤", "吨标煤", "千克标煤", "克标煤", "克标准煤", "千克", "毫克", "微克", "克",
    "万吨二氧化碳当量", "吨二氧化碳当量", "万吨二氧化碳", "亿吨二氧化碳", "吨二氧化碳",
    "万吨/日", "吨/日", "万吨/年", "吨/年", "万吨", "亿吨", "吨",
    "亿平方米", "万平方米", "平方米", "平方公里", "万平方公里",
    "万公顷", "公顷", "万亩", "亩",
    "立方米/万元", "亿立方米", "万立方米", "立方米",
    "万辆", "辆", "万个", "个", "万座", "座", "万家", "家", "万户", "户", "处", "项", "条",
    "万公里", "公里", "千米",
    "万人", "人",
    "万亿元", "亿元", "万元", "元",
    "小时", "倍", "天", "万台", "台", "万套", "套", "艘",
)
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
# What a unit is counted per (克标煤/千瓦时, 千克/吨钢, 吨/万元): a compound unit is any unit, "/" and one of these.
PER_UNITS: tuple[str, ...] = (
    "千瓦时", "万千瓦时", "吨公里", "人公里", "百公里", "公里", "吨钢", "吨", "万元", "元", "平方米", "立方米", "人", "户",
    "辆", "标准箱", "年", "日", "天", "小时", "亩", "公顷", "千瓦",
)
_PER_ALT = "|".join(re.escape(u) for u in sorted(PER_UNITS, key=len, reverse=True))

NUMBER = r"(?<![\d.A-Za-z])(?P<v1>\d+(?:\.\d+)?)"
# A range: 10%—15%, 10%-15%, 10%至15%, 1000万—1200万千瓦, 1-2座.
VALUE_RE = re.compile(
    NUMBER
    + r"(?:(?P<u1>%|万|亿|" + _UNIT_ALT + r")?\s*(?P<sep>—{1,2}|-|~|至|到)\s*(?P<v2>\d+(?:\.\d+)?))?"
    + r"[ ]{0,3}(?P<unit>(?:" + _UNIT_ALT + r")(?:/(?:" + _PER_ALT + r"))?)"
    + r"(?![A-Za-z])"
)
TAIL_RE = re.compile(r"(?P<tail>及以上|及以下|以上|以下|以内|左右|上下)?")

# Units that are not a quantity when followed by these characters (3个月, 100万千瓦级, 5家庭).
UNIT_STOP_AFTER: dict[str, tuple[str, ...]] = {
    "个": ("月", "多月"),
    "万千瓦": ("级",),
    "千瓦": ("级",),
    "人": ("口", "员", "民", "才", "大", "工"),
    "条": ("件", "例"),
    "项": ("目",),
    "处": ("理", "置"),
    "元": ("素",),
    "克": ("服", "隆", "难"),
    "吨": ("级",),
    "天": ("然", "数"),
    "台": ("账", "阶"),
    "套": ("餐",),
}

# Nouns that make "N以上的X" a description of whom a rule is for (a scope), not a target.
ENTITY_NOUNS = ("城市", "县城", "县", "地区", "企业", "单位", "机组", "锅炉", "项目", "园区", "用户", "工厂",
                "人口", "电厂", "设施", "港口", "船舶", "车辆", "建筑", "数据中心", "标准")

TAIL_COMPARATOR = {"以上": "≥", "及以上": "≥", "以下": "≤", "及以下": "≤", "以内": "≤", "左右": "≈", "上下": "≈"}

# Before the value: words that fix the comparator of a level target, longest first.
PRE_LEVEL_WORDS: tuple[tuple[str, str], ...] = (
    ("不低于", "≥"), ("不少于", "≥"), ("不小于", "≥"),
    ("不高于", "≤"), ("不超过", "≤"), ("不大于", "≤"), ("不多于", "≤"),
    ("控制在", "≤"),
    ("超过", ">"), ("超出", ">"), ("超", ">"), ("逾", ">"), ("高于", ">"), ("大于", ">"), ("多于", ">"), ("突破", ">"),
    ("低于", "<"), ("少于", "<"), ("小于", "<"),
)
# Level words that say "to" (a level, not a change): 下降至75%以下 is a level.
PRE_TO_WORDS = ("下降至", "下降到", "降低至", "降低到", "降至", "降到", "减少至", "减少到", "减至",
                "提高到", "提高至", "提升到", "提升至", "增加到", "增加至", "增长到", "增长至", "增至", "上升到",
                "上升至", "控制在", "保持在", "稳定在", "达到", "达", "为", "完成", "实现", "建成", "新增", "累计",
                "培育", "建设", "创建", "打造", "推广", "具备", "占")
DECREASE_WORDS = ("下降", "降低", "减少", "压减", "削减", "减排")
INCREASE_WORDS = ("提高", "提升", "增长", "增加", "上升")

REGION_WORDS = ("全自治区", "全区", "全省", "全国", "全市", "全盟", "全州", "全县", "我区", "我省", "我市", "自治区", "本省",
                "本市", "各省", "全域")

# Glossary: indicator phrase (as printed, any part of it) → stable English id. First match wins.
GLOSSARY: tuple[tuple[str, str], ...] = (
    ("非化石能源消费", "non_fossil_energy_share"),
    ("非化石能源发电量", "non_fossil_power_generation_share"),
    ("非水可再生能源电力消纳", "non_hydro_renewable_consumption_share"),
    ("可再生能源电力消纳", "renewable_electricity_consumption_share"),
    ("生产总值二氧化碳排放", "carbon_intensity"),
    ("生产总值能源消耗", "energy_intensity"),
    ("生产总值能耗", "energy_intensity"),
    ("单位GDP能耗", "energy_intensity"),
    ("单位GDP二氧化碳", "carbon_intensity"),
    ("工业单位增加值能源消耗", "industrial_energy_intensity"),
    ("能源消费总量", "total_energy_consumption"),
    ("煤炭消费比重", "coal_share"),
    ("风电、太阳能发电总装机", "wind_solar_capacity"),
    ("新能源装机", "new_energy_capacity"),
    ("新能源发电总装机", "new_energy_capacity"),
    ("风电装机", "wind_capacity"),
    ("光伏装机", "solar_pv_capacity"),
    ("新型储能", "new_energy_storage_capacity"),
    ("抽水蓄能", "pumped_storage_capacity"),
    ("尖峰负荷响应", "peak_load_response_share"),
    ("灵活性改造", "coal_power_flexibility_retrofit"),
    ("煤电机组节能改造", "coal_power_efficiency_retrofit"),
    ("供电煤耗", "coal_consumption_per_kwh"),
    ("可再生电源电量比例", "renewable_share_of_new_transmission"),
    ("可再生能源电量比例", "renewable_share_of_new_transmission"),
    ("建筑节能改造", "building_energy_retrofit_area"),
    ("高标准农田", "high_standard_farmland"),
    ("黑土地保护", "black_soil_protection_area"),
    ("装配式建筑", "prefabricated_building_share"),
    ("新能源车", "new_energy_vehicle_share"),
    ("新能源汽车", "new_energy_vehicle_share"),
    ("周转碳排放强度", "transport_carbon_intensity"),
    ("周转量碳排放强度", "transport_carbon_intensity"),
    ("清洁能源动力的交通工具", "clean_vehicle_share"),
    ("公共交通机动化出行分担率", "public_transport_share"),
    ("绿色出行", "green_travel_share"),
    ("焚烧", "waste_incineration_capacity"),
    ("无害化处理率", "waste_safe_treatment_rate"),
    ("生活垃圾资源化利用", "waste_recycling_rate"),
    ("再生水", "reclaimed_water_reuse_rate"),
    ("林草生态建设", "forest_grassland_restoration_area"),
    ("沙化土地", "desertified_land_treatment_area"),
    ("森林覆盖率", "forest_coverage"),
    ("森林蓄积量", "forest_stock_volume"),
    ("草原综合植被盖度", "grassland_vegetation_cover"),
    ("化学需氧量", "cod_emissions"),
    ("氨氮", "ammonia_nitrogen_emissions"),
    ("氮氧化物", "nox_emissions"),
    ("挥发性有机物", "voc_emissions"),
    ("大宗固废", "bulk_solid_waste_utilisation"),
    ("用水量", "water_intensity"),
    ("绿色建筑", "green_building_share"),
    ("节能量", "energy_savings"),
    ("减排二氧化碳", "co2_reduction"),
    ("绿色工厂", "green_factories"),
    ("绿色园区", "green_industrial_parks"),
    ("加氢站", "hydrogen_refuelling_stations"),
)


def indicator_id_for(indicator: str | None) -> str | None:
    """The glossary id of an indicator phrase, or None when it is not a common indicator."""
    if not indicator:
        return None
    for phrase, ident in GLOSSARY:
        if phrase in indicator:
            return ident
    return None
