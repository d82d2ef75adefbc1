import asyncio

from xpos.drivers.fake_pinpad import FakePinPad

PAN = "6212345678901234567"


def test_a_withdrawn_request_stops_waiting_and_leaves_the_next_entry_for_the_next_request():
    async def main() -> None:
        pad = FakePinPad()
        pad.load_pik(bytes(16))
        request = asyncio.create_task(pad.get_pin_block(PAN, 100))
        await asyncio.sleep(0)
        assert pad.asking
        request.cancel()
        await asyncio.gather(request, return_exceptions=True)
        assert (pad.asking, pad.withdrawn) == (False, 1)
        pad.enter("123456")
        block = await asyncio.wait_for(pad.get_pin_block(PAN, 100), 1.0)
        assert block is not None and len(block) == 8

    asyncio.run(main())
