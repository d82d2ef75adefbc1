"""The ``key_original`` verb: key the RRN and date of a journaled transaction.

A refund names its original by the host's retrieval reference number (RRN) and the
date of the sale, which a scenario cannot write down in advance (the host makes the
RRN from its date). ``- key_original: 2`` looks up the terminal journal's transaction
with trace number 000002 and presses its RRN, ``#``, its date (MMDD, local time) and
``#``, as a merchant copying them from the sale slip would. ``{trace: 2, date: "0101"}``
keys another date (to see a wrong date refused).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xpos.model import Key
from xpos.qa.actions import Run, StepFailed, settle
from xpos.qa.model import Step
from xpos.qa.readers import read_mapping, read_text
from xpos.qa.yamlsrc import YNode


@dataclass(frozen=True, kw_only=True)
class KeyOriginalStep(Step):
    """Key the RRN and date of the journal's transaction ``trace`` (date overridable)."""

    trace: int
    date: str | None = None

    def _arg(self) -> str:
        return f"trace {self.trace:06d}" + (f", date {self.date}" if self.date else "")


def parse_key_original(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    """``key_original: 2`` or ``key_original: {trace: 2, date: "0101"}``."""
    if isinstance(arg.value, dict):
        f = read_mapping(arg, "key_original", ("trace", "date"), required=("trace",))
        trace_node, date = f["trace"], read_text(f["date"], "date") if "date" in f else None
        if date is not None and not (len(date) == 4 and date.isdigit()):
            raise f["date"].error("date must be MMDD (4 digits)", key="date")
    else:
        trace_node, date = arg, None
    text = str(trace_node.value)
    if not (text.isdigit() and 1 <= int(text) <= 999999):
        raise trace_node.error("key_original takes a trace number (1-999999)",
                               key="key_original")
    return KeyOriginalStep(line=line, trace=int(text), date=date)


def original_keys(journal_rrn: str | None, created_at: str, date: str | None) -> tuple[Key, ...]:
    """The keys that enter ``rrn#MMDD#``.

    Raises:
        StepFailed: the transaction has no 12-character RRN.
    """
    if journal_rrn is None or len(journal_rrn) != 12 or not journal_rrn.isdigit():
        raise StepFailed(f"the original has no RRN to key (got {journal_rrn!r})")
    when = dt.datetime.fromisoformat(created_at).astimezone()
    text = f"{journal_rrn}#{date or when.strftime('%m%d')}#"
    return tuple(Key.parse(char) for char in text)


async def key_original(run: Run, step: Step) -> None:
    """Press the RRN and date of the journal's transaction with the step's trace number."""
    assert isinstance(step, KeyOriginalStep)
    record = run.rig.terminal.journal.by_stan(step.trace)
    if record is None:
        raise StepFailed(f"no transaction with trace number {step.trace:06d} in the journal")
    run.rig.keypad.press(*original_keys(record.rrn, record.created_at, step.date))
    await settle(run)
