"""X3 session messages: golden bytes both ways, builders, parsers, refusals."""

from __future__ import annotations

import pytest

from xpos.errors import DecodeError, EncodeError
from xpos.proto.catalogue import MessageKind, classify, needs_mac, verify_mac
from xpos.proto.codec import Message, decode_message, encode_message
from xpos.proto.interactive import (
    PlatformStep,
    StepField,
    StepReport,
    is_platform_message,
    open_request,
    parse_session_request,
    parse_step,
    result_request,
    step_response,
)
from xpos.proto.session import TerminalSession
from xpos.security.mac import MacAlgorithm, compute_mac

from .golden import MAK, MID, TID, WHEN, Golden
from .golden_x3 import (
    SESSION,
    X3_ABANDON,
    X3_END_ANSWER,
    X3_GOLDEN,
    X3_OPEN,
    X3_OPEN_ANSWER,
    X3_RESULT,
    X3_RESULT_BANK,
)

IDS = [g.name for g in X3_GOLDEN]


def _mac(data: bytes) -> bytes:
    return compute_mac(MacAlgorithm.CUP_ECB, MAK, data)


@pytest.mark.parametrize("golden", X3_GOLDEN, ids=IDS)
def test_x3_golden_encodes_to_its_bytes(golden: Golden) -> None:
    assert encode_message(golden.message).hex().upper() == golden.wire.hex().upper()


@pytest.mark.parametrize("golden", X3_GOLDEN, ids=IDS)
def test_x3_golden_bytes_decode_to_the_message_and_the_mac_verifies(golden: Golden) -> None:
    decoded = decode_message(golden.wire)
    assert decoded == golden.message
    assert decoded.tpdu == golden.message.tpdu
    assert needs_mac(decoded) and verify_mac(decoded, _mac)
    assert classify(decoded) in (MessageKind.SESSION_OPEN, MessageKind.SESSION_STEP)


def _routed(message: Message) -> Message:
    return message.replace(tpdu="6000080000")


def test_builders_give_the_golden_requests() -> None:
    from xpos.proto.messages import add_mac

    opened = open_request(stan=3, tid=TID, mid=MID, batch=1, service="bills",
                          capabilities=("DSP", "INP", "END"))
    assert _routed(add_mac(opened, _mac)) == X3_OPEN.message
    result = result_request(stan=4, tid=TID, mid=MID, batch=1, session=SESSION, number=1,
                            report=StepReport(result="00", values=("12345678",)))
    assert _routed(add_mac(result, _mac)) == X3_RESULT.message
    bank = result_request(stan=5, tid=TID, mid=MID, batch=1, session=SESSION, number=3,
                          report=StepReport(result="00", amount=8650, bank_rc="00",
                                            bank_stan=4, bank_rrn="250115000004"))
    assert _routed(add_mac(bank, _mac)) == X3_RESULT_BANK.message
    abandon = result_request(stan=6, tid=TID, mid=MID, batch=1, session=SESSION, number=0,
                             abandon="P", bank_stans=(4,))
    assert _routed(add_mac(abandon, _mac)) == X3_ABANDON.message


def test_builder_gives_the_golden_answers() -> None:
    from xpos.proto.messages import add_mac

    step = PlatformStep(session=SESSION, number=1, code="INP", text="户号",
                        fields=(StepField(label="户号", min_len=8, max_len=8),), timeout_s=60)
    answer = step_response(X3_OPEN.message, rc="00", when=WHEN, rrn="250115000003", step=step)
    assert add_mac(answer, _mac) == X3_OPEN_ANSWER.message
    end = PlatformStep(session=SESSION, number=4, code="END", text="缴费成功")
    answer = step_response(X3_RESULT_BANK.message, rc="00", when=WHEN, rrn="250115000005",
                           step=end)
    assert add_mac(answer, _mac) == X3_END_ANSWER.message


