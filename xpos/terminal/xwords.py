"""X-menu voucher verification (X1) and the platform's own words in an X answer.

Theory of operation
-------------------
A voucher redemption (0100, F3 700000) is journaled (kind ``voucher``, domain ``x``, in
the X batch) with its reversal before it is sent, exactly like a sale, and finished by
the transaction service's rules. The platform's message for a refusal (voucher ``DF14``,
X2 ``DF26``) is outside text: it is returned as it came and reaches the screen only
through :func:`xpos.core.flows.common.host_lines`, which strips control characters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from xpos.core.flows.online import OnlineReply, VoucherDetails, VoucherRequest
from xpos.core.rules import Kind
from xpos.errors import CodecError
from xpos.model import mask_code
from xpos.proto import messages as m
from xpos.proto.codec import Message
from xpos.proto.order import parse_order_message

if TYPE_CHECKING:
    from xpos.terminal.txn import TransactionService


async def voucher(svc: TransactionService, request: VoucherRequest) -> OnlineReply:
    """0100/0110 F3 700000: verify and redeem a voucher through the platform."""
    keys = await svc.prepare()
    if isinstance(keys, OnlineReply):
        return keys
    cfg, journal = svc.config, svc.journal
    stan, batch = journal.next_stan(), journal.batch_for("x")
    member = request.member_card
    message = m.voucher_request(stan=stan, tid=cfg.tid, mid=cfg.mid,
                                batch=batch, code=request.code, method=request.method,
                                order_no=request.order_no,
                                member_pan=member.pan if member and member.pan else None,
                                member_uid=member.uid if member and not member.pan else None,
                                units=request.units)
    message = m.add_mac(message, svc.mac(keys))
    sent = svc.begin(Kind.VOUCHER, "x", message, 0, member.masked_pan if member else "",
                     detail={"code": mask_code(request.code or request.order_no or ""),
                             "method": request.method})
    return await svc.finish(message, sent, keys)


def details(info: m.VoucherInfo, code_masked: str) -> VoucherDetails:
    """What the flow sees of the platform's voucher answer (DF12 = items left)."""
    return VoucherDetails(title=info.title, quantity=info.quantity, provider=info.provider,
                          code_masked=code_masked, value=info.value, expires=info.expires,
                          units=info.units)


def journal_detail(voucher: VoucherDetails) -> dict[str, object]:
    """What an approved redemption's journal row keeps (``units`` for the X void)."""
    return {"title": voucher.title, "quantity": voucher.quantity,
            "provider": voucher.provider, "units": voucher.units}


def host_message(request: Message, response: Message) -> str:
    """The platform's own words (voucher DF14, X2 DF26) in an X answer, or ``""``."""
    kind = m.classify(request)
    if kind is m.MessageKind.PARTY_DEBIT:
        try:
            return parse_order_message(response)
        except CodecError:
            return ""
    if kind not in (m.MessageKind.VOUCHER_VERIFY, m.MessageKind.VOUCHER_QUERY,
                    m.MessageKind.VOUCHER_VOID):
        return ""
    try:
        info = m.parse_voucher_response(response)
    except CodecError:
        return ""
    return info.message if info is not None else ""
