"""Codes of the CUP dialect that every layer shares (one definition each).

The wire-level facts (field numbers stripped from a reversal, header digits) live in
:mod:`xpos.proto`; the codes here are also needed by the pure money rules
(:mod:`xpos.core.rules`) and the journal, which may not import the protocol package's
siblings, so they sit in the shared value layer.
"""

from __future__ import annotations

import enum


class ReversalReason(enum.Enum):
    """Field 39 of a reversal (0400): why the original is undone (reference §1.6)."""

    TIMEOUT = "98"
    """No (usable) answer to the original: timeout, malformed or truncated frame."""
    BAD_MAC = "A0"
    """The original was approved but its answer's MAC failed."""
    OTHER = "06"
    """Any other reason, e.g. a reversal the host answered but did not take."""

    @property
    def text(self) -> str:
        """A short English description (transcripts, docs)."""
        return _TEXTS[self]


_TEXTS = {
    ReversalReason.TIMEOUT: "no response / timeout",
    ReversalReason.BAD_MAC: "response MAC failed",
    ReversalReason.OTHER: "other (e.g. card declined after approval)",
}

#: Every reversal reason code, as sent in field 39.
REVERSAL_REASON_CODES = frozenset(reason.value for reason in ReversalReason)
