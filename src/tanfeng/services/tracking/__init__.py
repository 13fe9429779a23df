"""Use cases of dual control, target tracking, early warning and dispatch (双控 · 预警 · 调度).

One module per use case; callers write ``from tanfeng.services import tracking as service``.

=================  ===========================================================================
module             use case
=================  ===========================================================================
``schemas``        output models
``common``         the plan tracked, periods, units, region names, the read model's loading
``values``         record and enter indicator values (versioned, audited), list them, their history,
                   the sample
``status``         a region's dual-control figures and the board of every plan target
``warnings``       the NDRC barometer levels per league, and the overview page's content
``analyses``       Tapio decoupling, the peak rule, trend forecasts
``dispatch``       dispatch periods and entries
``dispatch_progress`` who is expected, reported, missing and overdue in a round (one count everywhere)
``dispatch_notices`` reminders (催报) and the notices a unit's landing page shows
``dispatch_files``  evidence files attached to entries
``changes``        what changed since the latest period was opened
``report``         the dispatch report's content
``exports``        flat rows for CSV and Excel downloads
``importing``      the barometer CSV import
=================  ===========================================================================

Calculations live in the pure domain (:mod:`tanfeng.tracking`): the read model
(:mod:`tanfeng.tracking.series`), a region's figures (:mod:`tanfeng.tracking.figures`), the warning loop
(:mod:`tanfeng.tracking.warning`). Queries live in :mod:`tanfeng.store.repository_tracking`.
"""

from __future__ import annotations

from tanfeng.services.tracking.analyses import decouple_growth, decoupling, forecast, peak
from tanfeng.services.tracking.changes import changes_since_last_period
from tanfeng.services.tracking.common import (
    BEIJING,
    check_in_plan,
    expected_unit,
    load_series,
    parse_period,
    period_end,
    plan_span,
    region_name,
    same_unit,
    today_in_beijing,
    tracked_plan,
)
from tanfeng.services.tracking.dispatch import (
    actor_units_of,
    check_due_date,
    close_period,
    count_entries,
    current_entries,
    dispatch_resource,
    display_names,
    entry_history,
    get_period,
    item_labels,
    item_names,
    item_options,
    list_periods,
    open_period,
    readable_units,
    submit_entry,
    target_covers,
    target_unit,
    unit_name,
)
from tanfeng.services.tracking.dispatch_files import (
    ATTACHMENT_TYPES,
    MAX_ATTACHMENT_BYTES,
    AttachmentFile,
    check_attachment,
    read_attachment,
    submit_with_attachments,
)
from tanfeng.services.tracking.dispatch_notices import default_reminder, notices_for, remind
from tanfeng.services.tracking.dispatch_progress import (
    expected_units,
    missing_reports,
    owed_items,
    period_summaries,
    period_summary,
    unit_progress,
)
from tanfeng.services.tracking.exports import (
    STATUS_COLUMNS,
    board_rows,
    board_search_text,
    filter_board,
    indicator_rows,
    status_rows,
    warning_rows,
)
from tanfeng.services.tracking.importing import BAROMETER_COLUMNS, PROGRESS_COLUMN, read_barometer_csv
from tanfeng.services.tracking.report import build_dispatch_report
from tanfeng.services.tracking.schemas import (
    AttachmentOut,
    ChangeOut,
    Changes,
    DecouplingOut,
    DispatchEntryOut,
    DispatchPeriodOut,
    EntryWithHistory,
    Figure,
    ForecastOut,
    IndicatorValueOut,
    ItemName,
    LeagueWarnings,
    MissingOut,
    NoticeOut,
    PeakOut,
    PeriodSummary,
    Provenance,
    RegionStatus,
    SampleLoad,
    TargetTrack,
    UnitProgress,
)
from tanfeng.services.tracking.status import (
    BOARD_STATUSES,
    Board,
    BoardRow,
    board,
    status,
    status_json,
    targets_board,
    targets_board_json,
    year_options,
)
from tanfeng.services.tracking.values import (
    ALL_UNITS,
    SAMPLE_BATCH,
    enter_value,
    indicator_history,
    list_indicator_values,
    load_sample,
    record_value,
)
from tanfeng.services.tracking.warnings import (
    CARBON_REQUIRED_ANNUAL_PCT,
    INTENSITY_REQUIRED_ANNUAL_PCT,
    WARNING_DIMENSIONS,
    HeadlineRow,
    MapRow,
    Overview,
    RegionOverview,
    WarningCounts,
    barometer_start,
    overview,
    region_overview,
    warning_counts,
    warnings,
    warnings_json,
)
from tanfeng.tracking.scope import BASE_YEAR, PLAN_ID, REGION, leagues, required_note

