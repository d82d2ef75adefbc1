"""Sale performance figures: terminal-side work per sale and the TLS round trip.

Prints, in one run:

* the baseline: one pyiso8583 encode + decode pair of a comparable 0200 (plain
  ``default_ascii``-style spec, no X-POS code);
* the terminal-side work of one sale with the network excluded, stage by stage: build the
  0200, PIN block, track encryption, MAC, frame, journal commit (begin + complete, two
  fsync'd SQLite transactions), parse the 0210 + verify its MAC, render both receipts;
* the sale round trip over TLS 1.3 on loopback against the reference host (median, p99).

Usage: ``./dev bench`` or ``python bench/sale.py [--rounds N] [--trips N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import iso8583
from iso8583.specs import default_ascii

from xpos.core.flows.online import Outcome
from xpos.core.slips import SaleSlip, sale_slip
from xpos.journal import Journal, ReversalDraft, TxnStatus
from xpos.model import mask_pan
from xpos.proto import messages as m
from xpos.proto.codec import Message, decode_message, encode_message, frame
from xpos.receipts.escpos import render
from xpos.refhost.seed import DEMO, track2_for
from xpos.security.mac import MacAlgorithm, compute_mac
from xpos.security.pinblock import encrypt_pin_block, iso0_clear
from xpos.security.track import encrypt_track2
from xpos.testing.rig import TerminalRig

KEY = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
CARD = DEMO.cards[0]
TRACK2 = track2_for(CARD.pan, CARD.expiry)
MASKED_PAN = mask_pan(CARD.pan)
WHEN = dt.datetime(2026, 11, 26, 10, 30, 0)


def per_call_us(fn: Callable[[], object], rounds: int) -> float:
    """Median of 5 batches, in microseconds per call."""
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(rounds):
            fn()
        samples.append((time.perf_counter() - start) / rounds * 1e6)
    return statistics.median(samples)


def baseline_pair() -> Callable[[], object]:
    """One pyiso8583 encode + decode of a sale-like message (ASCII spec)."""
    doc = {"t": "0200", "3": "000000", "4": "000000001234", "11": "000001",
           "14": "3012", "22": "021", "25": "00", "35": "6212345678901234567=30121010000000000",
           "41": "10000001", "42": "898100012340001", "49": "156",
           "52": "84615C0FB761528E", "60": "22000001000500", "64": "F11F2C2700000000"}

    def pair() -> object:
        raw, _ = iso8583.encode(dict(doc), default_ascii)
        return iso8583.decode(raw, default_ascii)

    return pair


def sale_message() -> Message:
    return m.sale_request(stan=1, tid=DEMO.tid, mid=DEMO.mid, batch=1, amount=1234,
                          track2=TRACK2, expiry=CARD.expiry, pin_block=bytes(8),
                          track_encrypted=True)


def stages(journal: Journal) -> dict[str, Callable[[], object]]:
    mac = lambda data: compute_mac(MacAlgorithm.CUP_ECB, KEY, data)  # noqa: E731
    request = sale_message()
    signed = m.add_mac(request, mac)
    response = m.add_mac(m.sale_response(signed, rc="00", auth_code="123456",
                                         rrn="000000000001", when=WHEN), mac)
    response_bytes = encode_message(response)
    slip = SaleSlip(merchant_name=DEMO.merchant_name, mid=DEMO.mid, tid=DEMO.tid,
                    operator="01", masked_pan=MASKED_PAN, expiry="",
                    batch=1, stan=1, auth_code="123456", rrn="000000000001", when=WHEN,
                    amount=1234)
    draft = ReversalDraft(mti="0400", fields={3: "000000", 4: "000000001234", 11: "000001"})

    def journal_commit() -> object:
        txn = journal.begin_txn(kind="sale", domain="bank", stan=1, batch=1, amount=1234,
                                masked_pan=MASKED_PAN, tid=DEMO.tid,
                                mid=DEMO.mid, reversal=draft)
        return journal.complete_txn(txn, status=TxnStatus.APPROVED, rc="00")

    def parse() -> object:
        return m.verify_mac(decode_message(response_bytes), mac)

    return {
        "build 0200": sale_message,
        "PIN block (ISO 9564-0 + TDES)": lambda: encrypt_pin_block(KEY, iso0_clear(
            CARD.pin or "", CARD.pan)),
        "track 2 TDK encryption": lambda: encrypt_track2(TRACK2, KEY),
        "encode + MAC (CUP ECB) + frame": lambda: frame(encode_message(
            m.add_mac(request.replace(), mac))),
        "journal commit (2 fsync'd txns)": journal_commit,
        "parse 0210 + verify MAC": parse,
        "receipts (2 copies, ESC/POS)": lambda: (render(sale_slip(slip, copy="merchant")),
                                                 render(sale_slip(slip, copy="customer"))),
    }


def terminal_side(rounds: int) -> None:
    base = per_call_us(baseline_pair(), rounds)
    print(f"baseline: pyiso8583 encode+decode pair      {base:9.1f} us")
    with tempfile.TemporaryDirectory() as tmp:
        journal = Journal(Path(tmp) / "journal.db")
        try:
            figures = {name: per_call_us(fn, max(20, rounds // 10) if "journal" in name
                                         else rounds)
                       for name, fn in stages(journal).items()}
        finally:
            journal.close()
    for name, value in figures.items():
        print(f"  {name:<40} {value:9.1f} us")
    total = sum(figures.values())
    compute = total - figures["journal commit (2 fsync'd txns)"]
    print(f"terminal-side per sale, all stages          {total:9.1f} us "
          f"= {total / base:5.1f} x baseline")
    print(f"terminal-side per sale, without journal     {compute:9.1f} us "
          f"= {compute / base:5.1f} x baseline")
    online = compute - figures["receipts (2 copies, ESC/POS)"]
    print(f"terminal-side, message path only            {online:9.1f} us "
          f"= {online / base:5.1f} x baseline  (build, PIN, track, MAC, frame, parse)")


async def round_trips(trips: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        async with TerminalRig(Path(tmp), menu=False) as rig:
            terminal = rig.terminal
            reply = await terminal.txn.sign_on()
            if reply.outcome is not Outcome.APPROVED:
                raise SystemExit(f"sign-on failed: {reply}")
            keys = terminal.keystore.working_keys
            mac = lambda data: compute_mac(MacAlgorithm.CUP_ECB, keys.mak, data)  # noqa: E731
            pin_block = encrypt_pin_block(keys.pik, iso0_clear(CARD.pin, CARD.pan))
            wire = encrypt_track2(TRACK2, keys.tdk or KEY)
            times = []
            for stan in range(100, 100 + trips):
                message = m.add_mac(m.sale_request(
                    stan=stan, tid=DEMO.tid, mid=DEMO.mid, batch=terminal.journal.batch_no,
                    amount=1, track2=wire, expiry=CARD.expiry, pin_block=pin_block,
                    track_encrypted=True), mac)
                start = time.perf_counter()
                response = await terminal.link.exchange(message)
                times.append((time.perf_counter() - start) * 1e3)
                if response.get(39) != "00":
                    raise SystemExit(f"sale declined: {response.get(39)}")
            return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--trips", type=int, default=300)
    args = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]}, pyiso8583 {iso8583.__version__}")
    terminal_side(args.rounds)
    times = sorted(asyncio.run(round_trips(args.trips)))
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"sale round trip over TLS 1.3 on loopback ({len(times)} sales): "
          f"p50 {statistics.median(times):.2f} ms, p99 {p99:.2f} ms "
          "(host side included: MAC, PIN verify, SQLite debit)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
