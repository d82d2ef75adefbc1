"""Sans-IO host protocol: the CUP POS ISO 8583 dialect, framing, sessions.

Modules: :mod:`~xpos.proto.spec` (field table), :mod:`~xpos.proto.codec` (messages to
bytes), :mod:`~xpos.proto.framing`, :mod:`~xpos.proto.messages` (builders, catalogue,
MAC, response checks), :mod:`~xpos.proto.voucher` (X-menu verification),
:mod:`~xpos.proto.tlv`, :mod:`~xpos.proto.session`, :mod:`~xpos.proto.transcript`.
Nothing here does I/O.
"""
