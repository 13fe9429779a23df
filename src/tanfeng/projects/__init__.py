"""Fixed-asset investment projects (固定资产投资项目): registry rules, 节能审查, the 两高 list, 减量替代.

Pure: plain data in, plain data out; the rules are read from ``projects/data/review_rules.yaml``.

Modules
-------
:mod:`tanfeng.projects.rules`     the rules file (thresholds, exempt types, impact classes, 两高 scope …)
:mod:`tanfeng.projects.registry`  the project record and its checks
:mod:`tanfeng.projects.review`    review level, m/n impact, efficiency, CO2, suspension under 一级
:mod:`tanfeng.projects.offsets`   the 减量替代 ledger rule (one withdrawal backs one project)
:mod:`tanfeng.projects.workbook`  the Excel 清单: read whole or refuse, write
"""
