"""Device URLs: ``scheme:[//netloc][/path][?name=value&…]``.

Examples: ``fake:``, ``fake:?cols=20&rows=8``, ``serial:///dev/ttyS1?baud=9600``,
``evdev:///dev/input/by-id/usb-reader-event-kbd``, ``escpos+usb://04b8:0202``,
``socket://127.0.0.1:9100``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from xpos.errors import ConfigError


@dataclass(frozen=True, kw_only=True)
class DeviceUrl:
    """A parsed device URL.

    Attributes:
        raw: The URL as configured.
        scheme: Lower-case scheme (``fake``, ``serial``, ``escpos+usb`` …).
        netloc: The part after ``//`` up to the path (host:port, USB ids …), or ``""``.
        path: The path (``/dev/ttyS1``), or ``""``.
        params: Query parameters.
    """

    raw: str
    scheme: str
    netloc: str = ""
    path: str = ""
    params: Mapping[str, str] = field(default_factory=dict)

    def check_params(self, allowed: Iterable[str]) -> None:
        """Reject parameters the driver does not know.

        Raises:
            ConfigError: naming the first unknown parameter.
        """
        known = set(allowed)
        for name in self.params:
            if name not in known:
                raise ConfigError(f"{self.scheme}: unknown parameter {name!r} in {self.raw!r}")

    def int_param(self, name: str, default: int, *, low: int = 1, high: int = 10**7) -> int:
        """An integer parameter in ``[low, high]``, or ``default`` if absent.

        Raises:
            ConfigError: if the value is not an integer in range.
        """
        text = self.params.get(name)
        if text is None:
            return default
        if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
            raise ConfigError(f"{self.scheme}: {name} must be {low}..{high}, got {text!r}")
        return int(text)


def parse_device_url(url: str) -> DeviceUrl:
    """Parse a device URL.

    Raises:
        ConfigError: if it is not a URL, has no scheme or repeats a parameter.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError as exc:  # e.g. "fake://[": an unclosed IPv6 bracket
        raise ConfigError(f"device URL {url!r} is not a valid URL: {exc}") from None
    if not parts.scheme:
        raise ConfigError(f"device URL {url!r} has no scheme (try 'fake:')")
    params: dict[str, str] = {}
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if name in params:
            raise ConfigError(f"device URL {url!r} repeats parameter {name!r}")
        params[name] = value
    return DeviceUrl(
        raw=url, scheme=parts.scheme.lower(), netloc=parts.netloc, path=parts.path,
        params=params,
    )
