"""X3 interactive sessions: what the session flow asks of the platform and gets back.

The platform (through the terminal shell) sends one :class:`HostStep` at a time; the
flow performs it on the step engine and answers with a :class:`SessionResult`. These are
plain values: the wire format is :mod:`xpos.proto.interactive`, the shell maps between
the two.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xpos.core.steps import InputField, ResultCode
from xpos.model import CardData

CAPABILITIES = ("DSP", "INP", "SEL", "CNF", "CRD", "AMT", "PRT", "BNK", "TPD", "END")
"""The step types this terminal performs, announced when a session opens (not ``BEP``:
the terminal has no beep step, and answers it "beyond capability")."""


@dataclass(frozen=True, kw_only=True)
class HostStep:
    """One step sent by the platform.

    Attributes:
        session: Session id.
        number: Step number (1 for the first).
        code: Three-letter step type (``DSP``, ``INP``…); unknown ones are kept.
        text: Text / prompt / document lines (split by LF).
        fields: Input fields (``INP``).
        items: ``(id, label)`` pairs (``SEL``).
        amount: Amount in fen (``AMT`` preset, ``BNK``, ``TPD``), or None.
        timeout_s: The step's timeout, or None for the terminal's default.
        malformed: The platform's data could not be decoded (the other fields are empty).
    """

    session: str = ""
    number: int = 0
    code: str = ""
    text: str = ""
    fields: tuple[InputField, ...] = ()
    items: tuple[tuple[str, str], ...] = ()
    amount: int | None = None
    timeout_s: float | None = None
    malformed: bool = False


@dataclass(frozen=True, kw_only=True)
class SessionOpen:
    """Open a session of platform service ``service`` (0100, F3 780000).

    Answered with the first step in :attr:`OnlineReply.step`, or a refusal
    (:attr:`Notice.PLATFORM_UNAVAILABLE` when the platform is marked unavailable).
    """

    service: str


@dataclass(frozen=True, kw_only=True, repr=False)
class SessionResult:
    """Report how a step ended (0100, F3 790000); answered with the next step.

    Attributes:
        session: Session id.
        number: The step's number.
        code: How the step ended.
        values: Input values, the chosen item id, or ``1``/``0`` for a confirm.
        amount: Amount in fen, if the step produced one.
        bank_rc, bank_stan, bank_rrn: A bank debit's response code, trace and RRN.
        card: A card read (the shell sends its masked PAN and its track 2 encrypted).
        pin_block: A PIN block from the PIN pad (never a clear PIN).
        hidden: Per value, True for an input field the platform marked hidden: the shell
            sends it sealed under the TDK, never in clear; a repr shows ``<hidden>``.
    """

    session: str
    number: int
    code: ResultCode
    values: tuple[str, ...] = ()
    amount: int | None = None
    bank_rc: str = ""
    bank_stan: int = 0
    bank_rrn: str = ""
    card: CardData | None = None
    pin_block: bytes | None = field(default=None)
    hidden: tuple[bool, ...] = ()

    def is_hidden(self, index: int) -> bool:
        """True when value ``index`` (0-based) is a hidden input."""
        return index < len(self.hidden) and self.hidden[index]

    def __repr__(self) -> str:
        """Without card data, PIN block and hidden values."""
        shown = tuple("<hidden>" if self.is_hidden(i) else v for i, v in enumerate(self.values))
        return (f"SessionResult(session={self.session!r}, number={self.number}, "
                f"code={self.code.value}, values={shown!r}, amount={self.amount!r}, "
                f"bank_rc={self.bank_rc!r}, bank_stan={self.bank_stan})")
