"""The wallet: the demo cards and codes a person can present to the emulated terminal.

Built from :data:`~xpos.refhost.seed.DEMO`, the project's one source of demo
data. Every label is masked (PAN first 6 / last 4, codes last 4); the data presented
(track 2, UID, code) stays in :attr:`WalletItem.data`, which ``repr`` leaves out.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from xpos.emulator.app.texts import note
from xpos.model import mask_code, mask_pan
from xpos.model.textwidth import fit_width
from xpos.testing.host import DEMO, DemoData


class Presentation(enum.Enum):
    """How an item reaches the terminal."""

    SWIPE = "swipe"
    TAP = "tap"
    SCAN = "scan"


DEMO_RFID_UIDS: tuple[tuple[str, str], ...] = (("04A1B2C3", "demo RFID card"),)
"""(UID, note) of the RFID cards in the wallet: the demo member card, tapped (订单验证)."""


SHORT_NAME = 8
"""Columns of the name in a wallet pane label (4 Chinese characters)."""


@dataclass(frozen=True, kw_only=True)
class WalletItem:
    """One card or code in the wallet.

    Attributes:
        how: Swipe, tap or scan.
        ident: A widget id without card data: ``swipe-<holder>``, ``tap-<n>``,
            ``scan-<n>`` (n counts from 1).
        name: Holder, UID or voucher title.
        masked: The card number or code, masked.
        note: What the demo host does with it (in the emulator's language).
        data: Track 2, UID or code: what the device reports (never shown).
    """

    how: Presentation
    ident: str
    name: str
    masked: str
    note: str
    data: str = field(repr=False)

    @property
    def short(self) -> str:
        """A label of at most 14 columns for the wallet pane: name (cut) and last 4.

        >>> WalletItem(how=Presentation.SCAN, ident="scan-7", name="会员生日蛋糕",
        ...            masked="********0001", note="", data="").short
        '会员生日 *0001'
        """
        return f"{fit_width(self.name, SHORT_NAME)} *{self.masked[-4:]}"

    @property
    def long(self) -> str:
        """The full (masked) description for the chooser."""
        return f"{self.name}  {self.masked}  {self.note}"


def wallet(demo: DemoData = DEMO, *, lang: str = "zh") -> tuple[WalletItem, ...]:
    """All wallet items: cards to swipe, RFID cards to tap, codes to scan (notes in ``lang``)."""
    cards = tuple(
        WalletItem(how=Presentation.SWIPE, ident=f"swipe-{card.holder}", name=card.holder,
                   masked=mask_pan(card.pan), note=note(card.note, lang), data=card.track2)
        for card in demo.cards)
    tags = tuple(
        WalletItem(how=Presentation.TAP, ident=f"tap-{n}", name="RFID", masked=uid,
                   note=note(text, lang), data=uid)
        for n, (uid, text) in enumerate(DEMO_RFID_UIDS, start=1))
    codes = tuple(
        WalletItem(how=Presentation.SCAN, ident=f"scan-{n}", name=voucher.title,
                   masked=mask_code(voucher.code), note=note(voucher.note, lang),
                   data=voucher.code)
        for n, voucher in enumerate(demo.vouchers, start=1))
    return cards + tags + codes


def items_for(how: Presentation, items: tuple[WalletItem, ...]) -> tuple[WalletItem, ...]:
    """The items presented one way."""
    return tuple(item for item in items if item.how is how)
