"""Value types of the reference host's store, and PIN hashing.

Rows are frozen dataclasses; key material and PIN hashes are left out of ``repr``.
The host never stores a clear PIN: a card row holds a salted PBKDF2-HMAC-SHA256 hash
in the form ``pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>``.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import os
from dataclasses import dataclass, field
from datetime import datetime

#: PBKDF2 rounds for demo PIN hashes. A six-digit PIN space falls to any offline search
#: whatever the count, so the hash only keeps clear PINs out of the database; a real
#: issuer verifies PINs inside an HSM (PVV/offset). 1,000 rounds cost about 0.25 ms,
#: which keeps the reference host's sale latency representative of a real front end.
PIN_ITERATIONS = 1_000
_SCHEME = "pbkdf2_sha256"


class CardStatus(enum.Enum):
    """Whether a card may be used."""

    ACTIVE = "active"
    BLOCKED = "blocked"


class CardKind(enum.Enum):
    """A bank card (bank-card sale) or a member / third-party card (X menu)."""

    BANK = "bank"
    MEMBER = "member"


class VoucherStatus(enum.Enum):
    """A voucher is valid until it is redeemed once."""

    VALID = "valid"
    USED = "used"


@dataclass(frozen=True, kw_only=True)
class TerminalRow:
    """A terminal known to the host, with its keys (hidden from ``repr``)."""

    tid: str
    mid: str
    tmk: bytes = field(repr=False)
    pik: bytes | None = field(default=None, repr=False)
    mak: bytes | None = field(default=None, repr=False)
    tdk: bytes | None = field(default=None, repr=False)
    batch: int = 1
    signed_on_at: str | None = None

    @property
    def signed_on(self) -> bool:
        """True once a sign-on delivered working keys."""
        return self.pik is not None and self.mak is not None


@dataclass(frozen=True, kw_only=True)
class CardRow:
    """A card account. ``id`` is the account reference the ledger keeps (not the PAN)."""

    id: int
    pan: str = field(repr=False)
    expiry: str
    balance: int
    status: CardStatus
    kind: CardKind
    pin_hash: str | None = field(default=None, repr=False)
    allow_partial: bool = True
    """Whether the card's issuer allows a partial void (B5)."""


@dataclass(frozen=True, kw_only=True)
class VoucherRow:
    """A voucher sold by an application provider."""

    code: str
    provider: str
    provider_name: str
    title: str
    quantity: int
    status: VoucherStatus
    expires: str  # YYYY-MM-DD, last valid day
    used_at: str | None = None
    used_by_tid: str | None = None


@dataclass(frozen=True, kw_only=True)
class LedgerDraft:
    """A ledger row to insert; the store assigns ``id`` and ``rrn``.

    Attributes:
        account: The card row id a sale debited (needed to credit a reversal back).
        ref: A non-sensitive reference, e.g. the voucher code.
    """

    tid: str
    stan: int
    batch: int
    kind: str  # "sign_on" | "sale" | "voucher" | "reversal" | "other"
    amount: int
    masked_pan: str
    rc: str
    when: datetime
    auth_code: str | None = None
    account: int | None = None
    ref: str = ""


@dataclass(frozen=True, kw_only=True)
class LedgerEntry:
    """One message the host answered, as recorded (masked PAN only)."""

    id: int
    tid: str
    stan: int
    batch: int
    kind: str
    amount: int
    masked_pan: str
    rc: str
    auth_code: str | None
    rrn: str
    reversed: bool
    account: int | None
    ref: str
    created_at: str

    @property
    def approved(self) -> bool:
        """True when the host answered ``00``."""
        return self.rc == "00"


def hash_pin(pin: str, *, salt: bytes | None = None, iterations: int = PIN_ITERATIONS) -> str:
    """Hash a PIN for storage (salted PBKDF2-HMAC-SHA256).

    Args:
        pin: The clear PIN digits.
        salt: 16 random bytes by default.
        iterations: PBKDF2 iteration count, stored in the result.
    """
    salt = os.urandom(16) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("ascii"), salt, iterations)
    return f"{_SCHEME}${iterations}${salt.hex()}${digest.hex()}"


def pin_matches(pin_hash: str, pin: str) -> bool:
    """Check a PIN against a stored hash, in constant time; False for a malformed hash."""
    try:
        scheme, iterations, salt, digest = pin_hash.split("$")
        expected = bytes.fromhex(digest)
        rounds = int(iterations)
        salt_bytes = bytes.fromhex(salt)
    except ValueError:
        return False
    if scheme != _SCHEME or not pin.isascii():
        return False
    got = hashlib.pbkdf2_hmac("sha256", pin.encode("ascii"), salt_bytes, rounds)
    return hmac.compare_digest(got, expected)
