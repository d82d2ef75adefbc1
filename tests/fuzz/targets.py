"""One fuzz target per decoder: everything X-POS reads from outside.

Each :class:`Target` names a decoder, a hypothesis strategy for its input (random data
mixed with mutations of valid input, so the fuzzer gets past the first length check) and
the one error type the decoder may answer bad input with. Any other exception is a
finding. ``tests/fuzz/test_fuzz.py`` runs every target briefly in CI;
``bench/fuzz.py`` runs them longer and prints inputs per second.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from tests.proto.ecr_golden import GOLDEN as ECR_GOLDEN
from tests.proto.golden import GOLDEN, TMK
from xpos.core.menus import parse_menus
from xpos.drivers.magstripe import MagstripeDecoder, encode_swipe, parse_track2
from xpos.errors import (
    CardReadError,
    ConfigError,
    DecodeError,
    ScenarioError,
    SecurityError,
    XposError,
)
from xpos.proto.codec import Message, decode_message
from xpos.proto.ecr import EcrResponse
from xpos.proto.ecr_link import Deliver, EcrLink
from xpos.proto.framing import FrameReader, frame
from xpos.proto.session import HostSession, TerminalSession
from xpos.proto.tlv import decode_tlv
from xpos.proto.transcript import describe
from xpos.proto.voucher import parse_voucher_request, parse_voucher_response
from xpos.qa.parse import parse_scenario
from xpos.qa.yamlsrc import load_yaml
from xpos.receipts.decode import decode_escpos
from xpos.security.keys import parse_signon_keys
from xpos.security.keystore import KeyStore
from xpos.testing.shell import load_config

WIRES = [g.wire for g in GOLDEN]


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """A seed with a few bytes flipped, inserted, deleted or the tail cut."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "cut"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete" and data:
            del data[pos]
        elif op == "cut":
            del data[pos:]
    return bytes(data)


def _bytes(seeds: list[bytes]) -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=512), mutated(seeds))


def _text(seeds: list[str]) -> st.SearchStrategy[str]:
    as_bytes = [s.encode("utf-8") for s in seeds]
    return st.one_of(
        st.text(max_size=300),
        mutated(as_bytes).map(lambda b: b.decode("utf-8", errors="replace")),
        st.integers(1, 60).map(lambda n: "a = " + "[" * n),     # nesting (deep: test_fuzz)
        st.integers(1, 60).map(lambda n: "x: " + "[" * n),
        st.integers(1, 60).map(lambda n: "[" * n),
    )


#: Deeply nested documents, one per text format (each must be one clear error).
DEEP = {"toml": "a = " + "[" * 100_000, "yaml": "x: " + "[" * 100_000,
        "json": "[" * 100_000, "toml-table": "a = " + "{b = " * 5000}


@dataclass(frozen=True)
class Target:
    """A decoder under fuzz: ``run(data)`` may raise only ``allowed``."""

    name: str
    strategy: st.SearchStrategy[Any]
    run: Callable[[Any], object]
    allowed: tuple[type[BaseException], ...]

    def feed(self, data: Any) -> None:
        """Run one input; only the target's own clear error is allowed through."""
        with contextlib.suppress(*self.allowed):
            self.run(data)


def _codec(data: bytes) -> object:
    msg = decode_message(data[2:] if len(data) > 2 else data)
    return describe(msg)


def _frames(data: bytes) -> object:
    reader = FrameReader()
    for i in range(0, len(data), 7):
        reader.feed(data[i:i + 7])
    return reader.error


def _terminal_session(data: bytes) -> object:
    session = TerminalSession(timeout_s=30.0)
    session.receive_data(data)
    return [session.next_event() for _ in range(8)]


def _host_session(data: bytes) -> object:
    session = HostSession()
    session.receive_data(data)
    return [session.next_event() for _ in range(8)]


def _voucher(data: bytes) -> object:
    msg = Message(mti="0110", fields={3: "700000", 39: "00", 62: data.hex().upper()})
    parse_voucher_response(msg)
    return parse_voucher_request(msg.replace(mti="0100"))


