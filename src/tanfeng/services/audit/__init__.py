"""Use cases around the audit trail: verify the hash chain, list entries, a record's history with diffs.

``chain`` verifies and anchors, ``history`` lists entries and changes, ``schemas`` holds what they answer.

The chain itself (hashing, verification, diffs) is :mod:`tanfeng.audit`; these modules read the stored
rows in ``seq`` order and hands them to it.
"""

from __future__ import annotations

from tanfeng.services.audit.chain import current_anchor, load_chain, verify_chain, verify_incremental
from tanfeng.services.audit.history import entries, history, target_history
from tanfeng.services.audit.schemas import AuditEntryOut, ChangeOut, HistoryItem

__all__ = ["AuditEntryOut", "ChangeOut", "HistoryItem", "current_anchor", "entries", "history", "load_chain",
           "target_history", "verify_chain", "verify_incremental"]
