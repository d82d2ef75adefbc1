"""The test rig: a terminal on fake devices joined to a reference host, and demo data.

The emulator, the QA runner, the demo and most end-to-end tests stand on
:class:`xpos.testing.rig.TerminalRig`, which joins terminal and reference host over TLS on
loopback or in memory (:mod:`xpos.testing.memory`). Nothing heavy is imported here;
import the submodules explicitly.
"""
