"""The scenario verbs, in one registry: name, parser, action (see docs/qa.md).

:data:`REGISTRY` has one :class:`Verb` per word a scenario step may start with: the
:class:`~xpos.qa.model.Step` type it makes, the parser of its argument (here) and the
action that runs it (:mod:`xpos.qa.actions`). Adding a verb is a step type in
:mod:`xpos.qa.model`, a parser and an action, and one row here (then a line in
docs/qa.md, which tests/qa/test_docs.py holds to :data:`VERBS`).

:func:`parse_step` turns one step node into a step; an unknown verb, key name or card
id, or an argument of the wrong shape, is a located error that names it.
:data:`ACTIONS` is the runner's view: the action of each step type.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from xpos.model import Key
from xpos.qa import actions, refs
from xpos.qa import proof_actions as pa
from xpos.qa import proof_model as pm
from xpos.qa import proof_parse as pp
from xpos.qa import till_verbs as tv
from xpos.qa.actions import Action
from xpos.qa.model import (
    ExpectHostStep,
    ExpectJournalStep,
    ExpectReceiptStep,
    ExpectScreenStep,
    HostFaultStep,
    KeysStep,
    PaperStep,
    PinStep,
    PowerCycleStep,
    ScanStep,
    SelectStep,
    Step,
    SwipeStep,
    TapStep,
    WaitStep,
    masked,
)
from xpos.qa.readers import (
    NO_ARG,
    did_you_mean,
    read_bool,
    read_choice,
    read_digits,
    read_int,
    read_list,
    read_mapping,
    read_seconds,
    read_text,
    read_texts,
)
from xpos.qa.yamlsrc import YNode

#: Simulated seconds an ``expect_*`` step waits by default.
DEFAULT_TIMEOUT_S = 60.0
HOST_MESSAGES = {"sign_on": "sign_on", "sale": "sale", "void": "void", "reversal": "reversal",
                 "voucher": "voucher_verify", "voucher_verify": "voucher_verify"}
HOST_MESSAGES |= {kind: kind for kind in ("preauth", "preauth_void", "completion",
                                          "completion_void")}  # the pre-auth family
HOST_MESSAGES.update(session_open="session_open", session_step="session_step")  # X3
HOST_MESSAGES.update(settle="settle", x_settle="x_settle",
                     batch_upload="batch_upload", batch_end="batch_end")
HOST_MESSAGES.update(voucher_query="voucher_query", voucher_void="voucher_void")  # X1
HOST_CHECKS = ("message", "response_code", "amount", "mti", "count", "which", "fields",
               "response_fields")
HOST_MESSAGES.update(order_query="order_query", order_paid="order_paid",
                     party_debit="party_debit")  # X2
HOST_MESSAGES.update(refund="refund", balance="balance")
JOURNAL_LAST_FIELDS = ("type", "status", "amount", "response_code", "masked_pan", "domain",
                       "batch")
FAULTS: tuple[str, ...] = ("decline", "drop", "delay", "bad_mac", "close", "malformed", "truncated")
FAULTS += ("bad_tlv", "unknown_step")  # X3: what the platform's next step turns into
FAULTS += ("unbalanced",)  # settlement: the host books a sale the terminal never saw
_FAULT_KEYS = {"code": "decline", "seconds": "delay", "delay": "delay"}

StepParser = Callable[[YNode, int, dict[str, str]], Step]


@dataclass(frozen=True)
class Verb:
    """One scenario verb.

    Attributes:
        name: The word as written in a scenario (``keys``, ``paper_out`` …).
        step: The step type its parser makes.
        parse: Reads the argument node (its line, the scenario's card ids → track 2).
        act: Runs the step on a live scenario run.
        bare: True if the verb takes no argument and may be written as a bare word.
    """

    name: str
    step: type[Step]
    parse: StepParser
    act: Action
    bare: bool = False


def parse_step(node: YNode, cards: dict[str, str]) -> Step:
    """One step from its node; ``cards`` maps card ids to their track 2.

    Raises:
        ScenarioError: an unknown verb or an argument it does not take.
    """
    if isinstance(node.value, str):
        word = node.value
        known = BY_NAME.get(word)
        if known is not None and known.bare:
            return _parse(known, YNode({}, node.line, node.path), node.line, cards)
        if known is not None:
            raise node.error(f"{word} needs an argument, e.g. '- {word}: ...' (docs/qa.md)",
                             key=word)
        raise node.error(f"unknown verb {word!r}{did_you_mean(word, BY_NAME)}", key=word)
    if not isinstance(node.value, dict) or len(node.value) != 1:
        raise node.error("a step is one 'verb: argument' pair, e.g. '- keys: \"123#\"'")
    name, arg = next(iter(node.value.items()))
    verb = BY_NAME.get(name)
    if verb is None:
        raise node.error(f"unknown verb {name!r}{did_you_mean(name, BY_NAME)}", key=name)
    return _parse(verb, arg, node.line, cards)


def _parse(verb: Verb, arg: YNode, line: int, cards: dict[str, str]) -> Step:
    step = verb.parse(arg, line, cards)
    assert isinstance(step, verb.step), f"{verb.name} parsed into {type(step).__name__}"
    return replace(step, verb=verb.name)


def _select(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    return SelectStep(line=line, label=read_text(arg, "select", nonempty=True))


def _keys(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    items = [arg] if isinstance(arg.value, str) else read_list(arg, "keys")
    keys: list[Key] = []
    in_list = isinstance(arg.value, list)
    for item in items:
        text = read_text(item, "keys", nonempty=True)
        named = _named_key(text) if in_list else None
        if named is not None:
            keys.append(named)
            continue
        if len(text) > 1 and text.isalpha():
            hint = "" if in_list else f" (named keys go in a list: keys: [{text.upper()}])"
            names = [k.value for k in Key if len(k.value) > 1]
            if in_list or text.upper() not in names:
                hint = f"{did_you_mean(text.upper(), names)} (named keys: {_key_names()})"
            raise item.error(f"unknown key {text!r}{hint}", key=text)
        for char in text:
            try:
                keys.append(Key.parse(char))
            except ValueError:
                raise item.error(f"unknown key {char!r} in {text!r} (keys: 0-9, *, #; named "
                                 f"keys go in a list: keys: [\"123\", ENTER]; named keys: "
                                 f"{_key_names()})", key=char) from None
    if not keys:
        raise arg.error("keys: nothing to press", key="keys")
    return KeysStep(line=line, keys=tuple(keys))


def _swipe(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    if isinstance(arg.value, str):
        return SwipeStep(line=line, card=arg.value, track2=_card_track(arg, cards))
    f = read_mapping(arg, "swipe", ("card", "track2"))
    if len(f) != 1:
        raise arg.error("swipe takes a card id, {card: id} or {track2: ...}", key="swipe")
    if "card" in f:
        return SwipeStep(line=line, card=f["card"].value if isinstance(f["card"].value, str)
                         else "", track2=_card_track(f["card"], cards))
    track2 = read_text(f["track2"], "track2", nonempty=True)
    if not re.fullmatch(r"\d{12,19}[=D]\d{4}\d*", track2):
        raise f["track2"].error("track2 must be PAN '=' YYMM service code and data (digits)",
                                key="track2")
    return SwipeStep(line=line, card="track2", track2=track2)


def _tap(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    node = read_mapping(arg, "tap", ("uid",), required=("uid",))["uid"] if isinstance(
        arg.value, dict) else arg
    uid = read_text(node, "uid", nonempty=True)
    if not re.fullmatch(r"(?:[0-9A-Fa-f]{2}){4,10}", uid):
        raise node.error(f"uid must be 4 to 10 bytes of hex, got {uid!r}", key="uid")
    return TapStep(line=line, uid=uid.upper())


def _scan(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    node = read_mapping(arg, "scan", ("code",), required=("code",))["code"] if isinstance(
        arg.value, dict) else arg
    return ScanStep(line=line, code=read_text(node, "scan", nonempty=True))


def _pin(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    text = read_text(arg, "pin", nonempty=True)
    if text.lower() == "cancel":
        return PinStep(line=line, pin=None)
    if not (text.isdigit() and 4 <= len(text) <= 12):
        raise arg.error("pin must be 4 to 12 digits (or 'cancel')", key="pin")
    return PinStep(line=line, pin=text)


def _expect_screen(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    if isinstance(arg.value, str):
        return ExpectScreenStep(line=line, text=read_text(arg, "expect_screen", nonempty=True),
                                regex=None, absent=False, timeout_s=DEFAULT_TIMEOUT_S)
    f = read_mapping(arg, "expect_screen", ("text", "regex", "absent", "timeout"))
    if ("text" in f) == ("regex" in f):
        raise arg.error("expect_screen needs exactly one of text or regex", key="expect_screen")
    regex = None
    if "regex" in f:
        try:
            regex = re.compile(read_text(f["regex"], "regex", nonempty=True), re.MULTILINE)
        except re.error as exc:
            raise f["regex"].error(f"bad regex: {exc}", key="regex") from None
    return ExpectScreenStep(
        line=line, text=read_text(f["text"], "text", nonempty=True) if "text" in f else None,
        regex=regex, absent=read_bool(f["absent"], "absent") if "absent" in f else False,
        timeout_s=_timeout(f))


def _expect_receipt(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    if isinstance(arg.value, str):
        return ExpectReceiptStep(line=line, contains=(read_text(arg, "expect_receipt",
                                                            nonempty=True),),
                                 not_contains=(), timeout_s=DEFAULT_TIMEOUT_S)
    f = read_mapping(arg, "expect_receipt", ("contains", "not_contains", "timeout", "jobs",
                                             "job"))
    step = ExpectReceiptStep(line=line, contains=read_texts(f.get("contains"), "contains"),
                             not_contains=read_texts(f.get("not_contains"), "not_contains"),
                             timeout_s=_timeout(f),
                             jobs=read_int(f["jobs"], "jobs", low=0) if "jobs" in f else None,
                             job=pp.read_job(f["job"]) if "job" in f else None)
    if not step.contains and not step.not_contains and step.jobs is None:
        raise arg.error("expect_receipt needs contains, not_contains and/or jobs",
                        key="expect_receipt")
    return step


def _expect_host(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    f = read_mapping(arg, "expect_host", HOST_CHECKS)
    if "message" not in f and "mti" not in f:
        raise arg.error("expect_host needs 'message' (or 'mti')", key="message")
    message = read_choice(f["message"], "message", tuple(HOST_MESSAGES)) if "message" in f else ""
    checks: list[tuple[str, Any]] = []
    if "response_code" in f:
        code = read_text(f["response_code"], "response_code")
        if code != "none" and not re.fullmatch(r"[0-9A-Z]{2}", code):
            raise f["response_code"].error("response_code is 2 characters, e.g. \"00\", or "
                                           "none (no response)", key="response_code")
        checks.append(("response_code", code))
    if "amount" in f:
        checks.append(("amount", read_int(f["amount"], "amount", low=0)))
    if "mti" in f:
        checks.append(("mti", read_digits(f["mti"], "mti", 4, 4)))
    if "count" in f:
        checks.append(("count", read_int(f["count"], "count", low=0)))
    return ExpectHostStep(
        line=line, message=HOST_MESSAGES.get(message, ""), checks=tuple(checks),
        which=pp.read_which(f["which"]) if "which" in f else -1,
        fields=pp.read_fields(f["fields"], "fields") if "fields" in f else (),
        response_fields=pp.read_fields(f["response_fields"], "response_fields")
        if "response_fields" in f else ())


def _expect_journal(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    f = read_mapping(arg, "expect_journal", ("last", "pending_reversal", "count", "row"))
    if not f:
        raise arg.error("expect_journal needs last, pending_reversal, count or row",
                        key="expect_journal")
    last: list[tuple[str, Any]] = []
    if "last" in f:
        fields = read_mapping(f["last"], "last", JOURNAL_LAST_FIELDS)
        if not fields:
            raise f["last"].error("last needs at least one field (" + ", ".join(
                JOURNAL_LAST_FIELDS) + ")", key="last")
        for key, node in fields.items():
            value: Any = (read_int(node, key, low=0) if key in ("amount", "batch")
                          else read_text(node, key))
            last.append((key, value))
    return ExpectJournalStep(
        line=line, last=tuple(last),
        pending_reversal=read_bool(f["pending_reversal"], "pending_reversal")
        if "pending_reversal" in f else None,
        count=read_int(f["count"], "count", low=0) if "count" in f else None,
        row=pp.read_journal_row(f["row"], JOURNAL_LAST_FIELDS) if "row" in f else ())


def _host_fault(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    if isinstance(arg.value, str):
        return HostFaultStep(line=line, fault=read_choice(arg, "host_fault", FAULTS))
    f = read_mapping(arg, "host_fault", ("next", "code", "seconds", "delay", "on"))
    if "next" in f:
        fault = read_choice(f["next"], "next", FAULTS)
    elif "delay" in f:
        fault = "delay"
    else:
        raise arg.error("host_fault needs next: one of " + ", ".join(FAULTS), key="host_fault")
    for key in f:
        if key in ("code", "seconds", "delay") and _FAULT_KEYS[key] != fault:
            raise arg.key_error(
                key, f"{key!r} does not apply to a {fault} fault (it belongs to "
                     f"{_FAULT_KEYS[key]})")
    seconds_node = f.get("seconds") or f.get("delay")
    if fault == "delay" and seconds_node is None:
        raise arg.error("a delay needs seconds, e.g. {next: delay, seconds: 40s}", key="delay")
    code = read_text(f["code"], "code") if "code" in f else "05"
    if not re.fullmatch(r"[0-9A-Z]{2}", code):
        raise f["code"].error("code is a 2-character response code, e.g. \"51\"", key="code")
    on: tuple[str, ...] = ()
    if "on" in f:
        nodes = read_list(f["on"], "on") if isinstance(f["on"].value, list) else [f["on"]]
        on = tuple(HOST_MESSAGES[read_choice(n, "on", tuple(HOST_MESSAGES))] for n in nodes)
    return HostFaultStep(line=line, fault=fault, code=code, on=on,
                         seconds=read_seconds(seconds_node, "seconds") if seconds_node else 0.0)


def _power_cycle(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    _no_arg(arg, "power_cycle")
    return PowerCycleStep(line=line)


def _wait(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    return WaitStep(line=line, seconds=read_seconds(arg, "wait"))


def _paper_out(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    if isinstance(arg.value, dict) and arg.value:
        found = read_mapping(arg, "paper_out", ("after",), required=("after",))
        return PaperStep(line=line, paper=False, after=read_int(found["after"], "after", low=1))
    _no_arg(arg, "paper_out")
    return PaperStep(line=line, paper=False)


def _paper_reload(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    _no_arg(arg, "paper_reload")
    return PaperStep(line=line, paper=True)


#: Every verb, in the order docs/qa.md lists them.
REGISTRY: tuple[Verb, ...] = (
    Verb("select", SelectStep, _select, actions.select),
    Verb("keys", KeysStep, _keys, actions.keys),
    Verb("swipe", SwipeStep, _swipe, actions.swipe),
    Verb("tap", TapStep, _tap, actions.tap),
    Verb("scan", ScanStep, _scan, actions.scan),
    Verb("pin", PinStep, _pin, actions.pin),
    Verb("expect_screen", ExpectScreenStep, _expect_screen, actions.expect_screen),
    Verb("expect_receipt", ExpectReceiptStep, _expect_receipt, actions.expect_receipt),
    Verb("expect_host", ExpectHostStep, _expect_host, actions.expect_host),
    Verb("expect_journal", ExpectJournalStep, _expect_journal, actions.expect_journal),
    Verb("host_fault", HostFaultStep, _host_fault, actions.host_fault),
    Verb("power_cycle", PowerCycleStep, _power_cycle, actions.power_cycle, bare=True),
    Verb("wait", WaitStep, _wait, actions.wait),
    Verb("paper_out", PaperStep, _paper_out, actions.paper, bare=True),
    Verb("paper_reload", PaperStep, _paper_reload, actions.paper, bare=True),
    Verb("mark", pm.MarkStep, pp.parse_mark, pa.mark, bare=True),
    Verb("expect_order", pm.ExpectOrderStep, pp.parse_expect_order, pa.expect_order),
    Verb("expect_host_state", pm.ExpectHostStateStep, pp.parse_expect_host_state,
         pa.expect_host_state),
    Verb("host_control", pm.HostControlStep, pp.parse_host_control, pa.host_control),
    Verb("device_fault", pm.DeviceFaultStep, pp.parse_device_fault, pa.device_fault),
    Verb("never_shown", pm.NeverShownStep, pp.parse_never_shown, pa.never_shown),
    Verb("key_original", refs.KeyOriginalStep, refs.parse_key_original, refs.key_original),
    Verb("till", tv.TillStep, tv.parse_till, tv.till),
    Verb("expect_till", tv.ExpectTillStep, tv.parse_expect_till, tv.expect_till),
)
BY_NAME: dict[str, Verb] = {verb.name: verb for verb in REGISTRY}
#: Verbs (documented names) accepted in a scenario.
VERBS = tuple(BY_NAME)
#: The action of each step type (verbs sharing a step type share its action).
ACTIONS: dict[type[Step], Action] = {verb.step: verb.act for verb in REGISTRY}


def _timeout(fields: dict[str, YNode]) -> float:
    return read_seconds(fields["timeout"], "timeout") if "timeout" in fields else DEFAULT_TIMEOUT_S


def _no_arg(node: YNode, verb: str) -> None:
    if node.value not in NO_ARG and node.value != {}:
        raise node.error(f"{verb} takes no argument (write '{verb}: {{}}')", key=verb)


def _named_key(text: str) -> Key | None:
    if len(text) < 2:
        return None
    try:
        return Key.parse(text)
    except ValueError:
        return None


def _key_names() -> str:
    return ", ".join(k.value for k in Key if len(k.value) > 1)


def _card_track(node: YNode, cards: dict[str, str]) -> str:
    card = read_text(node, "card", nonempty=True)
    if card not in cards:
        shown = masked(card)
        hint = (" (a card is named by its id; swipe raw data with {track2: ...})"
                if shown != card else did_you_mean(card, cards))
        raise node.error(f"unknown card id {shown!r}{hint} (fixture cards and demo cards: "
                         f"{', '.join(cards)})", key=shown)
    return cards[card]
