"""tanfeng.tracking: dual control, early warning and trend analysis (pure domain logic).

Modules
-------
scope
    The plan tracked, its region and leagues, the required yearly pace (a stated assumption, as data).
series
    The indicator read model: stored values and reference statistics merged, yearly series, GDP at
    constant 2020 prices, year-on-year changes.
figures
    A region's figures in a year (totals, intensities, the assessment against 2020) and each plan
    target's trajectory.
rules
    Versioned policy rules (1258号, 803号, 1310号, 国办发〔2024〕39号) and :func:`assess_energy`.
trajectory
    Required paths from a baseline to a target; progress and status.
warning
    The 629号 barometer levels (intensity; total by an inferred rule), carbon intensity, path warnings,
    and the levels of the region and each league from the read model.
decoupling
    Tapio elasticity and its eight states.
peak
    A plateau rule to tell whether a series has peaked.
forecast
    Trend forecasts (statsmodels OLS) with prediction intervals and P(target met).
indicators
    Growth-rate arithmetic between energy, GDP and intensity.
sample
    The sample data (示例数据) for demonstrations and tests.

Nothing here imports from ``store``, ``web``, ``cli`` or ``analytics``.
"""

__all__: list[str] = []
