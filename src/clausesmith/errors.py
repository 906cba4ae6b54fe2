"""Every error a user can see: each knows its exit code and formats its own message."""

from __future__ import annotations

from dataclasses import dataclass

from clausesmith.chars import printable

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_BLOCKED = 3
EXIT_STALE = 4
EXIT_OFF_PLAYBOOK = 5  # markup: their text matches no library position
EXIT_INTERNAL = 70


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file, located as precisely as we can."""

    file: str
    line: int | None
    column: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"
        return printable(text)


class UserMessageError(Exception):
    """Base for everything shown to a user; the CLI catches this class once."""

    exit_code = EXIT_INVALID
    status = "invalid_input"  # the word a report gives a deal this error ended

    def format_message(self) -> str:
        return str(self)


class InvalidInput(UserMessageError):
    """A deal, library, playbook or template that cannot be used as it is."""

    exit_code = EXIT_INVALID

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class UsageError(UserMessageError):
    exit_code = EXIT_USAGE
    status = "usage_error"


class Blocked(UserMessageError):
    """A guardrail with severity block fired and counsel recorded no override."""

    exit_code = EXIT_BLOCKED
    status = "blocked"


class Warned(UserMessageError):
    """`--strict`: a guardrail warned and the deal records no acknowledgement. Exit 3, as a
    block: under --strict a warning stops the deal as a block would. The deal is valid:
    its status is `warned`, never `invalid_input`."""

    exit_code = EXIT_BLOCKED
    status = "warned"


class Stale(UserMessageError):
    """`render --check` found outputs on disk that differ from a fresh render."""

    exit_code = EXIT_STALE
    status = "stale"


class ProtectedOutput(UserMessageError):
    """A rendered file was edited by hand since the lock recorded it."""

    exit_code = EXIT_INVALID
    status = "protected_output"


def invalid(
    file: str, key: str, message: str, line: int | None = None, column: int | None = None
) -> InvalidInput:
    """Shorthand for the common one-problem case."""
    return InvalidInput([Problem(file, line, column, key, message)])


def internal_error(subject: str = "clausesmith") -> str:
    """The message for an error that is clausesmith's own fault, raised in an `except` block:
    the traceback goes to a crash log of its own (never to the user), and the message names
    that file. `subject` is what failed: a deal's file, or the program as a whole."""
    import os
    import tempfile
    import traceback

    with tempfile.NamedTemporaryFile(
        "w", prefix="clausesmith-crash-", suffix=".log", delete=False
    ) as log:
        log.write(f"while processing {subject} (pid {os.getpid()})\n")
        traceback.print_exc(file=log)
    return (
        f"{subject}: internal error; details written to {log.name}. "
        "Please report it with that file."
    )
