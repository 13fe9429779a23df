"""Registry use cases: accounts, issuance, transfers, surrender, reversal, statements, verification.

Callers write ``from tanfeng.services import registry as service``. The rules are
:mod:`tanfeng.registry`; the one write path (idempotency, lock, chain, audit, retries) is
:mod:`tanfeng.services.registry.write`.
"""

from tanfeng.services.registry.allocation import AllocationOut, PowerAllocationRequest, allocate_power
from tanfeng.services.registry.excel import STATEMENT_COLUMNS, statement_workbook
from tanfeng.services.registry.models import (
    AccountOut,
    ComplianceOut,
    EntryOut,
    IssueRequest,
    OpenAccountRequest,
    ReverseRequest,
    StatementLine,
    SurrenderLineIn,
    SurrenderRequest,
    TransactionOut,
    TransferRequest,
    VerifyOut,
)
from tanfeng.services.registry.operations import account_id, issue, open_account, reverse, surrender, transfer
from tanfeng.services.registry.reading import (
    account_names,
    account_resource,
    any_sample,
    authorize_account,
    compliance,
    get_transaction,
    list_accounts,
    statement,
    verify,
    visible,
)
from tanfeng.services.registry.sample import SampleLoaded, load_sample
from tanfeng.services.registry.write import Actor

__all__ = [
    "STATEMENT_COLUMNS",
    "AccountOut",
    "Actor",
    "AllocationOut",
    "ComplianceOut",
    "EntryOut",
    "IssueRequest",
    "OpenAccountRequest",
    "PowerAllocationRequest",
    "ReverseRequest",
    "SampleLoaded",
    "StatementLine",
    "SurrenderLineIn",
    "SurrenderRequest",
    "TransactionOut",
    "TransferRequest",
    "VerifyOut",
    "account_id",
    "account_names",
    "account_resource",
    "allocate_power",
    "any_sample",
    "authorize_account",
    "compliance",
    "get_transaction",
    "issue",
    "list_accounts",
    "load_sample",
    "open_account",
    "reverse",
    "statement",
    "statement_workbook",
    "surrender",
    "transfer",
    "verify",
    "visible",
]
