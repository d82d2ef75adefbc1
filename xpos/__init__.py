"""X-POS: terminal software, device SDK and emulator for Linux POS devices."""

__version__ = "0.1.0"
