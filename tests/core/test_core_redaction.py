"""No full PAN, track, PIN block or voucher code in the repr of a core value (DESIGN §6).

An assertion message, a log line or a traceback shows ``repr``; these tests build each
type that holds such data and check its ``repr`` (and ``str``) for every form the data
could leak in: the digits, the hex of a block, the ``bytes`` literal, the raw track.
"""

from __future__ import annotations

import pytest

from xpos.core.events import CardPresented, Done, PinDone, RequestPin
from xpos.core.flows.online import Online, SaleRequest, VoucherRequest
from xpos.core.steps import AmountResult, CardResult, InputResult, PinResult, PinStep, ResultCode
from xpos.model import CardData, CardSource, mask_block, mask_code, masked_repr

PAN = "6212345678901234567"
MASKED = "621234*********4567"
TRACK2 = f"{PAN}=30121010000000000"
BLOCK = bytes.fromhex("84615C0FB761528E")
CODE = "8888123456785678"
SWIPED = CardData(source=CardSource.SWIPE, pan=PAN, expiry="3012", track2=TRACK2,
                  service_code="101")
SCANNED = CardData(source=CardSource.SCAN, code=CODE)

SECRETS = [PAN, TRACK2, "30121010000000000", BLOCK.hex(), BLOCK.hex().upper(), repr(BLOCK),
           CODE, "3012"]


def leaks(value: object) -> list[str]:
    """The secrets that ``repr(value)`` or ``str(value)`` shows."""
    shown = repr(value) + "\n" + str(value)
    return [secret for secret in SECRETS if secret in shown]


PIN_STEP = PinStep(pan=PAN, amount=None)
VALUES = {
    "CardData swiped": SWIPED,
    "CardData scanned": SCANNED,
    "RequestPin": RequestPin(pan=PAN, amount=1234),
    "PinDone": PinDone(block=BLOCK, code=ResultCode.OK, now=1.0),
    "PinStep": PinStep(pan=PAN, amount=1234),
    "PinResult": PinResult(code=ResultCode.OK, block=BLOCK),
    "CardResult": CardResult(code=ResultCode.OK, card=SWIPED),
    "Done": Done(result=PinResult(code=ResultCode.OK, block=BLOCK)),
    "CardPresented": CardPresented(card=SWIPED, now=1.0),
    "InputResult with card": InputResult(code=ResultCode.OK, values=("1",), card=SWIPED),
    "SaleRequest": SaleRequest(amount=1234, card=SWIPED, pin_block=BLOCK),
    "Online(SaleRequest)": Online(request=SaleRequest(amount=1, card=SWIPED, pin_block=BLOCK)),
    "VoucherRequest keyed": VoucherRequest(code=CODE, method="keyed"),
    "VoucherRequest member": VoucherRequest(code="", method="member", order_no="42",
                                            member_card=SWIPED),
    "containers": [SWIPED, (RequestPin(pan=PAN, amount=None),), {"step": PIN_STEP}],
}


@pytest.mark.parametrize("name", VALUES)
def test_repr_shows_no_full_pan_track_block_or_code(name: str) -> None:
    assert leaks(VALUES[name]) == []


def test_card_repr_shows_the_masked_pan_and_what_is_harmless() -> None:
    assert repr(SWIPED) == (
        "CardData(source=<CardSource.SWIPE: 'swipe'>, pan='621234*********4567', "
        "expiry='****', service_code='101', uid='', code='')"
    )
    tapped = CardData(source=CardSource.TAP, uid="04A1B2C3")
    assert "uid='04A1B2C3'" in repr(tapped)
    assert "code='************5678'" in repr(SCANNED)


def test_pin_reprs_keep_the_masked_pan_the_amount_and_the_block_length() -> None:
    assert repr(RequestPin(pan=PAN, amount=1234)) == f"RequestPin(pan='{MASKED}', amount=1234)"
    assert repr(PinStep(pan=PAN, amount=None)) == (
        f"PinStep(pan='{MASKED}', amount=None, timeout_s=60.0)")
    assert repr(PinDone(block=BLOCK, code=ResultCode.OK, now=2.5)) == (
        "PinDone(block=<8 bytes>, code=<ResultCode.OK: 'ok'>, now=2.5)"
    )
    assert "block=None" in repr(PinDone(block=None, code=ResultCode.CANCELLED, now=1.0))


def test_step_result_reprs_show_a_pin_block_as_its_length_only() -> None:
    assert repr(AmountResult(code=ResultCode.OK, amount=1234)) == (
        "AmountResult(code=<ResultCode.OK: 'ok'>, amount=1234)"
    )
    assert repr(PinResult(code=ResultCode.OK, block=BLOCK)) == (
        "PinResult(code=<ResultCode.OK: 'ok'>, block=<8 bytes>)"
    )


def test_masking_changes_only_the_repr_not_the_data_or_equality() -> None:
    assert SWIPED.pan == PAN and SWIPED.track2 == TRACK2
    assert RequestPin(pan=PAN, amount=1) == RequestPin(pan=PAN, amount=1)
    assert PinDone(block=BLOCK, code=ResultCode.OK, now=1.0).block == BLOCK
    assert CardData(source=CardSource.SWIPE, pan=PAN) != CardData(
        source=CardSource.SWIPE, pan=PAN[:-1] + "0"
    )


def test_masked_repr_leaves_out_repr_false_fields_like_the_generated_repr() -> None:
    request = SaleRequest(amount=5, card=SCANNED, pin_block=BLOCK)
    assert masked_repr(request) == f"SaleRequest(amount=5, card={SCANNED!r})"
    assert masked_repr(request, amount="<hidden>").startswith("SaleRequest(amount=<hidden>, ")


@pytest.mark.parametrize(("code", "masked"), [
    ("8888123456785678", "************5678"), ("12345", "*2345"), ("1234", "****"), ("", ""),
])
def test_mask_code_keeps_only_the_last_four(code: str, masked: str) -> None:
    assert mask_code(code) == masked


def test_mask_block_shows_only_the_length() -> None:
    assert mask_block(BLOCK) == "<8 bytes>"
    assert (mask_block(b""), mask_block(None)) == ("<0 bytes>", "None")
