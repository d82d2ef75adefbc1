"""The reference host's network shell: asyncio + TLS 1.3 (mutual) around :class:`HostCore`.

Theory of operation
-------------------
One :class:`ReferenceHost` owns a :class:`HostStore` file, a :class:`HostCore`, a
:class:`FaultPlan` and a transcript (bounded: the last ``transcript_cap`` entries, so a
long-running host keeps flat memory). ``start()`` binds a listening socket
(``asyncio.start_server`` with the TLS server context: TLS 1.3 only, a client certificate
from the demo CA required; plain TCP only when ``tls=None`` is passed explicitly).
:meth:`ReferenceHost.accept` serves a connection handed over as a pair of asyncio
streams (the in-memory pair of :mod:`xpos.testing.memory`); the listening socket hands
each accepted TCP/TLS connection to the same handler.

Each connection has a :class:`~xpos.refhost.binding.Peer` (:mod:`.binding`): over TLS
the identity named by the client certificate, for a handed-over pair the identity it was
given, for plain TCP none (a trusted line). A request that a bound connection may not
send (field 41/42 not its terminal) is answered ``A7`` before anything else happens: no
fault is taken, nothing is processed or recorded, and a warning is logged.

Each connection runs its own :class:`~xpos.proto.session.HostSession`: bytes read are fed
in, and each :class:`RequestReceived` is answered in order:

1. transcript ``→host`` (masked by :func:`xpos.proto.transcript.describe`);
2. the terminal binding (:meth:`Peer.mismatch`): a mismatch is answered ``A7`` at once;
3. the head fault is taken if it applies to the request's kind;
4. :meth:`HostCore.handle` decides (and commits) the answer;
5. ``DELAY``: await the injectable ``sleep``; ``CLOSE``: close the connection instead of
   answering; a ``None`` answer (``DROP``) sends nothing;
6. the answer is framed, written, and logged ``←host``.

A :class:`FrameError` (bytes that do not decode, or a broken length prefix) is logged
with its field and position only and closes *that* connection; the server and the
other connections go on. An unexpected exception while serving a connection is logged
and closes that connection only.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from xpos.errors import ConfigError
from xpos.proto.codec import Message
from xpos.proto.framing import DEFAULT_MAX_FRAME
from xpos.proto.session import FrameError, HostSession, RequestReceived
from xpos.proto.transcript import describe
from xpos.refhost.binding import RC_SECURITY_VIOLATION, TRUSTED_LINE, Peer, bound_to, tls_peer
from xpos.refhost.core import HostCore
from xpos.refhost.faults import WIRE_FAULTS, WIRE_NOTES, Fault, FaultKind, FaultPlan
from xpos.refhost.seed import seed_demo
from xpos.refhost.store import HostStore
from xpos.security.mac import MacAlgorithm
from xpos.security.pki import TerminalIdentity, TlsFiles, ensure_demo_pki, server_context

log = logging.getLogger(__name__)

TO_HOST = "→host"
FROM_HOST = "←host"
DEFAULT_PORT = 8583
_READ_SIZE = 4096
DEFAULT_TRANSCRIPT_CAP = 2000

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, kw_only=True)
class TranscriptEntry:
    """One line of host traffic, masked (no full PAN, track or PIN block).

    Attributes:
        direction: ``"→host"`` (request in) or ``"←host"`` (response out, or a note
            about a response that was not sent).
        connection: Connection number, from 1 in order of acceptance.
        mti: The message type, or ``""`` for a note (frame error, fault).
        text: :func:`xpos.proto.transcript.describe` of the message, or the note.
    """

    direction: str
    connection: int
    mti: str
    text: str

    def __str__(self) -> str:
        """``→host #1 0200 sale 消费 …`` (multi-line for a described message)."""
        return f"{self.direction} #{self.connection} {self.text}"


