"""The terminal's ECR link state machine: ACK/NAK, retries, timeouts, busy, duplicates."""

from __future__ import annotations

from tests.proto.ecr_golden import SALE_REQUEST, VOID_REQUEST
from xpos.proto.ecr import (
    ACK,
    NAK,
    EcrRequest,
    EcrResponse,
    Result,
    decode_frame,
    decode_response,
    encode_frame,
    encode_request,
)
from xpos.proto.ecr_link import (
    Action,
    Deliver,
    EcrLink,
    Frame,
    FrameSplitter,
    Note,
    Send,
)

A = bytes([ACK])
N = bytes([NAK])
APPROVED = EcrResponse(command="SALE", reference="T0001", result=Result.APPROVED, trace=5)


def sent(actions: list[Action]) -> list[bytes]:
    return [a.data for a in actions if isinstance(a, Send)]


def delivered(actions: list[Action]) -> list[EcrRequest]:
    return [a.request for a in actions if isinstance(a, Deliver)]


def responses(actions: list[Action]) -> list[EcrResponse]:
    return [decode_response(decode_frame(d)) for d in sent(actions) if len(d) > 1]


def test_a_good_request_is_acked_and_delivered_once() -> None:
    link = EcrLink()
    actions = link.feed(SALE_REQUEST.wire, 0.0)
    assert sent(actions) == [A]
    assert delivered(actions) == [SALE_REQUEST.value]
    assert link.busy and link.next_deadline is None


def test_a_request_in_pieces_is_one_request() -> None:
    link = EcrLink()
    wire = SALE_REQUEST.wire
    assert link.feed(wire[:4], 0.0) == [] and link.next_deadline == 2.0
    assert delivered(link.feed(wire[4:], 1.0)) == [SALE_REQUEST.value]
    assert link.next_deadline is None


def test_the_response_waits_for_ack_and_is_resent_on_nak_up_to_three_times() -> None:
    link = EcrLink()
    link.feed(SALE_REQUEST.wire, 0.0)
    first = sent(link.respond(APPROVED, 1.0))
    assert link.feed(b"", 1.0) == []  # nothing more by itself
    assert len(first) == 1 and link.next_deadline == 3.0 and not link.busy
    for n in range(3):
        assert sent(link.feed(N, 1.5 + n)) == first
    gave_up = link.feed(N, 9.0)
    assert sent(gave_up) == [] and any("given up" in a.text for a in gave_up
                                       if isinstance(a, Note))
    assert link.next_deadline is None


def test_no_ack_resends_on_the_timer_then_gives_up() -> None:
    link = EcrLink(ack_timeout_s=2.0, retries=3)
    link.feed(SALE_REQUEST.wire, 0.0)
    frame = sent(link.respond(APPROVED, 0.0))
    now = 0.0
    for _ in range(3):
        assert link.tick(now + 1.9) == []
        now = link.next_deadline or 0.0
        assert sent(link.tick(now)) == frame
    now = link.next_deadline or 0.0
    assert sent(link.tick(now)) == [] and link.next_deadline is None


def test_ack_ends_the_exchange() -> None:
    link = EcrLink()
    link.feed(SALE_REQUEST.wire, 0.0)
    link.respond(APPROVED, 0.0)
    assert link.feed(A, 0.5) == [] and link.next_deadline is None
    assert link.tick(100.0) == []


def test_a_half_frame_is_dropped_with_a_nak_when_its_time_is_up() -> None:
    link = EcrLink(char_timeout_s=2.0)
    link.feed(SALE_REQUEST.wire[:10], 0.0)
    assert link.tick(1.0) == []
    assert sent(link.tick(2.0)) == [N]
    assert delivered(link.feed(SALE_REQUEST.wire, 3.0)) == [SALE_REQUEST.value]


def test_garbage_and_bad_frames_get_nak_and_the_next_good_frame_works() -> None:
    link = EcrLink()
    assert sent(link.feed(b"hello\r\n", 0.0)) == [N]
    bad = SALE_REQUEST.wire[:-1] + b"\x00"
    assert sent(link.feed(bad, 0.0)) == [N] and not link.busy
    assert sent(link.feed(b"\x02\xff\xff", 0.0)) == [N]
    actions = link.feed(b"junk" + SALE_REQUEST.wire, 0.0)
    assert sent(actions) == [N, A] and delivered(actions) == [SALE_REQUEST.value]


def test_a_second_request_while_one_runs_is_answered_busy() -> None:
    link = EcrLink()
    link.feed(SALE_REQUEST.wire, 0.0)
    actions = link.feed(VOID_REQUEST.wire, 0.1)
    assert delivered(actions) == []
    busy = responses(actions)
    assert [(r.result, r.command, r.reference) for r in busy] == [("BY", "VOID", "T0002")]
    assert link.busy  # the first one still runs and gets its own answer
    assert responses(link.respond(APPROVED, 1.0))[0].reference == "T0001"


def test_the_same_request_repeated_while_it_runs_is_only_acked() -> None:
    link = EcrLink()
    link.feed(SALE_REQUEST.wire, 0.0)
    again = link.feed(SALE_REQUEST.wire, 0.5)
    assert sent(again) == [A] and delivered(again) == []


def test_the_same_request_after_its_response_gets_the_response_again_not_a_second_sale(
) -> None:
    link = EcrLink()
    link.feed(SALE_REQUEST.wire, 0.0)
    first = sent(link.respond(APPROVED, 0.0))
    link.feed(A, 0.1)
    again = link.feed(SALE_REQUEST.wire, 5.0)
    assert delivered(again) == [] and sent(again) == [A, *first]
    other = encode_frame(encode_request(EcrRequest(command="SALE", reference="T9",
                                                   amount=1)))
    assert delivered(link.feed(other, 6.0)) == [EcrRequest(command="SALE", reference="T9",
                                                           amount=1)]


def test_an_unreadable_request_is_answered_bad_request_echoing_what_it_can() -> None:
    link = EcrLink()
    actions = link.feed(encode_frame(b"CM004SALERF002R1AM003abc"), 0.0)
    assert sent(actions)[0] == A and not link.busy
    (answer,) = responses(actions)
    assert (answer.result, answer.command, answer.reference) == ("BR", "SALE", "R1")
    assert "AM" in answer.text


def test_respond_without_a_request_is_a_programming_error() -> None:
    link = EcrLink()
    try:
        link.respond(APPROVED, 0.0)
    except RuntimeError as exc:
        assert "no ECR request" in str(exc)
    else:
        raise AssertionError("respond() without a request was accepted")


def test_the_splitter_reports_control_bytes_frames_and_garbage_in_order() -> None:
    tokens = FrameSplitter().feed(b"x" + A + SALE_REQUEST.wire + N)
    kinds = [type(t).__name__ for t in tokens]
    assert kinds == ["Garbage", "Control", "Frame", "Control"]
    frame = tokens[2]
    assert isinstance(frame, Frame) and frame.raw == SALE_REQUEST.wire
