"""The small test-side APIs the QA proof verbs use: the host-state queries
(xpos.testing.hoststate), taking an in-memory host down (MemoryNetwork.set_down) and the
fake PIN pad's failure (FakePinPad.fail). Real host store, real link, real streams."""

import asyncio
from pathlib import Path

import pytest

from xpos.drivers.fake_pinpad import FakePinPad
from xpos.errors import DeviceError, HostUnreachableError
from xpos.proto.codec import Message
from xpos.proto.messages import sign_on_request
from xpos.refhost.seed import DEMO
from xpos.terminal.hostlink import HostAddress, HostLink, LinkConfig
from xpos.testing import hoststate
from xpos.testing.host import ReferenceHost, VoucherStatus
from xpos.testing.memory import MemoryNetwork

PRIMARY = HostAddress(host="memory", port=1)
BACKUP = HostAddress(host="memory", port=2)
ALICE = DEMO.cards[0]


def sign_on(stan: int) -> Message:
    return sign_on_request(stan=stan, tid=DEMO.tid, mid=DEMO.mid, batch=1)


def test_host_state_queries_read_the_store(tmp_path: Path) -> None:
    async def main() -> None:
        host = ReferenceHost(tmp_path / "host.db", tls=None)
        try:
            card = hoststate.card_state(host, ALICE.pan)
            assert card is not None and card.balance == ALICE.balance
            assert card.status == "active"
            assert hoststate.card_state(host, "6299999999999999999") is None
            code = "883300112233"
            assert hoststate.voucher_status(host, code) == "valid"
            host.store.put_voucher(code, provider=DEMO.provider_id, title="t", quantity=1,
                                   expires="2099-12-31", status=VoucherStatus.USED)
            assert hoststate.voucher_status(host, code) == "used"
            assert hoststate.voucher_status(host, "nope") is None
            assert hoststate.host_batch(host, DEMO.tid) == 1
            assert hoststate.host_batch(host, "99999999") is None
            assert hoststate.ledger_rows(host, DEMO.tid) == []
            network = MemoryNetwork({str(PRIMARY): host})
            link = HostLink(LinkConfig(primary=PRIMARY), connector=network)
            assert (await link.exchange(sign_on(7))).get(39) == "00"
            await link.close()
            rows = hoststate.ledger_rows(host, DEMO.tid)
            assert [(r.kind, r.trace, r.batch, r.rc, r.reversed) for r in rows] == [
                ("sign_on", 7, 1, "00", False)]
            assert hoststate.ledger_rows(host, DEMO.tid, kind="sale") == []
            assert hoststate.ledger_rows(host, DEMO.tid, trace=8) == []
        finally:
            await host.stop()

    asyncio.run(main())


def test_a_host_taken_down_closes_its_connections_and_refuses_new_ones(tmp_path: Path) -> None:
    async def main() -> None:
        host = ReferenceHost(tmp_path / "host.db", tls=None)
        network = MemoryNetwork({str(PRIMARY): host, str(BACKUP): host})
        link = HostLink(LinkConfig(primary=PRIMARY, backup=BACKUP), connector=network)
        try:
            assert (await link.exchange(sign_on(1))).get(39) == "00"
            assert link.connected_to == PRIMARY
            network.set_down(str(PRIMARY))
            assert (await link.exchange(sign_on(2))).get(39) == "00"
            assert link.connected_to == BACKUP  # the open connection was closed
            network.set_down(str(BACKUP))
            with pytest.raises(HostUnreachableError, match=r"memory:1: .*memory:2: "):
                await link.exchange(sign_on(3))
            network.set_down(str(PRIMARY), down=False)
            assert (await link.exchange(sign_on(4))).get(39) == "00"
            assert link.connected_to == PRIMARY
        finally:
            await link.close()
            await host.stop()

    asyncio.run(main())


def test_a_failing_pin_pad_raises_a_device_error_for_the_waiting_request() -> None:
    async def main() -> None:
        pad = FakePinPad()
        pad.load_pik(bytes(16))
        request = asyncio.create_task(pad.get_pin_block(ALICE.pan, 100))
        await asyncio.sleep(0)
        assert pad.asking
        pad.fail()
        with pytest.raises(DeviceError, match="PIN pad failure"):
            await request
        assert not pad.asking
        pad.enter("123456")  # the pad works again afterwards
        assert await pad.get_pin_block(ALICE.pan, 100) is not None

    asyncio.run(main())
