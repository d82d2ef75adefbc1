"""``xpos devices check URL``: read once from a real device and show the masked result.

The device kind comes from the URL's ``kind=`` parameter (``magstripe`` when absent);
``escpos+…`` URLs are printers: the check prints a test page (Chinese included) and
reports the printer's status (paper out or a cover open is one error line).
The check opens the device through the registry (so it checks the very URL that goes
into ``xpos.toml``), asks the person at the device to act (Chinese first), waits for one
read, and returns the masked result as one line. Card numbers are shown masked (first
6 / last 4), expiry never, scanned codes and UIDs to their last 4 characters.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from xpos.drivers.base import CardReader, Keypad, Printer
from xpos.drivers.registry import DriverRegistry, open_device
from xpos.drivers.url import parse_device_url
from xpos.errors import ConfigError, DeviceError
from xpos.model import CardData, Key, mask_code

#: What the person at the device is asked to do, per kind.
PROMPTS = {
    "magstripe": "请刷卡 swipe a card now",
    "rfid": "请挥卡 tap a card now",
    "scanner": "请扫码 scan a code now",
    "keypad": "请按键 press a key now",
    "printer": "打印测试页 printing a test page",
}
#: The printer test page: Chinese in ``FS &`` mode, then feed and cut.
TEST_PAGE = (b"\x1b@X-POS \x1c&" + "打印测试".encode("gb18030") + b"\x1c. printer test\n"
             + b"\n" * 3 + b"\x1bd\x06\x1dVB\x00")
DEFAULT_TIMEOUT_S = 60.0


class NothingReadError(DeviceError):
    """The device gave nothing within the check's time."""


def device_kind(url: str) -> str:
    """The kind a URL is checked as: its ``kind=`` parameter, else ``magstripe``.

    Raises:
        ConfigError: for a bad URL or a kind that cannot be checked.
    """
    parsed = parse_device_url(url)
    if parsed.scheme.startswith("escpos+"):
        return "printer"
    kind = parsed.params.get("kind", "magstripe")
    if kind not in PROMPTS or kind == "printer":
        kinds = ", ".join(k for k in PROMPTS if k != "printer")
        raise ConfigError(f"kind={kind} cannot be checked; use one of {kinds} "
                          "(printers: an escpos+ URL)")
    return kind


def describe_card(card: CardData) -> str:
    """One masked line for a card read (never the PAN, expiry or track in full)."""
    if card.pan:
        service = f" 服务码 service code {card.service_code}" if card.service_code else ""
        return f"卡号 card {card.masked_pan}{service}"
    if card.uid:
        return f"卡片标识 UID {mask_code(card.uid)} ({len(card.uid) // 2} bytes)"
    return f"条码 code {mask_code(card.code)} ({len(card.code)} characters)"


async def check_device(
    url: str,
    say: Callable[[str], None],
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    registry: DriverRegistry | None = None,
) -> str:
    """Open the device of ``url``, ask for input with ``say``, return the masked result.

    Raises:
        ConfigError: bad URL, kind or parameters.
        DeviceError: the device cannot be opened or failed; ``CardReadError`` for an
            unusable read; :class:`NothingReadError` after ``timeout`` seconds.
    """
    kind = device_kind(url)
    device = open_device(kind, url, registry=registry)
    try:
        say(f"{PROMPTS[kind]} ({kind}, {timeout:g} s)")
        return await asyncio.wait_for(_read_once(kind, device), timeout)
    except TimeoutError:
        raise NothingReadError(f"nothing read from {kind} within {timeout:g} s") from None
    finally:
        close = getattr(device, "close", None)
        if callable(close):
            close()


async def _read_once(kind: str, device: object) -> str:
    if kind == "printer":
        assert isinstance(device, Printer)
        return await asyncio.to_thread(_print_test_page, device)
    if kind == "keypad":
        assert isinstance(device, Keypad)
        key: Key = await device.read_key()
        return f"按键 key {key.value}"
    assert isinstance(device, CardReader)
    return describe_card(await device.read_card())


def _print_test_page(printer: Printer) -> str:
    printer.print_bytes(TEST_PAGE)
    query = getattr(printer, "query_status", None)
    status = query().describe() if callable(query) else "不可查询 not reported"
    return f"测试页已打印 test page printed; 状态 status: {status}"
