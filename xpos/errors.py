"""The X-POS exception tree.

One root, :class:`XposError`. Every subclass also inherits the built-in exception
that matches its category, so callers may catch either::

    XposError
    ├── ConfigError (ValueError)            bad configuration or data file
    │   ├── MenuError                       malformed menu file (file + key)
    │   └── ScenarioError                   invalid QA scenario (file + line + key)
    ├── CodecError (ValueError)             ISO 8583 wire format
    │   ├── EncodeError                     (field)
    │   └── DecodeError                     (field, position)
    ├── ProtocolError (RuntimeError)        protocol rules broken
    │   ├── LocalProtocolError              we tried to do something illegal
    │   └── RemoteProtocolError             the peer did something illegal
    ├── SecurityError (ValueError)
    │   ├── KeyCheckError                   key check value mismatch (key name)
    │   ├── MacError                        MAC verification failed
    │   ├── KeyMissingError (LookupError)   key not loaded
    │   └── KeysLostError                   key store gone though a TMK was loaded
    ├── HostError (ConnectionError)         host link
    │   ├── HostUnreachableError            no address could be reached
    │   └── HostTimeoutError (TimeoutError) no response in time
    ├── JournalError (RuntimeError)         journal consistency
    │   └── JournalLostError                journal lost, emptied, replaced or damaged
    └── DeviceError (OSError)               a device failed
        ├── PaperOutError                   printer out of paper
        └── CardReadError                   card data unusable (never quotes it)

Third-party exceptions are mapped at the boundary with ``raise ... from exc``.
"""

from __future__ import annotations


class XposError(Exception):
    """Root of every error X-POS raises on purpose."""


class ConfigError(XposError, ValueError):
    """Bad configuration or data file."""


class MenuError(ConfigError):
    """A menu file is malformed.

    Attributes:
        path: The menu file.
        key: The dotted key that is wrong (e.g. ``menu.items[2].action``).
    """

    def __init__(self, message: str, *, path: str, key: str) -> None:
        super().__init__(f"{path}: {key}: {message}")
        self.path = path
        self.key = key


class ScenarioError(ConfigError):
    """A QA scenario file is invalid.

    Attributes:
        path: The scenario file.
        line: 1-based line of the offending node (0 when unknown).
        key: The offending key, verb or name (may be empty).
        reason: The message without the location.
    """

    def __init__(self, message: str, *, path: str, line: int, key: str) -> None:
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line
        self.key = key
        self.reason = message


class CodecError(XposError, ValueError):
    """The ISO 8583 wire format could not be built or parsed."""


class EncodeError(CodecError):
    """A message could not be encoded.

    Attributes:
        field: The field (e.g. ``"4"``, ``"t"`` for the MTI) at fault.
    """

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(f"field {field}: {message}")
        self.field = field


class DecodeError(CodecError):
    """Bytes could not be decoded.

    Attributes:
        field: The field being decoded (``"len"``, ``"tpdu"``, ``"h"``, ``"t"``, ``"p"``,
            or a field number as a string).
        position: Byte offset in the decoded buffer where the problem was found.
    """

    def __init__(self, message: str, *, field: str, position: int) -> None:
        super().__init__(f"field {field} at byte {position}: {message}")
        self.field = field
        self.position = position


class ProtocolError(XposError, RuntimeError):
    """A protocol rule was broken."""


class LocalProtocolError(ProtocolError):
    """Our side tried something the protocol does not allow."""


class RemoteProtocolError(ProtocolError):
    """The peer sent something the protocol does not allow."""


class SecurityError(XposError, ValueError):
    """A security check failed."""


class KeyCheckError(SecurityError):
    """A key's check value did not match.

    Attributes:
        key_name: Which key (``"TMK"``, ``"PIK"``, ``"MAK"``, ``"TDK"``).
    """

    def __init__(self, message: str, *, key_name: str) -> None:
        super().__init__(f"{key_name}: {message}")
        self.key_name = key_name


class MacError(SecurityError):
    """A message authentication code did not verify."""


class KeyMissingError(SecurityError, LookupError):
    """A key needed for the operation is not loaded."""


class KeysLostError(SecurityError):
    """The key store is missing or has no TMK, though a TMK was loaded before.

    Never silently replaced by an empty key store: load the TMK again
    (``xpos keys load``).
    """


class HostError(XposError, ConnectionError):
    """The host link failed."""


class HostUnreachableError(HostError):
    """None of the configured host addresses could be reached."""


class HostTimeoutError(HostError, TimeoutError):
    """The host did not answer in time."""


class JournalError(XposError, RuntimeError):
    """The journal refused an operation that would break its consistency."""


class JournalLostError(JournalError):
    """The journal is missing, empty, replaced, behind its marker or damaged.

    The terminal refuses to transact until ``xpos journal recover`` has kept the old
    file aside and started a new journal (docs/operations.md).

    Attributes:
        finding: What was found (``missing``, ``empty``, ``replaced``, ``behind``,
            ``damaged``, ``marker``).
    """

    def __init__(self, message: str, *, finding: str) -> None:
        super().__init__(message)
        self.finding = finding


class DeviceError(XposError, OSError):
    """A device failed."""


class PaperOutError(DeviceError):
    """The printer is out of paper."""


class PrinterOfflineError(PaperOutError):
    """The printer is not connected or does not answer (not a paper problem).

    A :class:`PaperOutError`, so the slip is kept and printed whole on retry; the
    operator is told to check the printer's cable or power, not to load paper.
    """


class CardReadError(DeviceError):
    """A card was presented but its data could not be used (bad track, bad frame).

    The message names the problem, never the card data.
    """


class NoTerminalError(XposError):
    """A full-screen command (``xpos emulator``) has no terminal to draw on."""
