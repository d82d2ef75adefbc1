"""Words for a wrong ``xpos.toml``: how a key must be written, the key a typo meant."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

#: How each non-string key must be written, for the wrong-type message.
WANTED: dict[str, str] = {
    **{key: "true or false" for key in ("tls", "header_test", "encrypt_track", "refund_pin")},
    "reversal_retries": "a whole number",
    **{key: "a number of seconds" for key in ("connect_timeout_s", "response_timeout_s",
                                              "pin_timeout_s", "platform_retry_s")},
    "devices": "a table: [devices] with one kind = \"URL\" a line",
    "menus_dir": "a directory path in quotes",
}


def did_you_mean(key: object, known: Iterable[str]) -> str:
    """`` (did you mean 'tls'?)`` for a key close to a known one, else nothing."""
    close = difflib.get_close_matches(str(key), [k for k in known if k != "data_dir"], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
