"""Projects: the 清单, 节能审查, the 两高 list and 减量替代 (one module per use case).

Callers write ``from tanfeng.services import projects as service``.
"""

from tanfeng.services.projects.offsets import (
    ClaimOut,
    WithdrawalOut,
    add_withdrawals,
    claim,
    list_withdrawals,
    project_coverage,
)
from tanfeng.services.projects.registry import (
    SAMPLE_NOTICE,
    ImportResult,
    ProjectOut,
    export_workbook,
    get_project,
    import_workbook,
    list_projects,
    project_history,
    save_projects,
)
from tanfeng.services.projects.review import (
    ReviewerLevel,
    league_context,
    record_review,
    review_opinion_pdf,
    review_project,
)
from tanfeng.services.projects.sample import SampleProjects, load_sample
from tanfeng.services.projects.two_high import TWO_HIGH_COLUMNS, TwoHighRow, list_two_high, two_high_rows

__all__ = [
    "SAMPLE_NOTICE",
    "TWO_HIGH_COLUMNS",
    "ClaimOut",
    "ImportResult",
    "ProjectOut",
    "ReviewerLevel",
    "SampleProjects",
    "TwoHighRow",
    "WithdrawalOut",
    "add_withdrawals",
    "claim",
    "export_workbook",
    "get_project",
    "import_workbook",
    "league_context",
    "list_projects",
    "list_two_high",
    "list_withdrawals",
    "load_sample",
    "project_coverage",
    "project_history",
    "record_review",
    "review_opinion_pdf",
    "review_project",
    "save_projects",
    "two_high_rows",
]
