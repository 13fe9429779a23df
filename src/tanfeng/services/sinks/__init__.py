"""Sink use cases: the region's and leagues' forest and grassland carbon for a year.

Callers write ``from tanfeng.services import sinks as service``. The computation is :mod:`tanfeng.sinks`.
"""

from tanfeng.services.sinks.accounts import SinkAccount, account, league_accounts

__all__ = ["SinkAccount", "account", "league_accounts"]
