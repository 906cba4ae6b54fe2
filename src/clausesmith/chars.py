"""Characters a Word document cannot hold, and messages that cannot drive a terminal.

XML 1.0 refuses most C0 control characters, so a .docx holding one does not open; they are
refused at the file and key they came from. Messages echo keys and values back to the user,
so every control character in a message is shown as an escape (`\\x1b`), never sent raw to a
terminal that would act on it.
"""

from __future__ import annotations

import re

XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def control_character(text: str) -> str | None:
    """What is wrong with `text` if it holds a character XML cannot hold, else None."""
    bad = XML_ILLEGAL.search(text)
    if bad is None:
        return None
    return (
        f"contains the control character U+{ord(bad.group()):04X}, "
        "which a Word document cannot hold; delete it"
    )


def printable(message: str) -> str:
    """`message` with control characters (except tab and newline) escaped as \\xNN."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", message)
