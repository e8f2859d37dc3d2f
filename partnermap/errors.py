"""The small family of domain errors that the CLI and API turn into messages.

Every message names what is wrong and how to fix it. Messages never carry
personal details: they name files, rows, columns and organization names only.
"""

from __future__ import annotations

from dataclasses import dataclass


class PartnermapError(Exception):
    """Base of every error partnermap reports to a user."""


class NotFoundError(PartnermapError):
    """A stakeholder or other record does not exist."""


class StoreError(PartnermapError):
    """The store cannot be opened or cannot apply a batch."""


@dataclass
class Problem:
    """One thing wrong with an input file, and how to fix it."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    sheet: str | None = None
    hint: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.sheet:
            where += f" [{self.sheet}]"
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f" column '{self.column}'"
        text = f"{where}: {self.message}"
        return f"{text}; {self.hint}" if self.hint else text


class LoadError(PartnermapError):
    """An import was refused; it lists every problem found, not only the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = str(problems[0]) if problems else "import refused"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(first + more)


class InvalidInputError(PartnermapError):
    """A parameter or a rules file that cannot be understood; says how to fix it."""


class TooLargeError(PartnermapError):
    """An upload over the size limit; the message names the limit."""
