"""Comprehensive assessment of the leagues (盟市综合考核).

Callers write ``from tanfeng.services import assessment as service``.
"""

from tanfeng.services.assessment.leagues import (
    HistoryRow,
    LeagueAssessment,
    assess_leagues,
    gather_inputs,
    history,
    scorecard_pdf,
)

__all__ = ["HistoryRow", "LeagueAssessment", "assess_leagues", "gather_inputs", "history", "scorecard_pdf"]
