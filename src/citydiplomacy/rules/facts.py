"""The fact vocabulary: every fact a rule condition may use, fixed and documented.

Facts are derived from registry records (see :mod:`.derive`). A condition on a fact
that is not listed here is a pack error. Any fact may be *unknown* for a record (an
engagement with no counterpart recorded has no counterpart country); facts marked
``asked`` are never recorded in the registry and stay unknown until someone answers the
question (``citydip rules answer`` / the service ``answer_fact``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.gifts import GiftDisposition
from ..domain.vocab import (
    AgreementKind,
    AgreementStatus,
    Channel,
    EngagementKind,
    EngagementStatus,
    Level,
    PartnerKind,
    PlaceKind,
    Seniority,
    VenueKind,
    WorkspaceKind,
)

#: Record types rules apply to.
RECORD_KINDS = ("engagement", "agreement", "gift")
#: Fact types: how a fact is stored and which operators it accepts.
FACT_TYPES = ("bool", "enum", "text", "number", "date", "set")


@dataclass(frozen=True)
class Fact:
    name: str
    type: str
    record: str  # engagement, agreement, gift or "any" (workspace facts)
    description: str
    values: tuple[str, ...] | None = None  # allowed values (enum facts, set facts with a vocabulary)
    asked: bool = False  # not in the registry: unknown until answered
    question: str | None = None  # what to ask to settle it when unknown

    @property
    def settle(self) -> str:
        if self.question:
            return self.question
        return f"record {self.name.split('.', 1)[1].replace('_', ' ')} on the {self.record if self.record != 'any' else 'workspace'}"


def _v(enum) -> tuple[str, ...]:
    return tuple(m.value for m in enum)


_ALL: list[Fact] = [
    # -- the workspace (the government using the system) -----------------------------------
    Fact("workspace.kind", "enum", "any", "Kind of government: city, county or state.", _v(WorkspaceKind)),
    Fact("workspace.country", "text", "any", "ISO 3166-1 code of the workspace's country."),
    Fact("workspace.subdivision", "text", "any", "ISO 3166-2 code of its state or province, e.g. US-TX."),
    Fact("workspace.geonames_id", "number", "any", "GeoNames id of the city (Los Angeles: 5368361)."),
    # -- engagements ------------------------------------------------------------------------
    Fact("engagement.date", "date", "engagement", "Local calendar date the engagement starts."),
    Fact("engagement.kind", "enum", "engagement", "meeting, call, message exchange, visit, event…", _v(EngagementKind)),
    Fact(
        "engagement.channel",
        "enum",
        "engagement",
        "How it took place: in person, phone, video, email, messaging app, letter.",
        _v(Channel),
    ),
    Fact("engagement.status", "enum", "engagement", "planned, held or cancelled.", _v(EngagementStatus)),
    Fact(
        "engagement.venue_kind",
        "enum",
        "engagement",
        "Where: our premises, their mission, a university…",
        _v(VenueKind),
        question="record where it takes place (venue kind)",
    ),
    Fact(
        "engagement.official_capacity",
        "bool",
        "engagement",
        "Whether our people take part in their official capacity.",
        question="record whether our participants act in their official capacity",
    ),
    Fact(
        "engagement.expected_attendance",
        "number",
        "engagement",
        "Expected audience size (events).",
        question="record the expected attendance",
    ),
    Fact(
        "engagement.initiated_by",
        "enum",
        "engagement",
        "Who initiated or hosts it: us, them, a third party.",
        ("us", "them", "third_party"),
        question="record who initiated or hosts it (initiated by)",
    ),
    Fact("engagement.topics", "set", "engagement", "Topics recorded on the engagement."),
    Fact(
        "engagement.arranges_meeting",
        "bool",
        "engagement",
        "Whether a written or remote exchange arranges or amounts to a meeting (not recorded in the registry).",
        asked=True,
        question="answer: does this exchange arrange (or amount to) a meeting?",
    ),
    Fact(
        "counterpart.kinds",
        "set",
        "engagement",
        "Kinds of the counterpart organisations.",
        _v(PartnerKind),
        question="record the counterpart organisation (partners)",
    ),
    Fact(
        "counterpart.countries",
        "set",
        "engagement",
        "Countries the counterpart organisations belong to (a consulate: its sending state).",
        question="record the counterpart organisations and their countries",
    ),
    Fact(
        "counterpart.is_mission",
        "bool",
        "engagement",
        "A counterpart is an embassy, consulate or trade/cultural office.",
        question="record the counterpart organisations and their kinds",
    ),
    Fact(
        "counterpart.is_prc_mission",
        "bool",
        "engagement",
        "A counterpart is an embassy or consulate of the People's Republic of China (country CN). "
        "Taiwan's TECO (TW) and Hong Kong's HKETO (HK) are not PRC missions.",
        question="record the counterpart organisations with their kind and country",
    ),
    Fact(
        "counterpart.senior_diplomat_present",
        "bool",
        "engagement",
        "A participant on their side holds a post as head of mission (ambassador), deputy chief of mission or consul general.",
        question="record their participants with the posts they hold (seniority)",
    ),
    Fact(
        "counterpart.seniorities",
        "set",
        "engagement",
        "Seniority of their participants' posts.",
        _v(Seniority),
        question="record their participants with the posts they hold",
    ),
    Fact(
        "our_side.levels",
        "set",
        "engagement",
        "Levels of government of our participants' posts.",
        _v(Level),
        question="record our participants with their posts",
    ),
    Fact("our_side.participants", "number", "engagement", "Number of participants on our side."),
    # -- agreements -------------------------------------------------------------------------
    Fact(
        "agreement.date",
        "date",
        "agreement",
        "Date the agreement was made: signed_on, else effective_on.",
        question="record when the agreement was signed (signed_on)",
    ),
    Fact(
        "agreement.kind", "enum", "agreement", "sister city, friendship city, MOU, letter of intent…", _v(AgreementKind)
    ),
    Fact(
        "agreement.status", "enum", "agreement", "proposed, in force, dormant, lapsed, terminated.", _v(AgreementStatus)
    ),
    Fact("agreement.ongoing", "bool", "agreement", "In force or dormant (not proposed, lapsed or terminated)."),
    Fact("agreement.binding", "bool", "agreement", "Whether the parties intend it to be legally binding."),
    Fact("agreement.signed_on", "date", "agreement", "Date signed.", question="record when it was signed"),
    Fact("agreement.expires_on", "date", "agreement", "Date it expires.", question="record when it expires"),
    Fact(
        "agreement.foreign_countries",
        "set",
        "agreement",
        "Countries of the foreign parties (partners or places).",
        question="record the foreign parties with their countries",
    ),
    Fact(
        "agreement.foreign_party_kinds",
        "set",
        "agreement",
        "Kinds of the foreign parties: partner kinds, or country/subdivision/city for a place party.",
        _v(PartnerKind) + _v(PlaceKind),
        question="record the foreign parties",
    ),
    Fact(
        "agreement.with_foreign_government",
        "bool",
        "agreement",
        "A foreign party is a government body (a national, subnational or city government, ministry, embassy or consulate, "
        "or a place standing for its government).",
        question="record the foreign parties and their kinds",
    ),
    Fact(
        "agreement.recognised_by_national_org",
        "bool",
        "agreement",
        "Recognised by the national sister-city organisation (Sister Cities International).",
        question="record whether Sister Cities International recognises the agreement",
    ),
    Fact(
        "agreement.commits_to_exchange",
        "bool",
        "agreement",
        "Commits the parties to cultural or educational exchange, tourism and other bilateral cooperation.",
        asked=True,
        question="answer: does the agreement commit to cultural/educational exchange, tourism and other cooperation?",
    ),
    Fact(
        "agreement.constrains_freedom_of_contract",
        "bool",
        "agreement",
        "Constrains our freedom to contract with anyone else.",
        asked=True,
        question="answer: does the agreement constrain our freedom of contract?",
    ),
    Fact(
        "agreement.cedes_program_control",
        "bool",
        "agreement",
        "Lets the foreign party direct or control the curriculum or values of a programme.",
        asked=True,
        question="answer: does the agreement let the foreign party direct a programme's curriculum or values?",
    ),
    Fact(
        "agreement.promotes_detrimental_agenda",
        "bool",
        "agreement",
        "Promotes an agenda detrimental to the safety or security of the United States or its residents.",
        asked=True,
        question="answer: does the agreement promote an agenda detrimental to US safety or security?",
    ),
    # -- gifts ------------------------------------------------------------------------------
    Fact("gift.date", "date", "gift", "Date received."),
    Fact(
        "gift.value_usd",
        "number",
        "gift",
        "Value in US dollars (value if USD, else value_usd).",
        question="record the gift's value in US dollars (value_usd)",
    ),
    Fact(
        "gift.donor_year_total_usd",
        "number",
        "gift",
        "US-dollar total of gifts from the same donor to the same recipient in the same calendar year, up to and including this one.",
        question="record the US-dollar value of every gift from this donor this year",
    ),
    Fact(
        "gift.donor_country",
        "text",
        "gift",
        "Country of the donor (partner's or person's country).",
        question="record the donor's country",
    ),
    Fact(
        "gift.donor_kind", "enum", "gift", "Kind of the donor organisation, or 'person'.", _v(PartnerKind) + ("person",)
    ),
    Fact(
        "gift.donor_is_foreign_government",
        "bool",
        "gift",
        "The donor is a foreign government body (government, ministry, embassy, consulate, subnational or city government).",
        question="record the donor organisation with its kind and country",
    ),
    Fact(
        "gift.foreign_source",
        "bool",
        "gift",
        "The donor belongs to a country other than the workspace's.",
        question="record the donor's country",
    ),
    Fact("gift.to_government", "bool", "gift", "Given to the government itself rather than to an official."),
    Fact(
        "gift.recipient_levels",
        "set",
        "gift",
        "Levels of the posts the recipient held when it was received.",
        _v(Level),
        question="record the recipient's post",
    ),
    Fact("gift.disposition", "enum", "gift", "kept, returned, transferred to the city, pending.", _v(GiftDisposition)),
]

FACTS: dict[str, Fact] = {f.name: f for f in _ALL}

#: The date fact that is "the record's date" for each record type.
RECORD_DATE = {"engagement": "engagement.date", "agreement": "agreement.date", "gift": "gift.date"}

#: Partner kinds that are government bodies.
GOVERNMENT_KINDS = frozenset(
    {
        PartnerKind.national_government,
        PartnerKind.ministry,
        PartnerKind.embassy,
        PartnerKind.consulate,
        PartnerKind.subnational_government,
        PartnerKind.city,
    }
)
SENIOR_DIPLOMATS = frozenset({Seniority.head_of_mission, Seniority.deputy_chief_of_mission, Seniority.consul_general})


def facts_for(record: str) -> dict[str, Fact]:
    """Facts a rule applying to ``record`` may use (its own and the workspace's)."""
    return {n: f for n, f in FACTS.items() if f.record in (record, "any")}
