"""Use cases around the audit trail: verify the hash chain, list entries, a record's history with diffs.

``chain`` verifies and anchors, ``history`` lists entries and changes, ``search`` filters the log for the
auditor's page and its export, ``schemas`` holds what they answer.

The chain itself (hashing, verification, diffs) is :mod:`tanfeng.audit`; these modules read the stored
rows in ``seq`` order and hands them to it.
"""

from __future__ import annotations

from tanfeng.services.audit.chain import current_anchor, load_chain, verify_chain, verify_incremental
from tanfeng.services.audit.history import entries, history, target_history
from tanfeng.services.audit.schemas import AuditEntryOut, ChangeOut, HistoryItem
from tanfeng.services.audit.search import EXPORT_LIMIT, AuditPage, AuditQuery, known_actions, search

__all__ = ["EXPORT_LIMIT", "AuditEntryOut", "AuditPage", "AuditQuery", "ChangeOut", "HistoryItem", "current_anchor",
           "entries", "history", "known_actions", "load_chain", "search", "target_history", "verify_chain",
           "verify_incremental"]
