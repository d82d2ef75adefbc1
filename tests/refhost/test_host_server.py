from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from xpos.proto.messages import parse_voucher_response
from xpos.proto.session import ResponseReceived
from xpos.refhost.faults import FaultPlan
from xpos.refhost.seed import DEMO, DemoCard
from xpos.refhost.server import (
    FROM_HOST,
    TO_HOST,
    ReferenceHost,
    host_db_path,
    serve_forever,
)
from xpos.refhost.store import HostStore
from xpos.security.pki import TerminalIdentity, TlsFiles, client_context, ensure_demo_pki

from .terminal import TlsTerminal, fixed_clock, terminal_pki

ALICE, BOB = DEMO.card("alice"), DEMO.card("bob")
STRANGER = DemoCard(holder="stranger", pan="6222020000000009999", expiry="3012", pin="123456",
                    balance=0)


@asynccontextmanager
async def running_host(tmp_path: Path, tls: TlsFiles | None,
                       **options: Any) -> AsyncIterator[ReferenceHost]:
    host = ReferenceHost(tmp_path / "host.db", tls=tls, clock=fixed_clock, **options)
    await host.start()
    try:
        yield host
    finally:
        await host.stop()


async def signed_on(host: ReferenceHost, pki: TlsFiles | None) -> TlsTerminal:
    context = None if pki is None else client_context(pki)
    term = await TlsTerminal.connect(host.port, context)
    await term.sign_on()
    return term


Scenario = Callable[[ReferenceHost, TlsTerminal], Awaitable[None]]


def run_signed_on(tmp_path: Path, pki: TlsFiles, scenario: Scenario, **options: Any) -> None:
    async def main() -> None:
        async with running_host(tmp_path, pki, **options) as host:
            term = await signed_on(host, pki)
            await scenario(host, term)
            await term.close()

    asyncio.run(main())


def test_sign_on_then_sale_is_approved_over_mutual_tls(tmp_path: Path, pki: TlsFiles) -> None:
    async def scenario(host: ReferenceHost, term: TlsTerminal) -> None:
        response = await term.exchange(term.sale(ALICE, 1234))
        assert response.get(39) == "00"
        assert term.mac_ok(response)
        assert len(response.get(38) or "") == 6 and len(response.get(37) or "") == 12
        assert host.store.balance(ALICE.pan) == ALICE.balance - 1234
        sale = host.store.entries(kind="sale")[0]
        assert (sale.masked_pan, sale.auth_code, sale.rrn) == (
            "621234*********4567", response.get(38), response.get(37))

    run_signed_on(tmp_path, pki, scenario)


@pytest.mark.parametrize(("card", "amount", "pin", "rc"), [
    (ALICE, 100, "000000", "55"),
    (BOB, BOB.balance + 1, "card", "51"),
    (STRANGER, 100, "card", "14"),
    (DEMO.card("carol"), 100, "card", "54"),
    (DEMO.card("dave"), 100, "card", "62"),
])
def test_declined_sale_moves_no_money(tmp_path: Path, pki: TlsFiles, card: DemoCard,
                                      amount: int, pin: str, rc: str) -> None:
    async def scenario(host: ReferenceHost, term: TlsTerminal) -> None:
        response = await term.exchange(term.sale(card, amount, pin=pin))
        assert response.get(39) == rc
        assert response.get(38) is None
        balances = {c.pan: host.store.balance(c.pan) for c in DEMO.cards}
        assert balances == {c.pan: c.balance for c in DEMO.cards}
        assert host.store.entries(kind="sale")[0].rc == rc

    run_signed_on(tmp_path, pki, scenario)


def test_sale_with_a_bad_mac_is_refused_a0_without_debit(tmp_path: Path, pki: TlsFiles) -> None:
    async def scenario(host: ReferenceHost, term: TlsTerminal) -> None:
        request = term.sale(ALICE, 100)
        tampered = request.replace(set={64: "0000000000000000"})
        response = await term.exchange(tampered)
        assert response.get(39) == "A0"
        assert host.store.balance(ALICE.pan) == ALICE.balance

    run_signed_on(tmp_path, pki, scenario)


