"""Commitments use cases: the ledger, measurements, membership obligations, SDG tags,
the SDG dashboard, Voluntary Local Review reports and the demo.

Every function takes primitives and an :class:`~citydiplomacy.services.registry.Actor`,
runs in its own unit of work (all or nothing: on any problem nothing is written) and
audits every write in the same transaction. Reads return the plain models of
:mod:`citydiplomacy.commitments.views`, carrying everything a page needs.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine, select

from ..adapters.db import tables as t
from ..adapters.db.repository import ALL_LEVELS, ListQuery
from ..commitments import demo as demo_data
from ..commitments.models import Commitment, Measurement, Obligation, Recurrence, same_unit
from ..commitments.network_reference import ReferenceList, add_months, reference_list, reference_network
from ..commitments.report import render_commitment_summary, render_vlr
from ..commitments.sdg import check_sdg_codes, framework, goal_of
from ..commitments.store import CommitmentStore
from ..commitments.views import (
    CommitmentSummary,
    CommitmentView,
    LinkView,
    ObligationView,
    SdgDashboard,
    SdgGoalSummary,
    TargetView,
    sdg_labels,
    status_counts,
    target_view,
    worst_status,
)
from ..commitments.vlr import VlrReport, gather_vlr
from ..domain import Conflict, InvalidInput, NotFound, PermissionDenied, Problem
from ..domain.vocab import Confidentiality
from .registry import Actor, problems_from_validation, save_record
from .unit_of_work import UnitOfWork

__all__ = [
    "add_measurements",
    "add_membership_obligations",
    "add_target",
    "commitment_document",
    "complete_obligation",
    "delete_commitment",
    "delete_measurement",
    "delete_obligation",
    "get_commitment",
    "ledger",
    "list_commitments",
    "network_reference",
    "save_commitment",
    "save_obligation",
    "sdg_dashboard",
    "sdg_tags",
    "seed_demo_commitments",
    "seed_networks",
    "set_sdg_tags",
    "upcoming_obligations",
    "vlr_document",
    "vlr_report",
]

#: Record types an SDG tag may be put on ('practices' are free-text slugs for now).
TAGGABLE = (
    "places",
    "partners",
    "people",
    "posts",
    "networks",
    "memberships",
    "agreements",
    "engagements",
    "commitments",
    "practices",
)


def _require_write(actor: Actor) -> None:
    if not actor.can_write:
        raise PermissionDenied(f"{actor.name} may read but not change records in this workspace.")


def _check_visibility(actor: Actor, confidentiality) -> None:
    if Confidentiality(confidentiality) not in actor.visible:
        raise PermissionDenied("You cannot create or edit a record at a confidentiality level you may not read.")


def _audit(uow: UnitOfWork, actor: Actor, action: str, record_type: str, ref: str, before=None, after=None) -> None:
    uow.audit(
        actor=actor.name,
        interface=actor.interface,
        action=action,
        record_type=record_type,
        record_ref=ref,
        before=before,
        after=after,
    )


def _dump(model) -> dict | None:
    return model.model_dump(mode="json") if model is not None else None


# -- networks: reference list and seeding --------------------------------------------------


def network_reference() -> ReferenceList:
    """The reference list of city networks (founding years, requirements, obligations, citations)."""
    return reference_list()


def seed_networks(
    engine: Engine, workspace: str, actor: Actor, refs: list[str] | None = None, *, update_existing: bool = False
) -> dict[str, str]:
    """Create the workspace's Network records from the reference list (all, or ``refs``).

    Idempotent: a network whose ref already exists is left as the workspace has it
    ('kept'), unless ``update_existing``; the registry's own save makes repeats
    'unchanged'. Returns ref -> inserted / updated / unchanged / kept."""
    _require_write(actor)
    wanted = refs or [n.ref for n in reference_list().networks]
    unknown = [r for r in wanted if reference_network(r) is None]
    if unknown:
        known = ", ".join(n.ref for n in reference_list().networks)
        raise InvalidInput(
            [
                Problem(f"'{r}' is not in the reference list of networks; use one of: {known}", field="refs", value=r)
                for r in unknown
            ]
        )
    with UnitOfWork(engine, workspace, write=False) as uow:
        existing = {r for r in wanted if uow.records.id_of("networks", r) is not None}
    results: dict[str, str] = {}
    for ref in wanted:
        if ref in existing and not update_existing:
            results[ref] = "kept"
            continue
        results[ref] = save_record(engine, workspace, "networks", reference_network(ref).network_record(), actor).action
    return results


# -- obligations ----------------------------------------------------------------------------


def _membership_network(uow: UnitOfWork, membership_ref: str, visible) -> tuple[str | None, str | None]:
    try:
        membership = uow.records.get("memberships", membership_ref, visible=visible)[1]
    except NotFound:
        return None, None
    try:
        network = uow.records.get("networks", membership.network, visible=visible)[1]
        return membership.network, network.name
    except NotFound:
        return membership.network, None


def _obligation_view(uow: UnitOfWork, obligation: Obligation, as_of: date, visible) -> ObligationView:
    network, name = _membership_network(uow, obligation.membership, visible)
    return ObligationView(
        ref=obligation.ref,
        membership=obligation.membership,
        network=network,
        network_name=name,
        kind=obligation.kind,
        title=obligation.title,
        due_on=obligation.due_on,
        days_until_due=(obligation.due_on - as_of).days,
        overdue=obligation.due_on < as_of and not obligation.done,
        recurrence=str(obligation.recurrence),
        done=obligation.done,
        last_done_on=obligation.last_done_on,
        due_is_assumed=obligation.due_is_assumed,
        source=obligation.source,
        notes=obligation.notes,
    )


def _parse_obligation(data: dict[str, Any]) -> Obligation:
    try:
        return Obligation.model_validate(data).with_ref()
    except ValidationError as error:
        raise InvalidInput(problems_from_validation(error)) from None


def save_obligation(
    engine: Engine, workspace: str, data: dict[str, Any], actor: Actor, *, as_of: date | None = None
) -> ObligationView:
    """Create or replace an obligation (by ref); its membership must exist."""
    _require_write(actor)
    obligation = _parse_obligation(data)
    _check_visibility(actor, obligation.confidentiality)
    with UnitOfWork(engine, workspace) as uow:
        if uow.records.id_of("memberships", obligation.membership) is None:
            raise InvalidInput(
                [
                    Problem(
                        f"no membership with ref '{obligation.membership}' in this workspace",
                        field="membership",
                        value=obligation.membership,
                    )
                ]
            )
        store = CommitmentStore(uow.conn, uow.workspace_id)
        action, before, after = store.save_obligation(obligation, uow.now)
        if action != "unchanged":
            _audit(
                uow,
                actor,
                "create" if action == "inserted" else "update",
                "obligation",
                after.ref,
                _dump(before),
                _dump(after),
            )
        view = _obligation_view(uow, after, as_of or date.today(), actor.visible)
        uow.commit()
    return view


def add_membership_obligations(
    engine: Engine, workspace: str, membership_ref: str, actor: Actor, *, as_of: date | None = None
) -> list[ObligationView]:
    """Create the obligations the reference list gives for the membership's network.

    One-off obligations fall due a set number of months after the membership started;
    annual ones on their next date on or after ``as_of``. Obligations that already
    exist (same ref) are left untouched, so running it again changes nothing."""
    _require_write(actor)
    as_of = as_of or date.today()
    with UnitOfWork(engine, workspace) as uow:
        _id, membership = uow.records.get("memberships", membership_ref, visible=actor.visible)
        reference = reference_network(membership.network)
        store = CommitmentStore(uow.conn, uow.workspace_id)
        views = []
        for template in reference.obligations if reference else []:
            obligation = Obligation(
                membership=membership.ref,
                kind=template.kind,
                title=template.title,
                due_on=template.due_on(membership.start_date, as_of),
                recurrence=template.recurrence,
                due_is_assumed=template.due_is_assumed,
                confidentiality=membership.confidentiality,
                source=f"{template.source} (reference list of city networks, as of {reference_list().as_of})",
            ).with_ref()
            if store.obligation_id(obligation.ref) is None:
                _action, _before, after = store.save_obligation(obligation, uow.now)
                _audit(uow, actor, "create", "obligation", after.ref, None, _dump(after))
            views.append(
                _obligation_view(uow, store.get_obligation(obligation.ref, actor.visible), as_of, actor.visible)
            )
        uow.commit()
    return views


def complete_obligation(
    engine: Engine, workspace: str, ref: str, actor: Actor, *, done_on: date | None = None, as_of: date | None = None
) -> ObligationView:
    """Mark an obligation done. An annual one rolls forward: its next due date is a year later."""
    _require_write(actor)
    done_on = done_on or date.today()
    with UnitOfWork(engine, workspace) as uow:
        store = CommitmentStore(uow.conn, uow.workspace_id)
        before = store.get_obligation(ref, visible=actor.visible)
        if before.recurrence == Recurrence.annual:
            after = before.model_copy(update={"last_done_on": done_on, "due_on": add_months(before.due_on, 12)})
        else:
            after = before.model_copy(update={"done": True, "last_done_on": done_on})
        _action, _b, saved = store.save_obligation(after, uow.now)
        _audit(uow, actor, "update", "obligation", ref, _dump(before), _dump(saved))
        view = _obligation_view(uow, saved, as_of or date.today(), actor.visible)
        uow.commit()
    return view


def delete_obligation(engine: Engine, workspace: str, ref: str, actor: Actor) -> None:
    _require_write(actor)
    with UnitOfWork(engine, workspace) as uow:
        store = CommitmentStore(uow.conn, uow.workspace_id)
        before = store.get_obligation(ref, visible=actor.visible)
        store.delete_obligation(ref)
        _audit(uow, actor, "delete", "obligation", ref, _dump(before), None)
        uow.commit()


def upcoming_obligations(
    engine: Engine,
    workspace: str,
    actor: Actor,
    *,
    as_of: date | None = None,
    within_days: int | None = None,
    include_done: bool = False,
) -> list[ObligationView]:
    """Open obligations sorted by due date (overdue first), optionally only those due within ``within_days``."""
    as_of = as_of or date.today()
    with UnitOfWork(engine, workspace, write=False) as uow:
        store = CommitmentStore(uow.conn, uow.workspace_id)
        views = [
            _obligation_view(uow, o, as_of, actor.visible) for o in store.list_obligations(actor.visible, include_done)
        ]
    if within_days is not None:
        limit = as_of + timedelta(days=within_days)
        views = [v for v in views if v.due_on <= limit]
    return sorted(views, key=lambda v: (v.due_on, v.ref))


# -- the commitment ledger ------------------------------------------------------------------


def _parse_commitment(data: dict[str, Any]) -> Commitment:
    try:
        return Commitment.model_validate(data).with_ref()
    except ValidationError as error:
        raise InvalidInput(problems_from_validation(error)) from None


def _check_links(uow: UnitOfWork, commitment: Commitment) -> list[Problem]:
    problems = []
    for plural, field_name, refs in (
        ("networks", "networks", commitment.networks),
        ("agreements", "agreements", commitment.agreements),
        ("engagements", "engagement", [commitment.engagement] if commitment.engagement else []),
    ):
        for position, ref in enumerate(refs):
            if uow.records.id_of(plural, ref) is None:
                where = field_name if field_name == "engagement" else f"{field_name}[{position}]"
                problems.append(Problem(f"no {plural[:-1]} with ref '{ref}' in this workspace", field=where, value=ref))
    return problems


def _check_kept_measurements(store: CommitmentStore, commitment_id: int, commitment: Commitment) -> list[Problem]:
    """Changing a target must not orphan or contradict the measurements it already has."""
    problems = []
    target_ids = store.target_ids(commitment_id)
    series = store.measurements(target_ids.values())
    stored_units = _stored_units(store, target_ids)
    for key, target_id in target_ids.items():
        measured = series[target_id]
        if not measured:
            continue
        new = commitment.target(key)
        if new is None:
            problems.append(
                Problem(
                    f"target '{key}' has {len(measured)} measurement(s); delete them first or keep the target",
                    field="targets",
                    value=key,
                )
            )
            continue
        position = commitment.targets.index(new)
        unit = stored_units.get(target_id)
        if unit and not same_unit(unit, new.unit):
            problems.append(
                Problem(
                    f"unit '{new.unit}' differs from the unit '{unit}' of the {len(measured)} stored measurement(s); "
                    f"convert and re-enter them, or keep the unit",
                    field=f"targets[{position}].unit",
                    value=new.unit,
                )
            )
        outside = [m.on for m in measured if m.on.year < new.baseline_year or m.on > new.target_end]
        if outside:
            problems.append(
                Problem(
                    f"measurement(s) dated {', '.join(d.isoformat() for d in outside[:3])} would fall outside the span "
                    f"{new.baseline_year} to {new.target_year}; delete them or widen the span",
                    field=f"targets[{position}].baseline_year"
                    if outside[0].year < new.baseline_year
                    else f"targets[{position}].target_year",
                )
            )
    return problems


def _stored_units(store: CommitmentStore, target_ids: dict[str, int]) -> dict[int, str]:
    cm = t.commitment_measurements
    if not target_ids:
        return {}
    rows = store.conn.execute(select(cm.c.target_id, cm.c.unit).where(cm.c.target_id.in_(list(target_ids.values()))))
    return {r.target_id: r.unit for r in rows}


def save_commitment(
    engine: Engine,
    workspace: str,
    data: dict[str, Any],
    actor: Actor,
    *,
    as_of: date | None = None,
    must_be_new: bool = False,
) -> CommitmentView:
    """Create a commitment, or replace the one with the same ref (targets matched by key keep their measurements).

    With ``must_be_new`` an existing ref is refused (Conflict) instead of replaced."""
    _require_write(actor)
    commitment = _parse_commitment(data)
    _check_visibility(actor, commitment.confidentiality)
    with UnitOfWork(engine, workspace) as uow:
        store = CommitmentStore(uow.conn, uow.workspace_id)
        if must_be_new and store.id_of(commitment.ref) is not None:
            raise Conflict(f"A commitment with the ref '{commitment.ref}' exists; choose another ref or replace it.")
        view = _save_in(uow, store, commitment, actor, as_of or date.today())
        uow.commit()
    return view


def add_target(
    engine: Engine,
    workspace: str,
    commitment_ref: str,
    target: dict[str, Any],
    actor: Actor,
    *,
    as_of: date | None = None,
) -> CommitmentView:
    """Add one target to a commitment (validated with the others: its key and series must be new).

    Problems name the new target as ``targets[N].field``, N being its position (after the others)."""
    _require_write(actor)
    with UnitOfWork(engine, workspace) as uow:
        store = CommitmentStore(uow.conn, uow.workspace_id)
        _id, current = store.get(commitment_ref, visible=actor.visible)
        data = current.model_dump(mode="json", exclude_none=True)
        data["targets"] = [*data.get("targets", []), target]
        commitment = _parse_commitment(data)
        view = _save_in(uow, store, commitment, actor, as_of or date.today())
        uow.commit()
    return view


def _save_in(
    uow: UnitOfWork, store: CommitmentStore, commitment: Commitment, actor: Actor, as_of: date
) -> CommitmentView:
    problems = _check_links(uow, commitment)
    existing = store.id_of(commitment.ref)
    if existing is not None:
        current = store.get(commitment.ref, ALL_LEVELS)[1]  # any level holds the ref
        if Confidentiality(current.confidentiality) not in actor.visible:
            raise Conflict(f"The ref '{commitment.ref}' cannot be used; choose another ref.")
        problems += _check_kept_measurements(store, existing, commitment)
    if problems:
        raise InvalidInput(problems)
    action, before, after, _id = store.save(commitment, uow.now)
    if action != "unchanged":
        _audit(
            uow,
            actor,
            "create" if action == "inserted" else "update",
            "commitment",
            after.ref,
            _dump(before),
            _dump(after),
        )
    return _commitment_view(uow, store, after, _id, as_of, actor.visible)


def _link(uow: UnitOfWork, plural: str, ref: str, visible) -> LinkView:
    try:
        record = uow.records.get(plural, ref, visible=visible)[1]
    except NotFound:
        if uow.records.id_of(plural, ref) is not None:  # there, but not for this reader: no ref, no name
            return LinkView(ref="", label="a confidential record", found=False)
        return LinkView(ref=ref, label=f"{ref} (no longer in the registry)", found=False)
    return LinkView(ref=ref, label=getattr(record, "title", None) or getattr(record, "name", None) or ref)


def _commitment_view(
    uow: UnitOfWork, store: CommitmentStore, commitment: Commitment, commitment_id: int, as_of: date, visible
) -> CommitmentView:
    target_ids = store.target_ids(commitment_id)
    series = store.measurements(target_ids.values())
    targets = [target_view(t, series[target_ids[t.key]], as_of) for t in commitment.targets]
    statuses = [t.status.status for t in targets]
    return CommitmentView(
        ref=commitment.ref,
        title=commitment.title,
        kind=str(commitment.kind),
        status=str(commitment.status),
        made_on=commitment.made_on,
        made_by=commitment.made_by,
        description=commitment.description,
        frameworks=commitment.frameworks,
        networks=[_link(uow, "networks", r, visible) for r in commitment.networks],
        agreements=[_link(uow, "agreements", r, visible) for r in commitment.agreements],
        engagement=_link(uow, "engagements", commitment.engagement, visible) if commitment.engagement else None,
        practices=commitment.practices,
        sdgs=sdg_labels(commitment.sdgs),
        targets=targets,
        status_counts=status_counts(statuses),
        worst_status=worst_status(statuses),
        uses_illustrative_data=any(t.series.illustrative for t in targets),
        confidentiality=str(commitment.confidentiality),
        source=commitment.source,
        notes=commitment.notes,
        as_of=as_of,
    )


def get_commitment(
    engine: Engine, workspace: str, ref: str, actor: Actor, *, as_of: date | None = None
) -> CommitmentView:
    """A commitment with every target's status (and its method), measurements and chart series."""
    with UnitOfWork(engine, workspace, write=False) as uow:
        store = CommitmentStore(uow.conn, uow.workspace_id)
        commitment_id, commitment = store.get(ref, visible=actor.visible)
        return _commitment_view(uow, store, commitment, commitment_id, as_of or date.today(), actor.visible)


