"""``xpos devices list``: every device the config names, and whether it can be opened now.

Each configured device is opened through the same registry ``xpos run`` uses (and the
ECR port through :func:`~xpos.drivers.ecr_port.open_ecr_port`), then closed at once.
Nothing is read from it; a printer that opens is asked whether it can print
(``not ready``: off, offline, no paper, cover open).

While ``xpos run`` runs on the same data directory it holds the devices, so they are
not opened: its own view is listed instead, from ``<data dir>/devices.state``
(:mod:`xpos.terminal.devslots`: ``ready``, ``missing``, ``retrying`` -- being reopened
every 5 s -- or ``not ready``); the ECR port is ``in use``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from xpos.drivers.base import KINDS, OPTIONAL_KINDS
from xpos.drivers.ecr_port import open_ecr_port
from xpos.drivers.registry import DEFAULT_URL, NONE_URL, open_device
from xpos.errors import ConfigError, XposError
from xpos.terminal.config import TerminalConfig
from xpos.terminal.devslots import MISSING, NOT_READY, RETRYING, STATE_FILE

OK, FAKE, ABSENT, IN_USE = "ok", "fake", "none", "in use"
#: The URL cannot work (unknown scheme, bad parameter, driver not installed): not a
#: missing device -- ``xpos run`` refuses to start on it.
BAD_CONFIG = "bad_config"

#: States for which ``xpos devices list`` exits 1.
FAILING = frozenset({MISSING, RETRYING, NOT_READY, BAD_CONFIG})


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


async def device_states(config: TerminalConfig,
                        running: dict[str, tuple[str, str]] | None = None) -> list[DeviceState]:
    """Every device kind (``KINDS``, then ``OPTIONAL_KINDS``), then the ECR port.

    Args:
        config: The working parameters.
        running: The running terminal's view (:func:`running_states`): the kinds it
            names are listed as it sees them, not opened.
    """
    urls = {kind: config.devices.get(kind, DEFAULT_URL) for kind in KINDS}
    urls.update({kind: config.devices.get(kind, NONE_URL) for kind in OPTIONAL_KINDS})
    states = []
    for kind, url in urls.items():
        seen = (running or {}).get(kind)
        if seen is not None and url not in (NONE_URL, DEFAULT_URL) \
                and not url.startswith("fake:"):
            states.append(DeviceState(kind=kind, url=url, state=seen[0], why=seen[1]))
        elif kind == "pinpad" and url.startswith("keypad:"):  # the PIN on the keypad
            keypad = states[KINDS.index("keypad")]
            states.append(DeviceState(kind=kind, url=url, state=keypad.state,
                                      why="the PIN is keyed on the keypad above"))
        else:
            states.append(_probe(kind, url))
    if running is not None and config.ecr:
        states.append(DeviceState(kind="ecr", url=config.ecr, state=IN_USE))
    else:
        states.append(await _probe_ecr(config.ecr))
    return states


def running_states(data_dir: Path) -> tuple[int, dict[str, tuple[str, str]]] | None:
    """The running ``xpos run``'s process id and device states, or None if none runs.

    A state file that cannot be read, or whose process is gone, counts as none.
    """
    try:
        body = json.loads((data_dir / STATE_FILE).read_text(encoding="utf-8"))
        pid = int(body["pid"])
        devices = {str(kind): (str(entry["state"]), str(entry.get("why", "")))
                   for kind, entry in body["devices"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:  # another user's process: it runs
        pass
    return pid, devices


def _probe(kind: str, url: str) -> DeviceState:
    if url == NONE_URL:
        return DeviceState(kind=kind, url=url, state=ABSENT)
    if url == DEFAULT_URL or url.startswith("fake:"):
        return DeviceState(kind=kind, url=url, state=FAKE)
    try:
        device = open_device(kind, url)
    except ConfigError as exc:  # a typo, a driver not installed: xpos run would stop
        return DeviceState(kind=kind, url=url, state=BAD_CONFIG, why=str(exc))
    except XposError as exc:
        return DeviceState(kind=kind, url=url, state=MISSING, why=str(exc))
    try:
        ready = kind != "printer" or bool(getattr(device, "paper_ok", True))
    finally:
        close = getattr(device, "close", None)
        if callable(close):
            close()
    if not ready:
        return DeviceState(kind=kind, url=url, state=NOT_READY,
                           why="off, offline, no paper or cover open")
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
        line = f"{s.kind:16} {s.state.replace(' ', '_'):10} {s.url or '-'}"
        lines.append(line + (f"  ({s.why})" if s.why else ""))
    return lines
