"""Hidden input values at the platform: opened from their seals, checked, never echoed.

An ``input`` step's field marked ``hidden = true`` reaches the platform sealed under the
terminal's TDK (``DF4E``, :mod:`xpos.security.platform_value`), with an empty ``DF45`` in
its place. :func:`open_hidden` puts the opened values back in place before the runner keeps
them, and refuses the step when a hidden field came in clear, came without its seal, or its
seal does not open for this session, step and field. Texts never show a hidden value: the
loader refuses ``{name}`` of one (:mod:`xpos.refhost.services.model`), and the runner
renders any that slips through as :data:`MASK`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from xpos.proto.interactive import StepReport
from xpos.refhost.services.model import StepSpec

__all__ = ["MASK", "Unseal", "open_hidden"]

MASK = "****"
"""How a text shows a hidden value."""

Unseal = Callable[[bytes, int, int], str | None]
"""``(cipher, step number, position) -> value`` (None: does not open) for this session."""

NOT_SEALED = "隐藏输入未加密\nhidden value not sealed"
BAD_SEAL = "隐藏输入无法解密\nhidden value does not open"


def open_hidden(spec: StepSpec, report: StepReport, number: int,
                unseal: Unseal | None) -> tuple[StepReport, str | None]:
    """``report`` with its hidden values opened, or the reason the step is refused.

    Args:
        spec: The input step the report answers.
        report: The terminal's report (hidden values empty, their seals in ``sealed``).
        number: The step number reported.
        unseal: Opens a seal with the terminal's TDK (None: the terminal has no TDK).
    """
    hidden = [n for n, f in enumerate(spec.fields, 1) if f.hidden]
    if not hidden or report.result != "00":
        return report, None
    seals = dict(report.sealed)
    values = list(report.values)
    for position in hidden:
        if position > len(values) or values[position - 1]:
            return report, NOT_SEALED
        cipher = seals.get(position)
        if cipher is None or unseal is None:
            return report, NOT_SEALED
        value = unseal(cipher, number, position)
        if value is None:
            return report, BAD_SEAL
        values[position - 1] = value
    return replace(report, values=tuple(values), sealed=()), None