def test_reversal_credits_back_exactly_once(tmp_path: Path, pki: TlsFiles) -> None:
    async def scenario(host: ReferenceHost, term: TlsTerminal) -> None:
        sale = term.sale(ALICE, 5000)
        assert (await term.exchange(sale)).get(39) == "00"
        first = await term.exchange(term.reversal(sale))
        second = await term.exchange(term.reversal(sale))
        assert (first.get(39), second.get(39)) == ("00", "00")
        assert term.mac_ok(first)
        assert host.store.balance(ALICE.pan) == ALICE.balance
        assert host.store.entries(kind="sale")[0].reversed

    run_signed_on(tmp_path, pki, scenario)


def test_reversal_of_a_sale_the_host_never_saw_is_accepted(tmp_path: Path,
                                                          pki: TlsFiles) -> None:
    async def scenario(host: ReferenceHost, term: TlsTerminal) -> None:
        response = await term.exchange(term.reversal(term.sale(ALICE, 100)))
        assert response.get(39) == "00"
        assert host.store.balance(ALICE.pan) == ALICE.balance

    run_signed_on(tmp_path, pki, scenario)


def test_repeated_sale_with_the_same_stan_gets_the_same_answer_and_one_debit(
        tmp_path: Path, pki: TlsFiles) -> None:
    async def scenario(host: ReferenceHost, term: TlsTerminal) -> None:
        sale = term.sale(ALICE, 800)
        first = await term.exchange(sale)
        again = await term.exchange(sale)
        assert first.get(39) == again.get(39) == "00"
        assert (again.get(38), again.get(37)) == (first.get(38), first.get(37))
        assert term.mac_ok(again)
        assert host.store.balance(ALICE.pan) == ALICE.balance - 800

    run_signed_on(tmp_path, pki, scenario)


@pytest.mark.parametrize(("code", "rc", "title"), [
    ("883300112233", "00", "冰淇淋蛋糕"),
    ("883300112234", "V1", "双人套餐"),
    ("883300112235", "V2", "电影票"),
    ("999999999999", "25", None),
])
def test_voucher_verification_answers(tmp_path: Path, pki: TlsFiles, code: str, rc: str,
                                      title: str | None) -> None:
    async def scenario(host: ReferenceHost, term: TlsTerminal) -> None:
        response = await term.exchange(term.voucher(code))
        info = parse_voucher_response(response)
        assert response.get(39) == rc
        assert term.mac_ok(response)
        assert (info.title if info else None) == title
        if rc == "00":
            # DF12 = items left after this redemption, DF33 = items redeemed now
            assert info is not None and (info.quantity, info.units, info.provider) == (
                0, 1, "团购演示")

    run_signed_on(tmp_path, pki, scenario)


def test_voucher_is_redeemed_once_and_a_repeat_stan_replays_the_answer(
        tmp_path: Path, pki: TlsFiles) -> None:
    async def scenario(host: ReferenceHost, term: TlsTerminal) -> None:
        request = term.voucher(DEMO.demo_voucher)
        first = await term.exchange(request)
        replay = await term.exchange(request)
        later = await term.exchange(term.voucher(DEMO.demo_voucher))
        assert (first.get(39), replay.get(39), later.get(39)) == ("00", "00", "V1")
        assert replay.get(37) == first.get(37)

    run_signed_on(tmp_path, pki, scenario)


def test_decline_fault_declines_the_next_sale_only(tmp_path: Path, pki: TlsFiles) -> None:
    async def scenario(host: ReferenceHost, term: TlsTerminal) -> None:
        host.faults.decline("05")
        declined = await term.exchange(term.sale(ALICE, 100))
        approved = await term.exchange(term.sale(ALICE, 100))
        assert (declined.get(39), approved.get(39)) == ("05", "00")
        assert host.store.balance(ALICE.pan) == ALICE.balance - 100

    run_signed_on(tmp_path, pki, scenario)


