"""Scenario files → :class:`~xpos.qa.model.Scenario` objects, or a located error.

The whole vocabulary is checked before anything runs: an unknown verb, key name, card
id, fixture kind or field is an error naming it, with the file and line (and a "did you
mean" when a known word is close). docs/qa.md documents every word accepted here.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from xpos.config import check_overrides
from xpos.core.model import Key
from xpos.emulator.host.seed import DEMO, track2_for
from xpos.errors import ConfigError, ScenarioError
from xpos.qa.model import (
    CardFixture,
    ExpectHostStep,
    ExpectJournalStep,
    ExpectReceiptStep,
    ExpectScreenStep,
    Fixtures,
    HostFaultStep,
    KeysStep,
    PaperStep,
    PinStep,
    PowerCycleStep,
    ProviderFixture,
    ScanStep,
    Scenario,
    SelectStep,
    Step,
    SwipeStep,
    TapStep,
    VoucherFixture,
    WaitStep,
    masked,
)
from xpos.qa.yamlsrc import YNode, load_yaml_file

#: Simulated seconds an ``expect_*`` step waits by default.
DEFAULT_TIMEOUT_S = 60.0

SCENARIO_KEYS = ("name", "description", "tags", "terminal", "fixtures", "sign_on", "steps")
TERMINAL_KEYS: dict[str, str] = {
    "tid": "str", "mid": "str", "merchant_name": "str", "operator": "str", "lang": "str",
    "mac_algorithm": "str", "mak_kcv": "str", "key_mode": "str", "encrypt_track": "bool",
    "connect_timeout_s": "float", "response_timeout_s": "float", "reversal_retries": "int",
    "menus_dir": "str", "pki_dir": "str",
}
CARD_FIELDS = ("id", "kind", "pan", "expiry", "pin", "balance", "status")
VOUCHER_FIELDS = ("code", "provider", "title", "quantity", "expires", "status")
PROVIDER_FIELDS = ("id", "name")
FIXTURE_KINDS = ("cards", "vouchers", "providers")
HOST_MESSAGES = {"sign_on": "sign_on", "sale": "sale", "reversal": "reversal",
                 "voucher": "voucher_verify", "voucher_verify": "voucher_verify"}
HOST_CHECKS = ("message", "response_code", "amount", "mti", "count")
JOURNAL_LAST_FIELDS = ("type", "status", "amount", "response_code", "masked_pan", "domain",
                       "batch")
FAULTS = ("decline", "drop", "delay", "bad_mac", "close", "malformed", "truncated")
_NO_ARG = ("", "~", "null")
_FAULT_KEYS = {"code": "decline", "seconds": "delay", "delay": "delay"}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$")


def load_scenarios(path: Path) -> list[Scenario]:
    """All scenarios of one file (a mapping is one scenario, a list several).

    Raises:
        ScenarioError: the file is invalid; the error names file, line and key.
    """
    root = load_yaml_file(path)
    if root is None:
        raise ScenarioError("the file is empty", path=str(path), line=0, key="")
    if isinstance(root.value, list):
        if not root.value:
            raise root.error("the list of scenarios is empty")
        scenarios = [parse_scenario(item) for item in root.value]
    else:
        scenarios = [parse_scenario(root)]
    _check_unique_names(scenarios)
    return scenarios


def find_scenario_files(paths: Iterable[Path]) -> list[Path]:
    """The ``*.yaml`` / ``*.yml`` files named or found (recursively, sorted) under ``paths``.

    Raises:
        ScenarioError: a path does not exist.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml"))
        elif path.is_file():
            files.append(path)
        else:
            raise ScenarioError("no such file or directory", path=str(path), line=0, key="")
    return files


def parse_scenario(node: YNode) -> Scenario:
    """Build one scenario from its mapping node.

    Raises:
        ScenarioError: anything invalid in it.
    """
    fields = _mapping(node, "a scenario", SCENARIO_KEYS, required=("name", "steps"))
    fixtures = _fixtures(fields["fixtures"]) if "fixtures" in fields else Fixtures()
    cards = {c.holder: c.track2 for c in DEMO.cards} | {c.id: c.track2 for c in fixtures.cards}
    steps_node = fields["steps"]
    steps = [_step(item, cards) for item in _list(steps_node, "steps")]
    if not steps:
        raise steps_node.error("a scenario needs at least one step", key="steps")
    return Scenario(
        name=_text(fields["name"], "name", nonempty=True),
        path=node.path,
        line=node.line,
        tags=tuple(_text(t, "tags") for t in _list(fields["tags"], "tags"))
        if "tags" in fields else (),
        terminal=_terminal(fields["terminal"]) if "terminal" in fields else (),
        fixtures=fixtures,
        sign_on=_bool(fields["sign_on"], "sign_on") if "sign_on" in fields else True,
        steps=tuple(steps),
    )