def list_commitments(
    engine: Engine,
    workspace: str,
    actor: Actor,
    *,
    as_of: date | None = None,
    network: str | None = None,
    sdg: str | int | None = None,
) -> list[CommitmentSummary]:
    """Every commitment the actor may see, newest first, with status counts; filter by network ref or SDG code."""
    as_of = as_of or date.today()
    goal_filter = None
    if sdg is not None:
        codes, problems = check_sdg_codes([sdg], "sdg")
        if problems:
            raise InvalidInput(problems)
        goal_filter = codes[0]
    with UnitOfWork(engine, workspace, write=False) as uow:
        store = CommitmentStore(uow.conn, uow.workspace_id)
        out = []
        for commitment_id, commitment in store.list(actor.visible):
            if network and network not in commitment.networks:
                continue
            if goal_filter and not _serves(commitment, goal_filter):
                continue
            view = _commitment_view(uow, store, commitment, commitment_id, as_of, actor.visible)
            out.append(
                CommitmentSummary(
                    ref=view.ref,
                    title=view.title,
                    kind=view.kind,
                    status=view.status,
                    made_on=view.made_on,
                    networks=commitment.networks,
                    sdgs=commitment.all_sdg_codes(),
                    target_count=len(view.targets),
                    status_counts=view.status_counts,
                    worst_status=view.worst_status,
                    uses_illustrative_data=view.uses_illustrative_data,
                )
            )
        return out


