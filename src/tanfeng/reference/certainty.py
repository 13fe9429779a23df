"""How sure we are of a piece of reference content: the mark every sourced row and plan item carries."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Certainty"]


class Certainty(StrEnum):
    """How sure we are of a piece of reference content (see docs/reference)."""

    PRIMARY = "P"
    """Verbatim from the official text, or the official statistics release."""
    SECONDARY = "S"
    """From a secondary copy (news quoting officials, a summary box, a transcription)."""
    RECALLED = "R"
    """Recalled, not found in a source: never used as a test's expected value."""
