"""The registry of energy-use rights (用能权), carbon allowances and credits: pure rules and ledger.

* :mod:`tanfeng.registry.rules` — the instruments and their rules, read from ``data/instruments.yaml``
  (allocation by benchmark, vintages, surrender deadlines, the offset cap, penalties);
* :mod:`tanfeng.registry.ledger` — serial blocks, balanced entries, holdings derived from entries;
* :mod:`tanfeng.registry.chain` — the hash chain over transactions and the ledger's verification.

Nothing here touches a database; :mod:`tanfeng.services.registry` stores and locks.
"""

from tanfeng.registry.chain import (
    LedgerTransaction,
    LedgerVerify,
    chain_hash,
    transaction_fields,
    verify_ledger,
)
from tanfeng.registry.ledger import (
    ISSUANCE,
    RETIREMENT,
    SYSTEM_KINDS,
    Block,
    Entry,
    block_text,
    check_balanced,
    check_holdings,
    holdings,
    issuance_account,
    move,
    negate,
    retirement_account,
    take,
)
from tanfeng.registry.rules import (
    Allocation,
    Instrument,
    SurrenderLine,
    check_surrender,
    deadline_for,
    instrument,
    load_instruments,
    offset_cap,
    penalty_range,
    power_allocation,
)

__all__ = [
    "ISSUANCE",
    "RETIREMENT",
    "SYSTEM_KINDS",
    "Allocation",
    "Block",
    "Entry",
    "Instrument",
    "LedgerTransaction",
    "LedgerVerify",
    "SurrenderLine",
    "block_text",
    "chain_hash",
    "check_balanced",
    "check_holdings",
    "check_surrender",
    "deadline_for",
    "holdings",
    "instrument",
    "issuance_account",
    "load_instruments",
    "move",
    "negate",
    "offset_cap",
    "penalty_range",
    "power_allocation",
    "retirement_account",
    "take",
    "transaction_fields",
    "verify_ledger",
]