def test_drop_fault_debits_but_sends_nothing(tmp_path: Path, pki: TlsFiles) -> None:
    async def scenario(host: ReferenceHost, term: TlsTerminal) -> None:
        host.faults.drop()
        sale = term.sale(ALICE, 300)
        await term.send(sale)
        voucher = term.voucher(DEMO.demo_voucher)
        await term.send(voucher)
        event = await term.event()
        assert isinstance(event, ResponseReceived)
        assert event.request == voucher
        assert term.session.outstanding == (sale,)
        assert host.store.balance(ALICE.pan) == ALICE.balance - 300
        assert "<no response (fault drop)>" in [e.text for e in host.transcript]

    run_signed_on(tmp_path, pki, scenario)


def test_delay_fault_awaits_the_injected_sleep_before_answering(tmp_path: Path,
                                                               pki: TlsFiles) -> None:
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    async def scenario(host: ReferenceHost, term: TlsTerminal) -> None:
        host.faults.delay(45.0)
        response = await term.exchange(term.sale(ALICE, 100))
        assert response.get(39) == "00"
        assert slept == [45.0]

    run_signed_on(tmp_path, pki, scenario, sleep=fake_sleep)


def test_bad_mac_fault_approves_with_a_mac_the_terminal_rejects(tmp_path: Path,
                                                               pki: TlsFiles) -> None:
    async def scenario(host: ReferenceHost, term: TlsTerminal) -> None:
        host.faults.bad_mac()
        response = await term.exchange(term.sale(ALICE, 100))
        assert response.get(39) == "00"
        assert not term.mac_ok(response)

    run_signed_on(tmp_path, pki, scenario)


def test_close_fault_closes_the_connection_instead_of_answering(tmp_path: Path,
                                                               pki: TlsFiles) -> None:
    async def scenario(host: ReferenceHost, term: TlsTerminal) -> None:
        host.faults.close()
        await term.send(term.sale(ALICE, 100))
        assert await term.closed_by_peer()
        other = await TlsTerminal.connect(host.port, client_context(pki))
        other.stan = 100
        await other.sign_on()
        assert (await other.exchange(other.sale(ALICE, 100))).get(39) == "00"
        assert host.store.balance(ALICE.pan) == ALICE.balance - 200
        await other.close()

    run_signed_on(tmp_path, pki, scenario)


@pytest.mark.parametrize("garbage", [
    b"\x00\x05hello",                  # a frame whose body does not decode
    b"\xff\xff" + b"\x00" * 16,        # a length prefix above the maximum frame
])
def test_malformed_frame_closes_only_that_connection(tmp_path: Path, pki: TlsFiles,
                                                     garbage: bytes) -> None:
    async def scenario(host: ReferenceHost, term: TlsTerminal) -> None:
        bad = await TlsTerminal.connect(host.port, client_context(pki))
        bad.writer.write(garbage)
        await bad.writer.drain()
        assert await bad.closed_by_peer()
        await bad.close()
        assert (await term.exchange(term.sale(ALICE, 100))).get(39) == "00"
        assert any("frame error" in e.text for e in host.transcript)

    run_signed_on(tmp_path, pki, scenario)


def test_client_without_certificate_is_refused(tmp_path: Path, pki: TlsFiles) -> None:
    async def main() -> None:
        async with running_host(tmp_path, pki) as host:
            anonymous = ssl.create_default_context(cafile=str(pki.ca_cert))
            anonymous.minimum_version = ssl.TLSVersion.TLSv1_3
            try:
                term = await TlsTerminal.connect(host.port, anonymous)
                await term.send(term.sign_on_request())
                refused = await term.closed_by_peer()
            except (ssl.SSLError, ConnectionError):
                refused = True
            assert refused
            assert list(host.transcript) == []
            assert host.store.entries() == []
            good = await signed_on(host, pki)
            await good.close()

    asyncio.run(main())


