"""The step protocol: what a flow (local or host-driven) asks the terminal to do.

A *step* is one primitive the terminal executes, modelled on SIM Application Toolkit
proactive commands (DESIGN.md §4). Every step ends with a :class:`StepResult` whose
:class:`ResultCode` says how it ended; steps with data end with their own typed result
(:class:`AmountResult`, :class:`PinResult`, :class:`CardResult`, :class:`InputResult`,
:class:`SelectResult`, :class:`ConfirmResult`), named by :func:`result_type`.
Steps are frozen, keyword-only dataclasses; the engine (:mod:`xpos.core.engine`) turns
each into a pure state machine.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Generic, TypeVar

from xpos.model import CardData, CardSource, Document, mask_block, mask_pan, masked_repr


class ResultCode(enum.Enum):
    """How a step ended (SAT-style general result)."""

    OK = "ok"
    """Performed; the typed result holds the data."""
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


@dataclass(frozen=True, kw_only=True)
class StepResult:
    """How a step ended; the typed results below add the step's data.

    Display, PrintStep, EndStep and steps the engine refuses end with a plain
    ``StepResult``; every other step ends with its own result type (its data fields keep
    their empty defaults unless ``code`` is OK).

    Attributes:
        code: How the step ended.
    """

    code: ResultCode

    @property
    def ok(self) -> bool:
        """True when the step was performed."""
        return self.code is ResultCode.OK


@dataclass(frozen=True, kw_only=True)
class AmountResult(StepResult):
    """Result of :class:`AmountStep`: the amount in fen (0 unless OK)."""

    amount: int = 0


@dataclass(frozen=True, kw_only=True, repr=False)
class PinResult(StepResult):
    """Result of :class:`PinStep`: the encrypted PIN block.

    ``block`` is ``None`` when the step did not end OK, or ended OK because the
    cardholder bypassed PIN entry. ``repr`` shows the block as its length only.
    """

    block: bytes | None = None

    def __repr__(self) -> str:
        """The PIN block as its length only."""
        return masked_repr(self, block=mask_block(self.block))


@dataclass(frozen=True, kw_only=True)
class CardResult(StepResult):
    """Result of :class:`ReadCard`: the card or code read (``None`` unless OK)."""

    card: CardData | None = None


@dataclass(frozen=True, kw_only=True)
class InputResult(StepResult):
    """Result of :class:`Input`.

    Attributes:
        values: The text of every field, in order (as far as typed).
        card: The card/scan that ended the step, if one did.
    """

    values: tuple[str, ...] = ()
    card: CardData | None = None


@dataclass(frozen=True, kw_only=True)
class SelectResult(StepResult):
    """Result of :class:`Select`: the chosen item's ``id`` and position (-1 unless OK)."""

    id: str = ""
    index: int = -1


@dataclass(frozen=True, kw_only=True)
class ConfirmResult(StepResult):
    """Result of :class:`Confirm`: ``yes`` is True only for an OK yes."""

    yes: bool = False


R_co = TypeVar("R_co", bound=StepResult, covariant=True)


class Asks(Generic[R_co]):
    """Marks a step type with the result type it ends with (for :func:`result_type`)."""


