"""The project's error types: one base, so front ends can catch everything they can explain."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class AssistantError(Exception):
    """An error with a message fit to show a user as it is."""


class ConfigError(AssistantError):
    """config.yaml is missing, malformed or has an invalid value (the message names the key)."""


@dataclass(frozen=True)
class Problem:
    """One finding of `check`, located in a file (and a line when known)."""

    file: Path
    line: int | None
    message: str
    severity: str = "error"  # "error" blocks loading; "warning" is reported only
    code: str = ""  # what kind of finding, for callers that count them ("no_plain", "review", "uncovered")

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else f"{self.file}"
        return f"{where}: {self.severity}: {self.message}"


class KnowledgeError(AssistantError):
    """The knowledge files cannot be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class StaleIndex(AssistantError):
    """The saved index cannot be used as it is (missing, stale, corrupt, other model): rebuild it."""
