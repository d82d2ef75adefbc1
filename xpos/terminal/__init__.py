"""The shell: runtime, the executor of the core's transaction effects, host link, clock,
config, menu loading, and the composition root.

Nothing here imports the reference host, the test rig, the emulator, the QA runner or
Textual (``tests/test_layers.py``).
"""
