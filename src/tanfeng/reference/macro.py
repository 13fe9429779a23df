"""Official GDP and resident population of Inner Mongolia, 2005–2024 (NBS, revised series).

Transcribed from ``pik-piam/PyPSA-China-PIK`` (commit 4cb3683ca150433305350df98a94c65a1e94c135),
``resources/data/population/historical_gdp.csv`` and ``historical_population.csv``, whose headers cite the
National Bureau of Statistics (data.stats.gov.cn, table E0103): GDP at current prices in 亿元, population
in 万人. League GDP and population series are not public in a machine-readable source and are not shipped.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import polars as pl

__all__ = ["MACRO_FILE", "MACRO_SOURCE", "MACRO_SOURCE_ZH", "gdp_population"]

MACRO_FILE = "reference/data/statistics/im_nbs_gdp_population_2005_2024.csv"
MACRO_SOURCE = ("National Bureau of Statistics (data.stats.gov.cn E0103) via pik-piam/PyPSA-China-PIK commit "
                "4cb3683ca150433305350df98a94c65a1e94c135, resources/data/population/historical_gdp.csv and "
                "historical_population.csv")
MACRO_SOURCE_ZH = "国家统计局 地区生产总值与人口"
""":data:`MACRO_SOURCE` for Chinese pages."""


@cache
def gdp_population() -> pl.DataFrame:
    """``year, gdp_current_yi_yuan, population_10k`` for Inner Mongolia (150000), 2005–2024."""
    text = resources.files("tanfeng.reference").joinpath(
        "data", "statistics", "im_nbs_gdp_population_2005_2024.csv").read_text(encoding="utf-8")
    return pl.read_csv(text.encode("utf-8"))
