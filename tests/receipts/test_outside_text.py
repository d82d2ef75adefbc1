"""Text from outside (host, provider, file) reaches the printer and screen as text only."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xpos.core.screen import COLS, ROWS, fit
from xpos.core.slips import PAPER_COLUMNS, VoucherSlip, sale_slip, voucher_slip
from xpos.model import TextLine
from xpos.model.textwidth import printable, text_width, wrap_width
from xpos.receipts.decode import decode_escpos
from xpos.receipts.escpos import render

#: Every C0 control, DEL and every C1 control.
CONTROL_CHARS = [chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]]
LINE_BREAKS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85",
               "\u2028", "\u2029"]


def _commands(data: bytes) -> list[bytes]:
    """The ESC / GS / FS / DLE command starts in ``data`` (two bytes each)."""
    return [data[i:i + 2] for i in range(len(data) - 1) if data[i] in (0x1B, 0x1D, 0x1C, 0x10)]


@pytest.mark.parametrize("char", CONTROL_CHARS, ids=lambda c: f"{ord(c):02x}")
def test_no_control_byte_in_a_voucher_title_reaches_the_printer(
        voucher: VoucherSlip, char: str) -> None:
    hostile = dataclasses.replace(voucher, title=f"蛋糕{char}A{char}B",
                                  provider=f"P{char}Q", merchant_name=f"M{char}N")
    expected_title = "\n".join(wrap_width(hostile.title, PAPER_COLUMNS))
    data = render(voucher_slip(hostile))
    clean = render(voucher_slip(dataclasses.replace(
        voucher, title=expected_title, provider="\n".join(wrap_width(f"P{char}Q", PAPER_COLUMNS)),
        merchant_name="\n".join(wrap_width(f"M{char}N", PAPER_COLUMNS)))))
    assert data == clean
    assert set(_commands(data)) <= set(_commands(render(voucher_slip(voucher))))


@pytest.mark.parametrize("command", [b"\x1dV\x00", b"\x1b@", b"\x1b!\x38", b"\x10\x14\x01"])
def test_printer_commands_in_host_text_print_as_nothing_but_their_text(
        voucher: VoucherSlip, command: bytes) -> None:
    hostile = dataclasses.replace(voucher, title="蛋糕" + command.decode("latin-1") + "X")
    as_text = "\n".join(wrap_width(hostile.title, PAPER_COLUMNS))
    data = render(voucher_slip(hostile))
    assert data == render(voucher_slip(dataclasses.replace(voucher, title=as_text)))
    assert data.count(command) == render(voucher_slip(voucher)).count(command)


def test_a_fake_approval_line_stays_inside_the_title_block(voucher: VoucherSlip) -> None:
    title = "蛋糕\n交易成功 APPROVED ￥9999.00"
    text = decode_escpos(render(voucher_slip(dataclasses.replace(voucher, title=title))))
    lines = text.splitlines()
    start = lines.index("商品 ITEM:")
    assert lines[start + 1:start + 3] == ["蛋糕", "交易成功 APPROVED ￥9999.00"]
    assert lines[start + 3].startswith("数量 QTY:")


@pytest.mark.parametrize("brk", LINE_BREAKS, ids=lambda b: f"{ord(b[-1]):04x}")
def test_every_line_break_becomes_a_new_wrapped_line(brk: str) -> None:
    assert wrap_width(f"AB{brk}CD", 32) == ["AB", "CD"]
    assert fit([f"AB{brk}CD"]) == ("AB", "CD")


def test_long_outside_text_wraps_within_the_paper(voucher: VoucherSlip) -> None:
    title = "超长的商品名称" * 10
    doc = voucher_slip(dataclasses.replace(voucher, title=title))
    texts = [e.text for e in doc.elements if isinstance(e, TextLine)]
    assert all(text_width(t) <= PAPER_COLUMNS for t in texts)
    assert "".join(wrap_width(title, PAPER_COLUMNS)) == title


def test_a_rendered_line_never_carries_a_control_byte() -> None:
    """The renderer's own guard, whatever a layout let through."""
    from xpos.model import Document

    doc = Document(name="t", elements=(TextLine(text="A\x1bdB\x1dV\x00C\nD"),), cut=False)
    assert render(doc) == render(Document(name="t", elements=(TextLine(text="AdBVCD"),),
                                          cut=False))


def test_sale_slip_host_fields_are_sanitised(sale: object) -> None:
    hostile = dataclasses.replace(sale, rrn="2401\x1bi021234", auth_code="A1\x1dV\x002")  # type: ignore[type-var]
    data = render(sale_slip(hostile, copy="customer"))
    assert b"\x1bi" not in data and b"\x1dV\x00" not in data
    assert "2401i021234" in decode_escpos(data)


@given(st.text(max_size=200), st.integers(min_value=2, max_value=48))
def test_wrapped_lines_fit_and_hold_no_control_character(text: str, cols: int) -> None:
    lines = wrap_width(text, cols)
    assert lines
    for line in lines:
        assert text_width(line) <= cols
        assert all(unicodedata.category(c) not in {"Cc", "Cf", "Cs", "Co"} for c in line)


@given(st.lists(st.text(max_size=60), max_size=12))
def test_screen_rows_fit_and_hold_no_control_character(lines: list[str]) -> None:
    rows = fit(lines)
    assert len(rows) <= ROWS
    assert all(text_width(r) <= COLS and r == printable(r) for r in rows)


# -- nothing left behind in /tmp --------------------------------------------------------

def _run_in_clean_tmp(tmp_path: Path,
                      *args: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("ESCPOS_CAPABILITIES_PICKLE_DIR", None)
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)
    return done, sorted(p.name for p in scratch.iterdir())


def test_rendering_leaves_no_temporary_folder(tmp_path: Path) -> None:
    code = ("from xpos.model import Document, TextLine\n"
            "from xpos.receipts.escpos import render\n"
            "render(Document(name='t', elements=(TextLine(text='消费'),)))\n")
    done, left = _run_in_clean_tmp(tmp_path, "-c", code)
    assert done.returncode == 0, done.stderr
    assert left == []
    assert list((tmp_path / "cache" / "xpos" / "escpos").iterdir())  # the one lasting cache


def test_the_demo_command_leaves_tmp_as_it_found_it(tmp_path: Path) -> None:
    done, left = _run_in_clean_tmp(tmp_path, "-m", "xpos.cli", "demo")
    assert done.returncode == 0, done.stdout + done.stderr
    assert left == []
