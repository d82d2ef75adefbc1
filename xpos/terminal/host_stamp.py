"""The host's date and time of an answer, kept in the journal row for slips rebuilt later.

The approving answer carries the host's transaction date (F13, ``MMDD``) and time (F12,
``hhmmss``); the slip printed at the time shows them. They are written into the row's
``detail`` (keys :data:`HOST_DATE` and :data:`HOST_TIME`) in the same journal
transaction that records the approval, so a slip rebuilt after a lost receipt
(:mod:`xpos.terminal.slip_rebuild`) prints the same date and time. The year is not on the
wire: :func:`stamped_time` places it next to the row's commit time
(:func:`xpos.core.rules.host_time`). No migration: ``detail`` is the row's JSON column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from xpos.core import rules
from xpos.proto.codec import Message

__all__ = ["HOST_DATE", "HOST_TIME", "host_stamp", "stamped_time"]

HOST_DATE = "host_date"
"""Detail key: F13 of the approving answer, ``MMDD`` (also 61.3 of later pre-auth requests)."""
HOST_TIME = "host_time"
"""Detail key: F12 of the approving answer, ``hhmmss``."""


def host_stamp(response: Message | None) -> dict[str, str]:
    """F13 and F12 of ``response`` as detail keys; a missing or malformed one is left out."""
    if response is None:
        return {}
    stamp: dict[str, str] = {}
    for key, number in ((HOST_DATE, 13), (HOST_TIME, 12)):
        value = response.get(number)
        if _well_formed(key, value):
            stamp[key] = str(value)
    return stamp


def stamped_time(detail: Mapping[str, object], near: dt.datetime) -> dt.datetime | None:
    """The host's time kept in ``detail``, its year placed nearest ``near`` (the commit
    time); ``None`` when the row has no usable host date and time (an older row, or an
    answer without them)."""
    date, time = detail.get(HOST_DATE), detail.get(HOST_TIME)
    if not _well_formed(HOST_DATE, date) or not _well_formed(HOST_TIME, time):
        return None
    when = rules.host_time(near, str(date), str(time))
    return None if when is near else when  # host_time hands ``near`` back when unusable


def _well_formed(key: str, value: object) -> bool:
    size = 4 if key == HOST_DATE else 6
    return isinstance(value, str) and len(value) == size and value.isascii() and value.isdigit()
