"""The display's size, read once from its driver and handed to the pure core.

Display drivers (:mod:`xpos.drivers.fakes`, :mod:`xpos.drivers.files`, the pole display)
carry their size as ``rows`` and ``cols`` attributes; the ``Display`` protocol does not
require them, so a driver without them is taken to be the standard 8 x 20 display.
"""

from __future__ import annotations

from xpos.core.geometry import DEFAULT_GEOMETRY, Geometry

__all__ = ["display_geometry"]


def display_geometry(display: object) -> Geometry:
    """The :class:`~xpos.core.geometry.Geometry` of ``display`` (8 x 20 when it does not say).

    A size that is not a positive integer (``True``, ``0``, a string) is ignored in
    favour of the default, so a driver's oddity never stops the terminal.
    """
    rows = _size(getattr(display, "rows", None), DEFAULT_GEOMETRY.rows)
    cols = _size(getattr(display, "cols", None), DEFAULT_GEOMETRY.cols)
    return Geometry(rows=rows, cols=cols)


def _size(value: object, default: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return default
