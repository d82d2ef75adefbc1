"""Fixtures of the ``xpos run`` process tests (see runkit.py): ``host`` and ``pty_path``."""

from runkit import host, pty_path

__all__ = ["host", "pty_path"]
