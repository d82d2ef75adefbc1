"""Renders the parts of docs/protocol.md that are drawn from code: the field table and
the golden hex dumps. ``test_docs.py`` checks that the document contains them verbatim.

Print them with: ``cd tests && ../.venv/bin/python -m proto.docgen``.
"""

from __future__ import annotations

from xpos.proto.spec import FIELDS, FieldKind, FieldSpec

from .golden import GOLDEN

_PREFIX = {0: "—", 2: "LL, 1 byte BCD", 3: "LLL, 2 bytes BCD"}


def hexdump(data: bytes) -> str:
    """Offset + 16 bytes per line, upper-case hex."""
    return "\n".join(f"{i:04X}  " + " ".join(f"{b:02X}" for b in data[i:i + 16])
                     for i in range(0, len(data), 16))


def _wire_form(spec: FieldSpec) -> str:
    if spec.kind is FieldKind.B:
        return "binary" + ("; length in bytes" if spec.var else "")
    if spec.kind in (FieldKind.AN, FieldKind.ANS):
        return spec.encoding.upper() + ("; length in bytes" if spec.var else "")
    sep = " (`D` = separator)" if spec.kind is FieldKind.Z else ""
    if spec.var:
        return f"BCD{sep}, left-aligned, pad 0; length in digits"
    if spec.length % 2:
        return "BCD, " + ("left-aligned, pad 0 right" if spec.align == "left"
                          else "right-aligned, pad 0 left")
    return "BCD"


def field_table() -> str:
    """The markdown table of every field of the dialect."""
    rows = ["| F | format | length prefix | wire form | meaning |",
            "|---|---|---|---|---|"]
    rows += [f"| {s.number} | {s.format} | {_PREFIX[s.var]} | {_wire_form(s)} | {s.name} |"
             for s in FIELDS.values()]
    return "\n".join(rows)


def main() -> None:
    """Print the field table and every golden dump."""
    print(field_table())
    for golden in GOLDEN:
        print(f"\n#### {golden.name}\n\n```\n{hexdump(golden.wire)}\n```")


if __name__ == "__main__":
    main()
