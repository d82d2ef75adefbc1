"""The till (cash register) console: play the till on the terminal's ECR port (key ``e``).

:class:`TillConsole` is a modal: an amount (yuan, ``12.34``) and ``消费 SALE``, or a
trace number and ``撤销 VOID``, and the log of what the till sent and got. Sending closes
it, so the customer can swipe and enter the PIN on the terminal; :class:`TillDesk`
(one per app) sends the request through the rig's :class:`~xpos.testing.till.Till`,
waits for the answer in a worker and puts it in the help line and the log. The till's
own references are ``EMU0001``, ``EMU0002`` …
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from xpos.errors import XposError
from xpos.model import format_fen
from xpos.proto.ecr import EcrRequest, EcrResponse
from xpos.testing.till import Till

_AMOUNT = re.compile(r"([0-9]{1,10})(?:\.([0-9]{1,2}))?")
_TRACE = re.compile(r"[0-9]{1,6}")
_LOG_LINES = 8


def parse_amount(text: str) -> int | None:
    """Fen from ``12.34`` / ``12`` / ``0.5``; None when not a positive amount."""
    match = _AMOUNT.fullmatch(text.strip())
    if match is None:
        return None
    fen = int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))
    return fen if fen > 0 else None


def describe(response: EcrResponse) -> str:
    """One line for the help line and the log (the card number comes masked)."""
    parts = [f"RC={response.result}", response.text]
    if response.amount:
        parts.append(f"¥{format_fen(response.amount)}")
    if response.masked_pan:
        parts.append(response.masked_pan)
    if response.auth_code:
        parts.append(f"AC={response.auth_code}")
    if response.trace:
        parts.append(f"TR={response.trace:06d}")
    return f"{response.command} {response.reference}: " + " ".join(p for p in parts if p)


class TillDesk:
    """The till's side in the app: references, the exchange log, one request at a time."""

    def __init__(self) -> None:
        """No request sent yet."""
        self.count = 0
        self.log: list[str] = []
        self.waiting = False

    def next_reference(self) -> str:
        """``EMU0001``, ``EMU0002`` …"""
        self.count += 1
        return f"EMU{self.count:04d}"

    def note(self, line: str) -> None:
        """Add a line to the log (the last few are kept)."""
        self.log = [*self.log, line][-_LOG_LINES:]

    async def exchange(self, till: Till, request: EcrRequest,
                       show: Callable[[str], None]) -> EcrResponse | None:
        """Send ``request``, wait for the answer, show and log both; None on a link error."""
        self.waiting = True
        sent = f"→ {request.command} {request.reference}"
        if request.amount:
            sent += f" ¥{format_fen(request.amount)}"
        if request.original_trace is not None:
            sent += f" OT={request.original_trace:06d}"
        self.note(sent)
        show(sent)
        try:
            await till.send(request)
            response = await till.response()
        except XposError as exc:
            self.note(f"× {exc}")
            show(f"× {exc}")
            return None
        finally:
            self.waiting = False
        line = "← " + describe(response)
        self.note(line)
        show(line)
        return response


class TillConsole(ModalScreen[EcrRequest | None]):
    """Compose one till request; Escape closes without sending."""

    DEFAULT_CSS = """
    TillConsole {
        align: center middle;
    }
    TillConsole > Vertical {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: heavy $accent;
        background: $surface;
        padding: 0 1;
    }
    TillConsole Horizontal {
        height: auto;
    }
    TillConsole Input {
        width: 20;
    }
    TillConsole .log, TillConsole .error {
        color: $text-muted;
    }
    TillConsole .error {
        color: $error;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "close")]

    def __init__(self, desk: TillDesk) -> None:
        """A console over ``desk`` (its log is shown)."""
        super().__init__()
        self._desk = desk

    def compose(self) -> ComposeResult:
        """Amount + SALE, trace + VOID, error line, the log."""
        with Vertical():
            yield Label(Content("收银机 Till (ECR)"))
            with Horizontal():
                yield Input(placeholder="12.34", id="amount")
                yield Button("消费 SALE", id="sale")
            with Horizontal():
                yield Input(placeholder="trace 000001", id="trace")
                yield Button("撤销 VOID", id="void")
            yield Label(Content(""), id="error", classes="error")
            yield Label(Content("\n".join(self._desk.log) or "—"), id="log", classes="log")

    def on_mount(self) -> None:
        """Focus the amount."""
        self.query_one("#amount", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a field sends that field's request."""
        event.stop()
        self._send("sale" if event.input.id == "amount" else "void")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """A button sends its request."""
        event.stop()
        self._send(event.button.id or "")

    def _send(self, which: str) -> None:
        if self._desk.waiting:
            self._error("the till waits for the terminal's answer")
            return
        if which == "sale":
            amount = parse_amount(self.query_one("#amount", Input).value)
            if amount is None:
                self._error("amount: yuan with up to 2 decimals, above 0 (12.34)")
                return
            self.dismiss(EcrRequest(command="SALE", reference=self._desk.next_reference(),
                                    amount=amount))
            return
        trace = self.query_one("#trace", Input).value.strip()
        if not _TRACE.fullmatch(trace):
            self._error("trace: 1 to 6 digits")
            return
        self.dismiss(EcrRequest(command="VOID", reference=self._desk.next_reference(),
                                original_trace=int(trace)))

    def _error(self, text: str) -> None:
        self.query_one("#error", Label).update(Content(text))

    def action_close(self) -> None:
        """Close without sending."""
        self.dismiss(None)
