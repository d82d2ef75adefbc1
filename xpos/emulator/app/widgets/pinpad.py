"""The PIN pad pane: idle, or asking with one ``*`` per digit keyed (never a digit)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from xpos.emulator.app.pinentry import PinEntry
from xpos.emulator.app.texts import ui


class PinPadPane(Static):
    """Shows the PIN pad's state."""

    DEFAULT_CSS = """
    PinPadPane {
        width: 24;
        height: 5;
        border: round $secondary;
        padding: 0 1;
    }
    PinPadPane.-asking {
        border: heavy $warning;
        background: $warning 10%;
    }
    """

    def __init__(self, *, lang: str = "zh", id: str | None = None) -> None:
        """An idle PIN pad pane labelled in ``lang``."""
        super().__init__(id=id)
        self._lang = lang
        self._shown: tuple[bool, str, str, bool] | None = None
        self.border_title = ui("pinpad", lang)

    def show(self, *, asking: bool, entry: PinEntry, prompt: str) -> None:
        """Show the state.

        Args:
            asking: The PIN pad waits for a PIN.
            entry: The digits keyed so far (shown as ``*``).
            prompt: What the PIN pad shows the cardholder (masked PAN).
        """
        state = (asking, entry.stars, prompt, entry.error)
        if state == self._shown:
            return
        self._shown = state
        self.set_class(asking, "-asking")
        self.update(self._text(*state))

    @property
    def stars(self) -> str:
        """The ``*`` shown (empty when idle)."""
        return self._shown[1] if self._shown and self._shown[0] else ""

    def _text(self, asking: bool, stars: str, prompt: str, error: bool) -> Text:
        if not asking:
            return Text(ui("pinpad.idle", self._lang), style="dim")
        last = ui("pinpad.bad" if error else "pinpad.hint", self._lang)
        text = Text(f"{ui('pinpad.ask', self._lang)} ", style="bold")
        text.append(stars, style="bold reverse" if stars else "")
        text.append(f"\n{prompt}\n")
        text.append(last, style="bold red" if error else "dim")
        return text