def ledger(engine: Engine, workspace: str, actor: Actor, *, as_of: date | None = None) -> list[CommitmentView]:
    """Every commitment the actor may see, newest first, in full: each target with its status, method,
    explanation, measurements and chart series (the ledger page)."""
    as_of = as_of or date.today()
    with UnitOfWork(engine, workspace, write=False) as uow:
        store = CommitmentStore(uow.conn, uow.workspace_id)
        return [_commitment_view(uow, store, c, i, as_of, actor.visible) for i, c in store.list(actor.visible)]


def _serves(commitment: Commitment, code: str) -> bool:
    """A commitment serves a code when one of its codes is that code or falls under it ("11" covers "11.6.1")."""
    return any(c == code or c.startswith(code + ".") for c in commitment.all_sdg_codes())


def delete_commitment(engine: Engine, workspace: str, ref: str, actor: Actor) -> None:
    """Delete a commitment with its targets and measurements (all recorded in the audit log)."""
    _require_write(actor)
    with UnitOfWork(engine, workspace) as uow:
        store = CommitmentStore(uow.conn, uow.workspace_id)
        commitment_id, before = store.get(ref, visible=actor.visible)
        target_ids = store.target_ids(commitment_id)
        measured = store.measurements(target_ids.values())
        after_measurements = {key: [m.model_dump(mode="json") for m in measured[i]] for key, i in target_ids.items()}
        store.delete(commitment_id)
        _audit(uow, actor, "delete", "commitment", ref, _dump(before) | {"measurements": after_measurements}, None)
        uow.commit()


