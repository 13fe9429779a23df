"""The tamper-evident audit trail — pure: no storage.

:mod:`tanfeng.audit.chain` chains entries by SHA-256 and verifies a chain; :mod:`tanfeng.audit.changes`
lists the field changes between an entry's before and after. See ``docs/security.md``.
"""

from tanfeng.audit.chain import Anchor, AuditEntry, ChainedEntry, VerifyResult, append, canonical_json, verify
from tanfeng.audit.changes import FieldChange, diff

__all__ = ["Anchor", "AuditEntry", "ChainedEntry", "FieldChange", "VerifyResult", "append", "canonical_json",
           "diff", "verify"]
