"""Money: amounts are integers in fen; text only at the edges."""

from __future__ import annotations


def format_fen(amount: int) -> str:
    """Format an integer amount in fen as yuan with two decimals, e.g. ``1234 -> '12.34'``.

    Raises:
        ValueError: for a negative amount.
    """
    if amount < 0:
        raise ValueError("amount must not be negative")
    return f"{amount // 100}.{amount % 100:02d}"
