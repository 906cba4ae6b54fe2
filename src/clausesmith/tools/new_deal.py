"""`clausesmith new`: a commented starting deal that validates, from answers or options."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from clausesmith.deal.load import DefaultsFor, load_parsed
from clausesmith.deal.model import DEFAULTABLE_SECTIONS
from clausesmith.deal.schema import GOVERNING_LAWS
from clausesmith.deal.yamlio import parse
from clausesmith.errors import invalid

DEFAULT_TITLE = "Patent Cross-Licence Term Sheet"


@dataclass(frozen=True)
class Answers:
    id: str
    title: str
    date: dt.date
    governing_law: str
    parties: tuple[tuple[str, str, str], ...]  # (key, full name, jurisdiction)
    field: str
    territory: tuple[str, ...]
    patents: tuple[tuple[str, str, str], ...]  # (owner key, reference, title)


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def starting_deal(a: Answers) -> str:
    """The deal file's text: required sections filled in, every other section commented."""
    lines = [
        "# A new deal specification written by `clausesmith new`. Every section left out",
        "# takes the playbook's preferred position; `clausesmith explain` lists which did.",
        "# examples/acme-beta.yaml in the clausesmith repository shows every key.",
        "clausesmith: 1",
        "",
        "deal:",
        f"  id: {_q(a.id)}                      # names the output folder",
        f"  title: {_q(a.title)}",
        f"  date: {a.date.isoformat()}",
        f"  governing_law: {a.governing_law}   # {' | '.join(GOVERNING_LAWS)}",
        "",
        "parties:                             # exactly two",
    ]
    for key, name, jurisdiction in a.parties:
        short = name.split(",")[0].split()[0]
        lines.append(
            f"  - {{key: {_q(key)}, name: {_q(name)}, short_name: {_q(short)}, "
            f"jurisdiction: {_q(jurisdiction)}}}"
        )
    lines += ["", "patents:", "  families:"]
    for owner, ref, title in a.patents:
        lines.append(f"    - {{owner: {_q(owner)}, ref: {_q(ref)}, title: {_q(title)}}}")
    lines += [
        "",
        "field:",
        "  licensed:",
        f"    - {{segment: {_q(a.field)}}}",
        "",
        "territory:",
        f"  include: [{', '.join(map(_q, a.territory))}]   # ISO 3166-1 alpha-2, or WORLD, EU, EEA",
        "",
        "# Left out, so the playbook's preferred position applies; add a section to change it:",
        *(f"# {section}:" for section in DEFAULTABLE_SECTIONS),
        "",
    ]
    return "\n".join(lines)


def write_new(path: Path, answers: Answers, defaults_for: DefaultsFor, force: bool) -> None:
    """Write the starting deal, having checked that it validates; never clobber a file."""
    if path.exists() and not force:
        raise invalid(str(path), "", "already exists; choose another name or pass --force")
    text = starting_deal(answers)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    load_parsed(parse(text, str(path)), defaults_for, digest)  # InvalidInput if not valid
    path.write_text(text, encoding="utf-8")
