"""Conformance checks every backend of a device kind must pass (trio.testing style).

Each ``check_*`` is an async function taking the device and the *test-side* actions
that make the device produce input (``feed`` keys, ``swipe`` a track, ``enter`` a PIN
…). For a fake these are its test-side methods; for a real backend over a pty they
write wire bytes; for hardware a person or robot does it. A failed check raises
:class:`AssertionError` naming what is wrong. Every wait is bounded by ``timeout``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from xpos.drivers.base import CardReader, Display, Keypad, PinPad, Printer
from xpos.errors import CardReadError, KeyMissingError, PaperOutError
from xpos.model import CardData, CardSource, Key
from xpos.model.textwidth import text_width
from xpos.security.pinblock import decrypt_pin_block, pin_from_clear_block

T = TypeVar("T")
TIMEOUT_S = 5.0
TEST_TRACK2 = "6212345678901234567=30121010000000000"
BAD_TRACK2 = "6212345678901234567"
#: Published test vector: PIN 123456, this PAN, this PIK -> 84615C0FB761528E.
TEST_PIN, TEST_PAN = "123456", "6212345678901234567"
TEST_PIK = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
TEST_PIN_BLOCK = bytes.fromhex("84615C0FB761528E")


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


async def _bounded(awaitable: Awaitable[T], what: str, timeout: float) -> T:
    try:
        return await asyncio.wait_for(awaitable, timeout)
    except TimeoutError:
        raise AssertionError(f"{what}: nothing within {timeout} s") from None


async def _cancelled_read(read: Callable[[], Awaitable[object]]) -> None:
    task = asyncio.ensure_future(read())
    await asyncio.sleep(0)  # let the read start waiting
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def check_keypad(
    dev: Keypad,
    feed: Callable[[Sequence[Key]], None],
    *,
    keys: Sequence[Key] = tuple(Key),
    timeout: float = TIMEOUT_S,
) -> None:
    """Keys fed come out of ``read_key`` in order; a cancelled read loses no key."""
    feed(keys)
    for expected in keys:
        got = await _bounded(dev.read_key(), "read_key", timeout)
        _require(got is expected, f"keypad gave {got} for {expected}")
    await _cancelled_read(dev.read_key)
    feed([Key.D5])
    got = await _bounded(dev.read_key(), "read_key after cancel", timeout)
    _require(got is Key.D5, f"keypad lost a key after a cancelled read (gave {got})")


def _display_cases(rows: int, cols: int) -> list[list[str]]:
    wide = "消" * (cols // 2)
    return [
        ["X-POS", "请刷卡 SWIPE CARD"],
        [wide, wide + "费", "A" * (cols + 5), "签购单" * cols],
        [f"line {i}" for i in range(rows + 3)],
        ["tab\there", "new\nline", "\x1b[2J"],
        [],
    ]


async def check_display(
    dev: Display,
    *,
    rows: int = 8,
    cols: int = 20,
    screen: Callable[[], Sequence[str]] | None = None,
) -> None:
    """``show`` accepts long, CJK, control and too many lines without raising.

    With ``screen`` (what is on the display now), also checks that the screen keeps
    within ``rows`` x ``cols`` (CJK = 2 columns) and that short lines (10 columns) are
    shown as is.
    """
    for case in _display_cases(rows, cols):
        dev.show(case)
        if screen is None:
            continue
        shown = list(screen())
        _require(len(shown) <= rows, f"display shows {len(shown)} lines > {rows}")
        too_wide = [line for line in shown if text_width(line) > cols]
        _require(not too_wide, f"display lines wider than {cols} columns: {too_wide}")
    if screen is not None:
        dev.show(["X-POS", "刷卡 SWIPE"])
        _require(list(screen())[:2] == ["X-POS", "刷卡 SWIPE"], "display changed short lines")


async def _read_card(dev: CardReader, timeout: float) -> CardData:
    return await _bounded(dev.read_card(), "read_card", timeout)


async def check_magstripe_reader(
    dev: CardReader, swipe: Callable[[str], None], *, timeout: float = TIMEOUT_S
) -> None:
    """A good swipe parses; a bad one raises CardReadError; the reader then recovers."""
    swipe(TEST_TRACK2)
    card = await _read_card(dev, timeout)
    _require(card.source is CardSource.SWIPE, f"source is {card.source}")
    _require(card.pan == TEST_PAN, "PAN not parsed from track 2")
    _require((card.expiry, card.service_code) == ("3012", "101"), "expiry/service code")
    _require(card.track2 == TEST_TRACK2, "track 2 not kept with '=' separator")
    swipe(BAD_TRACK2)
    try:
        await _read_card(dev, timeout)
    except CardReadError:
        pass
    else:
        raise AssertionError("bad track 2 did not raise CardReadError")
    await _cancelled_read(dev.read_card)
    swipe(TEST_TRACK2)
    card = await _read_card(dev, timeout)
    _require(card.pan == TEST_PAN, "reader did not recover after a bad swipe")


async def check_rfid_reader(
    dev: CardReader,
    tap: Callable[[str], None],
    *,
    timeout: float = TIMEOUT_S,
    uid: str = "04a1b2c3d4e5f6",
) -> None:
    """A tap gives the card UID (upper-case hex) with source TAP.

    ``uid`` is the hex UID tapped (a reader whose cards have another UID size, e.g.
    5-byte 125 kHz tags, passes one of that size).
    """
    tap(uid)
    card = await _read_card(dev, timeout)
    _require(card.source is CardSource.TAP, f"source is {card.source}")
    _require(card.uid == uid.upper(), f"uid is {card.uid!r}")
    _require(card.pan == "" and card.track2 == "", "a tap must not carry a PAN or track")


async def check_scanner(
    dev: CardReader, scan: Callable[[str], None], *, timeout: float = TIMEOUT_S
) -> None:
    """A scan gives the code text with source SCAN."""
    scan("VC20240001234567")
    card = await _read_card(dev, timeout)
    _require(card.source is CardSource.SCAN, f"source is {card.source}")
    _require(card.code == "VC20240001234567", f"code is {card.code!r}")


async def check_pinpad(
    dev: PinPad,
    enter: Callable[[str], None],
    cancel: Callable[[], None],
    *,
    timeout: float = TIMEOUT_S,
) -> None:
    """PIN pad rules; ``dev`` must be fresh (no PIK loaded).

    No PIK -> KeyMissingError; a PIN gives only the ISO-0 block under the PIK (checked
    against the published vector); CANCEL gives None; ``repr`` never shows the PIN.
    """
    try:
        await _bounded(dev.get_pin_block(TEST_PAN, 100), "get_pin_block", timeout)
    except KeyMissingError:
        pass
    else:
        raise AssertionError("get_pin_block without a PIK did not raise KeyMissingError")
    dev.load_pik(TEST_PIK)
    enter(TEST_PIN)
    block = await _bounded(dev.get_pin_block(TEST_PAN, 1234), "get_pin_block", timeout)
    if block != TEST_PIN_BLOCK:
        raise AssertionError("PIN block is not ISO-0 under the PIK")
    clear = decrypt_pin_block(TEST_PIK, block)
    _require(pin_from_clear_block(clear, TEST_PAN) == TEST_PIN, "PIN does not round-trip")
    _require(TEST_PIN not in repr(dev), "PIN pad repr shows the PIN")
    cancel()
    result = await _bounded(dev.get_pin_block(TEST_PAN, None), "get_pin_block", timeout)
    _require(result is None, "cancelled PIN entry did not give None")


async def check_printer(
    dev: Printer,
    *,
    output: Callable[[], bytes] | None = None,
    paper_out: Callable[[], None] | None = None,
    reload: Callable[[], None] | None = None,
) -> None:
    """Printing works while paper_ok; out of paper raises PaperOutError and prints nothing.

    ``output`` (everything printed so far) and ``paper_out``/``reload`` (test-side
    paper control) enable the stricter parts of the check.
    """
    data = b"\x1b@X-POS conformance\n"
    _require(dev.paper_ok, "printer reports no paper at start")
    dev.print_bytes(data)
    if output is not None:
        _require(output().endswith(data), "printed bytes not in output")
    if paper_out is None or reload is None:
        return
    paper_out()
    _require(not dev.paper_ok, "paper_ok still True after paper out")
    before = output() if output is not None else b""
    try:
        dev.print_bytes(b"lost\n")
    except PaperOutError:
        pass
    else:
        raise AssertionError("print_bytes without paper did not raise PaperOutError")
    _require(output is None or output() == before, "bytes printed while out of paper")
    reload()
    _require(dev.paper_ok, "paper_ok still False after reload")
    dev.print_bytes(data)


async def check_printer_mid_job(
    dev: Printer,
    *,
    output: Callable[[], bytes],
    paper_out_after: Callable[[int], None],
    reload: Callable[[], None],
) -> None:
    """The status contract of a printer that can tell (``DLE EOT``): paper that runs out
    *during* a job is reported, and the job sent again after the reload is printed whole.

    ``paper_out_after(n)`` (test side) lets ``n`` more bytes print before the paper ends.
    """
    job = b"\x1b@" + b"X-POS mid-job conformance line\n" * 8
    paper_out_after(len(job) // 2)
    before = output()
    try:
        dev.print_bytes(job)
    except PaperOutError:
        pass
    else:
        raise AssertionError("paper ran out during a job but print_bytes did not raise")
    cut_short = output()[len(before):]
    _require(job.startswith(cut_short) and cut_short != job, "the job was not cut short")
    _require(not dev.paper_ok, "paper_ok True after paper ran out during a job")
    reload()
    _require(dev.paper_ok, "paper_ok still False after reload")
    dev.print_bytes(job)
    _require(output().endswith(cut_short + job), "the job was not printed whole after reload")
