"""Typed readers over :class:`~xpos.qa.yamlsrc.YNode`: every bad value a located error.

Each reader takes the node and the key it belongs to, returns a Python value of the
expected type, or raises :class:`~xpos.errors.ScenarioError` naming the key, the line
and what was wrong (with a "did you mean" where a known word is close). Nothing here
echoes a PIN, and card numbers are masked.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Iterable

from xpos.qa.model import masked
from xpos.qa.yamlsrc import YNode

#: How "no argument" may be written (``power_cycle:``, ``~``, ``null``).
NO_ARG = ("", "~", "null")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$")


def read_mapping(node: YNode, what: str, allowed: tuple[str, ...],
             required: tuple[str, ...] = ()) -> dict[str, YNode]:
    """The mapping's children; an unknown or missing key is an error naming it (an
    empty value counts as an empty mapping when nothing is required)."""
    if not isinstance(node.value, dict):
        if isinstance(node.value, str) and node.value in NO_ARG and not required:
            return {}
        raise node.error(f"{what} must be a mapping ({', '.join(allowed)})", key=what)
    for key in node.value:
        if key not in allowed:
            raise node.key_error(key, f"unknown key {key!r} in {what}"
                                 f"{did_you_mean(key, allowed)} (allowed: {', '.join(allowed)})")
    for key in required:
        if key not in node.value:
            raise node.error(f"{what} needs {key!r}", key=key)
    return dict(node.value)


def read_list(node: YNode | None, what: str) -> list[YNode]:
    """The list's items (``None``: no items)."""
    if node is None:
        return []
    if not isinstance(node.value, list):
        raise node.error(f"{what} must be a list", key=what)
    return node.value


def read_text(node: YNode, key: str, *, nonempty: bool = False) -> str:
    """A scalar as written."""
    if not isinstance(node.value, str):
        raise node.error(f"{key} must be a single value, not a {node.kind}", key=key)
    if nonempty and not node.value.strip():
        raise node.error(f"{key} must not be empty", key=key)
    return node.value


def read_texts(node: YNode | None, key: str) -> tuple[str, ...]:
    """One scalar or a list of scalars, as a tuple."""
    if node is None:
        return ()
    if isinstance(node.value, str):
        return (read_text(node, key, nonempty=True),)
    return tuple(read_text(n, key, nonempty=True) for n in read_list(node, key))


def read_digits(node: YNode, key: str, low: int, high: int, *, secret: bool = False) -> str:
    """A string of ``low`` to ``high`` digits (``secret``: never echo the value)."""
    text = read_text(node, key)
    if not (text.isdigit() and low <= len(text) <= high):
        size = f"{low}" if low == high else f"{low} to {high}"
        got = "" if secret else f", got {masked(text)!r}"
        raise node.error(f"{key} must be {size} digits{got}", key=key)
    return text


def read_int(node: YNode, key: str, *, low: int) -> int:
    """A whole number ``>= low`` (``_`` separators allowed)."""
    text = read_text(node, key).replace("_", "")
    if not text.isdigit() or int(text) < low:
        raise node.error(f"{key} must be a whole number >= {low}, got {node.value!r}", key=key)
    return int(text)


def read_bool(node: YNode, key: str) -> bool:
    """``true``/``false`` (or ``yes``/``no``)."""
    text = read_text(node, key).lower()
    if text not in ("true", "false", "yes", "no"):
        raise node.error(f"{key} must be true or false, got {node.value!r}", key=key)
    return text in ("true", "yes")


def read_choice(node: YNode, key: str, choices: tuple[str, ...]) -> str:
    """One of ``choices``."""
    text = read_text(node, key)
    if text not in choices:
        raise node.error(f"unknown {key} {text!r}{did_you_mean(text, choices)} (one of: "
                         f"{', '.join(choices)})", key=text)
    return text


def read_seconds(node: YNode, key: str) -> float:
    """A duration: ``40s``, ``500ms``, ``2m`` or plain seconds."""
    match = _DURATION.match(read_text(node, key))
    if match is None:
        raise node.error(f"{key} must be a duration like 40s, 500ms or 2m, got {node.value!r}",
                         key=key)
    value = float(match.group(1))
    return value * {"ms": 0.001, "m": 60.0}.get(match.group(2) or "s", 1.0)


def is_date(text: str) -> bool:
    """Whether ``text`` is a real calendar date ``YYYY-MM-DD``."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest known word, or ``""``."""
    close = difflib.get_close_matches(word, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_unique(pairs: list[tuple[str, YNode]], key: str) -> None:
    """Fail on the second node whose value repeats an earlier one."""
    seen: set[str] = set()
    for value, node in pairs:
        if value in seen:
            raise node.error(f"duplicate {key} {value!r}", key=value)
        seen.add(value)
