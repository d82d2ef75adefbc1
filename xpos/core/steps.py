"""The step protocol: what a flow (local or host-driven) asks the terminal to do.

A *step* is one primitive the terminal executes, modelled on SIM Application Toolkit
proactive commands (DESIGN.md §4). Every step ends with a :class:`StepResult` whose
:class:`ResultCode` says how it ended; its ``value`` carries the data (see each step).
Steps are frozen, keyword-only dataclasses; the engine (:mod:`xpos.core.engine`) turns
each into a pure state machine.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from xpos.model import CardData, CardSource, Document, mask_block, mask_pan, masked_repr


class ResultCode(enum.Enum):
    """How a step ended (SAT-style general result)."""

    OK = "ok"
    """Performed; ``value`` holds the data."""
    CANCELLED = "cancelled"
    """The user ended the whole session (CANCEL)."""
    BACK = "back"
    """The user asked to go back one level."""
    TIMEOUT = "timeout"
    """No response from the user or the device in time."""
    UNABLE = "unable"
    """The terminal cannot do it right now (e.g. printer out of paper)."""
    BEYOND_CAPABILITY = "beyond_capability"
    """The terminal cannot do this at all (unknown step type)."""
    NOT_UNDERSTOOD = "not_understood"
    """The step's data makes no sense (e.g. min_len > max_len)."""
    MISSING_VALUES = "missing_values"
    """Required data is missing (e.g. a select with no items)."""


@dataclass(frozen=True, kw_only=True, repr=False)
class StepResult:
    """The outcome of one step.

    ``repr`` shows a ``bytes`` value (the PIN block of a :class:`PinStep`) as its
    length only; card data masks itself.

    Attributes:
        code: How the step ended.
        value: The data (type depends on the step); ``None`` unless ``code`` is OK.
    """

    code: ResultCode
    value: object = None

    def __repr__(self) -> str:
        """A PIN block value as its length only."""
        if isinstance(self.value, bytes):
            return masked_repr(self, value=mask_block(self.value))
        return masked_repr(self)

    @property
    def ok(self) -> bool:
        """True when the step was performed."""
        return self.code is ResultCode.OK


@dataclass(frozen=True, kw_only=True)
class Display:
    """Show text.

    Without ``wait_key`` and ``timeout_s`` the step ends OK at once and the text stays
    on screen. With ``timeout_s`` only, it ends OK when the time is up. With
    ``wait_key`` it ends OK on any key (CANCEL gives CANCELLED), or TIMEOUT when
    ``timeout_s`` passes first. Result value: ``None``.
    """

    lines: tuple[str, ...]
    timeout_s: float | None = None
    wait_key: bool = False


@dataclass(frozen=True, kw_only=True)
class InputField:
    """One field of an :class:`Input` step.

    Attributes:
        label: Shown above the field.
        min_len: Fewest characters accepted (0 = optional field).
        max_len: Most characters accepted.
        kind: ``"digits"`` or ``"alnum"`` (letters arrive by scanning or from the host);
            anything else makes the step NOT_UNDERSTOOD.
        hidden: Show ``*`` instead of the characters.
    """

    label: str
    min_len: int = 1
    max_len: int = 20
    kind: str = "digits"
    hidden: bool = False


@dataclass(frozen=True, kw_only=True)
class InputValue:
    """Result value of an :class:`Input` step.

    Attributes:
        values: The text of every field, in order (as far as typed).
        card: The card/scan that ended the step, if one did.
    """

    values: tuple[str, ...]
    card: CardData | None = None


@dataclass(frozen=True, kw_only=True)
class Input:
    """Prompt for one or more keyed fields; a card/scan of an allowed source also ends it.

    Keys: digits append; ``#``/ENTER end the field (next field, or done); ``*`` deletes
    the last character, and on an empty field goes back to the previous field; CLEAR
    empties the field; CANCEL gives CANCELLED. ``timeout_s`` is an idle timeout
    (restarted by every key); ``None`` waits forever. Result value: :class:`InputValue`.
    """

    prompt: str
    fields: tuple[InputField, ...]
    sources: frozenset[CardSource] = frozenset()
    timeout_s: float | None = 60.0


@dataclass(frozen=True, kw_only=True)
class Select:
    """Pick one item from a list of ``(id, label)`` pairs.

    Digits 1-7 pick an item on the current page, UP/DOWN turn pages when the list does
    not fit the display. CANCEL gives BACK when ``submenu`` is set, else CANCELLED.
    Result value: the chosen item's id.
    """

    title: str
    items: tuple[tuple[str, str], ...]
    submenu: bool = False
    timeout_s: float | None = 60.0


@dataclass(frozen=True, kw_only=True)
class Confirm:
    """Yes/no question: ENTER or 1 = yes, CANCEL or 2 = no. Result value: ``bool``."""

    prompt: str
    timeout_s: float | None = 60.0


@dataclass(frozen=True, kw_only=True)
class ReadCard:
    """Wait for a card or code from the allowed sources. Result value: ``CardData``."""

    prompt: str
    sources: frozenset[CardSource]
    timeout_s: float = 60.0


@dataclass(frozen=True, kw_only=True)
class AmountStep:
    """Key an amount in fen (digits shift in from the right), or confirm a preset one.

    Without ``preset``: ``1234`` shows 12.34; ``*`` deletes a digit, CLEAR zeroes,
    ENTER/``#`` confirms (zero is refused). With ``preset`` (set by the host): the
    amount is shown and ENTER accepts it. CANCEL gives CANCELLED. Result value: ``int``.
    """

    prompt: str
    preset: int | None = None
    max_amount: int = 99999999
    timeout_s: float | None = 60.0


@dataclass(frozen=True, kw_only=True, repr=False)
class PinStep:
    """PIN entry on the PIN pad. The core never sees digits.

    Result value: the encrypted PIN block (``bytes``), or ``None`` when the cardholder
    bypassed PIN entry. With ``timeout_s`` the step ends TIMEOUT when the PIN pad has not
    answered in time, and the PIN pad request is withdrawn. ``repr`` shows the PAN masked.
    """

    pan: str
    amount: int | None
    timeout_s: float | None = 60.0

    def __repr__(self) -> str:
        """The PAN masked to first 6 / last 4."""
        return masked_repr(self, pan=repr(mask_pan(self.pan)))


@dataclass(frozen=True, kw_only=True)
class PrintStep:
    """Print a document. UNABLE means out of paper. Result value: ``None``."""

    document: Document


@dataclass(frozen=True, kw_only=True)
class EndStep:
    """Finish with a message (left on screen). Result value: ``None``."""

    message: str


Step = Display | Input | Select | Confirm | ReadCard | AmountStep | PinStep | PrintStep | EndStep
"""Every step type the engine understands."""
