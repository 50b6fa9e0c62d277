"""A person and the posts they hold, saved together (the person form edits both at once)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from ..domain import Conflict, InvalidInput, Person, Post, Problem
from . import registry
from .registry import Actor, SaveResult, _check_visibility, _open, _require_write, _save
from .unit_of_work import UnitOfWork

__all__ = ["save_person_with_posts"]


def _prefixed(error: InvalidInput, prefix: str) -> list[Problem]:
    return [
        Problem(p.message, field=f"{prefix}.{p.field}" if p.field else prefix, value=p.value) for p in error.problems
    ]


def save_person_with_posts(
    engine: Engine,
    ws: str,
    person: dict[str, Any],
    posts: list[dict[str, Any]],
    actor: Actor,
    *,
    ref: str | None = None,
    remove_posts: list[str] | None = None,
) -> SaveResult:
    """Create a person (``ref`` None) or change one, with their posts, in one transaction.

    Each post dict may carry the ``ref`` of an existing post (changed in place) or none (a
    new post). ``remove_posts`` lists refs of this person's posts to delete. Problems name
    the form fields: ``name``, ``posts.1.title``…; nothing is written if any is wrong."""
    _open(actor, ws)
    _require_write(actor)
    problems: list[Problem] = []
    with UnitOfWork(engine, ws) as uow:
        if ref is not None:
            _id, current = uow.records.get("people", ref, visible=actor.visible)
            data = current.model_dump(mode="json") | {k: v for k, v in person.items() if k != "ref"}
            data["ref"] = ref
        else:
            data = dict(person)
        try:
            record: Person = registry.parse_record("people", data)
        except InvalidInput as error:
            problems.extend(error.problems)
            record = None
        if record is not None and ref is None and uow.records.id_of("people", record.ref) is not None:
            problems.append(
                Problem(
                    f"a person with ref '{record.ref}' already exists; choose another ref or edit them",
                    field="ref",
                    value=record.ref,
                )
            )
        parsed_posts: list[Post] = []
        for index, post in enumerate(posts):
            post = dict(post, person=record.ref if record else "unknown")
            try:
                parsed_posts.append(registry.parse_record("posts", post))
            except InvalidInput as error:
                problems.extend(_prefixed(error, f"posts.{index}"))
        if problems:
            raise InvalidInput(problems)
        _check_visibility(actor, record)
        result = _save(uow, record, actor)
        for index, post in enumerate(parsed_posts):
            _check_visibility(actor, post)
            try:
                _save(uow, post, actor)
            except InvalidInput as error:
                raise InvalidInput(_prefixed(error, f"posts.{index}")) from None
        for post_ref in remove_posts or []:
            _pid, existing = uow.records.get("posts", post_ref, visible=actor.visible)
            if existing.person != record.ref:
                raise Conflict(f"the post '{post_ref}' belongs to someone else")
            before = uow.records.delete("posts", post_ref)
            uow.audit(
                actor=actor.name,
                interface=actor.interface,
                action="delete",
                record_type="post",
                record_ref=post_ref,
                before=before.model_dump(mode="json"),
                after=None,
            )
        uow.commit()
    return result
