"""Demo data shared by the whole project: one merchant, one terminal, cards, vouchers.

:data:`DEMO` is the single source of truth for the emulator wallet, the QA scenarios,
the docs and the tests; :func:`seed_demo` writes it into a :class:`HostStore`
(idempotent: existing rows are left alone). The demo PANs follow the project brief and
are not Luhn-valid, so nothing in X-POS may reject a card on its check digit alone.

The clear PINs below are demo data for people trying the emulator; the host stores only
salted hashes of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from xpos.refhost.demo_orders import DEMO_ORDERS, MEMBER_UID
from xpos.refhost.orders import put_card_uid, seed_orders
from xpos.refhost.redeem_store import VoucherTerms, put_terms
from xpos.refhost.rows import CardKind, CardStatus, VoucherStatus
from xpos.refhost.store import HostStore
from xpos.security.kcv import kcv
from xpos.security.keys import combine_components

DISCRETIONARY = "0000000000"


def track2_for(pan: str, expiry: str, service_code: str = "101") -> str:
    """Track 2 of a demo card: ``PAN=YYMM`` + service code + 10 zeros (``=`` separator).

    >>> track2_for("6212345678901234567", "3012")
    '6212345678901234567=30121010000000000'
    """
    return f"{pan}={expiry}{service_code}{DISCRETIONARY}"


@dataclass(frozen=True, kw_only=True)
class DemoCard:
    """A card in the demo wallet."""

    holder: str
    pan: str
    expiry: str  # YYMM
    pin: str | None
    balance: int  # fen
    status: CardStatus = CardStatus.ACTIVE
    kind: CardKind = CardKind.BANK
    note: str = ""
    allow_partial: bool = True

    @property
    def track2(self) -> str:
        """The card's track 2 (``=`` separator)."""
        return track2_for(self.pan, self.expiry)


@dataclass(frozen=True, kw_only=True)
class DemoVoucher:
    """A voucher sold by the demo provider."""

    code: str
    title: str
    quantity: int
    expires: str  # YYYY-MM-DD, last valid day
    status: VoucherStatus = VoucherStatus.VALID
    used_at: str | None = None
    note: str = ""
    value: int = 0
    """Unit value in fen (X1 redemption, shown by the query)."""
    valid_from: str = ""
    """First valid day (``YYYY-MM-DD``; empty = valid now)."""
    mid: str | None = None
    """The one merchant that may redeem it (``None`` = any)."""


@dataclass(frozen=True, kw_only=True)
class DemoData:
    """Everything the demo host is seeded with.

    Attributes:
        demo_voucher: The valid voucher the scripted demo redeems (journey J2).
    """

    merchant_name: str
    mid: str
    tid: str
    tmk_components: tuple[str, str]
    cards: tuple[DemoCard, ...]
    provider_id: str
    provider_name: str
    vouchers: tuple[DemoVoucher, ...]
    demo_voucher: str

    @property
    def tmk(self) -> bytes:
        """The clear TMK (XOR of the components)."""
        return combine_components([bytes.fromhex(c) for c in self.tmk_components])

    @property
    def tmk_kcv(self) -> str:
        """The TMK check value as printed on the key sheet (3 bytes, 6 hex digits)."""
        return kcv(self.tmk, 3).hex().upper()

    def card(self, holder: str) -> DemoCard:
        """The demo card of this holder (``"alice"``, ``"bob"`` …).

        Raises:
            KeyError: if there is none.
        """
        for card in self.cards:
            if card.holder == holder:
                return card
        raise KeyError(holder)

    def voucher(self, code: str) -> DemoVoucher:
        """The demo voucher with this code.

        Raises:
            KeyError: if there is none.
        """
        for voucher in self.vouchers:
            if voucher.code == code:
                return voucher
        raise KeyError(code)


