"""The test rig: a terminal on fake devices joined to a reference host, and demo data.

The emulator, the QA runner, the demo and most end-to-end tests stand on
:class:`xpos.testing.rig.TerminalRig`. Nothing heavy is imported here; import the
submodules explicitly.
"""
