from __future__ import annotations

import asyncio
import contextlib
import ssl
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from xpos.proto.codec import Message
from xpos.proto.messages import (
    add_mac,
    reversal_request,
    sale_request,
    sign_on_request,
    verify_mac,
    voucher_request,
)
from xpos.proto.session import ResponseReceived, SessionEvent, TerminalSession
from xpos.refhost.seed import DEMO, DemoCard
from xpos.security.keys import WorkingKeys, parse_signon_keys
from xpos.security.mac import MacAlgorithm, compute_mac
from xpos.security.pinblock import encrypt_pin_block, iso0_clear
from xpos.security.pki import TerminalIdentity, TlsFiles, issue_terminal_certificate
from xpos.security.track import encrypt_track2

CST = timezone(timedelta(hours=8))
NOW = datetime(2025, 6, 1, 10, 30, 0, tzinfo=CST)
GUARD_S = 10.0


def fixed_clock() -> datetime:
    return NOW


def terminal_pki(pki: TlsFiles, directory: Path, identity: TerminalIdentity) -> TlsFiles:
    """``pki`` with a terminal certificate for ``identity`` from the same CA instead."""
    name = f"terminal-{identity.tid}-{identity.mid or 'any'}"
    files = replace(pki, terminal_cert=directory / f"{name}.pem",
                    terminal_key=directory / f"{name}.key")
    issue_terminal_certificate(pki, identity, files.terminal_cert, files.terminal_key)
    return files


@dataclass
class TerminalMessages:
    tid: str = DEMO.tid
    mid: str = DEMO.mid
    tmk: bytes = DEMO.tmk
    algorithm: MacAlgorithm = MacAlgorithm.CUP_ECB
    mak_kcv: str = "full"
    mode: str = "004"
    batch: int = 1
    stan: int = 0
    keys: WorkingKeys | None = field(default=None, repr=False)

    def next_stan(self) -> int:
        self.stan += 1
        return self.stan

    def sign_on_request(self) -> Message:
        return sign_on_request(stan=self.next_stan(), tid=self.tid, mid=self.mid,
                               batch=self.batch, mode=self.mode)

    def accept_sign_on(self, response: Message) -> None:
        field62 = bytes.fromhex(response.get(62) or "")
        self.keys = parse_signon_keys(field62, self.tmk, mode=self.mode, mak_kcv=self.mak_kcv)
        self.batch = int((response.get(60) or "")[2:8])

    @property
    def working(self) -> WorkingKeys:
        assert self.keys is not None, "sign on first"
        return self.keys

    def _mac(self, data: bytes) -> bytes:
        return compute_mac(self.algorithm, self.working.mak, data)

    def seal(self, msg: Message) -> Message:
        return add_mac(msg, self._mac)

    def mac_ok(self, msg: Message) -> bool:
        return verify_mac(msg, self._mac)

    def sale(self, card: DemoCard, amount: int, *, pin: str | None = "card",
             encrypt_track: bool = False, stan: int | None = None) -> Message:
        keys = self.working
        pin = card.pin if pin == "card" else pin
        block = None if pin is None else encrypt_pin_block(keys.pik, iso0_clear(pin, card.pan))
        track = card.track2.replace("=", "D")
        if encrypt_track:
            assert keys.tdk is not None
            track = encrypt_track2(track, keys.tdk)
        msg = sale_request(stan=self.next_stan() if stan is None else stan, tid=self.tid,
                           mid=self.mid, batch=self.batch, amount=amount, track2=track,
                           expiry=card.expiry, pin_block=block, track_encrypted=encrypt_track)
        return self.seal(msg)

    def reversal(self, original: Message, *, reason: str = "98") -> Message:
        return self.seal(reversal_request(original, reason=reason))

    def voucher(self, code: str, *, method: str = "keyed", order_no: str | None = None,
                member_pan: str | None = None, stan: int | None = None) -> Message:
        msg = voucher_request(stan=self.next_stan() if stan is None else stan, tid=self.tid,
                              mid=self.mid, batch=self.batch, code=code, method=method,
                              order_no=order_no, member_pan=member_pan)
        return self.seal(msg)


class TlsTerminal(TerminalMessages):
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        super().__init__()
        self.reader = reader
        self.writer = writer
        self.session = TerminalSession(timeout_s=30.0)

    @classmethod
    async def connect(cls, port: int, context: ssl.SSLContext | None) -> TlsTerminal:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", port, ssl=context), GUARD_S)
        return cls(reader, writer)

    async def send(self, msg: Message) -> None:
        self.writer.write(self.session.send(msg, now=0.0))
        await self.writer.drain()

    async def event(self) -> SessionEvent | None:
        while (event := self.session.next_event()) is None:
            data = await asyncio.wait_for(self.reader.read(4096), GUARD_S)
            if not data:
                return None
            self.session.receive_data(data)
        return event

    async def exchange(self, msg: Message) -> Message:
        await self.send(msg)
        event = await self.event()
        assert isinstance(event, ResponseReceived), event
        return event.response

    async def sign_on(self) -> Message:
        response = await self.exchange(self.sign_on_request())
        self.accept_sign_on(response)
        return response

    async def closed_by_peer(self) -> bool:
        try:
            data = await asyncio.wait_for(self.reader.read(4096), GUARD_S)
        except (ConnectionError, ssl.SSLError):
            return True
        return data == b""

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(ConnectionError, ssl.SSLError):
            await self.writer.wait_closed()
