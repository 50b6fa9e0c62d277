"""Response envelopes of the REST API. Record bodies are the domain models themselves."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field, create_model

from ..domain import Record, Workspace

__all__ = ["AuditEntryOut", "AuditList", "ProblemDetails", "WorkspaceList", "page_model"]


class FieldError(BaseModel):
    field: str | None = Field(default=None, description="Where: 'participants[0].person'; empty for the whole body.")
    message: str = Field(description="What is wrong and what is expected.")
    value: Any = Field(default=None, description="The value given, when it helps.")
    line: int | None = Field(default=None, description="Line of an uploaded file.")
    file: str | None = None


class ProblemDetails(BaseModel):
    """An error, as RFC 9457 problem details (served as application/problem+json)."""

    type: str = Field(description="Identifies the kind of problem, e.g. urn:citydiplomacy:problem:invalid-input.")
    title: str
    status: int
    detail: str
    instance: str = Field(description="The path that was asked for.")
    errors: list[FieldError] = Field(default_factory=list)


class WorkspaceList(BaseModel):
    items: list[Workspace]
    total: int


class AuditEntryOut(BaseModel):
    at: datetime = Field(description="When, in UTC.")
    actor: str
    interface: str = Field(description="web, api, cli, python or import.")
    action: str = Field(description="create, update or delete.")
    record_type: str
    record_ref: str
    before: Any = None
    after: Any = None
    changed: list[str] = Field(default_factory=list, description="Fields whose value changed.")
    hash: str = Field(description="Hash of this entry, chained to the previous one.")


class AuditList(BaseModel):
    items: list[AuditEntryOut]


_PAGE_MODELS: dict[type[Record], type[BaseModel]] = {}


def page_model(model: type[Record]) -> type[BaseModel]:
    """``EngagementPage``: one page of a record list."""
    if model not in _PAGE_MODELS:
        _PAGE_MODELS[model] = create_model(
            f"{model.__name__}Page",
            __doc__=f"One page of {model.plural}.",
            items=(list[model], ...),
            total=(int, Field(description="Records matching the filters, on all pages.")),
            page=(int, ...),
            per_page=(int, ...),
            pages=(int, Field(description="Number of pages (at least 1).")),
        )
    return _PAGE_MODELS[model]
