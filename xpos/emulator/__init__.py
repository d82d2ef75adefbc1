"""The emulator side of X-POS: the reference host (and, later, the TUI and QA runner).

Nothing heavy is imported here; import :mod:`xpos.emulator.host` explicitly.
"""
