"""The wallet: the demo cards and codes a person can present to the emulated terminal.

Built from the project's demo data (:data:`~xpos.refhost.seed.DEMO` and the X2 demo
orders, through :mod:`xpos.testing.host`). Items are grouped in sections (:class:`Section`):
bank cards, the member card (the third-party card of X2 and X3), the RFID tag, the
vouchers, and the order numbers with the J1 car-rental coupon. Every label is masked
(PAN first 6 / last 4, codes last 4); the data presented (track 2, UID, code) stays in
:attr:`WalletItem.data`, which ``repr`` leaves out.

A code (voucher, order number, coupon) can be scanned (``b``) or keyed (``k``: the
emulator presses its digits and ``#`` on the keypad, as a cashier keys a coupon).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from xpos.emulator.app.texts import note
from xpos.model import format_fen, mask_code, mask_pan
from xpos.model.textwidth import fit_width
from xpos.testing.host import (
    DEMO,
    DEMO_ORDERS,
    MEMBER_UID,
    CardKind,
    DemoData,
    OrderRow,
)


class Presentation(enum.Enum):
    """How an item reaches the terminal."""

    SWIPE = "swipe"
    TAP = "tap"
    SCAN = "scan"


class Section(enum.Enum):
    """The wallet pane's sections, in order (headings: ``texts.UI_TEXTS["wallet.<value>"]``)."""

    BANK = "bank"
    MEMBER = "member"
    RFID = "rfid"
    VOUCHER = "voucher"
    ORDER = "order"


DEMO_RFID_UIDS: tuple[tuple[str, str], ...] = ((MEMBER_UID, "demo RFID card"),)
"""(UID, note) of the RFID cards in the wallet: the demo member card, tapped (订单验证)."""


SHORT_NAME = 8
"""Columns of the name in a wallet pane label (4 Chinese characters)."""


@dataclass(frozen=True, kw_only=True)
class WalletItem:
    """One card or code in the wallet.

    Attributes:
        how: Swipe, tap or scan.
        ident: A widget id without card data: ``swipe-<holder>``, ``tap-<n>``,
            ``scan-<n>`` (vouchers), ``order-<n>`` (orders), ``coupon-<n>`` (n from 1).
        name: Holder, UID, voucher or order title.
        masked: The card number or code, masked.
        note: What the demo host does with it (in the emulator's language).
        data: Track 2, UID or code: what the device reports (never shown).
        section: Where the wallet pane lists it.
    """

    how: Presentation
    ident: str
    name: str
    masked: str
    note: str
    data: str = field(repr=False)
    section: Section = Section.VOUCHER

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

    @property
    def keyable(self) -> bool:
        """A code the emulator can key in on the keypad (digits, then ``#``)."""
        return self.how is Presentation.SCAN and self.data.isdigit()


_ORDER_NOTES = {
    "zh": ("应付{due}", "应付{due} {reason}", "已支付 P1", "会员卡可付"),
    "en": ("due {due}", "due {due} ({reason})", "already paid: P1", "member card can pay"),
}


def order_note(order: OrderRow, lang: str = "zh") -> str:
    """What the demo host answers for ``order`` (the amount due, its reason, or paid).

    >>> order_note(DEMO_ORDERS[2]), order_note(DEMO_ORDERS[5], "en")
    ('应付2000.00 定金 20%', 'already paid: P1')
    """
    texts = _ORDER_NOTES["en" if lang == "en" else "zh"]
    if order.status != "open":
        return texts[2]
    due = format_fen(order.due)
    text = texts[1].format(due=due, reason=order.reason) if order.reason else texts[0].format(
        due=due)
    if order.due <= _member_balance():
        text += f", {texts[3]}"
    return text


_COUPON_NAMES = {"zh": "租车优惠券", "en": "car-rental coupon"}


def coupon_note(percent: int, lang: str = "zh") -> str:
    """The note of an order's coupon: journey J1, the discount.

    >>> coupon_note(20), coupon_note(20, "en")
    ('J1 订单8折, k 输入', 'J1: 20 % off the order, k keys it')
    """
    if lang == "en":
        return f"J1: {percent} % off the order, k keys it"
    off = (100 - percent) / 10
    return f"J1 订单{off:g}折, k 输入"


def _member_balance() -> int:
    return next((c.balance for c in DEMO.cards if c.kind is CardKind.MEMBER), 0)


def _cards(demo: DemoData, lang: str) -> tuple[WalletItem, ...]:
    items = []
    for card in demo.cards:
        member = card.kind is CardKind.MEMBER
        text = note(card.note, lang)
        if member:  # the third-party balance that X2 debits
            text += ", " + note("balance", lang).format(amount=format_fen(card.balance))
        items.append(WalletItem(how=Presentation.SWIPE, ident=f"swipe-{card.holder}",
                                name=card.holder, masked=mask_pan(card.pan), note=text,
                                data=card.track2,
                                section=Section.MEMBER if member else Section.BANK))
    return tuple(items)


def _orders(orders: tuple[OrderRow, ...], lang: str) -> tuple[WalletItem, ...]:
    items = [WalletItem(how=Presentation.SCAN, ident=f"order-{n}", name=order.title,
                        masked=mask_code(order.order_no), note=order_note(order, lang),
                        data=order.order_no, section=Section.ORDER)
             for n, order in enumerate(orders, start=1)]
    coupons = [order for order in orders if order.coupon]
    for n, order in enumerate(coupons, start=1):
        assert order.coupon is not None
        items.append(WalletItem(how=Presentation.SCAN, ident=f"coupon-{n}",
                                name=_COUPON_NAMES["en" if lang == "en" else "zh"],
                                masked=mask_code(order.coupon),
                                note=coupon_note(order.coupon_percent or 0, lang),
                                data=order.coupon, section=Section.ORDER))
    return tuple(items)


def wallet(demo: DemoData = DEMO, *, lang: str = "zh",
           orders: tuple[OrderRow, ...] = DEMO_ORDERS) -> tuple[WalletItem, ...]:
    """All wallet items, section by section (notes in ``lang``)."""
    tags = tuple(
        WalletItem(how=Presentation.TAP, ident=f"tap-{n}", name="RFID", masked=uid,
                   note=note(text, lang), data=uid, section=Section.RFID)
        for n, (uid, text) in enumerate(DEMO_RFID_UIDS, start=1))
    codes = tuple(
        WalletItem(how=Presentation.SCAN, ident=f"scan-{n}", name=voucher.title,
                   masked=mask_code(voucher.code), note=note(voucher.note, lang),
                   data=voucher.code, section=Section.VOUCHER)
        for n, voucher in enumerate(demo.vouchers, start=1))
    items = _cards(demo, lang) + tags + codes + _orders(orders, lang)
    return tuple(sorted(items, key=lambda item: list(Section).index(item.section)))


def items_for(how: Presentation, items: tuple[WalletItem, ...]) -> tuple[WalletItem, ...]:
    """The items presented one way."""
    return tuple(item for item in items if item.how is how)


def in_section(section: Section, items: tuple[WalletItem, ...]) -> tuple[WalletItem, ...]:
    """The items of one section of the wallet pane."""
    return tuple(item for item in items if item.section is section)


def keyable(items: tuple[WalletItem, ...]) -> tuple[WalletItem, ...]:
    """The codes the emulator can key in for you (``k``)."""
    return tuple(item for item in items if item.keyable)

