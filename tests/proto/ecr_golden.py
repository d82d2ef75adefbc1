"""Golden bytes of the ECR port (docs/drivers.md, "Cash register (ECR)"), field by field.

Frame: ``02`` STX, 2 bytes BCD length of DATA, DATA, ``03`` ETX, LRC = XOR of every
byte from the length through ETX. DATA: ``TAG`` (2 letters) + ``LLL`` (3 digits) + value.
"""

from __future__ import annotations

from dataclasses import dataclass

from xpos.proto.ecr import EcrRequest, EcrResponse


def _hex(*parts: str) -> bytes:
    return bytes.fromhex("".join(parts).replace(" ", ""))


def _ascii(text: str) -> str:
    return text.encode("utf-8").hex()


@dataclass(frozen=True)
class EcrGolden:
    """One message: its value and its exact frame."""

    name: str
    value: EcrRequest | EcrResponse
    wire: bytes


SALE_REQUEST = EcrGolden(
    "sale request, 12.34, till reference T0001",
    EcrRequest(command="SALE", reference="T0001", amount=1234),
    _hex("02", "0036",                                   # STX, LEN 36 (BCD)
         _ascii("CM004SALE"), _ascii("RF005T0001"), _ascii("AM012000000001234"),
         "03", "5b"),                                    # ETX, LRC
)

VOID_REQUEST = EcrGolden(
    "void request of trace 17, till reference T0002",
    EcrRequest(command="VOID", reference="T0002", original_trace=17),
    _hex("02", "0030", _ascii("CM004VOID"), _ascii("RF005T0002"), _ascii("OT006000017"),
         "03", "41"),
)

SALE_APPROVED = EcrGolden(
    "sale approved: masked card, auth code, trace, RRN, text 交易成功 (UTF-8, 12 bytes)",
    EcrResponse(command="SALE", reference="T0001", result="00", host_rc="00", amount=1234,
                masked_pan="621234*********4567", auth_code="123456", trace=17,
                rrn="250115103045", text="交易成功"),
    _hex("02", "0130",                                   # LEN 130
         _ascii("CM004SALE"), _ascii("RF005T0001"), _ascii("RC00200"), _ascii("HR00200"),
         _ascii("AM012000000001234"), _ascii("PN019621234*********4567"),
         _ascii("AC006123456"), _ascii("TR006000017"), _ascii("RR012250115103045"),
         _ascii("TX012"), "e4baa4 e69893 e68890 e58a9f",
         "03", "4a"),
)

BUSY = EcrGolden(
    "busy: a second request while one runs",
    EcrResponse(command="SALE", reference="T0003", result="BY", text="busy"),
    _hex("02", "0035", _ascii("CM004SALE"), _ascii("RF005T0003"), _ascii("RC002BY"),
         _ascii("TX004busy"), "03", "7c"),
)

REFUND_REQUEST = EcrGolden(
    "refund request of 5.00 against RRN 250115103045 of 15 January, till reference T0004",
    EcrRequest(command="REFUND", reference="T0004", amount=500, original_rrn="250115103045",
               original_date="0115"),
    _hex("02", "0064",                                   # LEN 64
         _ascii("CM006REFUND"), _ascii("RF005T0004"), _ascii("AM012000000000500"),
         _ascii("OR012250115103045"), _ascii("OD0040115"),
         "03", "0f"),
)

XPAY_REQUEST = EcrGolden(
    "X order payment request of order 6600000005, till reference T0005",
    EcrRequest(command="XPAY", reference="T0005", order_no="6600000005"),
    _hex("02", "0034", _ascii("CM004XPAY"), _ascii("RF005T0005"), _ascii("ON0106600000005"),
         "03", "58"),
)

XPAY_COMBINED = EcrGolden(
    "X order payment, combined: 600.00 = third-party 200.00 (trace 3) + bank 400.00 (trace 4)",
    EcrResponse(command="XPAY", reference="T0006", result="00", host_rc="00", amount=60_000,
                masked_pan="621234*********4567", auth_code="123456", trace=4,
                rrn="250115000004", text="支付成功", party_amount=20_000, party_trace=3,
                party_masked_pan="886800******0001"),
    _hex("02", "0179",                                   # LEN 179
         _ascii("CM004XPAY"), _ascii("RF005T0006"), _ascii("RC00200"), _ascii("HR00200"),
         _ascii("AM012000000060000"),                    # the amount due, both legs
         _ascii("PN019621234*********4567"), _ascii("AC006123456"),   # the bank leg
         _ascii("TR006000004"), _ascii("RR012250115000004"),
         _ascii("TX012"), "e694af e4bb98 e68890 e58a9f",  # 支付成功
         _ascii("XA012000000020000"),                    # the third-party leg's amount
         _ascii("XT006000003"),                          # its trace
         _ascii("XC016886800******0001"),                # its card, masked
         "03", "37"),
)

GOLDEN: tuple[EcrGolden, ...] = (SALE_REQUEST, VOID_REQUEST, SALE_APPROVED, BUSY,
                                 REFUND_REQUEST, XPAY_REQUEST, XPAY_COMBINED)
