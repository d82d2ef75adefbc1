"""Parsers of the proof verbs, and of the proof keys of ``expect_host``,
``expect_journal``, ``expect_receipt`` and ``paper_out`` (docs/qa.md).

Each parser reads one argument node and returns its step, or raises a
:class:`~xpos.errors.ScenarioError` naming the file, line and key. Rows for these verbs
are in :data:`xpos.qa.verbs.REGISTRY`.
"""

from __future__ import annotations

import re
from typing import Any

from xpos.qa.model import Step
from xpos.qa.proof_model import (
    DeviceFaultStep,
    ExpectHostStateStep,
    ExpectOrderStep,
    HostControlStep,
    MarkStep,
    NeverShownStep,
)
from xpos.qa.readers import (
    NO_ARG,
    read_bool,
    read_choice,
    read_int,
    read_list,
    read_mapping,
    read_text,
)
from xpos.qa.yamlsrc import YNode

#: Fields that carry card data or a PIN block: checked only as ``present`` / ``none``.
SECRET_FIELDS = frozenset({2, 35, 36, 45, 52, 53, 55})
HOST_CONTROLS = ("down", "up", "forget_keys")
HOST_SIDES = ("all", "primary", "backup")
DEVICE_FAULTS = ("card_read_error", "pinpad_error")
HOST_STATE_SUBJECTS = ("card", "voucher", "ledger", "batch")
HOST_STATE_CHECKS: dict[str, tuple[str, ...]] = {
    "card": ("balance", "status"), "voucher": ("status", "quantity"),
    "ledger": ("count", "rc", "amount", "reversed", "batch"), "batch": ()}
HOST_STATE_KEYS = (*HOST_STATE_SUBJECTS, "balance", "status", "count", "rc", "amount",
                   "reversed", "quantity")
LEDGER_SELECT = ("kind", "trace")
JOURNAL_REVERSAL = ("pending", "done", "none")
ORDER_KEYS = ("sent", "exactly")


# -- keys added to existing verbs ------------------------------------------------------


def read_which(node: YNode) -> int:
    """``which``: ``last`` (-1), ``first`` (1) or a 1-based number."""
    text = read_text(node, "which")
    if text in ("last", "first"):
        return -1 if text == "last" else 1
    return read_int(node, "which", low=1)


def read_fields(node: YNode, key: str) -> tuple[tuple[int, str], ...]:
    """``{39: A0, 61: "..."}``: field number -> value, ``none`` (absent) or ``present``."""
    if not isinstance(node.value, dict) or not node.value:
        raise node.error(f"{key} is a mapping of field numbers to values, e.g. "
                         f"{{39: \"A0\"}}", key=key)
    fields: list[tuple[int, str]] = []
    for name, value in node.value.items():
        if not re.fullmatch(r"[1-9]\d{0,2}", name) or int(name) > 128:
            raise node.key_error(name, f"{key}: {name!r} is not a field number (1-128)")
        text = read_text(value, name)
        if int(name) in SECRET_FIELDS and text not in ("present", "none"):
            raise value.error(f"field {name} holds card data or a PIN block: check it with "
                              f"present or none, never its value", key=name)
        fields.append((int(name), text))
    return tuple(fields)


def read_journal_row(node: YNode, fields: tuple[str, ...]) -> tuple[tuple[str, Any], ...]:
    """``row: {trace: 2, status: approved, reversal: none, …}``: ``trace`` first."""
    allowed = ("trace", *fields, "reversal")
    found = read_mapping(node, "row", allowed, required=("trace",))
    if len(found) < 2:
        raise node.error("row needs trace and at least one field (" + ", ".join(
            allowed[1:]) + ")", key="row")
    row: list[tuple[str, Any]] = [("trace", read_int(found.pop("trace"), "trace", low=1))]
    for key, value in found.items():
        if key == "reversal":
            row.append((key, read_choice(value, key, JOURNAL_REVERSAL)))
        else:
            row.append((key, read_int(value, key, low=0) if key in ("amount", "batch")
                        else read_text(value, key)))
    return tuple(row)


def read_job(node: YNode) -> int:
    """``job``: a 1-based print job number, or ``last`` (-1)."""
    return -1 if read_text(node, "job") == "last" else read_int(node, "job", low=1)


# -- the proof verbs -------------------------------------------------------------------


