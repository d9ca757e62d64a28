"""Problems found in files and maps: what, where, and what to do."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ERROR = "error"
WARNING = "warning"
INFO = "info"  # worth knowing, not wrong (review findings such as implicit premises)


@dataclass(frozen=True)
class Problem:
    severity: str  # "error" | "warning" | "info"
    code: str  # a short stable name, e.g. "duplicate-id"
    message: str
    hint: str = ""
    file: str | None = None
    line: int | None = None  # 1-based
    col: int | None = None  # 1-based
    ref: str | None = None  # the node or relation id it concerns, if any
    data: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def location(self) -> str:
        parts = [self.file or "<map>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    def format(self) -> str:
        text = f"{self.location()}: {self.severity}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "ref": self.ref,
        }


class ArgmapError(Exception):
    """The one error type argmap's loaders raise: carries problems to show."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


def has_errors(problems: list[Problem]) -> bool:
    return any(p.is_error for p in problems)
