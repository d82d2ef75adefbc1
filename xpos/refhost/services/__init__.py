"""Platform services as data (X3): service files, their sessions, the message handler.

:mod:`.model` is the file format and loader, :mod:`.registry` the folder (reloaded on
change), :mod:`.runner` one session's steps, :mod:`.handler` the 0100/0110 messages.
"""