LEAGUES = leagues()
"""The league codes of the region tracked (:func:`tanfeng.tracking.scope.leagues`)."""
REQUIRED_NOTE = required_note()
"""Which pace each warning level is measured against (``reference/data/tracking/required_pace.csv``)."""

__all__ = [
    "ALL_UNITS",
    "ATTACHMENT_TYPES",
    "BAROMETER_COLUMNS",
    "BASE_YEAR",
    "BEIJING",
    "BOARD_STATUSES",
    "CARBON_REQUIRED_ANNUAL_PCT",
    "INTENSITY_REQUIRED_ANNUAL_PCT",
    "LEAGUES",
    "MAX_ATTACHMENT_BYTES",
    "PLAN_ID",
    "PROGRESS_COLUMN",
    "REGION",
    "REQUIRED_NOTE",
    "SAMPLE_BATCH",
    "STATUS_COLUMNS",
    "WARNING_DIMENSIONS",
    "AttachmentFile",
    "AttachmentOut",
    "Board",
    "BoardRow",
    "ChangeOut",
    "Changes",
    "DecouplingOut",
    "DispatchEntryOut",
    "DispatchPeriodOut",
    "EntryWithHistory",
    "Figure",
    "ForecastOut",
    "HeadlineRow",
    "IndicatorValueOut",
    "ItemName",
    "LeagueWarnings",
    "MapRow",
    "MissingOut",
    "NoticeOut",
    "Overview",
    "PeakOut",
    "PeriodSummary",
    "Provenance",
    "RegionOverview",
    "RegionStatus",
    "SampleLoad",
    "TargetTrack",
    "UnitProgress",
    "WarningCounts",
    "actor_units_of",
    "barometer_start",
    "board",
    "board_rows",
    "board_search_text",
    "build_dispatch_report",
    "changes_since_last_period",
    "check_attachment",
    "check_due_date",
    "check_in_plan",
    "close_period",
    "count_entries",
    "current_entries",
    "decouple_growth",
    "decoupling",
    "default_reminder",
    "dispatch_resource",
    "display_names",
    "enter_value",
    "entry_history",
    "expected_unit",
    "expected_units",
    "filter_board",
    "forecast",
    "get_period",
    "indicator_history",
    "indicator_rows",
    "item_labels",
    "item_names",
    "item_options",
    "list_indicator_values",
    "list_periods",
    "load_sample",
    "load_series",
    "missing_reports",
    "notices_for",
    "open_period",
    "overview",
    "owed_items",
    "parse_period",
    "peak",
    "period_end",
    "period_summaries",
    "period_summary",
    "plan_span",
    "read_attachment",
    "read_barometer_csv",
    "readable_units",
    "record_value",
    "region_name",
    "region_overview",
    "remind",
    "same_unit",
    "status",
    "status_json",
    "status_rows",
    "submit_entry",
    "submit_with_attachments",
    "target_covers",
    "target_unit",
    "targets_board",
    "targets_board_json",
    "today_in_beijing",
    "tracked_plan",
    "unit_name",
    "unit_progress",
    "warning_counts",
    "warning_rows",
    "warnings",
    "warnings_json",
    "year_options",
]
