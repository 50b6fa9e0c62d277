"""Plain result models of the atlas services: everything a page, an API response or a CLI
table needs, with nothing to compute in the template."""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = [
    "CommunitySummary",
    "CountryAggregate",
    "GoalReading",
    "IntroPath",
    "IntroductionAnswer",
    "MapLayers",
    "NetworkMetrics",
    "NodeScore",
    "PathStep",
    "PickResult",
    "Reason",
    "ReferenceTie",
    "RegionBroker",
    "RegionLink",
    "ReportPage",
    "ReportRow",
    "Suggestion",
    "SuggestionAnswer",
    "TwinImportResult",
    "YearRow",
]


class NodeScore(BaseModel):
    key: str
    label: str
    kind: str
    country_code: str | None = None
    ref: str | None = Field(default=None, description="Record ref in the workspace (places use geonames:<id>).")
    value: float
    degree: int


class CommunitySummary(BaseModel):
    id: int
    size: int
    members: list[str] = Field(description="Best-connected members, most ties first.")
    countries: list[tuple[str, int]] = Field(description="Most frequent countries in the community.")
    regions: list[tuple[str, int]]


class RegionLink(BaseModel):
    region_a: str
    region_b: str
    ties: int


class RegionBroker(BaseModel):
    key: str
    label: str
    country_code: str | None
    region: str | None
    other_regions: list[str]
    ties: int


class CountryAggregate(BaseModel):
    country_code: str
    country: str
    places: int = 0
    ties: int = 0
    international_ties: int = 0
    top_partner_countries: list[tuple[str, int]] = Field(default_factory=list)
    engagements: int = 0
    agreements: int = 0
    partners: int = 0
    people: int = 0
    sister_cities: int = 0


class YearRow(BaseModel):
    year: int
    engagements: int = 0
    agreements_signed: int = 0
    sister_cities_total: int = 0
    memberships_started: int = 0
    new_partners: int = Field(default=0, description="Partners met for the first time that year.")
    countries: int = Field(default=0, description="Distinct countries engaged with that year.")


class NetworkMetrics(BaseModel):
    scope: str = Field(description="'reference' (the world's twin towns) or 'workspace' (+ reference).")
    nodes: int
    edges: int
    components: int
    largest_component: int
    degree_top: list[NodeScore]
    betweenness_top: list[NodeScore]
    betweenness_method: str
    pagerank_top: list[NodeScore]
    communities: int
    modularity: float
    communities_top: list[CommunitySummary]
    bridge_edges: int = Field(description="Ties whose removal cuts part of the network off.")
    region_links: list[RegionLink]
    region_brokers: list[RegionBroker]
    countries: list[CountryAggregate]
    seconds: dict[str, float]


class PathStep(BaseModel):
    from_key: str
    from_label: str
    relation: str
    to_key: str
    to_label: str
    kind: str
    source: str = Field(description="'workspace' (our records) or 'reference' (Wikipedia's twin-town list).")
    evidence: str | None = Field(
        default=None, description="The record behind the tie, e.g. 'agreements/sister-city-busan'."
    )
    year: int | None = None


class IntroPath(BaseModel):
    text: str
    hops: int
    cost: float
    steps: list[PathStep]


class IntroductionAnswer(BaseModel):
    source_key: str
    source_label: str
    target_key: str | None
    target_label: str
    target_reason: str = Field(description="How the target text was read.")
    paths: list[IntroPath]
    explanation: str = Field(description="A sentence a person can read: the best chain, or why there is none.")


class Reason(BaseModel):
    kind: str = Field(
        description="existing_tie, shared_network, sister_of_sister, similar_size, diaspora, topic, "
        "our_sister_city, twinning_activity"
    )
    text: str
    evidence: list[str] = Field(default_factory=list, description="Refs of the records behind the reason.")


class Suggestion(BaseModel):
    key: str
    label: str
    kind: str = Field(description="place or partner")
    country_code: str | None
    ref: str | None
    population: int | None = None
    reasons: list[Reason]
    strength: float = Field(description="Sum of the reasons' weights; only used to order the list.")


class GoalReading(BaseModel):
    goal: str
    countries: list[str]
    region: str | None
    topics: list[str]
    wants: str = Field(description="'sister city' or 'partner'")
    notes: list[str]


class SuggestionAnswer(BaseModel):
    reading: GoalReading
    suggestions: list[Suggestion]


class TwinImportResult(BaseModel):
    file_name: str
    rows: int
    skipped: list[str]
    names: int
    statuses: dict[str, int]
    resolved_share: float
    counts: dict[str, int]
    report_path: str | None
    seconds: dict[str, float]
    changed: bool


class PickResult(BaseModel):
    input_name: str
    input_country: str
    geonames_id: int
    place: str
    action: str
    previous_status: str | None
    reason: str


class ReportRow(BaseModel):
    id: int
    input_name: str
    input_country: str
    status: str
    geonames_ids: list[int]
    resolved_name: str | None
    admin1: str | None
    country_code: str | None
    latitude: float | None
    longitude: float | None
    population: int | None
    score: float | None
    reason: str
    candidates: list[dict]
    picked_by: str | None
    ties: int


class ReportPage(BaseModel):
    items: list[ReportRow]
    total: int
    page: int
    per_page: int
    statuses: dict[str, int]
    last_import: dict | None


class ReferenceTie(BaseModel):
    """One twin town of a place according to the world's list (reference, not our record)."""

    name: str
    country_code: str | None = None
    country: str | None = Field(default=None, description="The country as the list spells it.")
    geonames_id: int | None = None
    placed: bool = Field(description="Whether the name was resolved to exactly one place.")
    line: int = Field(description="Line of the imported list.")


class MapLayers(BaseModel):
    """GeoJSON-like layers for the web map (FeatureCollections as dicts)."""

    view: str
    frame: list[float] = Field(
        min_length=4,
        max_length=4,
        description="The view's box: longitude min, latitude min, longitude max, latitude max.",
    )
    countries: dict
    links: dict
    partners: dict
    legend: list[dict]