# -- measurements ---------------------------------------------------------------------------


def add_measurements(
    engine: Engine,
    workspace: str,
    commitment_ref: str,
    target_key: str,
    rows: list[dict[str, Any]],
    actor: Actor,
    *,
    replace: bool = False,
    today: date | None = None,
) -> TargetView:
    """Add values to a target's time series: all rows or none.

    Refused, with a problem naming ``measurements[i].field``: a unit other than the
    target's, a date before the baseline year, after the target year or in the future,
    the same date twice in the rows, or a date that already has a value (unless
    ``replace``)."""
    _require_write(actor)
    today = today or date.today()
    parsed: list[Measurement] = []
    problems: list[Problem] = []
    for position, row in enumerate(rows):
        try:
            parsed.append(Measurement.model_validate(row))
        except ValidationError as error:
            for problem in problems_from_validation(error, prefix=f"measurements[{position}]."):
                if problem.field and problem.field.endswith("."):  # raised for the whole row: 'year' or 'on'
                    where = "year" if isinstance(row, dict) and "year" in row else "on"
                    problem = dataclasses.replace(problem, field=problem.field + where)
                problems.append(problem)
            parsed.append(None)  # keep positions aligned
    if not rows:
        problems.append(Problem("no measurements given", field="measurements"))
    with UnitOfWork(engine, workspace) as uow:
        store = CommitmentStore(uow.conn, uow.workspace_id)
        commitment_id, commitment = store.get(commitment_ref, visible=actor.visible)
        target = commitment.target(target_key)
        if target is None:
            keys = ", ".join(t.key for t in commitment.targets) or "none yet"
            raise InvalidInput(
                [
                    Problem(
                        f"commitment '{commitment_ref}' has no target '{target_key}'; targets: {keys}",
                        field="target",
                        value=target_key,
                    )
                ]
            )
        target_id = store.target_ids(commitment_id)[target_key]
        stored = {m.on for m in store.measurements([target_id])[target_id]}
        seen: dict[date, int] = {}
        for position, m in enumerate(parsed):
            if m is None:
                continue
            where = f"measurements[{position}]"
            if m.unit and not same_unit(m.unit, target.unit):
                problems.append(
                    Problem(
                        f"unit '{m.unit}' is not the target's unit '{target.unit}'; convert the value to {target.unit}",
                        field=f"{where}.unit",
                        value=m.unit,
                    )
                )
            if m.on.year < target.baseline_year:
                problems.append(
                    Problem(
                        f"{m.on.isoformat()} is before the baseline year {target.baseline_year}; the target's span is "
                        f"{target.baseline_year} to {target.target_year}",
                        field=f"{where}.on",
                        value=m.on.isoformat(),
                    )
                )
            elif m.on > target.target_end:
                problems.append(
                    Problem(
                        f"{m.on.isoformat()} is after the target year {target.target_year}; the target's span is "
                        f"{target.baseline_year} to {target.target_year} (record later values under a new target)",
                        field=f"{where}.on",
                        value=m.on.isoformat(),
                    )
                )
            elif m.on > today:
                problems.append(
                    Problem(
                        f"{m.on.isoformat()} is in the future; a measurement describes a past date",
                        field=f"{where}.on",
                        value=m.on.isoformat(),
                    )
                )
            if m.on in seen:
                problems.append(
                    Problem(
                        f"the same date {m.on.isoformat()} appears twice (also measurements[{seen[m.on]}]); keep one value per date",
                        field=f"{where}.on",
                        value=m.on.isoformat(),
                    )
                )
            else:
                seen[m.on] = position
            if m.on in stored and not replace:
                problems.append(
                    Problem(
                        f"target '{target_key}' already has a value for {m.on.isoformat()}; use replace to overwrite it",
                        field=f"{where}.on",
                        value=m.on.isoformat(),
                    )
                )
        if problems:
            raise InvalidInput(problems)
        current = {m.on: m for m in store.measurements([target_id])[target_id]}
        for m in parsed:
            after = m.model_copy(update={"unit": target.unit})
            if current.get(m.on) == after:
                continue  # the same value again (re-running an import or the demo): nothing to write
            before = store.put_measurement(target_id, m, target.unit, uow.now)
            _audit(
                uow,
                actor,
                "update" if before else "create",
                "measurement",
                f"{commitment_ref}/{target_key}/{m.on.isoformat()}",
                _dump(before),
                _dump(after),
            )
        view = target_view(target, store.measurements([target_id])[target_id], today)
        uow.commit()
    return view


