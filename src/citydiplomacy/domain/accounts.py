"""Accounts, roles and what each role may do in a workspace.

Roles are per workspace: one person can be staff in one workspace and a viewer in
another. What a role may do is decided here and only here.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .vocab import Confidentiality


class Role(StrEnum):
    viewer = "viewer"  # reads internal and public records
    staff = "staff"  # creates and edits records, reads confidential ones
    counsel = "counsel"  # also manages rules and records interpretations
    admin = "admin"  # also users and settings

    @property
    def rank(self) -> int:
        return ROLE_ORDER.index(self)

    def at_least(self, other: Role) -> bool:
        return self.rank >= Role(other).rank

    @property
    def visible(self) -> tuple[Confidentiality, ...]:
        if self.at_least(Role.staff):
            return (Confidentiality.public, Confidentiality.internal, Confidentiality.confidential)
        return (Confidentiality.public, Confidentiality.internal)

    @property
    def can_write(self) -> bool:
        return self.at_least(Role.staff)


ROLE_ORDER = (Role.viewer, Role.staff, Role.counsel, Role.admin)

USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._@-]{1,63}$"
MIN_PASSWORD_LENGTH = 12


def password_problem(password: str, username: str | None = None) -> str | None:
    """Why a new password is not acceptable, or None. Length over complexity (NIST SP 800-63B)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"use at least {MIN_PASSWORD_LENGTH} characters (a short sentence works well)"
    if len(password) > 1024:
        return "use at most 1024 characters"
    if username and username.lower() in password.lower():
        return "do not include your user name in the password"
    if len(set(password)) < 4:
        return "use more than a few different characters"
    return None


class NewUser(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    username: str = Field(pattern=USERNAME_PATTERN, description="Lower-case login name, e.g. 'maria.lopez'.")
    display_name: str = Field(min_length=1, max_length=200)
    email: str | None = Field(default=None, max_length=320)
    password: str = Field(repr=False)
    is_admin: bool = Field(default=False, description="Site administrator: may create workspaces and users.")

    @field_validator("username", mode="before")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            raise ValueError(f"'{value}' does not look like an e-mail address")
        return value
