import io
import logging

import pytest

from xpos.terminal.daemon import JournaldFormatter, log_to_journald


@pytest.mark.parametrize(("level", "prefix"), [
    (logging.CRITICAL, "<2>"), (logging.ERROR, "<3>"), (logging.WARNING, "<4>"),
    (logging.INFO, "<6>"), (logging.DEBUG, "<7>"),
])
def test_each_level_gets_its_syslog_priority(level: int, prefix: str) -> None:
    record = logging.LogRecord("xpos.x", level, __file__, 1, "hello %s", ("there",), None)
    assert JournaldFormatter().format(record) == f"{prefix}xpos.x: hello there"


def test_a_traceback_stays_on_one_line() -> None:
    try:
        raise ValueError("boom\nsecond line")
    except ValueError as exc:
        record = logging.LogRecord("xpos.run", logging.CRITICAL, __file__, 1, "fatal", (),
                                   (type(exc), exc, exc.__traceback__))
    text = JournaldFormatter().format(record)
    assert "\n" not in text and text.startswith("<2>xpos.run: fatal\\nTraceback")
    assert "ValueError: boom\\nsecond line" in text


def test_log_to_journald_sends_root_records_to_the_stream() -> None:
    root = logging.getLogger()
    saved, level = root.handlers[:], root.level
    stream = io.StringIO()
    try:
        log_to_journald(stream, logging.INFO)
        logging.getLogger("xpos.t").info("one")
        logging.getLogger("xpos.t").debug("hidden")
    finally:
        root.handlers, root.level = saved, level
    assert stream.getvalue() == "<6>xpos.t: one\n"
