"""What the exchange's services return: plain models with everything a page or API needs.

Every model is pydantic, so ``model_dump(mode="json")`` is the JSON twin of a page.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from .models import Practice, PracticeFilters, Transfer

__all__ = [
    "DiffusionEdge",
    "DiffusionGraph",
    "DiffusionNode",
    "Facet",
    "FacetValue",
    "HighlightSegment",
    "HighlightedText",
    "ImportLine",
    "PeerCity",
    "PracticeDetail",
    "PracticeImportReport",
    "PracticePage",
    "PracticeSummary",
    "SearchHit",
    "SearchResults",
    "TimelineEvent",
    "TimelineYear",
    "TransferView",
    "WhyItMatched",
]


class PracticeSummary(BaseModel):
    slug: str
    title: str
    city: str | None
    country_code: str
    country_name: str
    region: str
    year_started: int | None
    status: str
    topics: list[str]
    sdgs: list[int]
    population: int | None = Field(description="City population (GeoNames), when the city is known.")
    population_band: str | None
    latitude: float | None
    longitude: float | None
    confidentiality: str


class TransferView(BaseModel):
    """A transfer with the practice's title and both cities' coordinates, for lists and maps."""

    transfer: Transfer
    practice_title: str
    adopter_latitude: float | None = None
    adopter_longitude: float | None = None
    from_latitude: float | None = None
    from_longitude: float | None = None


class PracticeDetail(BaseModel):
    summary: PracticeSummary
    practice: Practice
    transfers: list[TransferView] = Field(description="Who borrowed this practice, oldest first.")
    has_embedding: bool = Field(description="Whether the practice can be found by meaning (semantic search).")


class PracticePage(BaseModel):
    items: list[PracticeSummary]
    total: int
    page: int
    per_page: int


class HighlightSegment(BaseModel):
    text: str
    match: bool


class HighlightedText(BaseModel):
    field: str = Field(description="title or body (a snippet of the description)")
    segments: list[HighlightSegment]


class WhyItMatched(BaseModel):
    """The reasons a result is in the list, for the person reading it."""

    matched_terms: list[str] = Field(default_factory=list, description="Words of the query found in the practice.")
    highlights: list[HighlightedText] = Field(default_factory=list)
    shared_topics: list[str] = Field(default_factory=list)
    lexical_rank: int | None = None
    lexical_score: float | None = None
    semantic_rank: int | None = None
    semantic_similarity: float | None = Field(default=None, description="Cosine similarity of meaning (0-1).")
    semantic_neighbour: bool = Field(default=False, description="Found by meaning among the nearest practices.")
    explanation: list[str] = Field(default_factory=list, description="The reasons in plain sentences.")


class SearchHit(BaseModel):
    rank: int
    score: float
    practice: PracticeSummary
    why: WhyItMatched


class SearchResults(BaseModel):
    query: str
    mode: str = Field(description="lexical, semantic or hybrid: what was actually run.")
    filters: PracticeFilters
    hits: list[SearchHit]
    notices: list[str] = Field(default_factory=list, description="E.g. that semantic search is not installed.")
    more_like: str | None = Field(default=None, description="Slug of the practice for 'more like this'.")


class FacetValue(BaseModel):
    value: str
    count: int


class Facet(BaseModel):
    name: str
    values: list[FacetValue]


class ImportLine(BaseModel):
    line: int
    slug: str
    action: str
    transfers_inserted: int = 0
    transfers_updated: int = 0
    transfers_removed: int = 0


class PracticeImportReport(BaseModel):
    file: str
    dry_run: bool = False
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    transfers_inserted: int = 0
    transfers_updated: int = 0
    transfers_unchanged: int = 0
    transfers_removed: int = 0
    embedded: int = Field(default=0, description="Practices whose embedding was (re)computed.")
    embeddings_pending: int = Field(
        default=0, description="Practices without an embedding (semantic extra not installed)."
    )
    lines: list[ImportLine] = Field(default_factory=list)
    run_id: int | None = None

    def summary(self) -> str:
        text = (
            f"practices: {self.inserted} inserted, {self.updated} updated, {self.unchanged} unchanged; "
            f"transfers: {self.transfers_inserted} inserted, {self.transfers_updated} updated, "
            f"{self.transfers_unchanged} unchanged, {self.transfers_removed} removed"
        )
        if self.embedded:
            text += f"; {self.embedded} embedded"
        if self.embeddings_pending:
            text += f"; {self.embeddings_pending} without embeddings (install citydiplomacy[semantic], then 'citydip practices reindex')"
        return ("Dry run: " if self.dry_run else "") + text


class PeerCity(BaseModel):
    city: str
    country_code: str
    region: str
    population: int | None
    climate: str | None = Field(
        description="Latitude band used as a climate proxy: tropical, subtropical, temperate, cold."
    )
    similarity: float = Field(description="0-1, how like our city it is (see reasons).")
    reasons: list[str]
    shared_networks: list[str] = Field(default_factory=list)
    practices: list[str] = Field(
        default_factory=list, description="Slugs of the relevant practices it started or borrowed."
    )
    roles: list[str] = Field(default_factory=list, description="origin and/or adopter")
    latitude: float | None = None
    longitude: float | None = None


class DiffusionNode(BaseModel):
    id: str = Field(description="City key: 'name|CC' (or the country or group when no city is known).")
    label: str
    country_code: str | None
    latitude: float | None
    longitude: float | None
    origin_of: list[str] = Field(default_factory=list, description="Practices that started here.")
    adopted: list[str] = Field(default_factory=list, description="Practices borrowed here.")
    is_us: bool = False


class DiffusionEdge(BaseModel):
    source: str
    target: str
    practice: str
    practice_title: str
    year: int | None
    status: str
    outcome: str
    transfer_ref: str
    evidence: str | None = None


class DiffusionGraph(BaseModel):
    nodes: list[DiffusionNode]
    edges: list[DiffusionEdge]
    years: list[int] = Field(description="Every year with an event, ascending.")


class TimelineEvent(BaseModel):
    kind: str = Field(description="started (the practice began) or transfer")
    practice: str
    practice_title: str
    city: str | None
    country_code: str | None
    from_city: str | None = None
    status: str | None = None
    outcome: str | None = None
    transfer_ref: str | None = None


class TimelineYear(BaseModel):
    year: int | None = Field(description="None collects undated transfers.")
    events: list[TimelineEvent]
