"""One exception hierarchy, written for the person who has to fix the problem.

Every error names what was wrong (file, line, field, value), what was expected and,
where it helps, how to fix it. Adapters translate these into HTTP problem details,
CLI messages and form errors; they never invent their own wording.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and what to do about it."""

    message: str
    field: str | None = None
    line: int | None = None
    file: str | None = None
    value: object | None = None

    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message

    def as_dict(self) -> dict:
        out: dict = {"message": self.message}
        for key in ("file", "line", "field"):
            val = getattr(self, key)
            if val is not None:
                out[key] = val
        if self.value is not None:
            out["value"] = self.value if isinstance(self.value, (str, int, float, bool)) else str(self.value)
        return out


class CityDiplomacyError(Exception):
    """Root of every error this package raises on purpose."""

    title = "Error"
    status = 400


@dataclass
class InvalidInput(CityDiplomacyError):
    """Input failed validation; nothing was written."""

    problems: list[Problem] = field(default_factory=list)
    title = "Invalid input"
    status = 422

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        head = f"{len(self.problems)} problem(s); nothing was written"
        return (
            head
            + "".join(f"\n- {p}" for p in self.problems[:50])
            + (f"\n- … and {len(self.problems) - 50} more" if len(self.problems) > 50 else "")
        )


class NotFound(CityDiplomacyError):
    """No such record in this workspace (records of other workspaces are never revealed)."""

    title = "Not found"
    status = 404

    def __init__(self, kind: str, key: object):
        self.kind, self.key = kind, key
        super().__init__(f"No {kind} '{key}' in this workspace.")


class Conflict(CityDiplomacyError):
    """The change would break the registry's integrity (a duplicate key, a record still in use)."""

    title = "Conflict"
    status = 409


class PermissionDenied(CityDiplomacyError):
    title = "Forbidden"
    status = 403
