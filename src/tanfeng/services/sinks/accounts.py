"""The sink account of a region or league for a year, and of every league at once (for the map)."""

from __future__ import annotations

from tanfeng.sinks import METHOD_ZH, SinkAccount, load_region_data, sources_zh
from tanfeng.sinks import account as sink_account

__all__ = ["METHOD_ZH", "SinkAccount", "account", "league_accounts", "sources_zh"]


def account(region: str, year: int) -> SinkAccount:
    """Forest and grassland tCO2 removed in ``year`` (see :func:`tanfeng.sinks.account`).

    Raises
    ------
    InputError
        A region without data, or a year outside the drivers.
    """
    return sink_account(region, year)


def league_accounts(year: int) -> list[SinkAccount]:
    """Every league's account for ``year`` (league shares are illustrative, 示例数据)."""
    return [sink_account(code, year) for code in sorted(load_region_data()["leagues"]["forest_share"])]
