"""Platform services as data: the service file format and its strict loader.

A service file is TOML (docs/services.md)::

    [service]
    id = "topup"                 # what a menu's ``service:<id>`` names
    title = "会员充值"
    title_en = "Member top-up"
    timeout_s = 120              # the session expires this long after its last message

    [[steps]]
    type = "input"               # display input select confirm read_card amount print
    text = "请输入会员号"          # beep bank_debit third_party_debit end
    name = "member"              # the result is kept as {member} for later texts
    fields = [{ label = "会员号", min = 4, max = 12 }]

    [tables.bills]               # lookups for a host-set amount: amount = "bills:{account}"
    "12345678" = 8650

:func:`parse_service` refuses a malformed file with one :class:`ServiceError` naming the
file and the line (TOML syntax errors carry their own line; a bad step names the line
of its ``[[steps]]`` header).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

STEP_CODES: Mapping[str, str] = MappingProxyType({
    "display": "DSP", "input": "INP", "select": "SEL", "confirm": "CNF", "read_card": "CRD",
    "amount": "AMT", "print": "PRT", "beep": "BEP", "bank_debit": "BNK",
    "third_party_debit": "TPD", "end": "END",
})
"""Step type in a service file -> wire code."""

_STEP_KEYS = {"type", "text", "name", "fields", "items", "amount", "timeout_s", "verify"}
VERIFY_KINDS = ("member_password",)
"""What an input step's ``verify`` may name: ``member_password`` checks its two fields, a
member card number and its password (hidden), against the host's cards."""
_ID = re.compile(r"[a-z][a-z0-9_-]{0,31}")
_SERVICE_KEYS = {"id", "title", "title_en", "timeout_s"}
_FIELD_KEYS = {"label", "min", "max", "kind", "hidden"}
FIELD_KINDS = ("digits", "alnum")
"""What an input field's ``kind`` may be (what the terminal's keypad can enter)."""
_AMOUNT_TEXT = re.compile(r"(?:(?P<table>[a-z][a-z0-9_-]*):)?\{[a-z0-9_]+\}")
MAX_AMOUNT = 999_999_999_999
"""The largest amount in fen (field 4 has 12 digits)."""
_AMOUNT_STEPS = ("bank_debit", "third_party_debit")


class ServiceError(ValueError):
    """A service file that cannot be loaded; ``str()`` is ``file:line: what``."""

    def __init__(self, message: str, *, path: str, line: int) -> None:
        """Name the file and line."""
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line


@dataclass(frozen=True, kw_only=True)
class FieldSpec:
    """One input field of an ``input`` step."""

    label: str
    min_len: int = 1
    max_len: int = 20
    kind: str = "digits"
    hidden: bool = False


@dataclass(frozen=True, kw_only=True)
class StepSpec:
    """One step of a service.

    Attributes:
        type: A key of :data:`STEP_CODES`.
        text: Text with ``{name}`` placeholders filled from earlier results.
        name: Keep this step's result under this name.
        fields: Input fields.
        items: Select items ``(id, label)``.
        amount: Fixed fen, ``"{name}"`` (an earlier amount) or ``"table:{name}"``.
        timeout_s: The step's timeout on the terminal.
        line: The line of the step's ``[[steps]]`` header.
        verify: A key of :data:`VERIFY_KINDS` the host checks the input against, or "".
    """

    type: str
    text: str = ""
    name: str = ""
    fields: tuple[FieldSpec, ...] = ()
    items: tuple[tuple[str, str], ...] = ()
    amount: int | str | None = None
    timeout_s: int | None = None
    line: int = 0
    verify: str = ""

    def secret_names(self) -> tuple[str, ...]:
        """The result names that would hold a hidden value (``{name}``, ``{name_n}``)."""
        hidden = [n for n, f in enumerate(self.fields, 1) if f.hidden]
        if not self.name or not hidden:
            return ()
        return (self.name, *(f"{self.name}_{n}" for n in hidden))


@dataclass(frozen=True, kw_only=True)
class Service:
    """A loaded service."""

    id: str
    title: str
    title_en: str
    steps: tuple[StepSpec, ...]
    tables: Mapping[str, Mapping[str, int]]
    timeout_s: int = 120
    path: str = ""


