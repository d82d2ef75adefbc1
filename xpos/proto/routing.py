"""Routing of X-class messages to the platform by the TPDU destination (docs/protocol.md §5).

Theory of operation
-------------------
Every X-menu message travels over the acquirer link, told apart from the bank's the
way a real network routes them: the TPDU destination. An **X-class message** is one
whose processing code (field 3) starts with ``7`` -- voucher ``70xxxx``, order query
``71``, order paid ``72``, third-party debit ``73`` (and its reversal, which keeps
field 3), X void / redemption ``74``, X3 sessions ``78``/``79``, the X settlement
``700000``. No bank processing code starts with ``7``.

The builders address X-class requests to :data:`PLATFORM_TPDU` (destination
:data:`PLATFORM_DESTINATION`, like the codec's default addresses the acquirer); the
terminal's session (:class:`xpos.proto.session.TerminalSession`) is the one place that
puts the configured addresses on the wire: the acquirer's TPDU on bank messages, the
platform's (``platform_tpdu_destination`` + the terminal's source) on X-class ones.
"""

from __future__ import annotations

from xpos.proto.codec import Message

__all__ = ["PLATFORM_DESTINATION", "PLATFORM_TPDU", "is_x_class", "platform_tpdu"]

PLATFORM_DESTINATION = "0008"
"""The platform's TPDU destination address by default (a working parameter)."""
PLATFORM_TPDU = "60" + PLATFORM_DESTINATION + "0000"
"""The TPDU of an X-class request as built (the session puts the configured one)."""
X_CLASS_PREFIX = "7"


def is_x_class(msg: Message) -> bool:
    """True for an X-menu message: field 3 starts with ``7``."""
    return (msg.get(3) or "").startswith(X_CLASS_PREFIX)


def platform_tpdu(tpdu: str, destination: str) -> str:
    """The TPDU ``tpdu`` (the acquirer's) with the platform's ``destination`` instead."""
    return tpdu[:2] + destination + tpdu[6:10]