class ReferenceHost:
    """The acquirer front end + platform + demo provider, over TLS on asyncio.

    Args:
        store_path: SQLite file of the host (created and seeded with :data:`DEMO`).
        tls: The PKI files; ``None`` means plain TCP and must be passed explicitly.
        mac_algorithm: MAC algorithm of the link.
        mak_kcv: ``"full"`` or ``"first8"`` (what the MAK KCV in field 62 covers).
        clock: Host clock; default local time.
        rng: Random bytes for keys and auth codes.
        sleep: What a ``DELAY`` fault awaits; tests pass a fake.
        seed: Seed the demo data (idempotent).
        max_frame: Largest frame body accepted from a terminal.
        idle_timeout_s: A connection that sends nothing for this long is closed.
        transcript_cap: How many transcript entries are kept (the oldest go first).
    """

    def __init__(self, store_path: Path, *, tls: TlsFiles | None,
                 mac_algorithm: MacAlgorithm = MacAlgorithm.CUP_ECB, mak_kcv: str = "full",
                 clock: Callable[[], datetime] | None = None,
                 rng: Callable[[int], bytes] = os.urandom, sleep: Sleep = asyncio.sleep,
                 seed: bool = True, max_frame: int = DEFAULT_MAX_FRAME,
                 idle_timeout_s: float = 300.0,
                 transcript_cap: int = DEFAULT_TRANSCRIPT_CAP) -> None:
        self.store = HostStore(store_path)
        if seed:
            seed_demo(self.store)
        options = {} if clock is None else {"clock": clock}
        self.core = HostCore(self.store, mac_algorithm=mac_algorithm, mak_kcv=mak_kcv,
                             rng=rng, **options)
        self.faults = FaultPlan()
        self.transcript: deque[TranscriptEntry] = deque(maxlen=transcript_cap)
        self._tls = tls
        self._sleep = sleep
        self._max_frame = max_frame
        self._idle_timeout_s = idle_timeout_s
        self._server: asyncio.Server | None = None
        self._port: int | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._writers: set[asyncio.StreamWriter] = set()
        self._accepted = 0
        self._stopped = False

    @property
    def port(self) -> int:
        """The bound port.

        Raises:
            RuntimeError: if the host is not started.
        """
        if self._port is None:
            raise RuntimeError("reference host not started")
        return self._port

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        """Start listening; return the bound port (``port=0`` picks a free one)."""
        if self._server is not None:
            return self.port
        context = None if self._tls is None else server_context(self._tls)
        self._server = await asyncio.start_server(self._serve_socket, host, port, ssl=context)
        self._port = int(self._server.sockets[0].getsockname()[1])
        log.info("reference host listening on %s:%d (%s)", host, self._port,
                 "TLS 1.3, client certificate required, bound to its terminal" if context
                 else "plain TCP")
        if context is None:
            log.warning("plain TCP: no certificate binds a connection to a terminal; any "
                        "client that reaches this port may speak for any terminal")
        return self._port

    @property
    def stopped(self) -> bool:
        """True once :meth:`stop` was called (an in-memory connector then refuses)."""
        return self._stopped

    def accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *,
               identity: TerminalIdentity | None = None) -> None:
        """Serve a connection handed over as a pair of streams (until either side closes).

        The same handler serves the TCP/TLS connections of :meth:`start`.

        Args:
            reader: The host end's reader.
            writer: The host end's writer.
            identity: The terminal this connection speaks for, as a client certificate
                would name it (every request must carry its TID / MID, or is answered
                ``A7``); ``None`` makes it a trusted line, like plain TCP.
        """
        peer = TRUSTED_LINE if identity is None else bound_to(identity)
        task = asyncio.ensure_future(self._serve(reader, writer, peer))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def stop(self) -> None:
        """Stop listening, close every connection and the store (idempotent)."""
        self._stopped = True
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None
        self.store.close()

    async def __aenter__(self) -> ReferenceHost:
        """Return the host (call :meth:`start` to listen)."""
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        """Stop the host."""
        await self.stop()

    async def _serve_socket(self, reader: asyncio.StreamReader,
                            writer: asyncio.StreamWriter) -> None:
        """A TCP/TLS connection: bound to its client certificate's terminal over TLS."""
        peer = TRUSTED_LINE if self._tls is None else tls_peer(writer.get_extra_info("peercert"))
        await self._serve(reader, writer, peer)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                     peer: Peer) -> None:
        self._accepted += 1
        connection = self._accepted
        log.info("connection %d: %s", connection, peer)
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        self._writers.add(writer)
        try:
            await self._converse(connection, reader, writer, peer)
        except (ConnectionError, OSError) as exc:
            log.info("connection %d: %s", connection, type(exc).__name__)
        except asyncio.CancelledError:
            # Only stop() cancels a connection; ending quietly keeps asyncio's stream
            # callback from logging the cancellation as an error.
            log.debug("connection %d: closed by stop()", connection)
        except Exception:
            log.exception("connection %d: unexpected error; closing it", connection)
        finally:
            self._writers.discard(writer)
            writer.close()
            with contextlib.suppress(ConnectionError, OSError, asyncio.CancelledError):
                await writer.wait_closed()
            if task is not None:
                self._tasks.discard(task)

    async def _converse(self, connection: int, reader: asyncio.StreamReader,
                        writer: asyncio.StreamWriter, peer: Peer) -> None:
        session = HostSession(max_frame=self._max_frame)
        while data := await self._read(connection, reader):
            session.receive_data(data)
            while (event := session.next_event()) is not None:
                if isinstance(event, FrameError):
                    self._note(connection, f"<frame error, closing: field {event.error.field}"
                                           f" at byte {event.error.position}>")
                    return
                if not await self._answer(connection, event, session, writer, peer):
                    return

    async def _read(self, connection: int, reader: asyncio.StreamReader) -> bytes:
        """The next bytes, or ``b""`` (close) after ``idle_timeout_s`` without any."""
        try:
            return await asyncio.wait_for(reader.read(_READ_SIZE), self._idle_timeout_s)
        except TimeoutError:
            self._note(connection, "<idle timeout, closing>")
            return b""

    async def _answer(self, connection: int, event: RequestReceived, session: HostSession,
                      writer: asyncio.StreamWriter, peer: Peer) -> bool:
        """Answer one request; False means close the connection."""
        request = event.message
        self._log(TO_HOST, connection, request)
        why = peer.mismatch(request)
        if why is not None:
            return await self._refuse(connection, request, why, session, writer)
        fault = self.faults.take(self.core.kind_of(request))
        response = self.core.handle(request, fault)
        if fault is not None and fault.kind is FaultKind.DELAY:
            await self._sleep(fault.seconds)
        if fault is not None and fault.kind is FaultKind.CLOSE:
            self._note(connection, "<no response: connection closed (fault close)>")
            return False
        if response is None:
            self._note(connection, f"<no response{_why(fault)}>")
            return True
        data = session.send(response)
        if fault is not None and fault.kind in (FaultKind.MALFORMED, FaultKind.TRUNCATED):
            return await self._send_broken(connection, fault.kind, data, writer)
        writer.write(self.faults.release_held())
        if fault is not None and fault.kind in WIRE_FAULTS:
            data = self.faults.wire(fault.kind, data)
            self._note(connection, f"<{WIRE_NOTES[fault.kind]} (fault {fault.kind.value})>")
        writer.write(data)
        await writer.drain()
        self._log(FROM_HOST, connection, response)
        return True

    async def _refuse(self, connection: int, request: Message, why: str,
                      session: HostSession, writer: asyncio.StreamWriter) -> bool:
        """Answer ``A7`` to a request this connection may not send; nothing is processed."""
        kind = self.core.kind_of(request)
        log.warning("security: connection %d: %s %s refused %s: %s", connection, request.mti,
                    "request" if kind is None else kind.value, RC_SECURITY_VIOLATION, why)
        self._note(connection, f"<refused {RC_SECURITY_VIOLATION}, nothing processed: {why}>")
        response = self.core.bare_answer(request, RC_SECURITY_VIOLATION)
        if response is not None:
            writer.write(session.send(response))
            await writer.drain()
            self._log(FROM_HOST, connection, response)
        return True

    async def _send_broken(self, connection: int, kind: FaultKind, data: bytes,
                           writer: asyncio.StreamWriter) -> bool:
        """Send a broken answer; False (close) after a truncated one."""
        if kind is FaultKind.MALFORMED:
            body = b"\x60\x00\x00\x00\x03NOT-ISO-8583"
            writer.write(len(body).to_bytes(2, "big") + body)
            self._note(connection, "<malformed frame sent (fault malformed)>")
        else:
            writer.write(data[: len(data) // 2])
            self._note(connection, "<truncated frame sent, connection closed (fault truncated)>")
        await writer.drain()
        return kind is FaultKind.MALFORMED

    def _log(self, direction: str, connection: int, msg: Message) -> None:
        text = describe(msg)
        self.transcript.append(TranscriptEntry(direction=direction, connection=connection,
                                               mti=msg.mti, text=text))
        log.info("%s #%d %s", direction, connection, text)

    def _note(self, connection: int, text: str) -> None:
        self.transcript.append(TranscriptEntry(direction=FROM_HOST, connection=connection,
                                               mti="", text=text))
        log.info("%s #%d %s", FROM_HOST, connection, text)


def _why(fault: Fault | None) -> str:
    return "" if fault is None else f" (fault {fault.kind.value})"


def host_db_path(data_dir: Path) -> Path:
    """Where the reference host keeps its database inside an X-POS data directory."""
    return data_dir / "host" / "host.db"


PRIVATE_DIR_MODE = 0o700


def private_host_dir(data_dir: Path) -> Path:
    """Create the host's folder ``data_dir/host`` with mode 0700 (or tighten it to 0700).

    Returns:
        The database path inside it (:func:`host_db_path`).

    Raises:
        ConfigError: the folder cannot be made or its mode changed.
    """
    db = host_db_path(data_dir)
    try:
        db.parent.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
        os.chmod(db.parent, PRIVATE_DIR_MODE)
    except OSError as exc:
        raise ConfigError(f"host folder {db.parent}: cannot make it private (mode 0700): "
                          f"{exc.strerror or exc}") from exc
    return db


async def serve_forever(data_dir: Path, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
                        *, plain: bool = False,
                        mac_algorithm: MacAlgorithm = MacAlgorithm.CUP_ECB,
                        mak_kcv: str = "full",
                        on_ready: Callable[[int], None] | None = None,
                        x_void_window_s: int = 86_400) -> None:
    """Run the reference host until cancelled (for ``xpos host``).

    Creates the demo PKI (``data_dir/pki``) and the database ``data_dir/host/host.db``
    (seeded) on first use, the same layout the emulator rig uses; the folder ``host`` is
    kept 0700 and the database files 0600.

    Args:
        data_dir: Where the host keeps its files.
        host: Address to bind.
        port: Port to bind (0 = any free port).
        plain: Serve plain TCP instead of TLS (legacy links; explicit only).
        mac_algorithm: MAC algorithm the terminals use.
        mak_kcv: MAK check-value scope the terminals expect (``full`` / ``first8``).
        on_ready: Called with the bound port once listening; by default a line is
            printed on stdout.
        x_void_window_s: How long after a redemption an X void is accepted, unless the
            provider has its own window (``HostContext.x_void_window_s``).
    """
    db = private_host_dir(data_dir)
    tls = None if plain else ensure_demo_pki(data_dir)
    async with ReferenceHost(db, tls=tls, mac_algorithm=mac_algorithm, mak_kcv=mak_kcv) as ref:
        ref.core.context.x_void_window_s = x_void_window_s
        bound = await ref.start(host, port)
        if on_ready is None:
            mode = "plain TCP" if plain else "TLS 1.3, client certificate required"
            print(f"参考主机已启动 reference host listening on {host}:{bound} ({mode}); "
                  f"database {db}", flush=True)
        else:
            on_ready(bound)
        await asyncio.Event().wait()


def run_host(data_dir: Path, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
             *, plain: bool = False) -> None:
    """Blocking wrapper around :func:`serve_forever`; returns on Ctrl-C."""
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve_forever(data_dir, host, port, plain=plain))
