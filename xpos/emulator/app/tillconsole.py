"""The till console's modal: one field per request value, one button per till request.

Rows (all compact, so that the console fits 80 × 24 with its log)::

    金额 [12.34    ] 消费 SALE
    凭证号 [000001 ] 撤销 VOID
    参考号 [RRN        ] 日期 [MMDD] 退货 REFUND   (the amount above)
    订单号 [6600000001 ] 订单支付 XPAY
    结算 SETTLE

Enter in a field sends that row's request (the amount: SALE; RRN or date: REFUND);
a button sends its own. A request that cannot be built says why in the error line and
stays open (:func:`~xpos.emulator.app.till.build_request`). Escape closes.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from xpos.emulator.app.till import TillDesk, TillForm, build_request
from xpos.proto.ecr import EcrRequest

_ENTER_SENDS = {"amount": "SALE", "trace": "VOID", "rrn": "REFUND", "date": "REFUND",
                "order": "XPAY"}
"""Field id → the request Enter in it sends."""


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
        height: 1;
        margin: 0 0 1 0;
    }
    TillConsole Horizontal Label {
        width: auto;
        padding: 0 1 0 0;
    }
    TillConsole Input {
        width: 16;
        margin: 0 1 0 0;
    }
    TillConsole #date {
        width: 8;
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
        """The request rows, the error line, the log."""
        with Vertical():
            yield Label(Content("收银机 Till (ECR) · Enter 发送 send · Esc 关闭 close"))
            with Horizontal():
                yield Label(Content("金额 amount"))
                yield Input(placeholder="12.34", id="amount", compact=True)
                yield Button("消费 SALE", id="sale", compact=True)
            with Horizontal():
                yield Label(Content("凭证号 trace"))
                yield Input(placeholder="000001", id="trace", compact=True)
                yield Button("撤销 VOID", id="void", compact=True)
            with Horizontal():
                yield Label(Content("参考号 RRN"))
                yield Input(placeholder="261129000001", id="rrn", compact=True)
                yield Label(Content("日期"))
                yield Input(placeholder="MMDD", id="date", compact=True)
                yield Button("退货 REFUND", id="refund", compact=True)
            with Horizontal():
                yield Label(Content("订单号 order"))
                yield Input(placeholder="6600000001", id="order", compact=True)
                yield Button("订单支付 XPAY", id="xpay", compact=True)
            with Horizontal():
                yield Button("结算 SETTLE", id="settle", compact=True)
            yield Label(Content(""), id="error", classes="error")
            yield Label(Content("\n".join(self._desk.log) or "—"), id="log", classes="log")

    def on_mount(self) -> None:
        """Focus the amount."""
        self.query_one("#amount", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a field sends that field's request."""
        event.stop()
        self._send(_ENTER_SENDS.get(event.input.id or "", "SALE"))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """A button sends its request."""
        event.stop()
        self._send((event.button.id or "").upper())

    def _form(self) -> TillForm:
        def value(ident: str) -> str:
            return self.query_one(f"#{ident}", Input).value
        return TillForm(amount=value("amount"), trace=value("trace"), rrn=value("rrn"),
                        date=value("date"), order=value("order"))

    def _send(self, command: str) -> None:
        if self._desk.waiting:
            self._error("the till waits for the terminal's answer")
            return
        built = build_request(command, self._form(), f"EMU{self._desk.count + 1:04d}")
        if isinstance(built, str):
            self._error(built)
            return
        self._desk.next_reference()
        self.dismiss(built)

    def _error(self, text: str) -> None:
        self.query_one("#error", Label).update(Content(text))

    def action_close(self) -> None:
        """Close without sending."""
        self.dismiss(None)