def parse_mark(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    """``mark``: no argument."""
    if arg.value not in NO_ARG and arg.value != {}:
        raise arg.error("mark takes no argument (write '- mark')", key="mark")
    return MarkStep(line=line)


def parse_expect_order(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    """``expect_order: [reversal, sale]`` or ``{sent: [0400, 0200], exactly: true}``."""
    from xpos.qa.verbs import HOST_MESSAGES  # the kinds' table lives with expect_host

    exactly = False
    items = arg
    if isinstance(arg.value, dict):
        found = read_mapping(arg, "expect_order", ORDER_KEYS, required=("sent",))
        items = found["sent"]
        exactly = read_bool(found["exactly"], "exactly") if "exactly" in found else False
    sent: list[str] = []
    for item in read_list(items, "sent"):
        text = read_text(item, "sent", nonempty=True)
        if re.fullmatch(r"\d{4}", text):
            sent.append(text)
        else:
            word = read_choice(item, "sent", (*HOST_MESSAGES,))
            sent.append(HOST_MESSAGES[word])
    if not sent:
        raise arg.error("expect_order needs the requests in order, e.g. [reversal, sale]",
                        key="expect_order")
    return ExpectOrderStep(line=line, sent=tuple(sent), exactly=exactly)


def parse_expect_host_state(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    """``expect_host_state: {card: alice, balance: 98766}`` and the other subjects."""
    found = read_mapping(arg, "expect_host_state", HOST_STATE_KEYS)
    subjects = [k for k in HOST_STATE_SUBJECTS if k in found]
    if len(subjects) != 1:
        raise arg.error("expect_host_state needs exactly one of " + ", ".join(
            HOST_STATE_SUBJECTS), key="expect_host_state")
    subject = subjects[0]
    node = found.pop(subject)
    for key in found:
        if key not in HOST_STATE_CHECKS[subject]:
            raise arg.key_error(key, f"{key!r} is not checked for a {subject} (checks: "
                                     f"{', '.join(HOST_STATE_CHECKS[subject]) or 'none'})")
    if subject == "batch":
        return ExpectHostStateStep(line=line, subject=subject,
                                   checks=(("batch", read_int(node, "batch", low=0)),))
    if not found:
        raise arg.error(f"expect_host_state: say what to check of the {subject} ("
                        + ", ".join(HOST_STATE_CHECKS[subject]) + ")", key=subject)
    checks = tuple((key, _state_value(subject, key, value)) for key, value in found.items())
    if subject == "card":
        card = read_text(node, "card", nonempty=True)
        if card not in cards:
            raise node.error(f"unknown card id {card!r} (fixture cards and demo cards: "
                             f"{', '.join(cards)})", key="card")
        pan = cards[card].replace("D", "=").split("=", 1)[0]
        return ExpectHostStateStep(line=line, subject=subject, key=pan, label=card,
                                   checks=checks)
    if subject == "voucher":
        return ExpectHostStateStep(line=line, subject=subject, checks=checks,
                                   key=read_text(node, "voucher", nonempty=True))
    select = read_mapping(node, "ledger", LEDGER_SELECT)
    chosen = tuple((k, read_int(v, k, low=1) if k == "trace" else read_text(v, k, nonempty=True))
                   for k, v in select.items())
    return ExpectHostStateStep(line=line, subject=subject, select=chosen, checks=checks)


def _state_value(subject: str, key: str, node: YNode) -> Any:
    if key == "status":
        choices = ("active", "blocked") if subject == "card" else ("valid", "used")
        return read_choice(node, key, choices)
    if key == "reversed":
        return read_bool(node, key)
    if key == "rc":
        code = read_text(node, key)
        if not re.fullmatch(r"[0-9A-Z]{2}", code):
            raise node.error("rc is a 2-character response code, e.g. \"00\"", key=key)
        return code
    return read_int(node, key, low=0)


def parse_host_control(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    """``host_control: down`` / ``up`` / ``forget_keys`` / ``{down: primary}``."""
    if isinstance(arg.value, str):
        return HostControlStep(line=line, action=read_choice(arg, "host_control", HOST_CONTROLS))
    found = read_mapping(arg, "host_control", ("down", "up"))
    if len(found) != 1:
        raise arg.error("host_control takes down, up, forget_keys, {down: primary|backup|all}"
                        " or {up: …}", key="host_control")
    action, node = next(iter(found.items()))
    return HostControlStep(line=line, action=action, which=read_choice(node, action, HOST_SIDES))


def parse_device_fault(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    """``device_fault: card_read_error`` or ``pinpad_error``."""
    return DeviceFaultStep(line=line, fault=read_choice(arg, "device_fault", DEVICE_FAULTS))


def parse_never_shown(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    """``never_shown: "text"``."""
    return NeverShownStep(line=line, text=read_text(arg, "never_shown", nonempty=True))