# -- fixtures ----------------------------------------------------------------------------


def _fixtures(node: YNode) -> Fixtures:
    kinds = _mapping(node, "fixtures", FIXTURE_KINDS)
    cards = tuple(_card(n) for n in _list(kinds["cards"], "cards")) if "cards" in kinds else ()
    vouchers = (tuple(_voucher(n) for n in _list(kinds["vouchers"], "vouchers"))
                if "vouchers" in kinds else ())
    providers = (tuple(_provider(n) for n in _list(kinds["providers"], "providers"))
                 if "providers" in kinds else ())
    card_nodes = _list(kinds.get("cards"), "cards")
    _unique([(c.id, n) for c, n in zip(cards, card_nodes, strict=True)], "id")
    return Fixtures(cards=cards, vouchers=vouchers, providers=providers)


def _card(node: YNode) -> CardFixture:
    f = _mapping(node, "a card", CARD_FIELDS, required=("id", "pan"))
    pan = _digits(f["pan"], "pan", 12, 19)
    expiry = _digits(f["expiry"], "expiry", 4, 4) if "expiry" in f else "3012"
    return CardFixture(
        id=_text(f["id"], "id", nonempty=True),
        kind=_choice(f["kind"], "kind", ("bank", "member")) if "kind" in f else "bank",
        pan=pan,
        expiry=expiry,
        pin=_digits(f["pin"], "pin", 4, 12, secret=True) if "pin" in f else None,
        balance=_int(f["balance"], "balance", low=0) if "balance" in f else 0,
        status=_choice(f["status"], "status", ("active", "blocked")) if "status" in f
        else "active",
        track2=track2_for(pan, expiry),
    )


def _voucher(node: YNode) -> VoucherFixture:
    f = _mapping(node, "a voucher", VOUCHER_FIELDS, required=("code", "title"))
    expires = _text(f["expires"], "expires") if "expires" in f else "2099-12-31"
    if not _is_date(expires):
        raise f["expires"].error(f"expires must be a date YYYY-MM-DD, got {expires!r}",
                                 key="expires")
    return VoucherFixture(
        code=_text(f["code"], "code", nonempty=True),
        provider=_text(f["provider"], "provider") if "provider" in f else DEMO.provider_id,
        title=_text(f["title"], "title", nonempty=True),
        quantity=_int(f["quantity"], "quantity", low=1) if "quantity" in f else 1,
        expires=expires,
        status=_choice(f["status"], "status", ("valid", "used")) if "status" in f else "valid",
    )


def _provider(node: YNode) -> ProviderFixture:
    f = _mapping(node, "a provider", PROVIDER_FIELDS, required=("id", "name"))
    return ProviderFixture(id=_text(f["id"], "id", nonempty=True),
                           name=_text(f["name"], "name", nonempty=True))


def _terminal(node: YNode) -> tuple[tuple[str, Any], ...]:
    fields = _mapping(node, "terminal", tuple(TERMINAL_KEYS))
    values: dict[str, Any] = {}
    for key, value in fields.items():
        kind = TERMINAL_KEYS[key]
        if kind == "bool":
            values[key] = _bool(value, key)
        elif kind == "int":
            values[key] = _int(value, key, low=0)
        elif kind == "float":
            values[key] = _seconds(value, key)
        else:
            values[key] = _text(value, key)
    try:
        check_overrides(values, source="terminal")
    except ConfigError as exc:
        match = re.search(r"key '(\w+)'", str(exc))
        if match and match.group(1) in fields:
            raise node.key_error(match.group(1), str(exc)) from None
        raise node.error(str(exc), key="terminal") from None
    return tuple(values.items())


# -- steps -------------------------------------------------------------------------------

StepParser = Callable[[YNode, int, dict[str, str]], Step]