@dataclass(frozen=True, kw_only=True)
class Display(Asks[StepResult]):
    """Show text.

    Without ``wait_key`` and ``timeout_s`` the step ends OK at once and the text stays
    on screen. With ``timeout_s`` only, it ends OK when the time is up. With
    ``wait_key`` it ends OK on any key (CANCEL gives CANCELLED), or TIMEOUT when
    ``timeout_s`` passes first. Result: a plain :class:`StepResult`.
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
class Input(Asks[InputResult]):
    """Prompt for one or more keyed fields; a card/scan of an allowed source also ends it.

    Keys: digits append; ``#``/ENTER end the field (next field, or done); ``*`` deletes
    the last character, and on an empty field goes back to the previous field; CLEAR
    empties the field; CANCEL gives CANCELLED. ``timeout_s`` is an idle timeout
    (restarted by every key); ``None`` waits forever. Result: :class:`InputResult`.
    """

    prompt: str
    fields: tuple[InputField, ...]
    sources: frozenset[CardSource] = frozenset()
    timeout_s: float | None = 60.0


@dataclass(frozen=True, kw_only=True)
class Select(Asks[SelectResult]):
    """Pick one item from a list of ``(id, label)`` pairs.

    Digits 1..n pick an item on the current page (n = display rows - 1, at most 9; see
    :class:`~xpos.core.geometry.Geometry`), UP/DOWN turn pages when the list does not fit
    the display. CANCEL gives BACK when ``submenu`` is set, else CANCELLED.
    Result: :class:`SelectResult` (the chosen item's id and index).
    """

    title: str
    items: tuple[tuple[str, str], ...]
    submenu: bool = False
    timeout_s: float | None = 60.0


@dataclass(frozen=True, kw_only=True)
class Confirm(Asks[ConfirmResult]):
    """Yes/no question: ENTER or 1 = yes, CANCEL or 2 = no. Result: :class:`ConfirmResult`."""

    prompt: str
    timeout_s: float | None = 60.0


@dataclass(frozen=True, kw_only=True)
class ReadCard(Asks[CardResult]):
    """Wait for a card or code from the allowed sources. Result: :class:`CardResult`."""

    prompt: str
    sources: frozenset[CardSource]
    timeout_s: float = 60.0


@dataclass(frozen=True, kw_only=True)
class AmountStep(Asks[AmountResult]):
    """Key an amount in fen (digits shift in from the right), or confirm a preset one.

    Without ``preset``: ``1234`` shows 12.34; ``*`` deletes a digit, CLEAR zeroes,
    ENTER/``#`` confirms (zero is refused). With ``preset`` (set by the host): the
    amount is shown and ENTER accepts it. CANCEL gives CANCELLED. Result:
    :class:`AmountResult`.
    """

    prompt: str
    preset: int | None = None
    max_amount: int = 99999999
    timeout_s: float | None = 60.0
    allow_zero: bool = False
    """ENTER on 0.00 confirms zero (the void's "0 = the whole amount") instead of refusing."""


@dataclass(frozen=True, kw_only=True, repr=False)
class PinStep(Asks[PinResult]):
    """PIN entry on the PIN pad. The core never sees digits.

    Result: :class:`PinResult` (the encrypted PIN block, or ``None`` when the cardholder
    bypassed PIN entry). With ``timeout_s`` the step ends TIMEOUT when the PIN pad has not
    answered in time, and the PIN pad request is withdrawn. ``repr`` shows the PAN masked.
    """

    pan: str
    amount: int | None
    timeout_s: float | None = 60.0

    def __repr__(self) -> str:
        """The PAN masked to first 6 / last 4."""
        return masked_repr(self, pan=repr(mask_pan(self.pan)))


@dataclass(frozen=True, kw_only=True)
class PrintResult(StepResult):
    """Result of :class:`PrintStep`: UNABLE with ``offline`` when the printer is not there."""

    offline: bool = False


@dataclass(frozen=True, kw_only=True)
class PrintStep(Asks[PrintResult]):
    """Print a document. UNABLE means out of paper (or offline). Result: :class:`PrintResult`."""

    document: Document


@dataclass(frozen=True, kw_only=True)
class EndStep(Asks[StepResult]):
    """Finish with a message (left on screen). Result: a plain :class:`StepResult`."""

    message: str


Step = Display | Input | Select | Confirm | ReadCard | AmountStep | PinStep | PrintStep | EndStep
"""Every step type the engine understands."""


_RESULT_TYPES: dict[type, type[StepResult]] = {
    Input: InputResult, Select: SelectResult, Confirm: ConfirmResult, ReadCard: CardResult,
    AmountStep: AmountResult, PinStep: PinResult, PrintStep: PrintResult,
}


def result_type(step: object) -> type[StepResult]:
    """The result type ``step`` ends with (plain :class:`StepResult` for the others)."""
    return _RESULT_TYPES.get(type(step), StepResult)
