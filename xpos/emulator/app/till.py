"""The till (cash register) console: play the till on the terminal's ECR port (key ``e``).

:class:`~xpos.emulator.app.tillconsole.TillConsole` is a modal with every request the
terminal takes from a till (docs/drivers.md section 7): an amount (yuan, ``12.34``) and
``消费 SALE``; a trace number and ``撤销 VOID``; the amount, the sale's RRN and date
(``MMDD``) and ``退货 REFUND``; an order (or coupon) number and ``订单支付 XPAY``;
``结算 SETTLE``; and the log of what the till sent and got. Sending closes it, so the
customer can swipe and enter the PIN on the terminal; :class:`TillDesk` (one per app)
sends the request through the rig's :class:`~xpos.testing.till.Till`, waits for the
answer in a worker and puts it in the help line and the log. The till's own
references are ``EMU0001``, ``EMU0002`` …
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from xpos.errors import XposError
from xpos.model import format_fen, mask_code
from xpos.proto.ecr import EcrRequest, EcrResponse
from xpos.testing.till import Till

_AMOUNT = re.compile(r"([0-9]{1,10})(?:\.([0-9]{1,2}))?")
_TRACE = re.compile(r"[0-9]{1,6}")
_RRN = re.compile(r"[0-9A-Za-z]{12}")
_DATE = re.compile(r"(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])")
_ORDER = re.compile(r"[\x21-\x7e]{1,32}")
_LOG_LINES = 8


def parse_amount(text: str) -> int | None:
    """Fen from ``12.34`` / ``12`` / ``0.5``; None when not a positive amount."""
    match = _AMOUNT.fullmatch(text.strip())
    if match is None:
        return None
    fen = int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))
    return fen if fen > 0 else None


def describe(response: EcrResponse) -> str:
    """One line for the help line and the log (the card numbers come masked).

    >>> describe(EcrResponse(command="XPAY", reference="EMU0001", result="00", text="支付成功",
    ...          amount=60000, masked_pan="621234*********4567", trace=9, party_amount=20000,
    ...          party_masked_pan="886800******0001", party_trace=8))
    'XPAY EMU0001: RC=00 支付成功 ¥600.00 621234*********4567 TR=000009 XA=¥200.00 \
XC=886800******0001 XT=000008'
    """
    parts = [f"RC={response.result}", response.text]
    if response.amount:
        parts.append(f"¥{format_fen(response.amount)}")
    if response.masked_pan:
        parts.append(response.masked_pan)
    if response.auth_code:
        parts.append(f"AC={response.auth_code}")
    if response.trace:
        parts.append(f"TR={response.trace:06d}")
    if response.rrn:
        parts.append(f"RR={response.rrn}")
    if response.party_amount:  # X2 combined payment: the third-party leg
        parts.append(f"XA=¥{format_fen(response.party_amount)}")
    if response.party_masked_pan:
        parts.append(f"XC={response.party_masked_pan}")
    if response.party_trace:
        parts.append(f"XT={response.party_trace:06d}")
    return f"{response.command} {response.reference}: " + " ".join(p for p in parts if p)


@dataclass(frozen=True, kw_only=True)
class TillForm:
    """What the console's fields hold (text as typed)."""

    amount: str = ""
    trace: str = ""
    rrn: str = ""
    date: str = ""
    order: str = ""


COMMANDS = ("SALE", "VOID", "REFUND", "XPAY", "SETTLE")
"""The requests the console sends (``CM``)."""


def build_request(command: str, form: TillForm, reference: str) -> EcrRequest | str:
    """The request ``command`` from the form, or the one line saying what is wrong.

    >>> build_request("REFUND", TillForm(amount="5", rrn="250115103045", date="0115"), "R1")
    EcrRequest(command='REFUND', reference='R1', amount=500, original_trace=None, \
original_rrn='250115103045', original_date='0115', order_no='')
    >>> build_request("XPAY", TillForm(), "R2")
    'order number: 1 to 32 characters (6600000001)'
    """
    if command == "SETTLE":
        return EcrRequest(command="SETTLE", reference=reference)
    if command == "XPAY":
        order = form.order.strip()
        if not _ORDER.fullmatch(order):
            return "order number: 1 to 32 characters (6600000001)"
        return EcrRequest(command="XPAY", reference=reference, order_no=order)
    if command == "VOID":
        trace = form.trace.strip()
        if not _TRACE.fullmatch(trace):
            return "trace: 1 to 6 digits"
        return EcrRequest(command="VOID", reference=reference, original_trace=int(trace))
    amount = parse_amount(form.amount)
    if amount is None:
        return "amount: yuan with up to 2 decimals, above 0 (12.34)"
    if command == "SALE":
        return EcrRequest(command="SALE", reference=reference, amount=amount)
    rrn, date = form.rrn.strip(), form.date.strip()
    if not _RRN.fullmatch(rrn):
        return "RRN: the sale's 12 characters (the slip's 参考号)"
    if not _DATE.fullmatch(date):
        return "date: the sale's MMDD (0115)"
    return EcrRequest(command="REFUND", reference=reference, amount=amount,
                      original_rrn=rrn, original_date=date)


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
        if request.original_rrn:
            sent += f" OR={request.original_rrn} OD={request.original_date}"
        if request.order_no:
            sent += f" ON={mask_code(request.order_no)}"
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
