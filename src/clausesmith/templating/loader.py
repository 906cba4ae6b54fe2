"""Templates read from one folder and nowhere else (the Markdown twins of `--template DIR`).

Jinja's FileSystemLoader refuses `..` in a name but follows a symlink in the folder to
anywhere; this loader resolves every symlink and refuses a file outside the folder, reads
only regular files, and no more than MAX_TEMPLATE_BYTES.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from jinja2 import BaseLoader, Environment, TemplateNotFound
from jinja2.loaders import split_template_path

from clausesmith.files import NotRegular, Outside, TooLarge, read_bounded

MAX_TEMPLATE_BYTES = 2_000_000


class ConfinedLoader(BaseLoader):
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder.joinpath(*split_template_path(template))
        try:
            data = read_bounded(path, MAX_TEMPLATE_BYTES, within=self.folder)
        except FileNotFoundError:
            raise TemplateNotFound(template) from None
        except (Outside, NotRegular, TooLarge) as exc:
            raise TemplateNotFound(f"{template} {exc.strerror}") from None
        mtime = os.stat(path).st_mtime_ns

        def unchanged() -> bool:
            try:
                return os.stat(path).st_mtime_ns == mtime
            except OSError:
                return False

        return data.decode("utf-8"), str(path), unchanged
