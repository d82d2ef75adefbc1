"""Events into step machines and effects out of them.

Events are what the world did (a key, a card, the PIN pad's answer, the printer's
answer, a timer). Effects are what a machine asks the shell to do. Both are frozen,
keyword-only dataclasses; every event carries ``now``, the runtime's monotonic clock
in seconds, so the core never reads a clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from xpos.core.steps import ResultCode, StepResult
from xpos.model import CardData, CardSource, Document, Key, mask_block, mask_pan, masked_repr

# -- events ------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class KeyPressed:
    """A key on the terminal keypad."""

    key: Key
    now: float


@dataclass(frozen=True, kw_only=True)
class CardPresented:
    """A card was swiped/tapped or a code scanned, on any enabled source."""

    card: CardData
    now: float


@dataclass(frozen=True, kw_only=True)
class CardError:
    """A card read failed (bad swipe, unreadable code)."""

    message: str
    now: float


@dataclass(frozen=True, kw_only=True, repr=False)
class PinDone:
    """The PIN pad answered a :class:`RequestPin`.

    ``code`` is OK with ``block`` set (or ``None`` for a bypassed PIN), CANCELLED when
    the cardholder cancelled, TIMEOUT, or UNABLE when the PIN pad failed. ``repr``
    shows only the block's length.
    """

    block: bytes | None
    code: ResultCode
    now: float

    def __repr__(self) -> str:
        """The PIN block as its length only."""
        return masked_repr(self, block=mask_block(self.block))


@dataclass(frozen=True, kw_only=True)
class PrintDone:
    """The printer answered a :class:`RequestPrint` (UNABLE = out of paper or offline)."""

    code: ResultCode
    now: float
    offline: bool = False


@dataclass(frozen=True, kw_only=True)
class TimerFired:
    """The deadline of the last :class:`SetTimer` passed."""

    now: float


Event = KeyPressed | CardPresented | CardError | PinDone | PrintDone | TimerFired
"""Everything a step machine reacts to."""

# -- effects -----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Show:
    """Replace the whole display with these rows (already fitted to the display's geometry)."""

    lines: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class SetTimer:
    """Arm the single step timer at an absolute ``now`` value; ``None`` cancels it.

    A new SetTimer replaces the previous one.
    """

    deadline: float | None


@dataclass(frozen=True, kw_only=True)
class EnableSources:
    """Listen to exactly these card sources (empty = stop listening)."""

    sources: frozenset[CardSource]


@dataclass(frozen=True, kw_only=True, repr=False)
class RequestPin:
    """Ask the PIN pad for a PIN block; it answers with :class:`PinDone`.

    ``pan`` is the full PAN (the PIN block needs it); ``repr`` shows it masked.
    """

    pan: str
    amount: int | None

    def __repr__(self) -> str:
        """The PAN masked to first 6 / last 4."""
        return masked_repr(self, pan=repr(mask_pan(self.pan)))


@dataclass(frozen=True, kw_only=True)
class CancelPin:
    """Withdraw the pending :class:`RequestPin`: the PIN pad stops waiting, no PinDone follows."""


@dataclass(frozen=True, kw_only=True)
class RequestPrint:
    """Print a document; the printer answers with :class:`PrintDone`."""

    document: Document


@dataclass(frozen=True, kw_only=True)
class Beep:
    """Audible feedback: ``"error"`` (refused key or bad read) or ``"ok"`` (card read)."""

    kind: str


@dataclass(frozen=True, kw_only=True)
class Done:
    """The step is over; always the last effect a machine emits."""

    result: StepResult


Effect = (Show | SetTimer | EnableSources | RequestPin | CancelPin | RequestPrint | Beep
          | Done)
"""Everything a step machine may ask the shell to do."""
