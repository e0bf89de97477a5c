"""One thing the check found: where it is, how serious, and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Finding:
    path: str  # as shown to the author, relative to the project root
    line: int  # 1-based
    severity: Severity
    message: str  # what is wrong, then what to do

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


def error(path: str, line: int, message: str) -> Finding:
    return Finding(path, line, "error", message)


def warning(path: str, line: int, message: str) -> Finding:
    return Finding(path, line, "warning", message)
