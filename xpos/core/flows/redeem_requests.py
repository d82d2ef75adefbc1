"""What the X1 redemption flows ask online besides the redemption itself.

:class:`VoucherQuery` goes to the platform (0100 / 740000) and changes nothing;
:class:`VoucherVoidLookup` is answered from the journal; :class:`VoucherVoidRequest`
is the X void (0100 / 740200), journaled with its reversal before it is sent.
"""

from __future__ import annotations

from dataclasses import dataclass

from xpos.core.flows.requests import VoucherRequest


@dataclass(frozen=True, kw_only=True)
class VoucherQuery:
    """Ask the platform about a voucher (title, items left, value, validity)."""

    voucher: VoucherRequest


@dataclass(frozen=True, kw_only=True)
class VoucherVoidLookup:
    """The redemption with trace number ``stan``, from the journal, or why not."""

    stan: int


@dataclass(frozen=True, kw_only=True)
class VoucherVoidRequest:
    """Void the redemption with trace number ``stan`` of the current X batch."""

    stan: int
