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


# In a one-line value (a party's name, a title, a reference) these print wrongly or invisibly:
# a line break starts a heading in the Markdown twin and a fake paragraph in Word; a bidi
# control reorders the text around it; a zero-width character makes an invisible defined
# term. docxtpl turns `{_{`, `}_}`, `{_%` and `%_}` into Jinja braces after rendering.
_LINE_BREAKS = "\n\r\x85\u2028\u2029"
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE = re.compile(f"[{_BIDI}{_ZERO_WIDTH}]")
_TEMPLATE_MARKS = re.compile(r"\{_\{|\}_\}|\{_%|%_\}")


def not_one_line(text: str, multiline: bool = False) -> str | None:
    """What is wrong with `text` as a value documents print, else None."""
    if found := control_character(text):
        return found
    if not multiline and (breaks := [c for c in text if c in _LINE_BREAKS]):
        return (
            f"contains a line break (U+{ord(breaks[0]):04X}); this value is printed on one "
            "line: write it on one line"
        )
    if invisible := _INVISIBLE.search(text):
        return (
            f"contains the invisible character U+{ord(invisible.group()):04X} (a direction "
            "or zero-width mark), which would change how the document reads; delete it"
        )
    if mark := _TEMPLATE_MARKS.search(text):
        return f"contains {mark.group()!r}, which the Word writer would turn into a template tag"
    return None


def printable(message: str) -> str:
    """`message` with control characters (except tab and newline) escaped as \\xNN."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", message)
