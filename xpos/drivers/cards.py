"""Waiting on several card readers at once.

:class:`CardMux` keeps at most one outstanding ``read_card()`` per reader, across calls.
A card that arrives on a reader that is not wanted right now (or at the same instant as
another one) stays parked in its finished read and is returned by the next ``read()``
that allows its source: no card is ever dropped. :func:`read_any_card` is the one-shot
form for scripts and tests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Sequence

from xpos.drivers.base import CardReader
from xpos.model import CardData, CardSource


def reader_matches(reader: CardReader, sources: Collection[CardSource]) -> bool:
    """True if the reader's ``source`` is in ``sources`` (or it declares none)."""
    source = getattr(reader, "source", None)
    return source is None or source in sources


class CardMux:
    """Reads from whichever of several card readers delivers first.

    Args:
        readers: The terminal's card readers.
    """

    def __init__(self, readers: Sequence[CardReader]) -> None:
        self._readers = tuple(readers)
        self._reads: dict[int, asyncio.Future[CardData]] = {}

    async def read(self, sources: Collection[CardSource]) -> CardData:
        """Wait for a card from a reader allowed by ``sources``.

        Cancel-safe. Parked cards are returned first, in reader order.

        Raises:
            ValueError: if no reader matches ``sources``.
            CardReadError: if the delivering reader got unusable data.
        """
        chosen = [i for i, r in enumerate(self._readers) if reader_matches(r, sources)]
        if not chosen:
            raise ValueError("no card reader for the allowed card sources")
        for i in chosen:
            if i not in self._reads:
                self._reads[i] = asyncio.ensure_future(self._readers[i].read_card())
        await asyncio.wait([self._reads[i] for i in chosen], return_when=asyncio.FIRST_COMPLETED)
        first = next(i for i in chosen if self._reads[i].done())
        return self._reads.pop(first).result()

    async def aclose(self) -> None:
        """Cancel the outstanding reads (parked cards are discarded)."""
        reads = list(self._reads.values())
        self._reads.clear()
        for read in reads:
            read.cancel()
        await asyncio.gather(*reads, return_exceptions=True)


async def read_any_card(
    readers: Sequence[CardReader], sources: Collection[CardSource]
) -> CardData:
    """One-shot: the first card from any reader allowed by ``sources``.

    The other reads are cancelled; a card another reader delivered at the very same
    instant is discarded, so a long-running program should keep a :class:`CardMux`.

    Raises:
        ValueError: if no reader matches ``sources``.
        CardReadError: if the delivering reader got unusable data.
    """
    mux = CardMux(readers)
    try:
        return await mux.read(sources)
    finally:
        await mux.aclose()
