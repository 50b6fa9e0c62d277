"""The domain core: plain Python and pydantic models, no web or database framework."""

from .agreements import Agreement, Document, Party
from .base import Record, slugify
from .engagements import Engagement, FollowUp, Participant
from .errors import CityDiplomacyError, Conflict, InvalidInput, NotFound, PermissionDenied, Problem
from .gifts import Gift, GiftDisposition
from .networks import Membership, Network
from .partners import Partner
from .people import Person, Post, title_on
from .places import Place
from .workspace import Workspace

#: Every record type, in dependency order (a record only points at types before it).
RECORD_TYPES: tuple[type[Record], ...] = (
    Place,
    Partner,
    Person,
    Post,
    Network,
    Membership,
    Agreement,
    Engagement,
    Gift,
)
RECORD_TYPES_BY_PLURAL: dict[str, type[Record]] = {t.plural: t for t in RECORD_TYPES}

__all__ = [
    "RECORD_TYPES",
    "RECORD_TYPES_BY_PLURAL",
    "Agreement",
    "CityDiplomacyError",
    "Conflict",
    "Document",
    "Engagement",
    "FollowUp",
    "Gift",
    "GiftDisposition",
    "InvalidInput",
    "Membership",
    "Network",
    "NotFound",
    "Participant",
    "Partner",
    "Party",
    "PermissionDenied",
    "Person",
    "Place",
    "Post",
    "Problem",
    "Record",
    "Workspace",
    "slugify",
    "title_on",
]
