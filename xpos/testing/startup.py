"""Checks the demo and the emulator make before they start anything.

Both run a :class:`~xpos.testing.rig.TerminalRig`, which drives fake devices only. A
data directory that cannot be used, an invalid ``xpos.toml`` or a ``[devices]`` URL the
rig cannot drive must stop them with one clear line before a host starts or a screen
appears (never a traceback, never a hung screen).
"""

from __future__ import annotations

from pathlib import Path

from xpos.drivers.url import parse_device_url
from xpos.errors import ConfigError
from xpos.terminal.config import CONFIG_NAME, TerminalConfig, load_config, prepare_data_dir


def prepare_emulated(data_dir: Path, *, what: str) -> TerminalConfig:
    """Make the data directory ready (created 0700) and read its config for a rig.

    Args:
        data_dir: The terminal data directory (created if missing).
        what: Who asks (``"the demo"``, ``"the emulator"``), for the message.

    Returns:
        The terminal's configuration from ``data_dir/xpos.toml`` (defaults if absent).

    Raises:
        ConfigError: the directory is unusable (a ``DataDirError``), ``xpos.toml`` is
            invalid, or it names a device that is not ``fake:``.
    """
    prepare_data_dir(data_dir)
    config = load_config(data_dir)
    check_emulated_devices(config, what=what)
    return config


def check_emulated_devices(config: TerminalConfig, *, what: str) -> None:
    """Refuse ``[devices]`` URLs a rig cannot drive: only ``fake:`` ones work there.

    Raises:
        ConfigError: naming the file, the device kind and what to do.
    """
    for kind, url in sorted(config.devices.items()):
        if parse_device_url(url).scheme != "fake":
            raise ConfigError(
                f"{config.data_dir / CONFIG_NAME}: [devices] {kind} = {url!r}: {what} "
                "emulates every device, so only 'fake:' works here: remove the line, or "
                "use `xpos run` for real devices")
