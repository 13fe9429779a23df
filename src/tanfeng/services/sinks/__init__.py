"""Sink use cases: the region's and leagues' forest and grassland carbon for a year; forestry carbon projects.

Callers write ``from tanfeng.services import sinks as service``. The computation is :mod:`tanfeng.sinks`.
"""

from tanfeng.services.sinks.accounts import METHOD_ZH, SinkAccount, account, league_accounts, sources_zh
from tanfeng.services.sinks.net import NET_NOTE, NetYearOut, net_beside_inventory, net_beside_path
from tanfeng.services.sinks.projects import (
    ProjectOut,
    StepOut,
    advance_project,
    get_project,
    list_projects,
    register_project,
)

__all__ = ["METHOD_ZH", "NET_NOTE", "NetYearOut", "ProjectOut", "SinkAccount", "StepOut", "account", "advance_project",
           "get_project", "league_accounts", "list_projects", "net_beside_inventory", "net_beside_path",
           "register_project", "sources_zh"]
