"""Every decoder under fuzz, briefly (``bench/fuzz.py`` runs them for longer)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from tests.fuzz.targets import DEEP, TARGETS, TEXT_TARGETS, Target

EXAMPLES = int(os.environ.get("XPOS_FUZZ_EXAMPLES", "150"))


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_decoder_answers_any_input_with_its_own_error_only(target: Target) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(target.strategy)
    def run(data: Any) -> None:
        target.feed(data)

    run()


def test_every_decoder_module_has_a_target() -> None:
    names = {t.name for t in TARGETS}
    assert {"proto.codec", "proto.framing", "proto.tlv", "proto.voucher",
            "security.signon_keys", "drivers.magstripe", "receipts.escpos", "core.menus",
            "qa.scenario", "terminal.config", "security.keystore"} <= names


@pytest.mark.parametrize(("name", "doc"), [
    (name, doc) for name, fmt in sorted(TEXT_TARGETS.items())
    for doc in sorted(DEEP) if doc.split("-")[0] == fmt])
def test_deep_nesting_is_one_clear_error(name: str, doc: str) -> None:
    target = next(t for t in TARGETS if t.name == name)
    with pytest.raises(target.allowed):
        target.run(DEEP[doc])
