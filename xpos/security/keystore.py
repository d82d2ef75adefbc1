"""The file key store: an emulated PED.

A real terminal keeps the TMK and the working keys inside its PED (PIN entry device)
and never hands them to the application; a PED backend stands in for this class there.
The emulator and development setups keep them in one JSON file instead::

    {"format": "xpos-keystore", "version": 1,
     "tmk": "<hex>", "working": {"pik": "<hex>", "mak": "<hex>", "tdk": "<hex>" | null} | null}

The file is written atomically (temporary file in the same directory, fsync, rename,
fsync of the directory) with mode 0600. Loading a new TMK drops the working keys, since
they were delivered under the old one. Error messages never contain key material.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from xpos.errors import ConfigError, KeyMissingError, KeysLostError
from xpos.security.kcv import check_kcv, kcv
from xpos.security.keys import WorkingKeys, combine_components

FORMAT = "xpos-keystore"
VERSION = 1
_HEX = re.compile(r"[0-9A-Fa-f]*")


def _hex(text: str, what: str, digits: tuple[int, ...]) -> bytes:
    clean = "".join(text.split())
    if not _HEX.fullmatch(clean):
        raise ConfigError(f"{what} is not hexadecimal")
    if len(clean) not in digits:
        allowed = " or ".join(str(d) for d in digits)
        raise ConfigError(f"{what} must be {allowed} hex digits, got {len(clean)}")
    return bytes.fromhex(clean)


def parse_components(components: Sequence[str]) -> list[bytes]:
    """Parse 2 or 3 TMK components of 32 or 48 hex digits each.

    Raises:
        ConfigError: on a wrong count, bad hex or unequal lengths (no key digits quoted).
    """
    if len(components) not in (2, 3):
        raise ConfigError(f"a TMK takes 2 or 3 components, got {len(components)}")
    keys = [_hex(c, f"TMK component {i}", (32, 48)) for i, c in enumerate(components, 1)]
    if len({len(k) for k in keys}) != 1:
        raise ConfigError("TMK components must all have the same length")
    return keys


def write_private_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically and durably, mode 0600.

    A temporary file in the same directory is written, fsynced and renamed over
    ``path``; then the directory is fsynced. The journal marker uses it too.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def fsync_dir(directory: Path) -> None:
    """Make a rename or a new file in ``directory`` durable (fsync the directory)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class KeyStore:
    """TMK and working keys kept in a JSON file (emulated PED).

    Args:
        path: The key file; it need not exist yet.
        expect_tmk: The check value of a TMK known to have been loaded (the journal
            marker keeps it); the key store must then hold a TMK.

    Raises:
        ConfigError: if the file exists but is not a valid key store.
        KeysLostError: ``expect_tmk`` is given but the file is missing or has no TMK:
            an empty key store is never silently put in its place.
    """

    def __init__(self, path: Path, *, expect_tmk: str | None = None) -> None:
        self._path = Path(path)
        self._tmk: bytes | None = None
        self._working: WorkingKeys | None = None
        if self._path.exists():
            self._read()
        if expect_tmk is not None and self._tmk is None:
            state = "has no TMK" if self._path.exists() else "is missing"
            raise KeysLostError(
                f"{self._path}: key store lost: the file {state}, but a TMK (KCV "
                f"{expect_tmk}) was loaded on this terminal (journal marker); it is not "
                "recreated empty: load the TMK again with `xpos keys load`")

    @property
    def path(self) -> Path:
        """The key file."""
        return self._path

    def _read(self) -> None:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT or data.get("version") != VERSION:
                raise ValueError("unknown format or version")
            self._tmk = bytes.fromhex(data["tmk"]) if data.get("tmk") else None
            self._working = _keys_from_json(data.get("working"))
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            raise ConfigError(f"{self._path}: not a valid key store ({exc})") from exc
        except RecursionError:
            raise ConfigError(f"{self._path}: not a valid key store (nested too deeply)") from None

    def _save(self) -> None:
        doc: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "tmk": self._tmk.hex().upper() if self._tmk else None,
            "working": _keys_to_json(self._working),
        }
        write_private_file(self._path, json.dumps(doc, indent=2) + "\n")

    def load_tmk(self, components: Sequence[str], kcv: str) -> None:
        """Combine TMK components, check them against ``kcv`` and store the TMK.

        Args:
            components: 2 or 3 components, 32 or 48 hex digits each.
            kcv: The TMK check value as 6 or 8 hex digits (a prefix of E(TMK, 0^8)).

        Raises:
            ConfigError: on malformed components or check value.
            KeyCheckError: if the combined key does not match ``kcv``; nothing is stored.
        """
        expected = _hex(kcv, "TMK check value", (6, 8))
        tmk = combine_components(parse_components(components))
        check_kcv(tmk, expected, key_name="TMK")
        self._tmk, self._working = tmk, None
        self._save()

    @property
    def has_tmk(self) -> bool:
        """True once a TMK is loaded."""
        return self._tmk is not None

    @property
    def tmk(self) -> bytes:
        """The clear TMK.

        Raises:
            KeyMissingError: if no TMK is loaded.
        """
        if self._tmk is None:
            raise KeyMissingError("no TMK loaded (load the master key components first)")
        return self._tmk

    @property
    def tmk_kcv(self) -> str:
        """The TMK check value as 6 hex digits, for display.

        Raises:
            KeyMissingError: if no TMK is loaded.
        """
        return kcv(self.tmk, 3).hex().upper()

    def set_working_keys(self, keys: WorkingKeys) -> None:
        """Store the working keys of a successful sign-on.

        Raises:
            KeyMissingError: if no TMK is loaded (working keys live under a TMK).
        """
        _ = self.tmk
        self._working = keys
        self._save()

    @property
    def has_working_keys(self) -> bool:
        """True while signed on."""
        return self._working is not None

    @property
    def working_keys(self) -> WorkingKeys:
        """The current working keys.

        Raises:
            KeyMissingError: if the terminal has not signed on.
        """
        if self._working is None:
            raise KeyMissingError("no working keys (sign on first)")
        return self._working

    def clear_working_keys(self) -> None:
        """Forget the working keys (sign-off, or the host asked for a new sign-on)."""
        if self._working is not None:
            self._working = None
            self._save()


def _keys_to_json(keys: WorkingKeys | None) -> dict[str, str | None] | None:
    if keys is None:
        return None
    tdk = keys.tdk.hex().upper() if keys.tdk is not None else None
    return {"pik": keys.pik.hex().upper(), "mak": keys.mak.hex().upper(), "tdk": tdk}


def _keys_from_json(data: Any) -> WorkingKeys | None:
    if data is None:
        return None
    tdk = bytes.fromhex(data["tdk"]) if data.get("tdk") else None
    return WorkingKeys(pik=bytes.fromhex(data["pik"]), mak=bytes.fromhex(data["mak"]), tdk=tdk)
