"""The reference host answers X messages sent to the acquirer's destination with 40."""

from __future__ import annotations

import pytest

from xpos.proto.codec import Message
from xpos.proto.order import order_query_request
from xpos.refhost.core import HostCore
from xpos.refhost.store import HostStore

from .terminal import TerminalMessages


def _query(term: TerminalMessages) -> Message:
    return order_query_request(stan=term.next_stan(), tid=term.tid, mid=term.mid,
                               batch=term.batch, code="6600000001")


@pytest.mark.parametrize(("tpdu", "rc"), [("6000080000", "00"), ("6000030000", "40")])
def test_an_x_message_is_served_only_at_the_platforms_destination(
        core: HostCore, term: TerminalMessages, store: HostStore, tpdu: str, rc: str) -> None:
    before = len(store.entries(kind="order_query"))
    answer = core.handle(term.seal(_query(term)).replace(tpdu=tpdu))
    assert answer is not None and answer.get(39) == rc
    assert answer.tpdu == "60" + tpdu[6:10] + tpdu[2:6]   # addresses swapped
    assert len(store.entries(kind="order_query")) == before + (rc == "00")  # 40: not recorded


def test_a_bank_message_is_served_at_the_acquirers_destination(
        core: HostCore, term: TerminalMessages) -> None:
    from xpos.refhost.seed import DEMO

    answer = core.handle(term.sale(DEMO.card("alice"), 100))
    assert answer is not None and answer.get(39) == "00" and answer.tpdu == "6000000003"
