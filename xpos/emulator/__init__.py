"""The emulator side of X-POS: the reference host, the rig and the Textual emulator.

:mod:`xpos.emulator.host` is the reference host, :mod:`xpos.emulator.rig` joins it to a
terminal on fake devices, :mod:`xpos.emulator.app` draws that rig (``xpos emulator``);
the QA runner (:mod:`xpos.qa`) drives the same rig headless. Nothing heavy is imported
here; import the submodules explicitly.
"""
