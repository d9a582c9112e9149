"""Errors a page can show a user as they are: Dutch, and per field where there is one."""

from __future__ import annotations


class ValidationError(ValueError):
    """Input a command refuses; `fields` maps a form field to its Dutch message."""

    def __init__(self, fields: dict[str, str]):
        self.fields = dict(fields)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.fields.items()))


class AccessDenied(PermissionError):
    """The viewer may not see or change this record (the attempt is audited by the command)."""
