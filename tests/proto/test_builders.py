from __future__ import annotations

import pytest

from xpos.errors import EncodeError, LocalProtocolError
from xpos.proto.codec import Message
from xpos.proto.messages import (
    REVERSAL_STRIPPED,
    MacFunction,
    VoucherInfo,
    add_mac,
    parse_voucher_request,
    parse_voucher_response,
    reversal_request,
    reversal_response,
    sale_request,
    sale_response,
    sign_on_request,
    sign_on_response,
    voucher_request,
    voucher_response,
)

from . import golden as g

SALE_ARGS = dict(stan=2, tid=g.TID, mid=g.MID, batch=1, amount=1234, track2=g.TRACK2,
                 expiry="3012", pin_block=bytes.fromhex(g.PIN_BLOCK))
INFO = VoucherInfo(title="生日蛋糕券 8寸", quantity=1, provider="甜心烘焙",
                   message="凭此单取货")


def _sale(**changes: object) -> Message:
    return sale_request(**(SALE_ARGS | changes))  # type: ignore[arg-type]


def _keyed_voucher() -> Message:
    return voucher_request(stan=3, tid=g.TID, mid=g.MID, batch=1, code=g.VOUCHER_CODE,
                           method="keyed")


def test_sign_on_request_builds_the_golden_0800() -> None:
    assert sign_on_request(stan=1, tid=g.TID, mid=g.MID, batch=1) == g.SIGN_ON_0800.message


def test_sign_on_response_builds_the_golden_0810s() -> None:
    req = g.SIGN_ON_0800.message
    ok = sign_on_response(req, rc="00", field62=bytes.fromhex(g.KEY_BLOCK), batch=1,
                          when=g.WHEN, rrn="250115000001", acquirer_id=g.ACQUIRER)
    declined = sign_on_response(req, rc="03", field62=None, batch=1, when=g.WHEN,
                                rrn="250115000001")
    assert ok == g.SIGN_ON_0810.message
    assert declined == g.SIGN_ON_0810_DECLINED.message


def test_sign_on_response_carries_the_new_batch_in_60_2() -> None:
    rsp = sign_on_response(g.SIGN_ON_0800.message, rc="00", field62=None, batch=42,
                           when=g.WHEN, rrn="250115000001")
    assert rsp.get(60) == "00" + "000042" + "004"


def test_sale_request_builds_the_golden_0200s(mac: MacFunction) -> None:
    no_pin = sale_request(stan=5, tid=g.TID, mid=g.MID, batch=1, amount=100,
                          track2=g.TRACK2, expiry="3012", pin_block=None)
    assert add_mac(_sale(), mac) == g.SALE_0200.message
    assert add_mac(no_pin, mac) == g.SALE_0200_NO_PIN.message


def test_sale_request_has_no_field2_for_a_swiped_card() -> None:
    assert _sale().get(2) is None


def test_sale_request_converts_an_equals_separator_to_d() -> None:
    assert _sale(track2=g.TRACK2.replace("D", "=")).get(35) == g.TRACK2


def test_sale_request_with_encrypted_track_sets_53_3() -> None:
    assert _sale(track_encrypted=True).get(53) == "2610000000000000"
    no_pin = _sale(track_encrypted=True, pin_block=None)
    assert no_pin.get(53) == "2610000000000000"
    assert (no_pin.get(26), no_pin.get(52), no_pin.get(22)) == (None, None, "022")


def test_sale_request_without_expiry_omits_field14() -> None:
    assert _sale(expiry="").get(14) is None


@pytest.mark.parametrize(("changes", "field"), [
    ({"stan": 0}, "11"),
    ({"stan": 1_000_000}, "11"),
    ({"amount": 0}, "4"),
    ({"amount": 10**12}, "4"),
    ({"batch": -1}, "60"),
    ({"pin_block": b"1234"}, "52"),
])
def test_sale_request_rejects_out_of_range_values(changes: dict[str, object],
                                                  field: str) -> None:
    with pytest.raises(EncodeError) as info:
        _sale(**changes)
    assert info.value.field == field


def test_sign_on_request_rejects_an_unknown_key_mode() -> None:
    with pytest.raises(EncodeError) as info:
        sign_on_request(stan=1, tid=g.TID, mid=g.MID, batch=1, mode="005")
    assert info.value.field == "60"


def test_sale_response_builds_the_golden_0210s(mac: MacFunction) -> None:
    req = g.SALE_0200.message
    ok = sale_response(req, rc="00", auth_code="123456", rrn="250115000002", when=g.WHEN)
    declined = sale_response(req, rc="51", auth_code=None, rrn="250115000002", when=g.WHEN)
    assert add_mac(ok, mac) == g.SALE_0210.message
    assert add_mac(declined, mac) == g.SALE_0210_DECLINED.message


def test_host_response_swaps_the_tpdu_addresses_and_adds_10_to_the_mti() -> None:
    rsp = sale_response(g.SALE_0200.message, rc="00", auth_code=None, rrn="1" * 12,
                        when=g.WHEN)
    assert (rsp.tpdu, rsp.mti) == ("6000000003", "0210")
    assert rsp.header == g.SALE_0200.message.header


def test_reversal_request_builds_the_golden_0400s(mac: MacFunction) -> None:
    timeout = reversal_request(g.SALE_0200.message, reason="98")
    bad_mac = reversal_request(g.SALE_0200.message, reason="A0", auth_code="123456")
    assert add_mac(timeout, mac) == g.REVERSAL_0400.message
    assert add_mac(bad_mac, mac) == g.REVERSAL_0400_MAC.message