def test_parsers_read_the_golden_messages() -> None:
    step = parse_step(X3_OPEN_ANSWER.message)
    assert step == PlatformStep(session=SESSION, number=1, code="INP", text="户号",
                                fields=(StepField(label="户号", min_len=8, max_len=8),),
                                timeout_s=60)
    assert parse_step(X3_END_ANSWER.message).code == "END"
    opened = parse_session_request(X3_OPEN.message)
    assert opened.is_open and opened.service == "bills"
    assert opened.capabilities == ("DSP", "INP", "END")
    bank = parse_session_request(X3_RESULT_BANK.message)
    assert bank.report is not None and bank.report.bank_stan == 4
    assert (bank.report.amount, bank.report.bank_rc) == (8650, "00")
    abandon = parse_session_request(X3_ABANDON.message)
    assert (abandon.abandon, abandon.bank_stans, abandon.number) == ("P", (4,), 0)


@pytest.mark.parametrize("tlv", [
    "DF5005414243",                         # length beyond the data
    "DF5201494E50",                         # no session, no number
    "DF5001" "41" "DF5101" "41" "DF5203494E50",     # step number not digits
    "DF5001" "41" "DF5101" "31" "DF5203494E50" "DF5403FFFEFD",  # field not UTF-8
    "ZZ",                                   # not hex
])
def test_a_malformed_step_is_one_decode_error(tlv: str) -> None:
    answer = X3_OPEN_ANSWER.message.replace(set={62: tlv})
    with pytest.raises(DecodeError) as caught:
        parse_step(answer)
    assert caught.value.field == "62"


def test_an_unknown_step_type_is_kept_for_the_terminal_to_refuse() -> None:
    step = PlatformStep(session="S", number=2, code="XYZ")
    answer = step_response(X3_OPEN.message, rc="00", when=WHEN, rrn="1", step=step)
    assert parse_step(answer).code == "XYZ"


def test_the_report_repr_shows_no_card_data() -> None:
    report = StepReport(result="00", masked_pan="886800******0001",
                        track_cipher="8868ABCDEF", pin_block=b"\x01" * 8)
    text = repr(report)
    assert "ABCDEF" not in text and "\\x01" not in text and "886800******0001" in text


def test_bad_values_are_refused_when_building() -> None:
    with pytest.raises(EncodeError):
        open_request(stan=1, tid=TID, mid=MID, batch=1, service="", capabilities=())
    with pytest.raises(EncodeError):
        result_request(stan=1, tid=TID, mid=MID, batch=1, session="S", number=1,
                       report=StepReport(result="99"))
    with pytest.raises(EncodeError):
        result_request(stan=1, tid=TID, mid=MID, batch=1, session="S", number=0, abandon="X")


def test_the_session_keeps_the_platform_tpdu_and_stamps_the_others() -> None:
    session = TerminalSession(tpdu="6000030000", header="603100310000")
    assert is_platform_message(X3_OPEN.message)
    assert session.stamp(X3_OPEN.message).tpdu == "6000080000"
    sale = Message(mti="0200", fields={3: "000000"}, tpdu="6000080000")
    assert session.stamp(sale).tpdu == "6000030000"


def test_the_transcript_names_x3_tags_and_hides_the_track_and_pin_block() -> None:
    from xpos.proto.transcript import describe

    report = StepReport(result="00", masked_pan="886800******0001",
                        track_cipher="C0FFEE" * 8, pin_block=b"\xAB" * 8)
    message = result_request(stan=1, tid=TID, mid=MID, batch=1, session="S", number=2,
                             report=report)
    text = describe(message, one_line=True)
    assert "result='00'" in text and "card='886800******0001'" in text
    assert "track=<24 bytes>" in text and "pin_block=<8 bytes>" in text
    assert "C0FFEE" not in text.upper() and "ABAB" not in text.upper()
    assert "type='INP'" in describe(X3_OPEN_ANSWER.message)


@pytest.mark.parametrize("golden", X3_GOLDEN, ids=IDS)
def test_the_protocol_doc_shows_each_x3_golden_message(golden: Golden) -> None:
    from pathlib import Path

    from .docgen import hexdump

    doc = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text(
        encoding="utf-8")
    assert f"#### {golden.name}\n\n```\n{hexdump(golden.wire)}\n```" in doc


def test_the_protocol_doc_names_every_x3_tag() -> None:
    from pathlib import Path

    from xpos.proto.interactive import X3_TAG_NAMES

    doc = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text(
        encoding="utf-8")
    for tag in (*X3_TAG_NAMES, 0xDF4B, 0xDF4C):
        assert f"`{tag:X}`" in doc
