"""DLE EOT real-time status: queries and answers, golden bytes both ways."""

from __future__ import annotations

import pytest

from xpos.drivers.printer_status import (
    PrinterStatus,
    StatusByteError,
    decode_status,
    encode_status,
    is_status_byte,
    status_query,
)

#: (answers to DLE EOT 1..4, the status they mean). Bytes from the ESC/POS reference:
#: 0x12 = all fixed bits, nothing wrong; 0x1A = offline; 0x32 = paper end stopped
#: printing; 0x16 = cover open; 0x72 = paper end sensor (bits 5, 6); 0x1E = near end.
GOLDEN: list[tuple[dict[int, int], PrinterStatus]] = [
    ({1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}, PrinterStatus()),
    ({1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x72}, PrinterStatus(offline=True, paper_out=True)),
    ({1: 0x1A, 2: 0x16, 3: 0x12, 4: 0x12}, PrinterStatus(offline=True, cover_open=True)),
    ({1: 0x12, 2: 0x12, 3: 0x12, 4: 0x1E}, PrinterStatus(paper_near_end=True)),
    ({1: 0x1A, 2: 0x52, 3: 0x32, 4: 0x12}, PrinterStatus(offline=True, error=True)),
    ({4: 0x72}, PrinterStatus(paper_out=True)),  # only the paper sensor asked
    ({1: 0x1A}, PrinterStatus(offline=True)),
]


def test_queries_are_dle_eot_n() -> None:
    assert [status_query(n) for n in (1, 2, 3, 4)] == [
        b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x03", b"\x10\x04\x04"]
    for bad in (0, 5, 18):
        with pytest.raises(ValueError):
            status_query(bad)


@pytest.mark.parametrize(("answers", "status"), GOLDEN)
def test_golden_answers_decode(answers: dict[int, int], status: PrinterStatus) -> None:
    assert decode_status(answers) == status


def test_encode_is_the_inverse_on_the_full_answer() -> None:
    for _answers, status in GOLDEN[:5]:
        assert decode_status(encode_status(status)) == status
    assert encode_status(PrinterStatus(paper_out=True)) == {1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x72}
    assert encode_status(PrinterStatus()) == {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}


def test_ready_and_description() -> None:
    assert PrinterStatus().ready and PrinterStatus(paper_near_end=True).ready
    out = PrinterStatus(offline=True, paper_out=True)
    assert not out.ready and out.describe() == "缺纸 paper out"
    assert PrinterStatus(offline=True).describe() == "脱机 offline"
    assert PrinterStatus().describe() == "就绪 ready"


@pytest.mark.parametrize("byte", [0x00, 0xFF, 0x13, 0x92, 0x02, 0x10])
def test_bytes_without_the_fixed_bits_are_refused(byte: int) -> None:
    assert not is_status_byte(byte)
    with pytest.raises(StatusByteError):
        decode_status({1: byte})


def test_every_byte_is_classified_without_raising_otherwise() -> None:
    for byte in range(256):
        if is_status_byte(byte):
            decode_status({n: byte for n in (1, 2, 3, 4)})
    with pytest.raises(ValueError):
        decode_status({5: 0x12})