def delete_measurement(
    engine: Engine, workspace: str, commitment_ref: str, target_key: str, on: date | str, actor: Actor
) -> None:
    _require_write(actor)
    day = date.fromisoformat(on) if isinstance(on, str) else on
    with UnitOfWork(engine, workspace) as uow:
        store = CommitmentStore(uow.conn, uow.workspace_id)
        commitment_id, _commitment = store.get(commitment_ref, visible=actor.visible)
        target_id = store.target_ids(commitment_id).get(target_key)
        if target_id is None:
            raise NotFound("target", f"{commitment_ref}/{target_key}")
        before = next((m for m in store.measurements([target_id])[target_id] if m.on == day), None)
        if before is None:
            raise NotFound("measurement", f"{commitment_ref}/{target_key}/{day.isoformat()}")
        store.delete_measurement(target_id, day)
        _audit(
            uow, actor, "delete", "measurement", f"{commitment_ref}/{target_key}/{day.isoformat()}", _dump(before), None
        )
        uow.commit()


# -- SDG tags and dashboard -----------------------------------------------------------------


def set_sdg_tags(
    engine: Engine, workspace: str, record_type: str, ref: str, codes: list[str | int], actor: Actor
) -> list[str]:
    """Tag any record (or a practice slug) with SDG goal, target or indicator codes; replaces its tags."""
    _require_write(actor)
    if record_type not in TAGGABLE:
        raise InvalidInput(
            [
                Problem(
                    f"'{record_type}' cannot be tagged; use one of: {', '.join(TAGGABLE)}",
                    field="record_type",
                    value=record_type,
                )
            ]
        )
    cleaned, problems = check_sdg_codes(codes, "codes")
    if problems:
        raise InvalidInput(problems)
    with UnitOfWork(engine, workspace) as uow:
        store = CommitmentStore(uow.conn, uow.workspace_id)
        if record_type == "commitments":
            store.get(ref, visible=actor.visible)
        elif record_type != "practices":
            uow.records.get(record_type, ref, visible=actor.visible)
        before = store.tags_of(record_type, ref)
        if before != cleaned:
            store.set_tags(record_type, ref, cleaned)
            _audit(uow, actor, "update", "sdg_tags", f"{record_type}/{ref}", {"codes": before}, {"codes": cleaned})
        uow.commit()
    return cleaned


