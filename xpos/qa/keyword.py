"""``-k EXPR``: pick scenarios by words in their name, tags and file name.

The expression is words joined by ``and``, ``or``, ``not`` and parentheses, as in
pytest: ``-k "voucher and not expired"``. A word matches when it is a
case-insensitive substring of the scenario's name, one of its tags or its file name.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from xpos.errors import ConfigError
from xpos.qa.model import Scenario

Matcher = Callable[[Scenario], bool]
_TOKEN = re.compile(r"\s*(\(|\)|[^\s()]+)")


def keyword_matcher(expr: str) -> Matcher:
    """Compile ``expr`` into a predicate on scenarios.

    Raises:
        ConfigError: the expression is malformed (names the problem).
    """
    tokens = _TOKEN.findall(expr)
    if not tokens:
        raise ConfigError("-k: empty expression")
    parser = _Parser(tokens, expr)
    matcher = parser.expr()
    if parser.pos != len(tokens):
        raise ConfigError(f"-k: unexpected {tokens[parser.pos]!r} in {expr!r}")
    return matcher


def haystack(scenario: Scenario) -> list[str]:
    """The texts a ``-k`` word is matched against (lower case)."""
    return [s.lower() for s in (scenario.name, scenario.path.rsplit("/", 1)[-1],
                                *scenario.tags)]


class _Parser:
    """Recursive descent: expr := term ('or' term)*; term := factor ('and' factor)*."""

    def __init__(self, tokens: list[str], text: str) -> None:
        self.tokens = tokens
        self.text = text
        self.pos = 0

    def _peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _take(self) -> str:
        token = self._peek()
        if token is None:
            raise ConfigError(f"-k: expression ends too early: {self.text!r}")
        self.pos += 1
        return token

    def expr(self) -> Matcher:
        left = self.term()
        while self._peek() == "or":
            self._take()
            left = _either(left, self.term())
        return left

    def term(self) -> Matcher:
        left = self.factor()
        while self._peek() == "and":
            self._take()
            left = _both(left, self.factor())
        return left

    def factor(self) -> Matcher:
        token = self._take()
        if token == "not":
            inner = self.factor()
            return lambda s: not inner(s)
        if token == "(":
            inner = self.expr()
            if self._take() != ")":
                raise ConfigError(f"-k: missing ')' in {self.text!r}")
            return inner
        if token in (")", "and", "or"):
            raise ConfigError(f"-k: unexpected {token!r} in {self.text!r}")
        word = token.lower()
        return lambda s: any(word in text for text in haystack(s))


def _either(a: Matcher, b: Matcher) -> Matcher:
    return lambda s: a(s) or b(s)


def _both(a: Matcher, b: Matcher) -> Matcher:
    return lambda s: a(s) and b(s)