_CAKE = "冰淇淋蛋糕"
DEMO = DemoData(
    merchant_name="X-POS演示商户",
    mid="898100012340001",
    tid="10000001",
    tmk_components=("1F2E3D4C5B6A79880123456789ABCDEF", "A4C7E3920F5B16D8E2947A3C5D81F60B"),
    cards=(
        DemoCard(holder="alice", pan="6212345678901234567", expiry="3012", pin="123456",
                 balance=100_000, note="approved"),
        DemoCard(holder="bob", pan="6222020000000000001", expiry="3012", pin="888888",
                 balance=500, note="low balance: 51 above 5.00",
                 allow_partial=False),
        DemoCard(holder="carol", pan="6222020000000000019", expiry="2001", pin="111111",
                 balance=100_000, note="expired: 54"),
        DemoCard(holder="dave", pan="6222020000000000027", expiry="3012", pin="222222",
                 balance=100_000, status=CardStatus.BLOCKED, note="blocked: 62"),
        DemoCard(holder="member", pan="8868000000000001", expiry="3012", pin="666666",
                 balance=20_000, kind=CardKind.MEMBER, note="member card (X menu)"),
    ),
    provider_id="groupbuy-demo",
    provider_name="团购演示",
    vouchers=(
        DemoVoucher(code="883300112233", title=_CAKE, quantity=1, expires="2099-12-31",
                    note="valid: 00"),
        DemoVoucher(code="883300112234", title="双人套餐", quantity=1, expires="2099-12-31",
                    status=VoucherStatus.USED, used_at="2024-05-01T12:00:00+08:00",
                    note="already used: V1"),
        DemoVoucher(code="883300112235", title="电影票", quantity=2, expires="2020-12-31",
                    note="expired: V2"),
        DemoVoucher(code="883300112236", title=_CAKE, quantity=1, expires="2099-12-31",
                    note="valid: 00"),
        DemoVoucher(code="883300112237", title="咖啡兑换券", quantity=2, expires="2099-12-31",
                    note="valid: 00"),
        DemoVoucher(code="883300112238", title="洗车服务", quantity=1, expires="2099-12-31",
                    note="valid: 00"),
        DemoVoucher(code="202405010001", title="会员生日蛋糕", quantity=1, expires="2099-12-31",
                    note="order number for the member-card method: 00"),
    ),
    demo_voucher="883300112233",
)

REDEEM_VOUCHERS: tuple[DemoVoucher, ...] = (
    DemoVoucher(code="883300112239", title="健身次卡", quantity=5, expires="2099-12-31",
                value=3000, note="5 items of ￥30.00: partial redemption 00"),
    DemoVoucher(code="883300112240", title="圣诞套餐", quantity=1, expires="2099-12-31",
                valid_from="2099-12-24", note="not valid yet: V3"),
    DemoVoucher(code="883300112241", title="分店专享券", quantity=1, expires="2099-12-31",
                mid="898100012349999", note="another merchant's: V4"),
)
"""X1 redemption in parts (issue 11): seeded with the demo vouchers, keyed (not in the
emulator's wallet, whose list :data:`DEMO` fills)."""


def seed_demo(store: HostStore, demo: DemoData = DEMO, *, reset: bool = False) -> None:
    """Write the demo merchant, terminal, cards, provider and vouchers.

    Idempotent: existing rows are left alone, unless ``reset`` puts the demo cards and
    vouchers back as ``demo`` has them (see :func:`refresh_demo`).
    """
    store.add_merchant(demo.mid, demo.merchant_name)
    store.add_terminal(demo.tid, demo.mid, demo.tmk)
    add_card = store.put_card if reset else store.add_card
    for card in demo.cards:
        add_card(card.pan, expiry=card.expiry, pin=card.pin, balance=card.balance,
                 status=card.status, kind=card.kind)
        store.set_allow_partial(card.pan, card.allow_partial)
    store.add_provider(demo.provider_id, demo.provider_name)
    add_voucher = store.put_voucher if reset else store.add_voucher
    for v in (*demo.vouchers, *REDEEM_VOUCHERS):
        add_voucher(v.code, provider=demo.provider_id, title=v.title, quantity=v.quantity,
                    expires=v.expires, status=v.status, used_at=v.used_at,
                    used_by_tid=demo.tid if v.used_at else None)
        put_terms(store, v.code, VoucherTerms(value=v.value, valid_from=v.valid_from,
                                              mid=v.mid))
    seed_orders(store, DEMO_ORDERS, reset=reset)  # X2 (xpos.refhost.demo_orders)
    for card in demo.cards:  # the member card also answers to a tap (its RFID UID)
        if card.kind is CardKind.MEMBER:
            put_card_uid(store, MEMBER_UID, card.pan)
            break


def refresh_demo(store: HostStore, demo: DemoData = DEMO) -> None:
    """Put the demo cards and vouchers back as :data:`DEMO` has them.

    Balances, card statuses and voucher states return to the demo values (so a voucher
    redeemed in an earlier emulator session is valid again); the terminals' keys and
    batch numbers and the ledger are kept, so a terminal that signed on earlier carries
    on without signing on again.
    """
    seed_demo(store, demo, reset=True)