def sdg_tags(engine: Engine, workspace: str, record_type: str, ref: str, actor: Actor | None = None) -> list[str]:
    """The SDG codes a record is tagged with. With an ``actor``, the record must exist and be visible
    to them (NotFound otherwise), as for reading the record itself."""
    with UnitOfWork(engine, workspace, write=False) as uow:
        store = CommitmentStore(uow.conn, uow.workspace_id)
        if actor is not None:
            if record_type not in TAGGABLE:
                raise InvalidInput(
                    [
                        Problem(
                            f"'{record_type}' cannot be tagged; use one of: {', '.join(TAGGABLE)}",
                            field="record_type",
                            value=record_type,
                        )
                    ]
                )
            if record_type == "commitments":
                store.get(ref, visible=actor.visible)
            elif record_type != "practices":
                uow.records.get(record_type, ref, visible=actor.visible)
        return store.tags_of(record_type, ref)


def sdg_dashboard(engine: Engine, workspace: str, actor: Actor, *, as_of: date | None = None) -> SdgDashboard:
    """Per SDG goal: the codes in use, commitments and their targets' statuses, engagements,
    agreements and practices tagged with it."""
    as_of = as_of or date.today()
    with UnitOfWork(engine, workspace, write=False) as uow:
        store = CommitmentStore(uow.conn, uow.workspace_id)
        goals = {g.number: SdgGoalSummary(number=g.number, name=g.name, title=g.title) for g in framework().goals}
        codes_used: dict[int, list[str]] = {n: [] for n in goals}
        statuses: dict[int, list] = {n: [] for n in goals}
        for commitment_id, commitment in store.list(actor.visible):
            view = _commitment_view(uow, store, commitment, commitment_id, as_of, actor.visible)
            touched: set[int] = set()
            for code in commitment.sdgs:
                touched.add(goal_of(code))
                _add_code(codes_used, code)
            for target, tv in zip(commitment.targets, view.targets):
                target_goals = {
                    goal_of(c) for c in [*target.sdgs, *([target.indicator_code] if target.indicator_code else [])]
                }
                for code in [*target.sdgs, *([target.indicator_code] if target.indicator_code else [])]:
                    _add_code(codes_used, code)
                for goal in target_goals or {goal_of(c) for c in commitment.sdgs}:
                    statuses[goal].append(tv.status.status)
                touched |= target_goals
            for goal in sorted(touched):
                goals[goal].commitments.append(LinkView(ref=commitment.ref, label=commitment.title))
                for practice in commitment.practices:
                    if practice not in goals[goal].practices:
                        goals[goal].practices.append(practice)
        tags = store.tags()
        tagged_engagements: dict[int, set[str]] = {n: set() for n in goals}
        for number in goals:
            page = uow.records.list("engagements", ListQuery(sdg=number, per_page=1, visible=actor.visible))
            goals[number].engagements = page.total
        for record_type, ref, code in tags:
            goal = goal_of(code)
            _add_code(codes_used, code)
            if record_type == "engagements":
                tagged_engagements[goal].add(ref)
            elif record_type == "agreements":
                goals[goal].agreements += 1
            elif record_type == "practices" and ref not in goals[goal].practices:
                goals[goal].practices.append(ref)
        for number, summary in goals.items():
            summary.codes_used = sdg_labels(sorted(set(codes_used[number]) - {str(number)}, key=_code_order))
            summary.target_status_counts = status_counts(statuses[number])
            summary.engagements += len(tagged_engagements[number])
    return SdgDashboard(as_of=as_of, goals=list(goals.values()), provenance=framework().provenance)


