"""tanfeng.tracking: dual control, early warning and trend analysis (pure domain logic).

Modules
-------
rules
    Versioned policy rules (1258号, 803号, 1310号, 国办发〔2024〕39号) and :func:`assess_energy`.
trajectory
    Required paths from a baseline to a target; progress and status.
warning
    The 629号 barometer levels (intensity; total by an inferred rule), carbon intensity, path warnings.
decoupling
    Tapio elasticity and its eight states.
peak
    A plateau rule to tell whether a series has peaked.
forecast
    Trend forecasts (statsmodels OLS) with prediction intervals and P(target met).
indicators
    Growth-rate arithmetic between energy, GDP and intensity.

Nothing here imports from ``store``, ``web``, ``cli`` or ``analytics``.
"""
