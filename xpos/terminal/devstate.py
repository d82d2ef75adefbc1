"""``xpos devices list``: every device the config names, and whether it can be opened now.

Each configured device is opened through the same registry ``xpos run`` uses (and the
ECR port through :func:`~xpos.drivers.ecr_port.open_ecr_port`), then closed at once.
Nothing is read from it. Run it with the service stopped: a device the running terminal
holds (a grabbed input device, a bound TCP port) shows as missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from xpos.drivers.base import KINDS, OPTIONAL_KINDS
from xpos.drivers.ecr_port import open_ecr_port
from xpos.drivers.registry import DEFAULT_URL, NONE_URL, open_device
from xpos.errors import XposError
from xpos.terminal.config import TerminalConfig

OK, MISSING, FAKE, ABSENT = "ok", "missing", "fake", "none"


@dataclass(frozen=True, kw_only=True)
class DeviceState:
    """One configured device and its state now.

    Attributes:
        kind: ``keypad`` … ``printer``, or ``ecr``.
        url: The configured URL (``fake:`` or ``none:`` when so configured or left out).
        state: ``ok`` (opened), ``missing`` (could not be opened: ``why`` says why),
            ``fake`` (in-process only) or ``none`` (not fitted).
        why: The error when missing.
    """

    kind: str
    url: str
    state: str
    why: str = ""


async def device_states(config: TerminalConfig) -> list[DeviceState]:
    """Every device kind (``KINDS``, then ``OPTIONAL_KINDS``), then the ECR port."""
    states = [_probe(kind, config.devices.get(kind, DEFAULT_URL)) for kind in KINDS]
    states += [_probe(kind, config.devices.get(kind, NONE_URL)) for kind in OPTIONAL_KINDS]
    states.append(await _probe_ecr(config.ecr))
    return states


def _probe(kind: str, url: str) -> DeviceState:
    if url == NONE_URL:
        return DeviceState(kind=kind, url=url, state=ABSENT)
    if url == DEFAULT_URL or url.startswith("fake:"):
        return DeviceState(kind=kind, url=url, state=FAKE)
    try:
        device = open_device(kind, url)
    except XposError as exc:
        return DeviceState(kind=kind, url=url, state=MISSING, why=str(exc))
    close = getattr(device, "close", None)
    if callable(close):
        close()
    return DeviceState(kind=kind, url=url, state=OK)


async def _probe_ecr(url: str) -> DeviceState:
    if not url:
        return DeviceState(kind="ecr", url="", state=ABSENT)
    try:
        port = await open_ecr_port(url)
    except XposError as exc:
        return DeviceState(kind="ecr", url=url, state=MISSING, why=str(exc))
    port.close()
    return DeviceState(kind="ecr", url=url, state=OK)


def render_states(states: list[DeviceState]) -> list[str]:
    """One line per device: kind, state, URL (and why it is missing)."""
    lines = []
    for s in states:
        line = f"{s.kind:10} {s.state:8} {s.url or '-'}"
        lines.append(line + (f"  ({s.why})" if s.why else ""))
    return lines