def _add_code(codes_used: dict[int, list[str]], code: str) -> None:
    goal = goal_of(code)
    if code not in codes_used[goal]:
        codes_used[goal].append(code)


def _code_order(code: str) -> tuple:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in code.split("."))


# -- reports ----------------------------------------------------------------------------------


def vlr_report(engine: Engine, workspace: str, year: int, actor: Actor) -> VlrReport:
    """The data of a Voluntary Local Review draft for ``year`` (statuses as of the end of that year)."""
    if not 2000 <= year <= date.today().year:
        raise InvalidInput([Problem(f"year {year} must be between 2000 and this year", field="year", value=year)])
    with UnitOfWork(engine, workspace, write=False) as uow:
        store = CommitmentStore(uow.conn, uow.workspace_id)
        as_of = min(date(year, 12, 31), date.today())
        views = [_commitment_view(uow, store, c, i, as_of, actor.visible) for i, c in store.list(actor.visible)]
        return gather_vlr(uow.workspace, uow.records, store, views, year, as_of, actor.visible)


def vlr_document(engine: Engine, workspace: str, year: int, actor: Actor, *, fmt: str = "pdf") -> bytes:
    """The VLR draft as PDF or HTML bytes."""
    return render_vlr(vlr_report(engine, workspace, year, actor), fmt=fmt)