def test_reversal_keeps_stan_and_3_4_22_25_60_and_strips_sensitive_fields() -> None:
    rev = reversal_request(g.SALE_0200.message, reason="98")
    for n in (3, 4, 11, 22, 25, 60):
        assert rev.get(n) == g.SALE_0200.message.get(n)
    assert not set(rev.fields) & set(REVERSAL_STRIPPED)
    assert not set(rev.fields) & {2, 35, 36, 52, 53}


def test_reversal_of_a_member_voucher_drops_the_pan_and_the_tlv() -> None:
    rev = reversal_request(g.VOUCHER_0100_MEMBER.message, reason="98")
    assert (rev.mti, rev.get(3), rev.get(11)) == ("0400", "700000", "000004")
    assert rev.get(2) is None
    assert rev.get(62) is None


def test_reversal_rejects_an_unknown_reason() -> None:
    with pytest.raises(EncodeError) as info:
        reversal_request(g.SALE_0200.message, reason="99")
    assert info.value.field == "39"


@pytest.mark.parametrize("original", [g.SIGN_ON_0800, g.SALE_0210, g.REVERSAL_0400],
                         ids=lambda x: x.name)
def test_reversal_rejects_what_cannot_be_reversed(original: g.Golden) -> None:
    with pytest.raises(LocalProtocolError):
        reversal_request(original.message, reason="98")


def test_reversal_rejects_an_unknown_request() -> None:
    with pytest.raises(LocalProtocolError):
        reversal_request(Message(mti="0820", fields={11: "000001"}), reason="98")


def test_reversal_response_builds_the_golden_0410(mac: MacFunction) -> None:
    rsp = reversal_response(g.REVERSAL_0400.message, rc="00", when=g.WHEN)
    assert add_mac(rsp, mac) == g.REVERSAL_0410.message


def test_voucher_request_builds_the_golden_0100s(mac: MacFunction) -> None:
    member = voucher_request(stan=4, tid=g.TID, mid=g.MID, batch=1, code="",
                             method="member", order_no="ORD20250115001",
                             member_pan=g.MEMBER_PAN)
    assert add_mac(_keyed_voucher(), mac) == g.VOUCHER_0100.message
    assert add_mac(member, mac) == g.VOUCHER_0100_MEMBER.message


def test_scanned_voucher_request_marks_the_method_s() -> None:
    msg = voucher_request(stan=3, tid=g.TID, mid=g.MID, batch=1, code="QR-123",
                          method="scanned")
    parsed = parse_voucher_request(msg)
    assert (parsed.method, parsed.code, parsed.order_no) == ("scanned", "QR-123", None)


@pytest.mark.parametrize("kwargs", [
    dict(code="1234", method="typed"),
    dict(code="", method="keyed"),
    dict(code="", method="scanned"),
    dict(code="", method="member", order_no="ORD1"),
    dict(code="", method="member", member_pan=g.MEMBER_PAN),
    dict(code="券1234", method="keyed"),
])
def test_voucher_request_rejects_incomplete_or_invalid_data(kwargs: dict[str, str]) -> None:
    with pytest.raises(EncodeError) as info:
        voucher_request(stan=3, tid=g.TID, mid=g.MID, batch=1, **kwargs)
    assert info.value.field == "62"


@pytest.mark.parametrize(("golden", "rc", "info"), [
    (g.VOUCHER_0110, "00", INFO),
    (g.VOUCHER_0110_UNKNOWN, "25", None),
    (g.VOUCHER_0110_USED, "V1", None),
    (g.VOUCHER_0110_EXPIRED, "V2", None),
], ids=["00", "25", "V1", "V2"])
def test_voucher_response_builds_the_golden_0110s(golden: g.Golden, rc: str,
                                                  info: VoucherInfo | None,
                                                  mac: MacFunction) -> None:
    rsp = voucher_response(g.VOUCHER_0100.message, rc=rc, info=info, when=g.WHEN,
                           rrn="250115000003")
    assert add_mac(rsp, mac) == golden.message


def test_voucher_response_rejects_a_negative_quantity() -> None:
    with pytest.raises(EncodeError):
        voucher_response(g.VOUCHER_0100.message, rc="00", when=g.WHEN, rrn="1" * 12,
                         info=VoucherInfo(title="t", quantity=-1, provider="p"))


def test_parse_voucher_response_reads_the_golden_tlv() -> None:
    assert parse_voucher_response(g.VOUCHER_0110.message) == INFO
    assert parse_voucher_response(g.VOUCHER_0110_USED.message) is None


def test_parse_voucher_request_reads_both_golden_requests() -> None:
    keyed = parse_voucher_request(g.VOUCHER_0100.message)
    member = parse_voucher_request(g.VOUCHER_0100_MEMBER.message)
    assert (keyed.method, keyed.code, keyed.member_pan) == ("keyed", g.VOUCHER_CODE, None)
    assert (member.method, member.code, member.order_no) == ("member", "", "ORD20250115001")
    assert member.member_pan == g.MEMBER_PAN
    assert member.member_masked == "622202*********0123"
    assert g.MEMBER_PAN not in repr(member)
    assert g.VOUCHER_CODE not in repr(keyed)
