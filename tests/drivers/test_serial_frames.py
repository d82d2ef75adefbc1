"""Golden frames of the serial RFID 125 kHz module and the serial scanner decoders."""

from __future__ import annotations

import pytest

from xpos.drivers.serial_frames import (
    RfidFrameDecoder,
    ScannerLineDecoder,
    decode_rfid_payload,
    encode_rfid_frame,
)
from xpos.errors import CardReadError
from xpos.model import CardData, CardSource

# An RDM6300 read of tag 62E3086CED: checksum 62^E3^08^6C^ED = 08.
GOOD = b"\x0262E3086CED08\x03"
GOOD2 = b"\x020A1B2C3D4E4E\x03"  # 0A^1B^2C^3D^4E = 4E


def _uids(events: list[CardData | CardReadError]) -> list[str]:
    return [e.uid if isinstance(e, CardData) else f"error: {e}" for e in events]


def test_golden_frames_encode_and_decode() -> None:
    assert encode_rfid_frame("62e3086ced") == GOOD
    assert encode_rfid_frame("0A1B2C3D4E") == GOOD2
    card = decode_rfid_payload(GOOD[1:-1])
    assert (card.source, card.uid, card.pan) == (CardSource.TAP, "62E3086CED", "")


def test_a_frame_split_anywhere_and_noise_between_frames() -> None:
    decoder = RfidFrameDecoder()
    stream = b"\x00\xffjunk" + GOOD + b"\r\n\x55" + GOOD2
    events = [e for i in range(len(stream)) for e in decoder.feed(stream[i:i + 1])]
    assert _uids(events) == ["62E3086CED", "0A1B2C3D4E"]


def test_bad_checksum_is_one_error_then_the_next_frame_reads() -> None:
    events = RfidFrameDecoder().feed(b"\x0262E3086CED09\x03" + GOOD)
    assert _uids(events) == ["error: RFID frame checksum wrong", "62E3086CED"]


def test_truncated_frame_then_a_good_one() -> None:
    events = RfidFrameDecoder().feed(b"\x0262E308" + GOOD)
    assert _uids(events) == ["error: RFID frame truncated", "62E3086CED"]


@pytest.mark.parametrize(("frame", "message"), [
    (b"\x0262E3086C08\x03", "has 10 digits"),
    (b"\x0262E3086CEX08\x03", "non-hex"),
    (b"\x0262E3086CED0800\x03", "too long"),
])
def test_malformed_frames(frame: bytes, message: str) -> None:
    events = RfidFrameDecoder().feed(frame + GOOD)
    assert isinstance(events[0], CardReadError) and message in str(events[0])
    assert _uids(events[1:]) == ["62E3086CED"]


def test_cr_lf_inside_a_frame_are_ignored() -> None:
    assert _uids(RfidFrameDecoder().feed(b"\x0262E3086CED08\r\n\x03")) == ["62E3086CED"]


def test_encode_rejects_wrong_sizes() -> None:
    with pytest.raises(ValueError):
        encode_rfid_frame("62E3086C")


def _codes(events: list[CardData | CardReadError]) -> list[str]:
    return [e.code if isinstance(e, CardData) else f"error: {e}" for e in events]


def test_scanner_cr_suffix_split_and_crlf_leftovers() -> None:
    decoder = ScannerLineDecoder(b"\r")
    assert _codes(decoder.feed(b"VC2024000")) == []
    assert _codes(decoder.feed(b"1234567\r\n6901234567892\r\n\r")) == [
        "VC20240001234567", "6901234567892"]


def test_scanner_tab_and_crlf_suffixes_and_utf8_qr_text() -> None:
    assert _codes(ScannerLineDecoder(b"\t").feed(b"A\tB\t")) == ["A", "B"]
    qr = "会员码 M-0001".encode()
    assert _codes(ScannerLineDecoder(b"\r\n").feed(qr + b"\r\n")) == ["会员码 M-0001"]


def test_scanner_errors_one_per_line() -> None:
    decoder = ScannerLineDecoder()
    events = decoder.feed(b"\xff\xfe\rA\x07B\rOK\r")
    assert _codes(events) == ["error: scanned code is not UTF-8 text",
                              "error: scanned code is not printable", "OK"]


def test_scanner_overlong_code_is_one_error_up_to_the_suffix() -> None:
    decoder = ScannerLineDecoder()
    events = decoder.feed(b"9" * 5000) + decoder.feed(b"9" * 5000) + decoder.feed(b"99\rOK\r")
    assert _codes(events) == ["error: scanned code longer than 4096 bytes", "OK"]
    with pytest.raises(ValueError):
        ScannerLineDecoder(b"")
