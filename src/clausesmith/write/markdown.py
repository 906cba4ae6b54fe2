"""The Markdown text twin of each Word document: the same content, for review diffs and totext.

Rendered in the limited sandbox (a firm may pass its own templates with --template, so they
get no more power than a clause) from `term-sheet.md.j2` and `side-letter.md.j2` in `templates_dir`.
Values are escaped for Markdown by the `md` filter (and the `cell` filter inside table cells),
so a party named `Smith & Söhne <Holdings>` prints as written and a `|` cannot break a table.
"""

from __future__ import annotations

import functools
import re
import traceback
from pathlib import Path

import jinja2

from clausesmith import compile_cache
from clausesmith.assemble.document_model import (
    Content,
    SideLetter,
    TermSheet,
    named_fields,
    template_context,
)
from clausesmith.errors import InvalidInput, Problem
from clausesmith.templating.limits import RENDER_ERRORS, LimitedSandbox, budget
from clausesmith.templating.loader import ConfinedLoader

TEMPLATE_NAMES: dict[type[Content], str] = {
    TermSheet: "term-sheet.md.j2",
    SideLetter: "side-letter.md.j2",
}

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_<>[\]])")  # [ ]: no link or image from deal text
_BLANK_LINES = re.compile(r"\n{3,}")


def render_markdown(content: Content, templates_dir: Path) -> str:
    """Render the text twin of a term sheet or side letter; ends with one newline."""
    name = TEMPLATE_NAMES[type(content)]
    env = _environment(templates_dir.resolve())
    try:
        with budget():
            text = env.get_template(name).render(template_context(content))
    except jinja2.TemplateNotFound as exc:
        if exc.name != name:  # an `{% include %}` of the template: its own message
            raise _template_problem(templates_dir, name, exc) from None
        twin = name.removesuffix(".j2")
        why = (
            f"no such file: the text twin ({twin}) is rendered from it, beside the Word "
            f"templates; copy {name} from clausesmith's own templates into this folder"
        )
        raise InvalidInput([Problem(str(templates_dir / name), None, None, "", why)]) from None
    except RENDER_ERRORS as exc:
        raise _template_problem(templates_dir, name, exc) from None
    return tidy(text)


def _template_problem(templates_dir: Path, name: str, exc: BaseException) -> InvalidInput:
    """The template's own error, at its line."""
    path = str(templates_dir / name)
    line = next(
        (
            f.lineno
            for f in reversed(traceback.extract_tb(exc.__traceback__))
            if f.filename.endswith(name)
        ),
        getattr(exc, "lineno", None),
    )
    return InvalidInput([Problem(path, line, None, "", f"template: {named_fields(str(exc))}")])


def md(value: object) -> str:
    """Escape the characters Markdown would read as code, emphasis, HTML, a link or an image
    (deal text is never a link to click or a picture fetched from elsewhere)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(value))


def cell(value: object) -> str:
    """A value inside a pipe-table cell: escaped, `|` escaped, line breaks as `<br>`."""
    text = md(value).replace("|", "\\|")
    return "<br>".join(line.strip() for line in text.splitlines()) if text else ""


def tidy(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, exactly one final newline."""
    lines = "\n".join(line.rstrip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", lines).strip("\n") + "\n"


@functools.lru_cache(maxsize=8)
def _environment(templates_dir: Path) -> jinja2.Environment:
    env = LimitedSandbox(
        loader=ConfinedLoader(templates_dir),
        bytecode_cache=compile_cache.bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = md
    env.filters["cell"] = cell
    return env
