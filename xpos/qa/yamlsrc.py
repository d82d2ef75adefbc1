"""YAML with line numbers, every scalar kept as the text that was written.

Scenario files are read with PyYAML's ``BaseLoader`` resolver: no implicit typing, so
``tid: 00000001`` stays the string ``"00000001"`` (no octal, no dropped zeros) and the
schema decides what is a number. Each node remembers its 1-based line so that every
error can name ``file:line`` and the offending key. Duplicate keys are an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from xpos.errors import ScenarioError


@dataclass(frozen=True)
class YNode:
    """One YAML node: a scalar (``str``), a list or a mapping, with its line.

    Attributes:
        value: ``str`` for a scalar, ``list[YNode]`` or ``dict[str, YNode]``.
        line: 1-based line where the node starts.
        path: The file it came from.
        key_lines: For a mapping, the line of each key.
    """

    value: str | list[YNode] | dict[str, YNode]
    line: int
    path: str = field(default="")
    key_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def kind(self) -> str:
        """``"scalar"``, ``"list"`` or ``"mapping"``."""
        if isinstance(self.value, str):
            return "scalar"
        return "list" if isinstance(self.value, list) else "mapping"

    def error(self, message: str, *, key: str = "") -> ScenarioError:
        """An error located at this node."""
        return ScenarioError(message, path=self.path, line=self.line, key=key)

    def key_error(self, key: str, message: str) -> ScenarioError:
        """An error located at one key of this mapping (naming the key)."""
        line = self.key_lines.get(key, self.line)
        return ScenarioError(message, path=self.path, line=line, key=key)


def load_yaml(text: str, *, path: str) -> YNode | None:
    """Parse one YAML document; None when the document is empty.

    Raises:
        ScenarioError: bad YAML, several documents, duplicate keys, or a key that is not
            a plain scalar.
    """
    loader: yaml.BaseLoader | None = None
    try:
        loader = yaml.BaseLoader(text)  # checks every character already
        node = loader.get_single_node()
        return None if node is None else _convert(node, path)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        raise ScenarioError(f"not valid YAML: {exc.problem or exc}", path=path,
                            line=line, key="") from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(0, exc.position)) + 1
        raise ScenarioError(f"not valid YAML: character {exc.character:#06x} is not allowed",
                            path=path, line=line, key="") from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"not valid YAML: {exc}", path=path, line=0, key="") from None
    except RecursionError:
        raise ScenarioError("not valid YAML: nested too deeply", path=path, line=0,
                            key="") from None
    finally:
        if loader is not None:
            loader.dispose()


def load_yaml_file(file: Path) -> YNode | None:
    """Read and parse a YAML file (UTF-8).

    Raises:
        ScenarioError: the file cannot be read or parsed.
    """
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"cannot read: {exc}", path=str(file), line=0, key="") from None
    return load_yaml(text, path=str(file))


def _convert(node: yaml.Node, path: str) -> YNode:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        return YNode(str(node.value), line, path)
    if isinstance(node, yaml.SequenceNode):
        return YNode([_convert(item, path) for item in node.value], line, path)
    if isinstance(node, yaml.MappingNode):
        mapping: dict[str, YNode] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise ScenarioError("a key must be a plain word", path=path, line=key_line,
                                    key="")
            key = str(key_node.value)
            if key in mapping:
                raise ScenarioError(f"duplicate key {key!r}", path=path, line=key_line, key=key)
            mapping[key] = _convert(value_node, path)
            lines[key] = key_line
        return YNode(mapping, line, path, lines)
    raise ScenarioError(f"unsupported YAML node {type(node).__name__}", path=path, line=line,
                        key="")
