from __future__ import annotations

from pathlib import Path

import pytest

from xpos.proto.messages import VOUCHER_RESPONSE_CODES
from xpos.proto.voucher import (
    TAG_CODE,
    TAG_MEMBER,
    TAG_MESSAGE,
    TAG_METHOD,
    TAG_ORDER,
    TAG_PROVIDER,
    TAG_QUANTITY,
    TAG_TITLE,
)

from .docgen import field_table, hexdump
from .golden import GOLDEN, Golden

DOC = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text(encoding="utf-8")


def test_protocol_doc_contains_the_field_table_drawn_from_the_spec() -> None:
    assert field_table() in DOC


@pytest.mark.parametrize("golden", GOLDEN, ids=[x.name for x in GOLDEN])
def test_protocol_doc_shows_each_golden_message_as_a_hex_dump(golden: Golden) -> None:
    assert f"#### {golden.name}\n\n```\n{hexdump(golden.wire)}\n```" in DOC


def test_protocol_doc_names_every_x_menu_tag_and_response_code() -> None:
    for tag in (TAG_CODE, TAG_METHOD, TAG_ORDER, TAG_MEMBER, TAG_TITLE, TAG_QUANTITY,
                TAG_PROVIDER, TAG_MESSAGE):
        assert f"`{tag:X}`" in DOC
    for rc in VOUCHER_RESPONSE_CODES:
        assert f"`{rc}`" in DOC
