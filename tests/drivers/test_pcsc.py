"""PC/SC: GET DATA UID answers (golden), the polling reader on a stand-in link, pyscard."""

from __future__ import annotations

import asyncio
import re
import threading

import pytest

from xpos.drivers import conformance, open_device
from xpos.drivers.pcsc import GET_UID, PcscReader, decode_uid_response
from xpos.errors import CardReadError, ConfigError, DeviceError


def test_get_data_apdu_and_golden_answers() -> None:
    assert GET_UID == b"\xff\xca\x00\x00\x00"
    assert decode_uid_response(bytes.fromhex("04A1B2C3D4E5F6" "9000")) == "04A1B2C3D4E5F6"
    assert decode_uid_response(bytes.fromhex("DEADBEEF9000")) == "DEADBEEF"
    for answer, message in [
        ("6A81", "does not support GET DATA (6A81)"),
        ("6300", "gave no UID (6300)"),
        ("DEADBEEF6282", "GET DATA failed (6282)"),
        ("0102039000", "UID of 3 bytes"),
        ("90", "too short"),
    ]:
        with pytest.raises(CardReadError, match=re.escape(message)):
            decode_uid_response(bytes.fromhex(answer))


class _Field:
    """A reader's RF field with cards put on and taken off by the test (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._polled = threading.Condition(self._lock)
        self.answer: bytes | None = None
        self.apdus: list[bytes] = []
        self.gone = False

    def transmit(self, apdu: bytes) -> bytes | None:
        with self._lock:
            if self.gone:
                raise OSError("reader unplugged")
            self.apdus.append(apdu)
            self._polled.notify_all()
            return self.answer

    def wait_polls(self, count: int) -> None:
        """Wait (bounded) until the reader has polled ``count`` more times."""
        with self._polled:
            target = len(self.apdus) + count
            assert self._polled.wait_for(lambda: len(self.apdus) >= target, 10)

    def put(self, answer: bytes | None) -> None:
        with self._lock:
            self.answer = answer

    def close(self) -> None:
        pass


def test_pcsc_reader_conforms_and_a_held_card_is_one_tap() -> None:
    field = _Field()
    reader = PcscReader(field, poll_s=0.01)

    def tap(uid: str) -> None:
        field.put(bytes.fromhex(uid) + b"\x90\x00")

    asyncio.run(conformance.check_rfid_reader(reader, tap))
    assert set(field.apdus) == {GET_UID}

    async def second_tap() -> str:
        task = asyncio.ensure_future(reader.read_card())
        await asyncio.to_thread(field.wait_polls, 5)  # the card stays on the reader ...
        assert not task.done()  # ... and is not read again
        field.put(None)  # taken away ...
        await asyncio.to_thread(field.wait_polls, 2)
        field.put(bytes.fromhex("11223344") + b"\x90\x00")  # ... and another one tapped
        return (await asyncio.wait_for(task, 10)).uid

    assert asyncio.run(second_tap()) == "11223344"


def test_a_bad_answer_is_a_read_error_and_an_unplugged_reader_a_device_error() -> None:
    field = _Field()
    reader = PcscReader(field, poll_s=0.01)
    field.put(bytes.fromhex("6A81"))
    with pytest.raises(CardReadError):
        asyncio.run(asyncio.wait_for(reader.read_card(), 10))
    field.gone = True
    with pytest.raises(DeviceError, match="unplugged"):
        asyncio.run(asyncio.wait_for(reader.read_card(), 10))
    reader.close()


def test_pcsc_url_without_pyscard_or_pcscd() -> None:
    with pytest.raises(ConfigError, match="unknown parameter"):
        open_device("rfid", "pcsc:?slot=1")
    try:
        import smartcard  # noqa: F401
    except ImportError:
        with pytest.raises(ConfigError, match=re.escape("pip install 'xpos-terminal[pcsc]'")):
            open_device("rfid", "pcsc:")
        return
    with pytest.raises(DeviceError, match="PC/SC"):  # no pcscd with a reader here
        open_device("rfid", "pcsc:?reader=NoSuchReader")


def test_pyscard_link_against_pyscard() -> None:
    pytest.importorskip("smartcard")  # the [pcsc] extra; pcscd cannot run a reader here
    from xpos.drivers.pcsc import PyscardLink

    class NoCardReader:
        def createConnection(self) -> object:  # pyscard's name
            from smartcard.Exceptions import NoCardException

            raise NoCardException("no card", 0)

    assert PyscardLink(NoCardReader()).transmit(GET_UID) is None
