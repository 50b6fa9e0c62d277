"""Request dependencies: the engine, the acting user, and list queries.

:data:`ActorDep` is the only way routes learn who acts: the signed-in user (session
cookie, or an API token) with their role in the workspace of the address. Routes never
decide permissions; the services do, from the Actor.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError
from sqlalchemy import Engine

from ..config import Settings
from ..domain import InvalidInput, Problem
from ..services.registry import Actor, ListQuery, problems_from_validation
from .security import Identity, actor_for_request, check_csrf, identify

__all__ = [
    "ActorDep",
    "EngineDep",
    "IdentityDep",
    "ListQueryDep",
    "SettingsDep",
    "api_list_query",
    "get_actor",
    "get_engine",
    "get_identity",
    "get_settings",
    "parse_list_query",
]

#: Query parameters that are not filters: the HTML pages' JSON-twin switch.
PAGE_PARAMETERS = frozenset({"format"})


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_identity(request: Request) -> Identity:
    """The signed-in user (401, or a redirect to /login for pages, when nobody is). Unsafe
    requests authenticated by the session cookie must carry its CSRF token (403 otherwise)."""
    identity = await run_in_threadpool(identify, request)
    if identity.via == "session":
        await check_csrf(request, identity.csrf_token)
    request.state.identity = identity
    return identity


async def get_actor(request: Request, identity: Annotated[Identity, Depends(get_identity)]) -> Actor:
    """Who makes this request, with their role in the workspace of the address (``ws``).

    A workspace the user may not open answers 404. The interface ("api" or "web") and the
    user name are recorded in the audit trail."""
    return await run_in_threadpool(actor_for_request, request, identity)


def _unknown_parameters(params: Mapping[str, str], allowed) -> list[Problem]:
    return [
        Problem(f"unknown query parameter '{name}'; use one of: {', '.join(sorted(allowed))}", field=name)
        for name in params
        if name not in allowed
    ]


def api_list_query(
    request: Request,
    q: Annotated[str | None, Query(description="Words in the title or name, or in the ref.")] = None,
    date_from: Annotated[
        date | None, Query(description="On or after this day (engagements: local day in the workspace's time zone).")
    ] = None,
    date_to: Annotated[date | None, Query(description="On or before this day.")] = None,
    country: Annotated[str | None, Query(description="ISO 3166-1 alpha-2 country code, e.g. JP.")] = None,
    partner: Annotated[str | None, Query(description="Ref of a partner.")] = None,
    person: Annotated[str | None, Query(description="Ref of a person.")] = None,
    kind: Annotated[str | None, Query(description="Kind of record (see the record type's 'kind' enum).")] = None,
    topic: Annotated[str | None, Query(description="Topic (engagements).")] = None,
    status: Annotated[str | None, Query(description="Status (engagements, agreements).")] = None,
    sdg: Annotated[int | None, Query(description="UN Sustainable Development Goal number, 1-17 (engagements).")] = None,
    sort: Annotated[str | None, Query(description="Sort key, '-' prefix for descending, e.g. -start.")] = None,
    page: Annotated[int, Query(description="Page number, from 1.")] = 1,
    per_page: Annotated[int, Query(description="Items per page, 1-500.")] = 50,
) -> ListQuery:
    """Filters, sorting and paging from the query string. A filter that does not apply to
    the record type is refused (422) by the repository, and so is an unknown parameter."""
    values = {
        "q": q,
        "date_from": date_from,
        "date_to": date_to,
        "country": country,
        "partner": partner,
        "person": person,
        "kind": kind,
        "topic": topic,
        "status": status,
        "sdg": sdg,
        "sort": sort,
        "page": page,
        "per_page": per_page,
    }
    problems = _unknown_parameters(request.query_params, values.keys())
    if problems:
        raise InvalidInput(problems)
    try:
        return ListQuery(**values)
    except ValidationError as error:
        raise InvalidInput(problems_from_validation(error)) from None


def parse_list_query(params: Mapping[str, str], *, per_page: int = 50) -> ListQuery:
    """A ListQuery from an HTML filter form (GET). Empty fields mean "no filter"."""
    values = {k: v for k, v in params.items() if k not in PAGE_PARAMETERS and v.strip() != ""}
    values.setdefault("per_page", str(per_page))
    allowed = set(ListQuery.model_fields) - {"visible"}
    problems = _unknown_parameters(values, allowed)
    if problems:
        raise InvalidInput(problems)
    try:
        return ListQuery.model_validate(values)
    except ValidationError as error:
        raise InvalidInput(problems_from_validation(error)) from None


EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
ActorDep = Annotated[Actor, Depends(get_actor)]
IdentityDep = Annotated[Identity, Depends(get_identity)]
ListQueryDep = Annotated[ListQuery, Depends(api_list_query)]
