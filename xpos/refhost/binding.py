"""Terminal binding: a connection speaks only for the terminal its certificate names.

Theory of operation
-------------------
Every connection the reference host serves has a :class:`Peer`: what the host knows about
who is at the other end.

* **TLS** (the default): the client certificate was verified against the CA during the
  handshake; :func:`tls_peer` reads the :class:`~xpos.security.pki.TerminalIdentity` it
  names (subject ``CN`` = TID, optional ``OU`` = MID). The connection is *bound*.
* **In memory** with an identity (:meth:`ReferenceHost.accept`, the rig's memory pair):
  bound to that identity, as if it came from a certificate.
* **Plain TCP** (``--plain``, ``tls=None``) or a handed-over pair without an identity:
  nothing proves who is there, so nothing is bound: the line itself is trusted (legacy
  private lines), and the host behaves as before binding existed.

On a bound connection every request, sign-on included, must carry the bound TID in
field 41 and, when the certificate names a merchant, the bound MID in field 42.
:meth:`Peer.mismatch` says why a request breaks that; the server then answers
:data:`RC_SECURITY_VIOLATION` (``A7``) without processing anything (no keys rotated,
no ledger row, no fault consumed) and logs a warning. A certificate that names no
terminal (e.g. one made before binding) gets ``A7`` for every message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from xpos.proto.codec import Message
from xpos.security.pki import TerminalIdentity, peer_identity

RC_SECURITY_VIOLATION = "A7"
"""Field 39 for a message a bound connection may not send (CUP: 安全处理失败)."""


@dataclass(frozen=True, kw_only=True)
class Peer:
    """Who is at the other end of one connection, as far as the host can tell.

    Attributes:
        bound: True when the connection proved an identity (TLS client certificate, or
            an identity handed over with an in-memory pair).
        identity: The terminal that identity names; ``None`` on a bound connection
            means the certificate names no terminal, so nothing may be sent on it.
    """

    bound: bool
    identity: TerminalIdentity | None = None

    def mismatch(self, request: Message) -> str | None:
        """Why this connection may not send ``request``, or ``None`` if it may."""
        if not self.bound:
            return None
        if self.identity is None:
            return "the client certificate names no terminal (its subject CN must be the TID)"
        tid, mid = request.get(41), request.get(42)
        if tid != self.identity.tid:
            return f"certificate of {self.identity} sent a message for terminal {tid!r}"
        if self.identity.mid is not None and mid != self.identity.mid:
            return f"certificate of {self.identity} sent a message for merchant {mid!r}"
        return None

    def __str__(self) -> str:
        """``trusted line`` / ``terminal 10000001 / merchant …`` / ``no terminal``."""
        if not self.bound:
            return "trusted line (no certificate)"
        return "certificate naming no terminal" if self.identity is None else str(self.identity)


TRUSTED_LINE = Peer(bound=False)
"""A connection without a certificate (plain TCP, or a pair handed over without one)."""


def bound_to(identity: TerminalIdentity) -> Peer:
    """A connection bound to ``identity`` (an in-memory pair that carries one)."""
    return Peer(bound=True, identity=identity)


def tls_peer(peercert: Mapping[str, Any] | None) -> Peer:
    """The peer of a TLS connection, from ``getpeercert()`` (``peercert`` extra info)."""
    return Peer(bound=True, identity=peer_identity(peercert))
