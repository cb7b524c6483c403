"""Problems found by checks: collected as values, printed once, one line each."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str          # the file (or the missing file's expected path), relative to the project
    message: str       # what is wrong and how to fix it, in one sentence
    severity: str = "error"   # "error" fails check and build; "warning" is reported only
    line: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{self.severity.upper()}: {where}: {self.message}"


class DataError(Exception):
    """Data that cannot be used at all (unreadable YAML, schema failure). Carries its problems."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]
