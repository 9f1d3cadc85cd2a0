"""The one error type a user can cause. The CLI prints it as one line and exits 2."""

from __future__ import annotations


class ModsmithError(Exception):
    """A problem with the user's input or environment, not a bug in modsmith.

    `where` names the file (and line) at fault, `hint` says what to do about it.
    """

    def __init__(
        self, message: str, *, where: str | None = None, hint: str | None = None, details: str | None = None
    ):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint
        #: Optional text shown under the one line (a table of drop reasons, sample replies).
        self.details = details

    def one_line(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text += f" (hint: {self.hint})"
        return text.replace("\n", " ")

    def __str__(self) -> str:
        return self.one_line()
