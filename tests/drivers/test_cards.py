from __future__ import annotations

import asyncio

import pytest

from xpos.drivers import CardMux, CardReadError, read_any_card
from xpos.drivers.fake_cards import FakeCardReader, FakeRfidReader, FakeScanner
from xpos.model import CardData, CardSource

TRACK2 = "6212345678901234567=30121010000000000"
ALL = (CardSource.SWIPE, CardSource.TAP, CardSource.SCAN)


def _readers() -> tuple[FakeCardReader, FakeRfidReader, FakeScanner]:
    return FakeCardReader(), FakeRfidReader(), FakeScanner()


def test_mux_returns_simultaneous_cards_one_after_another_without_loss() -> None:
    swipe, tap, scan = _readers()
    swipe.swipe(TRACK2)
    tap.tap("04A1B2C3")
    scan.scan("VC1")

    async def main() -> list[CardData]:
        mux = CardMux([swipe, tap, scan])
        cards = [await mux.read(ALL) for _ in range(3)]
        await mux.aclose()
        return cards

    cards = asyncio.run(main())
    assert [c.source for c in cards] == [CardSource.SWIPE, CardSource.TAP, CardSource.SCAN]


def test_mux_parks_a_card_from_a_source_not_allowed_now() -> None:
    swipe, tap, scan = _readers()
    tap.tap("04A1B2C3")

    async def main() -> tuple[CardData, CardData]:
        mux = CardMux([swipe, tap, scan])
        scan_task = asyncio.ensure_future(mux.read([CardSource.SCAN]))
        await asyncio.sleep(0)
        scan.scan("VC42")
        first = await scan_task
        later = await mux.read([CardSource.TAP])
        await mux.aclose()
        return first, later

    first, later = asyncio.run(main())
    assert (first.code, later.uid) == ("VC42", "04A1B2C3")


def test_mux_read_cancelled_by_timeout_loses_no_card() -> None:
    swipe, tap, scan = _readers()

    async def main() -> CardData:
        mux = CardMux([swipe, tap, scan])
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(mux.read(ALL), 0.01)
        swipe.swipe(TRACK2)
        card = await mux.read(ALL)
        await mux.aclose()
        return card

    assert asyncio.run(main()).pan == "6212345678901234567"


def test_read_any_card_raises_the_card_read_error_of_a_bad_swipe() -> None:
    swipe, tap, scan = _readers()
    swipe.swipe("garbage")
    with pytest.raises(CardReadError):
        asyncio.run(read_any_card([swipe, tap, scan], ALL))


def test_read_any_card_needs_a_matching_reader() -> None:
    swipe, _, _ = _readers()
    with pytest.raises(ValueError, match="no card reader"):
        asyncio.run(read_any_card([swipe], [CardSource.TAP]))