def test_two_terminals_are_served_concurrently(tmp_path: Path, pki: TlsFiles) -> None:
    async def main() -> None:
        async with running_host(tmp_path, pki) as host:
            host.store.add_terminal("10000002", DEMO.mid, DEMO.tmk)
            one = await signed_on(host, pki)
            two = await TlsTerminal.connect(host.port, client_context(
                terminal_pki(pki, tmp_path, TerminalIdentity(tid="10000002", mid=DEMO.mid))))
            two.tid = "10000002"
            await two.sign_on()
            sale_one, sale_two = one.sale(ALICE, 100), two.sale(BOB, 200)
            await one.send(sale_one)
            await two.send(sale_two)
            answers = await asyncio.gather(one.event(), two.event())
            assert [a.response.get(39) for a in answers if isinstance(a, ResponseReceived)] == [
                "00", "00"]
            assert host.store.balance(BOB.pan) == BOB.balance - 200
            await one.close()
            await two.close()

    asyncio.run(main())


def test_transcript_shows_both_directions_with_nothing_sensitive(tmp_path: Path,
                                                                pki: TlsFiles) -> None:
    async def scenario(host: ReferenceHost, term: TlsTerminal) -> None:
        request = term.sale(ALICE, 100)
        await term.exchange(request)
        text = "\n".join(e.text for e in host.transcript)
        assert [(e.direction, e.mti) for e in host.transcript] == [
            (TO_HOST, "0800"), (FROM_HOST, "0810"), (TO_HOST, "0200"), (FROM_HOST, "0210")]
        assert ALICE.pan not in text
        assert (request.get(52) or "?") not in text
        stored = host.store.terminal(DEMO.tid)
        assert stored is not None and stored.mak is not None
        assert stored.mak.hex().upper() not in text
        assert "621234*********4567" in text

    run_signed_on(tmp_path, pki, scenario)


def test_plain_tcp_only_when_tls_is_none(tmp_path: Path) -> None:
    async def main() -> None:
        async with running_host(tmp_path, None) as host:
            term = await signed_on(host, None)
            assert (await term.exchange(term.sale(ALICE, 100))).get(39) == "00"
            await term.close()

    asyncio.run(main())


def test_stop_closes_open_connections(tmp_path: Path, pki: TlsFiles) -> None:
    async def main() -> None:
        host = ReferenceHost(tmp_path / "host.db", tls=pki, clock=fixed_clock)
        await host.start()
        term = await signed_on(host, pki)
        await host.stop()
        assert await term.closed_by_peer()
        await term.close()

    asyncio.run(main())


def test_fault_plan_is_the_hosts_own_per_instance(tmp_path: Path, pki: TlsFiles) -> None:
    first = ReferenceHost(tmp_path / "a.db", tls=pki)
    second = ReferenceHost(tmp_path / "b.db", tls=pki)
    first.faults.drop()
    assert isinstance(second.faults, FaultPlan) and len(second.faults) == 0
    asyncio.run(first.stop())
    asyncio.run(second.stop())


def test_serve_forever_creates_its_files_and_serves_until_cancelled(tmp_path: Path) -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[int] = loop.create_future()
        task = asyncio.create_task(serve_forever(tmp_path, "127.0.0.1", 0,
                                                 on_ready=ready.set_result))
        port = await asyncio.wait_for(ready, 10)
        term = await TlsTerminal.connect(port, client_context(ensure_demo_pki(tmp_path)))
        assert (await term.sign_on()).get(39) == "00"
        await term.close()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    store = HostStore(host_db_path(tmp_path))
    assert store.entries(kind="sign_on")[0].rc == "00"
    store.close()


def test_an_idle_connection_is_closed_after_the_idle_timeout(tmp_path: Path,
                                                             pki: TlsFiles) -> None:
    async def scenario(host: ReferenceHost, term: TlsTerminal) -> None:
        assert await term.closed_by_peer()
        assert any("idle timeout" in entry.text for entry in host.transcript)

    run_signed_on(tmp_path, pki, scenario, idle_timeout_s=0.2)
