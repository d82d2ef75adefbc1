"""What a QA scenario is, once parsed: fixtures, steps and their arguments.

Every step remembers its source line. Secrets never show in a ``repr``: a PIN step
prints as ``pin: ******`` and a swiped track as the masked PAN, so a failing scenario's
report and evidence can be shared.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from xpos.model import Key, mask_pan
from xpos.testing.host import DEMO

_TRACK = re.compile(r"(?<!\d)(\d{12,19})[=D]\d{4,}")
_LONG_DIGITS = re.compile(r"(?<!\d)\d{16,19}(?!\d)")


def masked(text: str, pans: Iterable[str] = ()) -> str:
    """``text`` fit for a report: no track data and no full card number.

    Masks (first 6 / last 4) anything shaped like a track 2, every PAN in ``pans``
    (the scenario's cards), and any other run of 16 to 19 digits. Shorter numbers (a
    15-digit merchant ID, a 12-digit reference number or voucher code) stay readable.
    """
    text = _TRACK.sub(lambda m: mask_pan(m.group(1)) + "=****", text)
    for pan in sorted(set(pans), key=len, reverse=True):
        text = re.sub(rf"(?<!\d){pan}(?!\d)", mask_pan(pan), text)
    return _LONG_DIGITS.sub(lambda m: mask_pan(m.group(0)), text)


@dataclass(frozen=True, kw_only=True)
class CardFixture:
    """A card the host knows before the steps run (``fixtures.cards``)."""

    id: str
    kind: str  # "bank" | "member"
    pan: str = field(repr=False)
    expiry: str  # YYMM
    pin: str | None = field(repr=False)
    balance: int  # fen
    status: str  # "active" | "blocked"
    track2: str = field(repr=False)

    @property
    def masked(self) -> str:
        """The PAN masked to first 6 / last 4."""
        return mask_pan(self.pan)


@dataclass(frozen=True, kw_only=True)
class VoucherFixture:
    """A voucher or order the platform knows (``fixtures.vouchers``)."""

    code: str
    provider: str
    title: str
    quantity: int
    expires: str  # YYYY-MM-DD
    status: str  # "valid" | "used"


@dataclass(frozen=True, kw_only=True)
class ProviderFixture:
    """An application provider (``fixtures.providers``)."""

    id: str
    name: str
    void_window_s: int | None = None
    """How long after a redemption an X void is accepted (None: the host's default)."""


@dataclass(frozen=True, kw_only=True)
class Fixtures:
    """Host-side data made before the steps."""

    cards: tuple[CardFixture, ...] = ()
    vouchers: tuple[VoucherFixture, ...] = ()
    providers: tuple[ProviderFixture, ...] = ()
    secrets: tuple[str, ...] = field(default=(), repr=False)  # masked in every report

    def __bool__(self) -> bool:
        """True when there is host-side data (``secrets`` are not host data)."""
        return bool(self.cards or self.vouchers or self.providers)


# -- steps -----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Step:
    """Base of every step: its line and the verb as written.

    Attributes:
        line: 1-based line of the step in its file.
        verb: The verb (``select``, ``keys``, ``paper_out`` …); the parser fills it in
            from :data:`xpos.qa.verbs.REGISTRY`.
    """

    line: int
    verb: str = ""

    def describe(self) -> str:
        """One line for reports (secrets masked)."""
        return f"{self.verb}: {self._arg()}"

    def _arg(self) -> str:
        return "{}"


@dataclass(frozen=True, kw_only=True)
class SelectStep(Step):
    """Choose a menu item by its label, walking into submenus if needed."""

    label: str

    def _arg(self) -> str:
        return self.label


@dataclass(frozen=True, kw_only=True)
class KeysStep(Step):
    """Press keys."""

    keys: tuple[Key, ...]

    def _arg(self) -> str:
        return " ".join(k.value for k in self.keys)


@dataclass(frozen=True, kw_only=True)
class SwipeStep(Step):
    """Swipe a magstripe card."""

    track2: str = field(repr=False)
    card: str  # fixture id or "track2"

    def _arg(self) -> str:
        return self.card if self.card != "track2" else "{track2: " + _masked_track(
            self.track2) + "}"


@dataclass(frozen=True, kw_only=True)
class TapStep(Step):
    """Tap an RFID card."""

    uid: str

    def _arg(self) -> str:
        return self.uid


@dataclass(frozen=True, kw_only=True)
class ScanStep(Step):
    """Scan a barcode / QR code."""

    code: str

    def _arg(self) -> str:
        return self.code


@dataclass(frozen=True, kw_only=True)
class PinStep(Step):
    """Enter a PIN on the PIN pad (or cancel it)."""

    pin: str | None = field(repr=False)  # None = press cancel on the PIN pad

    def _arg(self) -> str:
        return "cancel" if self.pin is None else "******"


@dataclass(frozen=True, kw_only=True)
class ExpectScreenStep(Step):
    """Wait until the screen shows a text (or matches a regex)."""

    text: str | None
    regex: re.Pattern[str] | None
    absent: bool
    timeout_s: float

    def _arg(self) -> str:
        what = self.text if self.regex is None else f"{{regex: {self.regex.pattern}}}"
        return masked(f"not {what}" if self.absent else str(what))


@dataclass(frozen=True, kw_only=True)
class ExpectReceiptStep(Step):
    """Check the text printed so far in this scenario."""

    contains: tuple[str, ...] = field(repr=False)
    not_contains: tuple[str, ...] = field(repr=False)
    timeout_s: float
    jobs: int | None = None  # how many print jobs there must be
    job: int | None = None  # check only this job (1 = first; -1 = the newest)

    def _arg(self) -> str:
        parts = [] if self.job is None else [f"job: {'last' if self.job == -1 else self.job}"]
        parts += [f"{key}: {list(value)}" for key, value in (
            ("contains", self.contains), ("not_contains", self.not_contains)) if value]
        parts += [] if self.jobs is None else [f"jobs: {self.jobs}"]
        return masked("{" + ", ".join(parts) + "}")


@dataclass(frozen=True, kw_only=True)
class ExpectHostStep(Step):
    """Check the newest exchange of a kind on the host link."""

    message: str  # "" = any kind (selected by ``mti``)
    checks: tuple[tuple[str, Any], ...]  # (field name, expected)
    which: int = -1  # the exchange checked: -1 the newest, 1 the first, 2 the second …
    fields: tuple[tuple[int, str], ...] = ()  # request fields: number, value/none/present
    response_fields: tuple[tuple[int, str], ...] = ()

    def _arg(self) -> str:
        parts = [f"message: {self.message}"] if self.message else []
        parts += [f"{k}: {v}" for k, v in self.checks]
        if self.which != -1:
            parts.append(f"which: {self.which}")
        parts += [f"{name}: {dict(value)}" for name, value in (
            ("fields", self.fields), ("response_fields", self.response_fields)) if value]
        return "{" + ", ".join(parts) + "}"


@dataclass(frozen=True, kw_only=True)
class ExpectJournalStep(Step):
    """Check the terminal journal (newest transaction, reversal queue)."""

    last: tuple[tuple[str, Any], ...]
    pending_reversal: bool | None
    count: int | None
    row: tuple[tuple[str, Any], ...] = ()  # ("trace", n) first, then the fields to check

    def _arg(self) -> str:
        parts = [f"last: {dict(self.last)}"] if self.last else []
        parts += [f"row: {dict(self.row)}"] if self.row else []
        if self.pending_reversal is not None:
            parts.append(f"pending_reversal: {self.pending_reversal}")
        if self.count is not None:
            parts.append(f"count: {self.count}")
        return "{" + ", ".join(parts) + "}"


@dataclass(frozen=True, kw_only=True)
class HostFaultStep(Step):
    """Make the embedded host misbehave on its next matching request."""

    fault: str  # decline | drop | delay | bad_mac | close | malformed | truncated
    code: str = "05"
    seconds: float = 0.0
    on: tuple[str, ...] = ()  # message kinds; empty = financial

    def _arg(self) -> str:
        extra = f", code: {self.code}" if self.fault == "decline" else ""
        extra += f", seconds: {self.seconds:g}" if self.fault == "delay" else ""
        extra += f", on: {list(self.on)}" if self.on else ""
        return f"{{next: {self.fault}{extra}}}"


@dataclass(frozen=True, kw_only=True)
class PowerCycleStep(Step):
    """Kill the terminal and start it again on the same data."""


@dataclass(frozen=True, kw_only=True)
class WaitStep(Step):
    """Let simulated (or real, with ``--host``) time pass."""

    seconds: float

    def _arg(self) -> str:
        return f"{self.seconds:g}s"


@dataclass(frozen=True, kw_only=True)
class PaperStep(Step):
    """Take the paper out of the printer, or put a new roll in."""

    paper: bool  # False = paper_out, True = paper_reload
    after: int = 0  # paper_out only: after this many more print jobs (0 = now)

    def _arg(self) -> str:
        return f"{{after: {self.after}}}" if self.after else "{}"


@dataclass(frozen=True, kw_only=True)
class Scenario:
    """One scenario.

    Attributes:
        name: Its name (the test name in reports).
        path: The file it came from.
        line: Where it starts.
        tags: Free words for ``-k``.
        terminal: Working-parameter overrides (``tid``, ``mid`` …).
        fixtures: Host-side data.
        sign_on: Sign on before the first step (default true).
        steps: The steps in order.
    """

    name: str
    path: str
    line: int
    tags: tuple[str, ...]
    terminal: tuple[tuple[str, Any], ...]
    fixtures: Fixtures
    sign_on: bool
    steps: tuple[Step, ...]

    @property
    def where(self) -> str:
        """``file:line``."""
        return f"{self.path}:{self.line}"

    @property
    def secrets(self) -> frozenset[str]:
        """Texts no report may show: ``fixtures.secrets``, fixture PINs, ``pin:`` PINs."""
        pins = {s.pin for s in self.steps if isinstance(s, PinStep) and s.pin}
        pins |= {c.pin for c in self.fixtures.cards if c.pin}
        return frozenset(pins | set(self.fixtures.secrets))

    def scrub(self, text: str) -> str:
        """``text`` fit for a report: :func:`masked` with the scenario's cards, and every
        secret replaced by ``******`` (a digit secret only where no digit touches it)."""
        return self.scrubber()(text)

    def scrubber(self) -> Callable[[str], str]:
        """:meth:`scrub` with the cards and secrets gathered once (for many lines)."""
        pans, secrets = self.pans, self.secrets
        return lambda text: hide_secrets(masked(text, pans), secrets)

    @property
    def pans(self) -> frozenset[str]:
        """Every card number the scenario can present (fixtures, demo cards, swipes)."""
        swiped = {s.track2.replace("D", "=").split("=", 1)[0] for s in self.steps
                  if isinstance(s, SwipeStep)}
        return frozenset({c.pan for c in self.fixtures.cards} | {c.pan for c in DEMO.cards}
                         | swiped)


def hide_secrets(text: str, secrets: Iterable[str]) -> str:
    """Replace every secret in ``text`` by ``******`` (longest first)."""
    for secret in sorted(set(secrets), key=len, reverse=True):
        if not secret:
            continue
        if secret.isdigit():
            text = re.sub(rf"(?<!\d){secret}(?!\d)", "******", text)
        else:
            text = text.replace(secret, "******")
    return text


def _masked_track(track2: str) -> str:
    pan = track2.replace("D", "=").split("=", 1)[0]
    return mask_pan(pan) + "=****"


def marked_steps(scenario: Scenario, *, done: int, failed: Step | None) -> list[str]:
    """Each step as ``✓ line N: …`` (done), ``✗`` (the failed one) or ``·`` (not run)."""
    lines = []
    for index, step in enumerate(scenario.steps):
        mark = "✓" if index < done else "✗" if step is failed else "·"
        lines.append(f"{mark} line {step.line}: {step.describe()}")
    return lines