def parse_service(text: str, *, path: str) -> Service:
    """Parse and check one service file.

    Raises:
        ServiceError: the first problem, with file and line.
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_in(str(exc))
        raise ServiceError(f"TOML syntax: {exc}", path=path, line=line) from None
    lines = _step_lines(text)
    head = document.get("service")
    if not isinstance(head, dict):
        raise ServiceError("missing [service] table", path=path, line=1)
    head_line = _header_line(text, "[service]")
    _no_unknown(head, _SERVICE_KEYS, "[service]", path, head_line)
    service_id = _string(head, "id", path, head_line)
    if not _ID.fullmatch(service_id):
        raise ServiceError(f"bad service id {service_id!r}", path=path, line=head_line)
    raw_steps = document.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise ServiceError("a service needs at least one [[steps]]", path=path, line=head_line)
    steps = tuple(_step(raw, path, lines[i] if i < len(lines) else head_line)
                  for i, raw in enumerate(raw_steps))
    if steps[-1].type != "end":
        raise ServiceError("the last step must be type = \"end\"", path=path,
                           line=steps[-1].line)
    _no_hidden_echo(steps, path)
    tables = _tables(document.get("tables", {}), path, text)
    _amount_tables(steps, tables, path)
    timeout = head.get("timeout_s", 120)
    if not isinstance(timeout, int) or isinstance(timeout, bool) or not 1 <= timeout <= 3600:
        raise ServiceError("timeout_s must be 1..3600 seconds", path=path, line=head_line)
    return Service(id=service_id, title=_string(head, "title", path, head_line),
                   title_en=str(head.get("title_en", "")), steps=steps,
                   tables=tables,
                   timeout_s=timeout, path=path)


def _line_in(message: str) -> int:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else 1


def _step_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[steps]]"]


def _header_line(text: str, header: str) -> int:
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip() == header:
            return n
    return 1


def _string(table: Mapping[str, Any], key: str, path: str, line: int) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ServiceError(f"{key} must be a non-empty string", path=path, line=line)
    return value


def _no_unknown(table: Mapping[str, Any], known: set[str], what: str, path: str,
                line: int) -> None:
    """Refuse a key the format does not know (a typo must not be ignored silently)."""
    unknown = sorted(set(table) - known)
    if unknown:
        raise ServiceError(f"unknown key {unknown[0]!r} in {what} (expected: "
                           f"{', '.join(sorted(known))})", path=path, line=line)


def _step(raw: object, path: str, line: int) -> StepSpec:
    if not isinstance(raw, dict):
        raise ServiceError("a step must be a table", path=path, line=line)
    _no_unknown(raw, _STEP_KEYS, "a step", path, line)
    kind = raw.get("type")
    if kind is None:
        raise ServiceError(f"a step needs type = ... (known: {', '.join(STEP_CODES)})",
                           path=path, line=line)
    if kind not in STEP_CODES:
        raise ServiceError(f"unknown step type {kind!r} (known: {', '.join(STEP_CODES)})",
                           path=path, line=line)
    for key in ("text", "name"):
        if not isinstance(raw.get(key, ""), str):
            raise ServiceError(f"{key} must be a string", path=path, line=line)
    amount = raw.get("amount")
    if amount is not None and not _amount_ok(amount):
        raise ServiceError(f"amount must be fen (1..{MAX_AMOUNT}) or a \"{{name}}\" / "
                           "\"table:{name}\" text", path=path, line=line)
    if kind in _AMOUNT_STEPS and amount is None:
        raise ServiceError(f"a {kind} step needs an amount", path=path, line=line)
    timeout = raw.get("timeout_s")
    if timeout is not None and (not isinstance(timeout, int) or isinstance(timeout, bool)
                                or not 1 <= timeout <= 600):
        raise ServiceError("timeout_s must be 1..600 seconds", path=path, line=line)
    fields = _fields(raw.get("fields", []), kind, path, line)
    return StepSpec(type=str(kind), text=str(raw.get("text", "")), name=str(raw.get("name", "")),
                    fields=fields, items=_items(raw.get("items", []), kind, path, line),
                    amount=amount, timeout_s=timeout, line=line,
                    verify=_verify(raw.get("verify", ""), kind, fields, path, line))


def _verify(raw: object, kind: object, fields: tuple[FieldSpec, ...], path: str,
            line: int) -> str:
    if raw == "":
        return ""
    if raw not in VERIFY_KINDS:
        raise ServiceError(f"unknown verify {raw!r} (known: {', '.join(VERIFY_KINDS)})",
                           path=path, line=line)
    if kind != "input" or len(fields) != 2 or fields[0].hidden or not fields[1].hidden:
        raise ServiceError(f"verify = {raw!r} needs an input step of two fields: the card "
                           "number, then the password (hidden = true)", path=path, line=line)
    return str(raw)


def _no_hidden_echo(steps: tuple[StepSpec, ...], path: str) -> None:
    """A hidden value never comes back as text: ``{name}`` of one is refused at load."""
    secret: set[str] = set()
    for step in steps:
        used = set(re.findall(r"\{([a-z0-9_]+)\}", step.text))
        if used & secret:
            raise ServiceError(f"{{{sorted(used & secret)[0]}}} would show a hidden input "
                               "value (hidden = true): it is never echoed", path=path,
                               line=step.line)
        secret.update(step.secret_names())


def _fields(raw: object, kind: object, path: str, line: int) -> tuple[FieldSpec, ...]:
    if not isinstance(raw, list) or (kind == "input" and not raw):
        raise ServiceError("an input step needs fields = [{ label = ... }]", path=path,
                           line=line)
    fields = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("label"), str):
            raise ServiceError("each field needs a label", path=path, line=line)
        _no_unknown(item, _FIELD_KEYS, "a field", path, line)
        kind, hidden = item.get("kind", "digits"), item.get("hidden", False)
        if kind not in FIELD_KINDS:
            raise ServiceError(f"field kind {kind!r} unknown (known: {', '.join(FIELD_KINDS)})",
                               path=path, line=line)
        if not isinstance(hidden, bool):
            raise ServiceError("field hidden must be true or false", path=path, line=line)
        low, high = item.get("min", 1), item.get("max", 20)
        if not (isinstance(low, int) and isinstance(high, int) and 0 <= low <= high <= 64):
            raise ServiceError("field min/max must be 0 <= min <= max <= 64", path=path,
                               line=line)
        fields.append(FieldSpec(label=item["label"], min_len=low, max_len=high, kind=kind,
                                hidden=hidden))
    return tuple(fields)


def _items(raw: object, kind: object, path: str, line: int) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, list) or (kind == "select" and not raw):
        raise ServiceError("a select step needs items = [[\"id\", \"label\"], ...]",
                           path=path, line=line)
    items = []
    for item in raw:
        if not (isinstance(item, list) and len(item) == 2
                and all(isinstance(x, str) and x for x in item)):
            raise ServiceError("each item is [\"id\", \"label\"]", path=path, line=line)
        items.append((item[0], item[1]))
    return tuple(items)


def _tables(raw: object, path: str, text: str) -> Mapping[str, Mapping[str, int]]:
    line = _header_line(text, "[tables]")
    if not isinstance(raw, dict):
        raise ServiceError("tables must be a table of tables", path=path, line=line)
    tables: dict[str, Mapping[str, int]] = {}
    for name, table in raw.items():
        line = _header_line(text, f"[tables.{name}]")
        if not isinstance(table, dict) or not all(
                isinstance(v, int) and not isinstance(v, bool) and v > 0
                for v in table.values()):
            raise ServiceError(f"tables.{name}: values must be amounts in fen above 0",
                               path=path, line=line)
        tables[name] = MappingProxyType(dict(table))
    return MappingProxyType(tables)


def _amount_ok(amount: object) -> bool:
    if isinstance(amount, bool):
        return False
    if isinstance(amount, int):
        return 1 <= amount <= MAX_AMOUNT
    return isinstance(amount, str) and _AMOUNT_TEXT.fullmatch(amount) is not None


def _amount_tables(steps: tuple[StepSpec, ...], tables: Mapping[str, Mapping[str, int]],
                   path: str) -> None:
    """An amount ``"table:{name}"`` must name a table of the file."""
    for step in steps:
        found = _AMOUNT_TEXT.fullmatch(step.amount) if isinstance(step.amount, str) else None
        table = found.group("table") if found else None
        if table is not None and table not in tables:
            raise ServiceError(f"amount names table {table!r}, which the file does not have "
                               f"(tables: {', '.join(sorted(tables)) or 'none'})", path=path,
                               line=step.line)
