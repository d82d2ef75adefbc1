"""Render a :class:`~xpos.model.Document` to ESC/POS bytes with python-escpos.

Theory of operation
-------------------
python-escpos's ``Dummy`` printer collects the bytes; its profile (default
``POS-5890``, the common 58 mm Chinese printer) decides the cut command.

* Chinese: python-escpos's own path sends Han text as bare GB18030 and never enters
  Chinese mode, and it garbles ``¥`` and Chinese punctuation. So every run of non-ASCII
  characters goes out raw as ``FS &`` (1C 26, enter Chinese mode) + GB18030 bytes +
  ``FS .`` (1C 2E, leave it); ASCII runs go out as raw bytes under the code page set
  once after ``ESC @`` (python-escpos ``charcode``).
  Amounts use the full-width ``￥`` (GB18030 A3 A4), which every GBK printer has.
* Styles: ``GS !`` for size (it applies to Chinese characters too, unlike ``ESC !``),
  ``ESC E`` for bold, ``ESC a`` for alignment — all set before each line.
* QR codes: native ``GS ( k`` (model 2, size 6), centred by ``ESC a 1``.
* Cut: ``cut()`` of the profile; profiles without a cutter (POS-5890) feed only, so a
  ``GS V B 0`` (feed to the cutter and cut) follows, which cutter-less printers ignore.
* Text is text: every control character is removed from a line before it is encoded
  (:func:`~xpos.model.textwidth.printable`), so no text can become a printer command,
  whatever a layout let through. The only command bytes are the ones written here.
* python-escpos is imported on the first render, not with this module, and its
  capabilities cache goes to one lasting folder (:mod:`xpos.receipts.escpos_import`) instead of
  a new temporary folder per process.
"""

from __future__ import annotations

import logging
from itertools import groupby
from typing import TYPE_CHECKING, Any

from xpos.model import Align, Document, Feed, QrCode, TextLine
from xpos.model.textwidth import printable
from xpos.receipts.escpos_import import escpos_printer_module
from xpos.receipts.raster import FontMissingError, line_image

if TYPE_CHECKING:
    from escpos.printer import Dummy

log = logging.getLogger(__name__)

FS_CHINESE_ON = b"\x1c\x26"
FS_CHINESE_OFF = b"\x1c\x2e"
QR_SIZE = 6
ASCII_CODE_PAGE = "CP437"
_ALIGN = {Align.LEFT: "left", Align.CENTER: "center", Align.RIGHT: "right"}


def encode_chinese(text: str) -> bytes:
    """Non-ASCII text as a printer takes it: ``FS &`` + GB18030 + ``FS .``."""
    return FS_CHINESE_ON + text.encode("gb18030") + FS_CHINESE_OFF


def _text(printer: Dummy, text: str) -> None:
    for is_ascii, run in groupby(text, key=str.isascii):
        chunk = "".join(run)
        if is_ascii:  # the code page is fixed in render(); ASCII is the same in all of them
            printer._raw(chunk.encode("ascii"))
        else:
            printer._raw(encode_chinese(chunk))  # python-escpos's raw-bytes hook


def _text_line(printer: Dummy, line: TextLine, chinese: str = "fs") -> None:
    text = printable(line.text)
    if chinese == "image" and not text.isascii():
        printer.set(align="left", bold=False, custom_size=True, width=1, height=1)
        printer._raw(line_image(text, align=line.align, double=line.double, bold=line.bold))
        return
    size = 2 if line.double else 1
    printer.set(
        align=_ALIGN[line.align], bold=line.bold, custom_size=True, width=size, height=size
    )
    _text(printer, text + "\n")


def _qr(printer: Dummy, qr: QrCode) -> None:
    printer.set(align="center", bold=False, custom_size=True, width=1, height=1)
    printer.qr(qr.data, native=True, size=QR_SIZE)
    printer._raw(b"\n")


def _cut(printer: Dummy) -> None:
    printer.cut()
    profile = printer.profile
    if not (profile.supports("paperFullCut") or profile.supports("paperPartCut")):
        printer.cut(feed=False)


def _select_code_page(printer: Dummy) -> None:
    """``ESC t n`` for CP437 with ``n`` from the printer profile, once per document.

    Same bytes as python-escpos ``charcode("CP437")`` without its per-call code page
    table build (about half of the render time).
    """
    code = int(printer.profile.get_code_pages().get(ASCII_CODE_PAGE, "0"))
    printer._raw(b"\x1bt" + bytes([code]))


def _dummy_class() -> Any:  # python-escpos has no type hints
    """python-escpos's ``Dummy`` printer, from the one lazy import."""
    return escpos_printer_module().Dummy


#: The python-escpos profile of the common 58 mm Chinese printer, the default.
DEFAULT_PROFILE = "POS-5890"


def printer_profile(printer: object) -> str:
    """The profile a printer device asks its slips to be rendered for.

    A backend with a ``profile`` attribute (``escpos+tcp://…?profile=TM-T88V``) names
    it; fakes and file printers have none and get :data:`DEFAULT_PROFILE`.
    """
    profile = getattr(printer, "profile", None)
    return profile if isinstance(profile, str) and profile else DEFAULT_PROFILE


#: How Chinese reaches the paper: ``FS &`` + GB18030, or lines drawn as pictures.
CHINESE_MODES = ("fs", "image")


def printer_chinese(printer: object) -> str:
    """The Chinese route a printer device asks for (``chinese`` attribute, else ``fs``)."""
    chinese = getattr(printer, "chinese", None)
    return chinese if chinese in CHINESE_MODES else "fs"


def render_for(doc: Document, printer: object) -> tuple[bytes, bytes]:
    """``(kept, sent)``: the bytes for the journal and the bytes for ``printer``.

    The journal always keeps the ``FS &`` text form (reprints decode it back into a
    document); a printer configured with ``chinese=image`` is sent the same slip with
    its Chinese lines drawn (:mod:`xpos.receipts.raster`).

    Without a CJK font the printer gets the text form too (logged as an error).
    """
    profile = printer_profile(printer)
    kept = render(doc, profile=profile)
    if printer_chinese(printer) == "image":
        try:
            return kept, render(doc, profile=profile, chinese="image")
        except FontMissingError as exc:  # print the text form rather than nothing
            log.error("%s; printing Chinese as text (FS &)", exc)
    return kept, kept


def render(doc: Document, *, profile: str = DEFAULT_PROFILE, chinese: str = "fs") -> bytes:
    """Render a document to the ESC/POS bytes for a printer of ``profile``.

    ``chinese="image"`` draws every line with non-ASCII text as a ``GS v 0`` picture.

    Raises:
        ValueError: for a text that GB18030 cannot encode (never for Unicode text).
        FontMissingError: ``chinese="image"`` and no CJK font installed.
    """
    printer = _dummy_class()(profile=profile)
    printer.hw("INIT")
    _select_code_page(printer)
    for element in doc.elements:
        if isinstance(element, TextLine):
            _text_line(printer, element, chinese)
        elif isinstance(element, QrCode):
            _qr(printer, element)
        elif isinstance(element, Feed):
            printer._raw(b"\n" * element.lines)
    if doc.cut:
        _cut(printer)
    return bytes(printer.output)
