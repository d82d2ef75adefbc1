from __future__ import annotations

import pytest

from xpos.errors import EncodeError, LocalProtocolError
from xpos.proto.codec import Message, frame
from xpos.proto.session import (
    FrameError,
    HostSession,
    RequestReceived,
    RequestTimedOut,
    ResponseReceived,
    SessionEvent,
    TerminalSession,
    UnmatchedResponse,
    correlation_key,
)

from . import golden as g

SALE = g.SALE_0200.message
SALE_OK = g.SALE_0210.message


class Pair:
    def __init__(self) -> None:
        self.terminal = TerminalSession(timeout_s=30.0)
        self.host = HostSession()

    def request(self, msg: Message, now: float = 0.0) -> Message:
        self.host.receive_data(self.terminal.send(msg, now=now))
        event = self.host.next_event()
        assert isinstance(event, RequestReceived)
        return event.message

    def respond(self, msg: Message) -> list[SessionEvent]:
        self.terminal.receive_data(self.host.send(msg))
        return drain(self.terminal)


def drain(session: TerminalSession) -> list[SessionEvent]:
    events = []
    while (event := session.next_event()) is not None:
        events.append(event)
    return events


def test_request_and_response_are_correlated_through_a_host_session() -> None:
    pair = Pair()
    assert pair.request(SALE) == SALE
    assert pair.respond(SALE_OK) == [ResponseReceived(request=SALE, response=SALE_OK)]
    assert pair.terminal.outstanding == ()


def test_response_delivered_one_byte_at_a_time_is_matched_once_complete() -> None:
    terminal = TerminalSession()
    terminal.send(SALE, now=0.0)
    data = frame(g.SALE_0210.wire)
    for i in range(len(data) - 1):
        terminal.receive_data(data[i:i + 1])
        assert terminal.next_event() is None
    terminal.receive_data(data[-1:])
    assert drain(terminal) == [ResponseReceived(request=SALE, response=SALE_OK)]


def test_tick_times_out_only_requests_past_their_deadline() -> None:
    terminal = TerminalSession(timeout_s=30.0)
    terminal.send(SALE, now=100.0)
    assert terminal.next_deadline == 130.0
    assert terminal.tick(129.9) == []
    assert terminal.tick(130.0) == [RequestTimedOut(request=SALE)]
    assert terminal.outstanding == ()
    assert terminal.next_deadline is None


def test_a_late_response_is_unmatched_never_received() -> None:
    pair = Pair()
    pair.request(SALE, now=0.0)
    pair.terminal.tick(31.0)
    events = pair.respond(SALE_OK)
    assert len(events) == 1
    assert isinstance(events[0], UnmatchedResponse)
    assert events[0].message == SALE_OK
    assert "late" in events[0].reason


def test_a_response_to_nothing_is_unmatched() -> None:
    pair = Pair()
    events = pair.respond(SALE_OK)
    assert len(events) == 1
    assert isinstance(events[0], UnmatchedResponse)
    assert events[0].reason == "no matching request"


def test_a_response_with_another_stan_does_not_match() -> None:
    pair = Pair()
    pair.request(SALE)
    events = pair.respond(SALE_OK.replace(set={11: "000009"}))
    assert isinstance(events[0], UnmatchedResponse)
    assert pair.terminal.outstanding == (SALE,)


def test_an_inconsistent_response_is_unmatched_and_the_request_keeps_waiting() -> None:
    pair = Pair()
    pair.request(SALE)
    events = pair.respond(SALE_OK.replace(set={4: "000000009999"}))
    assert isinstance(events[0], UnmatchedResponse)
    assert "field 4" in events[0].reason
    assert pair.terminal.outstanding == (SALE,)
    assert pair.respond(SALE_OK) == [ResponseReceived(request=SALE, response=SALE_OK)]


def test_two_outstanding_requests_answered_out_of_order_are_matched_by_stan() -> None:
    pair = Pair()
    other = SALE.replace(set={11: "000003"})
    other_ok = SALE_OK.replace(set={11: "000003"})
    pair.request(SALE)
    pair.request(other)
    assert pair.respond(other_ok) == [ResponseReceived(request=other, response=other_ok)]
    assert pair.respond(SALE_OK) == [ResponseReceived(request=SALE, response=SALE_OK)]


def test_a_request_from_the_host_is_unmatched() -> None:
    terminal = TerminalSession()
    terminal.send(SALE, now=0.0)
    terminal.receive_data(frame(g.SALE_0200.wire))
    event = terminal.next_event()
    assert isinstance(event, UnmatchedResponse)


def test_correlation_key_is_response_mti_stan_and_tid() -> None:
    assert correlation_key(SALE) == ("0210", "000002", g.TID)
    assert correlation_key(SALE_OK) == correlation_key(SALE)


def test_sending_the_same_key_twice_is_a_local_protocol_error() -> None:
    terminal = TerminalSession()
    terminal.send(SALE, now=0.0)
    with pytest.raises(LocalProtocolError):
        terminal.send(SALE, now=1.0)


def test_the_same_key_may_be_sent_again_after_it_timed_out() -> None:
    terminal = TerminalSession(timeout_s=1.0)
    terminal.send(SALE, now=0.0)
    terminal.tick(5.0)
    terminal.send(SALE, now=6.0)
    assert terminal.outstanding == (SALE,)


@pytest.mark.parametrize("msg", [SALE_OK, SALE.replace(drop=[11]), SALE.replace(drop=[41])],
                         ids=["response", "no-11", "no-41"])
def test_terminal_refuses_to_send_uncorrelatable_messages(msg: Message) -> None:
    with pytest.raises(LocalProtocolError):
        TerminalSession().send(msg, now=0.0)


def test_a_message_that_cannot_be_encoded_leaves_nothing_outstanding() -> None:
    terminal = TerminalSession()
    with pytest.raises(EncodeError):
        terminal.send(SALE.replace(set={4: "12X"}), now=0.0)
    assert terminal.outstanding == ()


def test_an_undecodable_frame_is_a_nonfatal_frame_error() -> None:
    terminal = TerminalSession()
    terminal.send(SALE, now=0.0)
    terminal.receive_data(frame(b"\x60\x00") + frame(g.SALE_0210.wire))
    first, second = drain(terminal)
    assert isinstance(first, FrameError) and not first.fatal
    assert (first.error.field, first.error.position) == ("tpdu", 0)
    assert second == ResponseReceived(request=SALE, response=SALE_OK)


def test_an_oversize_frame_is_fatal_and_stays_fatal() -> None:
    terminal = TerminalSession(max_frame=200)
    terminal.send(SALE, now=0.0)
    terminal.receive_data(frame(g.SALE_0210.wire) + b"\x00\xc9")
    response, error = drain(terminal)
    assert isinstance(response, ResponseReceived)
    assert isinstance(error, FrameError) and error.fatal
    assert error.error.field == "len"
    terminal.receive_data(b"\x00")
    again = drain(terminal)
    assert len(again) == 1 and isinstance(again[0], FrameError) and again[0].fatal


def test_host_session_reports_frame_errors() -> None:
    host = HostSession()
    host.receive_data(frame(b"garbage"))
    event = host.next_event()
    assert isinstance(event, FrameError) and not event.fatal
    assert host.next_event() is None


def test_host_refuses_to_send_a_request_mti() -> None:
    with pytest.raises(LocalProtocolError):
        HostSession().send(SALE)


def test_no_event_without_data() -> None:
    assert TerminalSession().next_event() is None
    assert HostSession().next_event() is None