def commitment_document(
    engine: Engine, workspace: str, ref: str, actor: Actor, *, fmt: str = "pdf", as_of: date | None = None
) -> bytes:
    """A one-page progress summary of one commitment, as PDF or HTML bytes."""
    view = get_commitment(engine, workspace, ref, actor, as_of=as_of)
    workspace_name = _workspace_name(engine, workspace)
    return render_commitment_summary(view, workspace_name, fmt=fmt)


def _workspace_name(engine: Engine, workspace: str) -> str:
    with UnitOfWork(engine, workspace, write=False) as uow:
        return uow.workspace.name


# -- demo -------------------------------------------------------------------------------------


def _own_membership(engine: Engine, workspace: str, network: str) -> str | None:
    with UnitOfWork(engine, workspace, write=False) as uow:
        page = uow.records.list("memberships", ListQuery(per_page=500, visible=ALL_LEVELS))  # seeding the demo
        for membership in page.items:
            if membership.network == network and membership.member is None:
                return membership.ref
    return None


def seed_demo_commitments(
    engine: Engine, workspace_slug: str, actor: Actor, *, today: date | None = None
) -> dict[str, Any]:
    """Add Los Angeles's demo commitments: the Green New Deal's Five Zeroes, the 2017 Paris pledge
    (Climate Mayors), and the C40 and U20 memberships' obligations.

    Tolerant of what the demo workspace already has: missing networks are created from
    the reference list, existing memberships are reused. Measurements are illustrative
    and labelled as such. Safe to run twice."""
    today = today or date.today()
    summary: dict[str, Any] = {"networks": seed_networks(engine, workspace_slug, actor, list(demo_data.NETWORKS))}
    memberships = {}
    for network, start in demo_data.MEMBERSHIPS.items():
        ref = _own_membership(engine, workspace_slug, network)
        if ref is None:
            data = {
                "ref": f"{network}/us",
                "network": network,
                "source": demo_data.MEMBERSHIP_SOURCE[network],
                "confidentiality": "public",
            }
            if start:
                data["start_date"] = start
            ref = save_record(engine, workspace_slug, "memberships", data, actor).record.ref
        memberships[network] = ref
    summary["memberships"] = memberships
    obligations = [
        o
        for network in ("c40", "u20")
        for o in add_membership_obligations(engine, workspace_slug, memberships[network], actor, as_of=today)
    ]
    for obligation in obligations:
        done_on = demo_data.OBLIGATIONS_MET.get(obligation.kind if obligation.network == "c40" else "")
        if done_on and not obligation.done:
            complete_obligation(
                engine, workspace_slug, obligation.ref, actor, done_on=date.fromisoformat(done_on), as_of=today
            )
    summary["obligations"] = [o.ref for o in obligations]
    with UnitOfWork(engine, workspace_slug, write=False) as uow:
        available = {
            plural: {r for r in refs if uow.records.id_of(plural, r) is not None}
            for plural, refs in (
                ("networks", demo_data.NETWORKS),
                ("agreements", ["2019-la-green-new-deal", "2017-climate-mayors-paris-agreement-pledge"]),
                ("engagements", ["2019-04-launch-of-la-green-new-deal"]),
            )
        }
    summary["commitments"] = []
    for data, series in demo_data.commitments(available):
        view = save_commitment(engine, workspace_slug, data, actor, as_of=today)
        summary["commitments"].append(view.ref)
        for key, rows in series.items():
            rows = [r for r in rows if date(r["year"], 12, 31) <= today]
            if rows:
                add_measurements(engine, workspace_slug, view.ref, key, rows, actor, replace=True, today=today)
    return summary
