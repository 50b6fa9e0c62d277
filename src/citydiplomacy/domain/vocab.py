"""Controlled vocabularies, in the words international-affairs offices use.

Adding a value: append it (never rename or remove one that may be stored), add a
label in ``LABELS`` if the default title-casing reads badly, and add a migration only
if a database CHECK constraint lists the values (none do today: values are checked
here, in the domain, so that every interface gives the same message).
"""

from __future__ import annotations

from enum import StrEnum


class WorkspaceKind(StrEnum):
    city = "city"
    county = "county"
    state = "state"


class PlaceKind(StrEnum):
    country = "country"
    subdivision = "subdivision"
    city = "city"


class PartnerKind(StrEnum):
    national_government = "national_government"
    ministry = "ministry"
    embassy = "embassy"
    consulate = "consulate"
    trade_office = "trade_office"  # trade, economic or cultural office (e.g. TECO)
    subnational_government = "subnational_government"
    city = "city"
    international_organisation = "international_organisation"
    city_network = "city_network"
    company = "company"
    ngo = "ngo"
    university = "university"
    diaspora_association = "diaspora_association"
    religious_authority = "religious_authority"  # e.g. the Holy See


#: Partner kinds that are foreign missions (used by rules on diplomatic contact).
MISSION_KINDS = frozenset({PartnerKind.embassy, PartnerKind.consulate, PartnerKind.trade_office})


class Level(StrEnum):
    international = "international"
    national = "national"
    state = "state"
    county = "county"
    municipal = "municipal"


class Seniority(StrEnum):
    head_of_state_or_government = "head_of_state_or_government"
    minister = "minister"
    head_of_mission = "head_of_mission"
    deputy_chief_of_mission = "deputy_chief_of_mission"
    consul_general = "consul_general"
    other_diplomat = "other_diplomat"
    elected_official = "elected_official"
    appointed_official = "appointed_official"
    staff = "staff"
    other = "other"


class EngagementKind(StrEnum):
    meeting = "meeting"
    call = "call"
    message_exchange = "message_exchange"
    inbound_visit = "inbound_visit"
    outbound_visit = "outbound_visit"  # includes delegations we lead abroad
    trade_mission = "trade_mission"
    event = "event"
    reception = "reception"
    conference = "conference"
    signing = "signing"


class Channel(StrEnum):
    in_person = "in_person"
    phone = "phone"
    video = "video"
    email = "email"
    messaging_app = "messaging_app"
    letter = "letter"


class VenueKind(StrEnum):
    our_premises = "our_premises"
    their_mission = "their_mission"
    other_government_site = "other_government_site"
    university_or_research_site = "university_or_research_site"
    neutral = "neutral"
    online = "online"


class EngagementStatus(StrEnum):
    planned = "planned"
    held = "held"
    cancelled = "cancelled"


class Initiator(StrEnum):
    us = "us"
    them = "them"
    third_party = "third_party"
    unknown = "unknown"


class Side(StrEnum):
    ours = "ours"
    theirs = "theirs"


class Confidentiality(StrEnum):
    public = "public"
    internal = "internal"
    confidential = "confidential"


class DatePrecision(StrEnum):
    """How much of a date is known: demo and historical records are often approximate."""

    day = "day"
    month = "month"
    year = "year"


class AgreementKind(StrEnum):
    sister_city = "sister_city"
    friendship_city = "friendship_city"
    memorandum_of_understanding = "memorandum_of_understanding"
    letter_of_intent = "letter_of_intent"
    joint_declaration = "joint_declaration"
    network_charter = "network_charter"
    pledge = "pledge"
    contract = "contract"  # binding contracts, e.g. an Olympic host city contract


class AgreementStatus(StrEnum):
    proposed = "proposed"
    in_force = "in_force"
    dormant = "dormant"
    lapsed = "lapsed"
    terminated = "terminated"


class MembershipRole(StrEnum):
    founding_member = "founding_member"
    member = "member"
    steering_committee = "steering_committee"
    chair = "chair"
    vice_chair = "vice_chair"
    observer = "observer"
    partner = "partner"


#: Topics: a controlled vocabulary; UN SDG goal numbers (1-17) are recorded separately.
TOPICS: tuple[str, ...] = (
    "trade",
    "investment",
    "tourism",
    "aviation",
    "transport",
    "freight",
    "climate",
    "energy",
    "water",
    "waste",
    "environment",
    "public-health",
    "pandemic-response",
    "education",
    "culture",
    "sports",
    "olympics",
    "technology",
    "innovation",
    "startups",
    "science",
    "security",
    "disaster-resilience",
    "human-rights",
    "migration",
    "diaspora",
    "gender-equity",
    "equity",
    "housing",
    "urban-planning",
    "governance",
    "sdgs",
    "peace",
    "religion",
    "protocol",
    "city-diplomacy",
)
TOPIC_SET = frozenset(TOPICS)

SDG_GOALS: dict[int, str] = {
    1: "No poverty",
    2: "Zero hunger",
    3: "Good health and well-being",
    4: "Quality education",
    5: "Gender equality",
    6: "Clean water and sanitation",
    7: "Affordable and clean energy",
    8: "Decent work and economic growth",
    9: "Industry, innovation and infrastructure",
    10: "Reduced inequalities",
    11: "Sustainable cities and communities",
    12: "Responsible consumption and production",
    13: "Climate action",
    14: "Life below water",
    15: "Life on land",
    16: "Peace, justice and strong institutions",
    17: "Partnerships for the goals",
}


def label(value: str) -> str:
    """A human label for a vocabulary value: ``memorandum_of_understanding`` -> "Memorandum of understanding"."""
    special = LABELS.get(value)
    if special:
        return special
    text = value.replace("_", " ").replace("-", " ")
    return text[:1].upper() + text[1:]


LABELS: dict[str, str] = {
    "ngo": "NGO",
    "sdgs": "SDGs",
    "us": "Us",
    "trade_office": "Trade, economic or cultural office",
    "outbound_visit": "Outbound visit or delegation",
    "university_or_research_site": "University or research site",
}