def _signon(data: bytes) -> object:
    return parse_signon_keys(data, TMK, mode="004")


def _magstripe(data: bytes) -> object:
    return MagstripeDecoder().feed(data)


def _escpos(data: bytes) -> object:
    return decode_escpos(data, columns=32)


def _menus(text: str) -> object:
    return parse_menus({"menus/main.toml": text})


def _scenario(text: str) -> object:
    node = load_yaml(text, path="fuzz.yaml")
    return None if node is None else parse_scenario(node)


def _in_file(name: str, text: str, read: Callable[[Path], object]) -> object:
    with tempfile.TemporaryDirectory(prefix="xpos-fuzz-") as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        return read(path)


def _config(text: str) -> object:
    return _in_file("xpos.toml", text, lambda p: load_config(p.parent))


def _keystore(text: str) -> object:
    return _in_file("keys.json", text, lambda p: KeyStore(p).tmk)


_SWIPES = [encode_swipe(track2="6212345678901234567=30121010000000000", track1="B6212"),
           b"\x02;6212345678901234567=3012101?\x03"]
_MENU = '[menu]\nid = "main"\ntitle = "主菜单"\nversion = 1\n\n[[menu.items]]\n' \
        'label = "签到"\naction = "builtin:sign_on"\n'
_SCENARIO = "name: s\nsteps:\n  - select: 消费\n  - keys: 1 2 ENTER\n  - swipe: demo_bank\n"
_KEYS = json.dumps({"version": 1, "tmk": "00" * 16, "tmk_kcv": "000000"})

def _ecr_link(data: bytes) -> object:
    """Feed the terminal's ECR link in pieces with time passing; answer what it delivers."""
    link = EcrLink()
    now = 0.0
    for i in range(0, len(data), 11):
        now += 0.7
        for action in [*link.feed(data[i:i + 11], now), *link.tick(now)]:
            if isinstance(action, Deliver):
                link.respond(EcrResponse(command=action.request.command,
                                         reference=action.request.reference,
                                         result="00"), now)
    return link.next_deadline


_ECR_SEEDS = [g.wire for g in ECR_GOLDEN] + [b"\x06\x15" + ECR_GOLDEN[0].wire * 2]

#: The text targets, by the format they read.
TEXT_TARGETS = {"core.menus": "toml", "terminal.config": "toml", "qa.scenario": "yaml",
                "security.keystore": "json"}

TARGETS: tuple[Target, ...] = (
    Target("proto.codec", _bytes(WIRES), _codec, (DecodeError,)),
    Target("proto.framing", _bytes([frame(w[2:]) for w in WIRES]), _frames, (DecodeError,)),
    Target("proto.session.terminal", _bytes(WIRES), _terminal_session, ()),
    Target("proto.session.host", _bytes(WIRES), _host_session, ()),
    Target("proto.tlv", _bytes([bytes.fromhex("DF0110383838383636363637373737343434")]),
           decode_tlv, (DecodeError,)),
    Target("proto.voucher", _bytes([bytes.fromhex("DF1103414243DF120102DF1303585959")]),
           _voucher, (DecodeError,)),
    Target("security.signon_keys", st.binary(max_size=80), _signon, (SecurityError,)),
    Target("drivers.magstripe", _bytes(_SWIPES), _magstripe, ()),
    Target("drivers.track2", _text(["6212345678901234567=30121010000000000"]), parse_track2,
           (CardReadError,)),
    Target("receipts.escpos", _bytes([b"\x1b@\x1bt\x00\x1c&\xcf\xfb\x1c.AB\n\x1dV\x00"]),
           _escpos, ()),
    Target("core.menus", _text([_MENU]), _menus, (ConfigError,)),
    Target("qa.scenario", _text([_SCENARIO]), _scenario, (ScenarioError,)),
    Target("terminal.config", _text(['tid = "10000001"\n[devices]\nprinter = "fake:"\n']),
           _config, (ConfigError,)),
    Target("security.keystore", _text([_KEYS]), _keystore, (XposError,)),
    Target("proto.ecr_link", _bytes(_ECR_SEEDS), _ecr_link, ()),
)
