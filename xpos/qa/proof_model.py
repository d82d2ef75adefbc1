"""The step types of the proof verbs: order, host state, host control, device faults,
``never_shown`` and ``mark`` (their parsers are in :mod:`xpos.qa.proof_parse`).

Like every step they remember their line and print without secrets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xpos.qa.model import Step, masked


@dataclass(frozen=True, kw_only=True)
class MarkStep(Step):
    """Remember where the host transcript is now (``expect_order`` looks after it)."""


@dataclass(frozen=True, kw_only=True)
class ExpectOrderStep(Step):
    """Requests sent on the host link, in this order (since the last ``mark``).

    Attributes:
        sent: Message kinds (``reversal``) or request/response MTIs (``0400``).
        exactly: The requests since the mark are exactly these (else: these, in this
            order, among others).
    """

    sent: tuple[str, ...]
    exactly: bool = False

    def _arg(self) -> str:
        extra = ", exactly: true" if self.exactly else ""
        return f"{{sent: [{', '.join(self.sent)}]{extra}}}"


@dataclass(frozen=True, kw_only=True)
class ExpectHostStateStep(Step):
    """Check what the embedded reference host holds.

    Attributes:
        subject: ``card``, ``voucher``, ``ledger`` or ``batch``.
        key: The card's PAN (card), the voucher code, or ``""``.
        label: How the subject is named in reports (a card id, never its PAN).
        select: ``ledger``: (``kind``/``trace``, value) filters.
        checks: (name, expected) pairs.
    """

    subject: str
    key: str = ""
    label: str = ""
    select: tuple[tuple[str, Any], ...] = ()
    checks: tuple[tuple[str, Any], ...] = ()

    def _arg(self) -> str:
        head = {"card": f"card: {self.label}", "voucher": f"voucher: {self.key}",
                "ledger": f"ledger: {dict(self.select)}", "batch": "batch"}[self.subject]
        parts = [head, *(f"{k}: {v}" for k, v in self.checks)]
        return masked("{" + ", ".join(parts) + "}")


@dataclass(frozen=True, kw_only=True)
class HostControlStep(Step):
    """Take the embedded host down / up, or make it forget the terminal's keys.

    Attributes:
        action: ``down``, ``up`` or ``forget_keys``.
        which: ``down`` / ``up``: ``all``, ``primary`` or ``backup``.
    """

    action: str
    which: str = "all"

    def _arg(self) -> str:
        return self.action if self.action == "forget_keys" else f"{{{self.action}: {self.which}}}"


@dataclass(frozen=True, kw_only=True)
class DeviceFaultStep(Step):
    """A device fails: ``card_read_error`` (the reader yields an error) or
    ``pinpad_error`` (the PIN pad fails instead of answering)."""

    fault: str

    def _arg(self) -> str:
        return self.fault


@dataclass(frozen=True, kw_only=True)
class NeverShownStep(Step):
    """A text no screen of the scenario may show; checked over every screen at the end."""

    text: str

    def _arg(self) -> str:
        return masked(self.text)
