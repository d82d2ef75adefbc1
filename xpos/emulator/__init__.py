"""The Textual emulator (``xpos emulator``): the terminal's devices drawn on a rig.

The rig itself (:mod:`xpos.testing.rig`) joins the reference host (:mod:`xpos.refhost`)
to a terminal on fake devices. Nothing heavy is imported here; import
:mod:`xpos.emulator.app` explicitly.
"""