def _step(node: YNode, cards: dict[str, str]) -> Step:
    if isinstance(node.value, str) and node.value in _BARE:
        return _BARE[node.value](node.line)
    if isinstance(node.value, str):
        word = node.value
        if word in _PARSERS:
            raise node.error(f"{word} needs an argument, e.g. '- {word}: ...' (docs/qa.md)",
                             key=word)
        raise node.error(f"unknown verb {word!r}{_did_you_mean(word, _PARSERS)}", key=word)
    if not isinstance(node.value, dict) or len(node.value) != 1:
        raise node.error("a step is one 'verb: argument' pair, e.g. '- keys: \"123#\"'")
    verb, arg = next(iter(node.value.items()))
    parser = _PARSERS.get(verb)
    if parser is None:
        raise node.error(f"unknown verb {verb!r}{_did_you_mean(verb, _PARSERS)}", key=verb)
    return parser(arg, node.line, cards)


def _select(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    return SelectStep(line=line, label=_text(arg, "select", nonempty=True))


def _keys(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    items = [arg] if isinstance(arg.value, str) else _list(arg, "keys")
    keys: list[Key] = []
    in_list = isinstance(arg.value, list)
    for item in items:
        text = _text(item, "keys", nonempty=True)
        named = _named_key(text) if in_list else None
        if named is not None:
            keys.append(named)
            continue
        if len(text) > 1 and text.isalpha():
            hint = "" if in_list else f" (named keys go in a list: keys: [{text.upper()}])"
            names = [k.value for k in Key if len(k.value) > 1]
            if in_list or text.upper() not in names:
                hint = f"{_did_you_mean(text.upper(), names)} (named keys: {_key_names()})"
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
    f = _mapping(arg, "swipe", ("card", "track2"))
    if len(f) != 1:
        raise arg.error("swipe takes a card id, {card: id} or {track2: ...}", key="swipe")
    if "card" in f:
        return SwipeStep(line=line, card=f["card"].value if isinstance(f["card"].value, str)
                         else "", track2=_card_track(f["card"], cards))
    track2 = _text(f["track2"], "track2", nonempty=True)
    if not re.fullmatch(r"\d{12,19}[=D]\d{4}\d*", track2):
        raise f["track2"].error("track2 must be PAN '=' YYMM service code and data (digits)",
                                key="track2")
    return SwipeStep(line=line, card="track2", track2=track2)


def _tap(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    node = _mapping(arg, "tap", ("uid",), required=("uid",))["uid"] if isinstance(
        arg.value, dict) else arg
    uid = _text(node, "uid", nonempty=True)
    if not re.fullmatch(r"(?:[0-9A-Fa-f]{2}){4,10}", uid):
        raise node.error(f"uid must be 4 to 10 bytes of hex, got {uid!r}", key="uid")
    return TapStep(line=line, uid=uid.upper())


def _scan(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    node = _mapping(arg, "scan", ("code",), required=("code",))["code"] if isinstance(
        arg.value, dict) else arg
    return ScanStep(line=line, code=_text(node, "scan", nonempty=True))


def _pin(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    text = _text(arg, "pin", nonempty=True)
    if text.lower() == "cancel":
        return PinStep(line=line, pin=None)
    if not (text.isdigit() and 4 <= len(text) <= 12):
        raise arg.error("pin must be 4 to 12 digits (or 'cancel')", key="pin")
    return PinStep(line=line, pin=text)


def _expect_screen(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    if isinstance(arg.value, str):
        return ExpectScreenStep(line=line, text=_text(arg, "expect_screen", nonempty=True),
                                regex=None, absent=False, timeout_s=DEFAULT_TIMEOUT_S)
    f = _mapping(arg, "expect_screen", ("text", "regex", "absent", "timeout"))
    if ("text" in f) == ("regex" in f):
        raise arg.error("expect_screen needs exactly one of text or regex", key="expect_screen")
    regex = None
    if "regex" in f:
        try:
            regex = re.compile(_text(f["regex"], "regex", nonempty=True), re.MULTILINE)
        except re.error as exc:
            raise f["regex"].error(f"bad regex: {exc}", key="regex") from None
    return ExpectScreenStep(
        line=line, text=_text(f["text"], "text", nonempty=True) if "text" in f else None,
        regex=regex, absent=_bool(f["absent"], "absent") if "absent" in f else False,
        timeout_s=_timeout(f))


def _expect_receipt(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    if isinstance(arg.value, str):
        return ExpectReceiptStep(line=line, contains=(_text(arg, "expect_receipt",
                                                            nonempty=True),),
                                 not_contains=(), timeout_s=DEFAULT_TIMEOUT_S)
    f = _mapping(arg, "expect_receipt", ("contains", "not_contains", "timeout"))
    step = ExpectReceiptStep(line=line, contains=_texts(f.get("contains"), "contains"),
                             not_contains=_texts(f.get("not_contains"), "not_contains"),
                             timeout_s=_timeout(f))
    if not step.contains and not step.not_contains:
        raise arg.error("expect_receipt needs contains and/or not_contains",
                        key="expect_receipt")
    return step


def _expect_host(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    f = _mapping(arg, "expect_host", HOST_CHECKS, required=("message",))
    message = _choice(f["message"], "message", tuple(HOST_MESSAGES))
    checks: list[tuple[str, Any]] = []
    if "response_code" in f:
        code = _text(f["response_code"], "response_code")
        if code != "none" and not re.fullmatch(r"[0-9A-Z]{2}", code):
            raise f["response_code"].error("response_code is 2 characters, e.g. \"00\", or "
                                           "none (no response)", key="response_code")
        checks.append(("response_code", code))
    if "amount" in f:
        checks.append(("amount", _int(f["amount"], "amount", low=0)))
    if "mti" in f:
        checks.append(("mti", _digits(f["mti"], "mti", 4, 4)))
    if "count" in f:
        checks.append(("count", _int(f["count"], "count", low=0)))
    return ExpectHostStep(line=line, message=HOST_MESSAGES[message], checks=tuple(checks))


def _expect_journal(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    f = _mapping(arg, "expect_journal", ("last", "pending_reversal", "count"))
    if not f:
        raise arg.error("expect_journal needs last, pending_reversal or count",
                        key="expect_journal")
    last: list[tuple[str, Any]] = []
    if "last" in f:
        fields = _mapping(f["last"], "last", JOURNAL_LAST_FIELDS)
        if not fields:
            raise f["last"].error("last needs at least one field (" + ", ".join(
                JOURNAL_LAST_FIELDS) + ")", key="last")
        for key, node in fields.items():
            value: Any = (_int(node, key, low=0) if key in ("amount", "batch")
                          else _text(node, key))
            last.append((key, value))
    return ExpectJournalStep(
        line=line, last=tuple(last),
        pending_reversal=_bool(f["pending_reversal"], "pending_reversal")
        if "pending_reversal" in f else None,
        count=_int(f["count"], "count", low=0) if "count" in f else None)


def _host_fault(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    if isinstance(arg.value, str):
        return HostFaultStep(line=line, fault=_choice(arg, "host_fault", FAULTS))
    f = _mapping(arg, "host_fault", ("next", "code", "seconds", "delay", "on"))
    if "next" in f:
        fault = _choice(f["next"], "next", FAULTS)
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
    code = _text(f["code"], "code") if "code" in f else "05"
    if not re.fullmatch(r"[0-9A-Z]{2}", code):
        raise f["code"].error("code is a 2-character response code, e.g. \"51\"", key="code")
    on: tuple[str, ...] = ()
    if "on" in f:
        nodes = _list(f["on"], "on") if isinstance(f["on"].value, list) else [f["on"]]
        on = tuple(HOST_MESSAGES[_choice(n, "on", tuple(HOST_MESSAGES))] for n in nodes)
    return HostFaultStep(line=line, fault=fault, code=code, on=on,
                         seconds=_seconds(seconds_node, "seconds") if seconds_node else 0.0)


def _power_cycle(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    _no_arg(arg, "power_cycle")
    return PowerCycleStep(line=line)


def _wait(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    return WaitStep(line=line, seconds=_seconds(arg, "wait"))


def _paper_out(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    _no_arg(arg, "paper_out")
    return PaperStep(line=line, paper=False)


def _paper_reload(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    _no_arg(arg, "paper_reload")
    return PaperStep(line=line, paper=True)


_PARSERS: dict[str, StepParser] = {
    "select": _select,
    "keys": _keys,
    "swipe": _swipe,
    "tap": _tap,
    "scan": _scan,
    "pin": _pin,
    "expect_screen": _expect_screen,
    "expect_receipt": _expect_receipt,
    "expect_host": _expect_host,
    "expect_journal": _expect_journal,
    "host_fault": _host_fault,
    "power_cycle": _power_cycle,
    "wait": _wait,
    "paper_out": _paper_out,
    "paper_reload": _paper_reload,
}
#: Verbs (documented names) accepted in a scenario.
VERBS = tuple(_PARSERS)
_BARE: dict[str, Callable[[int], Step]] = {
    "power_cycle": lambda line: PowerCycleStep(line=line),
    "paper_out": lambda line: PaperStep(line=line, paper=False),
    "paper_reload": lambda line: PaperStep(line=line, paper=True),
}


# -- small typed readers -------------------------------------------------------------


def _mapping(node: YNode, what: str, allowed: tuple[str, ...],
             required: tuple[str, ...] = ()) -> dict[str, YNode]:
    if not isinstance(node.value, dict):
        if isinstance(node.value, str) and node.value in _NO_ARG and not required:
            return {}
        raise node.error(f"{what} must be a mapping ({', '.join(allowed)})", key=what)
    for key in node.value:
        if key not in allowed:
            raise node.key_error(key, f"unknown key {key!r} in {what}"
                                 f"{_did_you_mean(key, allowed)} (allowed: {', '.join(allowed)})")
    for key in required:
        if key not in node.value:
            raise node.error(f"{what} needs {key!r}", key=key)
    return dict(node.value)


def _list(node: YNode | None, what: str) -> list[YNode]:
    if node is None:
        return []
    if not isinstance(node.value, list):
        raise node.error(f"{what} must be a list", key=what)
    return node.value


def _text(node: YNode, key: str, *, nonempty: bool = False) -> str:
    if not isinstance(node.value, str):
        raise node.error(f"{key} must be a single value, not a {node.kind}", key=key)
    if nonempty and not node.value.strip():
        raise node.error(f"{key} must not be empty", key=key)
    return node.value


def _texts(node: YNode | None, key: str) -> tuple[str, ...]:
    if node is None:
        return ()
    if isinstance(node.value, str):
        return (_text(node, key, nonempty=True),)
    return tuple(_text(n, key, nonempty=True) for n in _list(node, key))


def _digits(node: YNode, key: str, low: int, high: int, *, secret: bool = False) -> str:
    text = _text(node, key)
    if not (text.isdigit() and low <= len(text) <= high):
        size = f"{low}" if low == high else f"{low} to {high}"
        got = "" if secret else f", got {masked(text)!r}"
        raise node.error(f"{key} must be {size} digits{got}", key=key)
    return text


def _int(node: YNode, key: str, *, low: int) -> int:
    text = _text(node, key).replace("_", "")
    if not text.isdigit() or int(text) < low:
        raise node.error(f"{key} must be a whole number >= {low}, got {node.value!r}", key=key)
    return int(text)


def _bool(node: YNode, key: str) -> bool:
    text = _text(node, key).lower()
    if text not in ("true", "false", "yes", "no"):
        raise node.error(f"{key} must be true or false, got {node.value!r}", key=key)
    return text in ("true", "yes")


def _choice(node: YNode, key: str, choices: tuple[str, ...]) -> str:
    text = _text(node, key)
    if text not in choices:
        raise node.error(f"unknown {key} {text!r}{_did_you_mean(text, choices)} (one of: "
                         f"{', '.join(choices)})", key=text)
    return text


def _seconds(node: YNode, key: str) -> float:
    match = _DURATION.match(_text(node, key))
    if match is None:
        raise node.error(f"{key} must be a duration like 40s, 500ms or 2m, got {node.value!r}",
                         key=key)
    value = float(match.group(1))
    return value * {"ms": 0.001, "m": 60.0}.get(match.group(2) or "s", 1.0)


def _timeout(fields: dict[str, YNode]) -> float:
    return _seconds(fields["timeout"], "timeout") if "timeout" in fields else DEFAULT_TIMEOUT_S


def _no_arg(node: YNode, verb: str) -> None:
    if node.value not in _NO_ARG and node.value != {}:
        raise node.error(f"{verb} takes no argument (write '{verb}: {{}}')", key=verb)


def _is_date(text: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


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
    card = _text(node, "card", nonempty=True)
    if card not in cards:
        shown = masked(card)
        hint = (" (a card is named by its id; swipe raw data with {track2: ...})"
                if shown != card else _did_you_mean(card, cards))
        raise node.error(f"unknown card id {shown!r}{hint} (fixture cards and demo cards: "
                         f"{', '.join(cards)})", key=shown)
    return cards[card]


def _did_you_mean(word: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _unique(pairs: list[tuple[str, YNode]], key: str) -> None:
    seen: set[str] = set()
    for value, node in pairs:
        if value in seen:
            raise node.error(f"duplicate {key} {value!r}", key=value)
        seen.add(value)


def _check_unique_names(scenarios: list[Scenario]) -> None:
    seen: set[str] = set()
    for scenario in scenarios:
        if scenario.name in seen:
            raise ScenarioError(f"duplicate scenario name {scenario.name!r}",
                                path=scenario.path, line=scenario.line, key=scenario.name)
        seen.add(scenario.name)
