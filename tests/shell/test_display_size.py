"""The shell reads the display's size from its driver and hands it to the core."""

import pytest

from xpos.core.geometry import Geometry
from xpos.drivers.fakes import FakeDisplay
from xpos.terminal.display_size import display_geometry


def test_a_fake_display_gives_its_rows_and_columns():
    assert display_geometry(FakeDisplay(rows=4, cols=16)) == Geometry(rows=4, cols=16)


class Bare:
    """A display driver that does not say how big it is."""

    def show(self, lines):
        pass


class Odd:
    rows = True
    cols = "20"


@pytest.mark.parametrize("display", [Bare(), Odd()])
def test_a_display_that_does_not_say_is_eight_by_twenty(display):
    assert display_geometry(display) == Geometry(rows=8, cols=20)
