"""Problems found in scenario files, reported as `FILE:LINE: path.to.field: message`."""

from __future__ import annotations

from dataclasses import dataclass

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a scenario, located as precisely as the input allows."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        field = f" {self.field}:" if self.field else ""
        where = f"{self.file}:{self.line}:" if self.line > 0 else f"{self.file}:"
        return f"{where}{field} {self.message}"


class ScenarioError(ValueError):
    """A scenario could not be loaded; `problems` lists everything found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.field))
        super().__init__("\n".join(str(p) for p in self.problems))
