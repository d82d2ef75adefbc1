"""Key components and sign-on working keys (field 62 of the 0810).

Field 62 layouts by sign-on mode (60.3 of the 0800), reference §1.5::

    001  24 bytes  PIK(8)  KCV(4) MAK(8)  KCV(4)
    003  40 bytes  PIK(16) KCV(4) MAK(16) KCV(4)
    004  60 bytes  PIK(16) KCV(4) MAK(16) KCV(4) TDK(16) KCV(4)

Keys travel TDES-ECB encrypted under the TMK; each KCV is the first 4 bytes of
``E(clear_key, 0^8)``. The MAK's KCV covers the whole MAK (``mak_kcv="full"``, the
default) or only ``MAK[:8]`` as single DES (``"first8"``), to match the acquirer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from xpos.errors import ConfigError, SecurityError
from xpos.security.kcv import check_kcv, kcv
from xpos.security.tdes import KEY_LENGTHS, tdes_decrypt, tdes_encrypt

KCV_LEN = 4
MAK_KCV_SCOPES = ("full", "first8")


@dataclass(frozen=True, kw_only=True)
class SignonLayout:
    """The field 62 layout of one sign-on mode.

    Attributes:
        key_len: Length of each key in bytes (8 or 16).
        names: The keys in order (``PIK``, ``MAK`` [, ``TDK``]); each is followed by
            its 4-byte KCV.
    """

    key_len: int
    names: tuple[str, ...]

    @property
    def size(self) -> int:
        """Total length of field 62 in bytes."""
        return len(self.names) * (self.key_len + KCV_LEN)


SIGNON_LAYOUTS: Mapping[str, SignonLayout] = {
    "001": SignonLayout(key_len=8, names=("PIK", "MAK")),
    "003": SignonLayout(key_len=16, names=("PIK", "MAK")),
    "004": SignonLayout(key_len=16, names=("PIK", "MAK", "TDK")),
}


def combine_components(components: Sequence[bytes]) -> bytes:
    """XOR key components into the key.

    Raises:
        SecurityError: if there are fewer than two components, or their lengths differ
            or are not 8, 16 or 24 bytes.
    """
    if len(components) < 2:
        raise SecurityError("a key needs at least two components")
    size = len(components[0])
    if size not in KEY_LENGTHS or any(len(c) != size for c in components):
        raise SecurityError("key components must all be 8, 16 or 24 bytes and equally long")
    key = bytearray(size)
    for comp in components:
        key = bytearray(a ^ b for a, b in zip(key, comp, strict=True))
    return bytes(key)


def _describe(key: bytes) -> str:
    return f"<{len(key)} bytes, KCV {kcv(key, 3).hex().upper()}>"


@dataclass(frozen=True, kw_only=True)
class WorkingKeys:
    """The clear working keys from a sign-on. ``repr`` shows only lengths and KCVs.

    Attributes:
        pik: PIN key (8 or 16 bytes).
        mak: MAC key (8 or 16 bytes).
        tdk: Track data key (16 bytes), or ``None`` when the mode carries none.
    """

    pik: bytes
    mak: bytes
    tdk: bytes | None = None

    def __post_init__(self) -> None:
        for name, key in (("PIK", self.pik), ("MAK", self.mak), ("TDK", self.tdk)):
            if key is not None and len(key) not in KEY_LENGTHS:
                raise SecurityError(f"{name} must be 8, 16 or 24 bytes, got {len(key)}")

    def __repr__(self) -> str:
        tdk = _describe(self.tdk) if self.tdk is not None else "None"
        return f"WorkingKeys(pik={_describe(self.pik)}, mak={_describe(self.mak)}, tdk={tdk})"


def _layout(mode: str, mak_kcv: str) -> SignonLayout:
    if mak_kcv not in MAK_KCV_SCOPES:
        raise ConfigError(f"mak_kcv must be one of {MAK_KCV_SCOPES}, not {mak_kcv!r}")
    try:
        return SIGNON_LAYOUTS[mode]
    except KeyError:
        raise ConfigError(f"unknown sign-on key mode {mode!r} (001, 003, 004)") from None


def _kcv_subject(name: str, key: bytes, mak_kcv: str) -> bytes:
    """The bytes whose check value is sent for ``name`` (the MAK may be cut to 8)."""
    return key[:8] if name == "MAK" and mak_kcv == "first8" else key


def parse_signon_keys(
    field62: bytes, tmk: bytes, *, mode: str = "004", mak_kcv: str = "full"
) -> WorkingKeys:
    """Decrypt and check the working keys of a sign-on response.

    Args:
        field62: The raw bytes of field 62.
        tmk: The clear terminal master key.
        mode: The sign-on mode sent in 60.3 (``"001"``, ``"003"``, ``"004"``).
        mak_kcv: ``"full"`` or ``"first8"``: what the MAK's check value covers.

    Raises:
        ConfigError: on an unknown mode or MAK-KCV scope.
        SecurityError: if field 62 has the wrong length for the mode.
        KeyCheckError: if a key's check value does not match (names the key).
    """
    layout = _layout(mode, mak_kcv)
    if len(field62) != layout.size:
        raise SecurityError(
            f"sign-on mode {mode}: field 62 must be {layout.size} bytes, got {len(field62)}"
        )
    clear: dict[str, bytes] = {}
    step = layout.key_len + KCV_LEN
    for i, name in enumerate(layout.names):
        chunk = field62[i * step : (i + 1) * step]
        key = tdes_decrypt(tmk, chunk[: layout.key_len])
        check_kcv(_kcv_subject(name, key, mak_kcv), chunk[layout.key_len :], key_name=name)
        clear[name] = key
    return WorkingKeys(pik=clear["PIK"], mak=clear["MAK"], tdk=clear.get("TDK"))


def _keys_for(keys: WorkingKeys, layout: SignonLayout, mode: str) -> dict[str, bytes]:
    given = {"PIK": keys.pik, "MAK": keys.mak, "TDK": keys.tdk}
    if "TDK" not in layout.names and keys.tdk is not None:
        raise SecurityError(f"sign-on mode {mode} carries no TDK")
    out: dict[str, bytes] = {}
    for name in layout.names:
        key = given[name]
        if key is None or len(key) != layout.key_len:
            raise SecurityError(f"{name} must be {layout.key_len} bytes for sign-on mode {mode}")
        out[name] = key
    return out


def build_signon_keys(
    keys: WorkingKeys, tmk: bytes, *, mode: str = "004", mak_kcv: str = "full"
) -> bytes:
    """Build field 62 of a sign-on response (host side); inverse of :func:`parse_signon_keys`.

    Raises:
        ConfigError: on an unknown mode or MAK-KCV scope.
        SecurityError: if the keys do not fit the mode (lengths, TDK present or missing).
    """
    layout = _layout(mode, mak_kcv)
    parts: list[bytes] = []
    for name, key in _keys_for(keys, layout, mode).items():
        parts.append(tdes_encrypt(tmk, key))
        parts.append(kcv(_kcv_subject(name, key, mak_kcv), KCV_LEN))
    return b"".join(parts)
