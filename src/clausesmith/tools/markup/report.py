"""The `markup` report as text: one line per head, then what each edit means for the deal."""

from __future__ import annotations

import re
from typing import Any

from clausesmith.errors import EXIT_BLOCKED, EXIT_OFF_PLAYBOOK
from clausesmith.tools.compare.word_diff import diff

CONTEXT = 8  # words shown either side of a change
NEAR = 75  # per cent: below it, no library position is close to their text

RESULTS = {
    0: "every edit is reproduced by a deal change that trips no block (exit 0)",
    EXIT_BLOCKED: "an edit maps to a deal change that a guardrail blocks (exit 3)",
    EXIT_OFF_PLAYBOOK: "some text is off-playbook: counsel must review it (exit 5)",
}


def markup_text(data: dict[str, Any], changed_only: bool = False) -> str:
    """The report: the changed heads first, then (unless `changed_only`) the unchanged."""
    heads, outside = data["heads"], data["outside"]
    changed = [h for h in heads if h["status"] != "unchanged"]
    lines = [
        f"{data['theirs']} against {data['against']} ({data['document']}): "
        f"{len(changed)} of {len(heads)} heads changed, "
        f"{len(outside)} change{'' if len(outside) == 1 else 's'} outside the clauses"
    ]
    for head in changed + ([] if changed_only else [h for h in heads if h not in changed]):
        lines.append(f"{head['heading']} ({head['clause']}, {head['position']}): {head['status']}")
        if head["status"] != "unchanged":
            lines.extend("  " + line for line in _head(head))
    if outside:
        lines.append("Outside the clauses:")
        for item in outside:
            row = f" (row {item['row']})" if item["row"] else ""
            row = f" (in {item['part']})" if item.get("part") else row
            text = _short(item["ours"] or "", item["theirs"] or "")
            lines.append(f"  {item['status']}{row}: {text}")
            lines.extend("    " + line for line in _meaning(item, None))
    together = data.get("together")
    if together:
        lines.append(f"All their changes together: {_changes(together['changes'])}")
        if not together["valid"]:
            lines.append("  the deal format refuses these values together")
        lines.extend(f"  {line}" for line in _findings(together["findings"]))
    if not changed and not outside:
        lines.append("Result: no changes; their document is ours word for word (exit 0)")
    else:
        lines.append(f"Result: {RESULTS[data['exit_code']]}")
    return "\n".join(lines)


def _head(head: dict[str, Any]) -> list[str]:
    lines = [_short_diff(head["diff"])]
    for host in head.get("moved_to", []):
        lines.append(f"a paragraph of it now stands under {host}")
    nearest = head["nearest"]
    if nearest and 0 < nearest[0]["similarity"] < NEAR:
        best = nearest[0]
        lines.append(
            f"no library position is close to their text under {head['heading']}: the nearest, "
            f"{best['clause']} ({best['position']}), shares {best['similarity']}% of its words"
        )
    elif nearest and nearest[0]["similarity"] > 0:
        best = nearest[0]
        lines.append(
            f"their text under {head['heading']} is closest to {best['clause']} "
            f"({best['position']}), {best['similarity']}%"
            + "".join(
                f"; then {n['clause']} ({n['position']}), {n['similarity']}%" for n in nearest[1:]
            )
        )
    lines.extend(_meaning(head, head["clause"]))
    return lines


def _meaning(item: dict[str, Any], our_clause: str | None) -> list[str]:
    lines = []
    reproduced, toward = item.get("reproduced_by"), item.get("moves_toward")
    if reproduced:
        changes = _changes(reproduced["changes"])
        other = reproduced["clause"] and reproduced["clause"] != our_clause
        via = f"{reproduced['clause']} ({reproduced['position']}) with " if other else ""
        lines.append(f"{via}{changes or 'the deal as it is'} reproduces this edit")
    elif toward:
        lines.append(
            f"the words it adds are those of {toward['clause']} ({toward['position']}), "
            f"which the deal change {_changes(toward['changes'])} chooses"
        )
    if reproduced or toward:
        lines.extend(_findings(item["findings"]))
    if item["off_playbook"]:
        lines.append("off-playbook: counsel must review")
    return lines


def _findings(findings: list[dict[str, Any]]) -> list[str]:
    if not findings:
        return ["as if the deal had changed: no new guardrail finding"]
    return [
        f"as if the deal had changed: {f['rule']} {'blocks' if f['blocks'] else f['severity']} "
        f"({f['title']})"
        for f in findings
    ]


def _changes(changes: list[dict[str, Any]]) -> str:
    return "; ".join(f"{c['path']}: {c['from']} → {c['to']}" for c in changes)


def _short(old: str, new: str) -> str:
    return _short_diff(diff(old, new))


def _short_diff(full: str) -> str:
    """A diff cut to its changes and a few words around them, paragraphs marked ¶."""
    text = full.replace("\n", " ¶ ")
    marks = list(re.finditer(r"\[-.*?-\]|\{\+.*?\+\}", text, re.S))
    if not marks:
        return text
    keep: list[tuple[int, int]] = []
    for match in marks:
        start = _words_back(text, match.start(), CONTEXT)
        end = _words_on(text, match.end(), CONTEXT)
        if keep and start <= keep[-1][1]:
            keep[-1] = (keep[-1][0], end)
        else:
            keep.append((start, end))
    pieces = [text[a:b].strip() for a, b in keep]
    head = "" if keep[0][0] == 0 else "… "
    tail = "" if keep[-1][1] >= len(text) else " …"
    return head + " … ".join(pieces) + tail


def _words_back(text: str, at: int, words: int) -> int:
    spaces = [i for i in range(at - 1, -1, -1) if text[i] == " "]
    return spaces[words] + 1 if len(spaces) > words else 0


def _words_on(text: str, at: int, words: int) -> int:
    spaces = [i for i in range(at, len(text)) if text[i] == " "]
    return spaces[words] if len(spaces) > words else len(text)
