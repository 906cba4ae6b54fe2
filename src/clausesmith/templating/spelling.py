"""US spelling for en-US deals: the clause wording counsel write in UK English, respelt.

Applied to clause text and to the phrases inside its expressions (as `typography` curls
quotes), never to deal values: a party's "Patent Licence Agreement" keeps its name. A
string constant without a space is left alone, since it may name an attribute
(`selectattr("licence", ...)`) rather than print a word. Proper names in the wording that
keep UK spelling in the US ("Singapore International Arbitration Centre") are not in the
list below, which holds only words.
"""

from __future__ import annotations

import re

from jinja2 import nodes

# UK word -> US word, lower case; capitalised forms follow.
_WORDS = {
    "licence": "license",
    "licences": "licenses",
    "organised": "organized",
    "organisation": "organization",
    "favourable": "favorable",
    "favoured": "favored",
    "co-operate": "cooperate",
    "practise": "practice",
    "practises": "practices",
    "practising": "practicing",
    "defence": "defense",
    "programme": "program",
    "judgement": "judgment",
    "whilst": "while",
    "instalment": "installment",
    "instalments": "installments",
    "capitalised": "capitalized",
    "cancelled": "canceled",
    "sub-license": "sublicense",
    "sub-licence": "sublicense",
    "sub-licences": "sublicenses",
    "sub-licensed": "sublicensed",
    "sub-licensing": "sublicensing",
    "sub-licensee": "sublicensee",
    "sub-licensees": "sublicensees",
    "re-examination": "reexamination",
    "re-examinations": "reexaminations",
}
# "agree a rate" is British; American English agrees on one. Read on the rendered text,
# since the object often comes from an expression ("agree {{ 'revised rates' ... }}").
_AGREE = re.compile(
    r"\b(agree|agreed|agreeing) (?=(?:a|an|the|revised|new|any|such|those|these|their|its) )"
)
# American English puts a comma or full stop inside the closing quotation mark.
_CLOSING = re.compile(r"\u201d([,.])")
_PATTERN = re.compile(
    r"(?<!\w)(" + "|".join(sorted(map(re.escape, _WORDS), key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE,
)


def us_spelling(text: str) -> str:
    """`text` with each UK word in the list respelt, keeping its capitals."""
    return _PATTERN.sub(_respell, text)


def us_punctuation(text: str) -> str:
    """A rendered en-US clause: a comma or full stop after a closing quotation mark moves
    inside it (“Royalties.”), as American style has it, and "agree a rate" becomes "agree on
    a rate". Run on the rendered text, since the quote and the comma (or the verb and its
    object) often come from different parts of a template."""
    return _CLOSING.sub("\\1\u201d", _AGREE.sub(r"\1 on ", text))


def _respell(match: re.Match[str]) -> str:
    word = match.group(0)
    us = _WORDS[word.lower()]
    if word.isupper():
        return us.upper()
    return us[:1].upper() + us[1:] if word[:1].isupper() else us


def us_spelling_template(tree: nodes.Template) -> nodes.Template:
    """Respell the template's literal text and the phrases among its string constants."""
    for data in tree.find_all(nodes.TemplateData):
        data.data = us_spelling(data.data)
    for const in tree.find_all(nodes.Const):
        if isinstance(const.value, str) and " " in const.value:
            const.value = us_spelling(const.value)
    return tree
