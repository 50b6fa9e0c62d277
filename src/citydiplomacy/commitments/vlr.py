"""Voluntary Local Review (VLR) data: per SDG, the targets, indicators, actions and partners.

A VLR is a city's own report on the Sustainable Development Goals. The draft built
here has one section per goal the city's records touch: the SDG targets in use, each
commitment target serving the goal with its status and chart, the actions taken in the
year (engagements held, agreements in force, practices) and the partners involved.
Statuses are as of 31 December of the report year.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from pydantic import BaseModel, Field

from ..adapters.db.repository import ListQuery, Repository
from ..domain import NotFound, Workspace
from .sdg import framework, goal_of
from .status import METHOD
from .store import CommitmentStore
from .views import CommitmentView, SdgLabel, TargetView, sdg_labels

__all__ = ["VlrAction", "VlrGoalSection", "VlrIndicator", "VlrReport", "gather_vlr"]


class VlrIndicator(BaseModel):
    commitment_ref: str
    commitment_title: str
    target: TargetView


class VlrAction(BaseModel):
    kind: str = Field(description="engagement, agreement or practice")
    ref: str
    title: str
    on: date | None = None
    detail: str | None = None


class VlrGoalSection(BaseModel):
    number: int
    name: str
    title: str
    sdg_targets: list[SdgLabel] = Field(default_factory=list)
    indicators: list[VlrIndicator] = Field(default_factory=list)
    actions: list[VlrAction] = Field(default_factory=list)
    partners: list[str] = Field(default_factory=list)


class VlrReport(BaseModel):
    workspace_name: str
    year: int
    as_of: date
    generated_at: datetime
    goals: list[VlrGoalSection]
    commitments: list[CommitmentView]
    method: str = METHOD
    sdg_provenance: str
    uses_illustrative_data: bool = False


def _target_codes(commitment: CommitmentView, target: TargetView) -> list[str]:
    codes = [s.code for s in target.sdgs] + ([target.indicator_code] if target.indicator_code else [])
    return codes or [s.code for s in commitment.sdgs]


def _in_force_during(agreement, year: int) -> bool:
    if str(agreement.status) == "proposed":
        return False
    start = agreement.effective_on or agreement.signed_on
    if start and start.year > year:
        return False
    return not (agreement.expires_on and agreement.expires_on.year < year)


def _name(records: Repository, plural: str, ref: str, visible) -> str | None:
    try:
        record = records.get(plural, ref, visible=visible)[1]
    except NotFound:
        return None
    return getattr(record, "name", None) or getattr(record, "title", None)


def gather_vlr(
    workspace: Workspace,
    records: Repository,
    store: CommitmentStore,
    commitments: list[CommitmentView],
    year: int,
    as_of: date,
    visible,
) -> VlrReport:
    sections = {g.number: VlrGoalSection(number=g.number, name=g.name, title=g.title) for g in framework().goals}
    codes: dict[int, set[str]] = {n: set() for n in sections}
    partners: dict[int, list[str]] = {n: [] for n in sections}
    linked_agreements: dict[int, set[str]] = {n: set() for n in sections}
    practices: dict[int, set[str]] = {n: set() for n in sections}

    def add_partner(goal: int, name: str | None) -> None:
        if name and name not in partners[goal]:
            partners[goal].append(name)

    for commitment in commitments:
        goals_of_commitment = {goal_of(s.code) for s in commitment.sdgs}
        for s in commitment.sdgs:
            codes[goal_of(s.code)].add(s.code)
        for target in commitment.targets:
            target_goals = sorted({goal_of(c) for c in _target_codes(commitment, target)})
            for code in _target_codes(commitment, target):
                codes[goal_of(code)].add(code)
            for goal in target_goals:
                sections[goal].indicators.append(
                    VlrIndicator(commitment_ref=commitment.ref, commitment_title=commitment.title, target=target)
                )
            goals_of_commitment |= set(target_goals)
        for goal in goals_of_commitment:
            for link in commitment.networks:
                add_partner(goal, link.label if link.found else None)
            for link in commitment.agreements:
                if link.found:
                    linked_agreements[goal].add(link.ref)
            practices[goal] |= set(commitment.practices)

    tags = store.tags()
    tagged: dict[tuple[str, int], set[str]] = {}
    for record_type, ref, code in tags:
        tagged.setdefault((record_type, goal_of(code)), set()).add(ref)
        codes[goal_of(code)].add(code)

    year_start, year_end = date(year, 1, 1), date(year, 12, 31)
    for goal, section in sections.items():
        query = ListQuery(sdg=goal, date_from=year_start, date_to=year_end, per_page=500, sort="start", visible=visible)
        engagements = list(records.list("engagements", query).items)
        known = {e.ref for e in engagements}
        for ref in sorted(tagged.get(("engagements", goal), set()) - known):
            try:
                engagement = records.get("engagements", ref, visible=visible)[1]
            except NotFound:
                continue
            if year_start <= engagement.on <= year_end:
                engagements.append(engagement)
        for engagement in sorted(engagements, key=lambda e: e.start):
            if str(engagement.status) == "cancelled":
                continue
            section.actions.append(
                VlrAction(
                    kind="engagement",
                    ref=engagement.ref,
                    title=engagement.title,
                    on=engagement.on,
                    detail=engagement.outcomes or engagement.summary,
                )
            )
            for partner in engagement.partners:
                add_partner(goal, _name(records, "partners", partner, visible))
        for ref in sorted(linked_agreements[goal] | tagged.get(("agreements", goal), set())):
            try:
                agreement = records.get("agreements", ref, visible=visible)[1]
            except NotFound:
                continue
            if not _in_force_during(agreement, year):
                continue
            section.actions.append(
                VlrAction(
                    kind="agreement",
                    ref=agreement.ref,
                    title=agreement.title,
                    on=agreement.signed_on or agreement.effective_on,
                    detail=agreement.summary,
                )
            )
            for party in agreement.parties:
                if party.partner:
                    add_partner(goal, _name(records, "partners", party.partner, visible))
                if party.place:
                    add_partner(goal, _name(records, "places", party.place, visible))
        for slug in sorted(practices[goal] | tagged.get(("practices", goal), set())):
            section.actions.append(VlrAction(kind="practice", ref=slug, title=slug.replace("-", " ").capitalize()))
        section.partners = partners[goal]
        section.sdg_targets = sdg_labels(sorted((c for c in codes[goal] if c.count(".") >= 1), key=_order))

    used = [s for s in sections.values() if s.indicators or s.actions or s.sdg_targets]
    return VlrReport(
        workspace_name=workspace.name,
        year=year,
        as_of=as_of,
        generated_at=datetime.now(UTC),
        goals=used,
        commitments=commitments,
        sdg_provenance=framework().provenance,
        uses_illustrative_data=any(c.uses_illustrative_data for c in commitments),
    )


def _order(code: str) -> tuple:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in code.split("."))
