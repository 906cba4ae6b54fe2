"""Words as every comparison of clausesmith reads them (redline, markup, impact's word
diff): a word with the punctuation inside it (2.5, U.S., party's, e-mail), a run of spaces,
or one mark of punctuation on its own. So a rate of 2% raised to 2.5% differs in one word,
`2` against `2.5`, with the `%` unchanged."""

from __future__ import annotations

import re

TOKEN = re.compile(r"\w+(?:[.,/'\u2019-]\w+)*|[ \u00a0]+|[^\w \u00a0]")


def tokens(text: str) -> list[str]:
    """Every token of `text`, spaces included: joined, they give `text` back."""
    return TOKEN.findall(text)


def words(text: str) -> list[str]:
    """The tokens that are not spaces."""
    return [t for t in tokens(text) if not t.isspace()]
