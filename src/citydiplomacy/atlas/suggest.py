"""Partner suggestions: read a goal ("trade with Vietnam", "a sister city in West Africa"),
then propose cities and partners, each with the reasons that make it a candidate.

A suggestion is never a bare score: ``strength`` only orders the list, and every entry has
at least one :class:`Reason` that names the records behind it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from ..domain.vocab import TOPICS, EngagementStatus, PartnerKind
from .analytics import country_name, our_places
from .graph import AtlasGraph
from .models import GoalReading, Reason, Suggestion, SuggestionAnswer
from .regions import REGION_ALIASES, regions_in_text
from .sources import WorkspaceRecords, place_key

__all__ = ["TOPIC_WORDS", "read_goal", "suggest"]

#: Words in a goal that point at a topic of the controlled vocabulary (besides the topic's own name).
TOPIC_WORDS: dict[str, tuple[str, ...]] = {
    "trade": ("trade", "export", "exports", "import", "imports", "commerce", "business"),
    "investment": ("investment", "investor", "investors", "fdi"),
    "tourism": ("tourism", "tourist", "tourists", "visitors"),
    "aviation": ("aviation", "airline", "airlines", "airport", "flights"),
    "transport": ("transport", "transit", "mobility", "rail", "metro"),
    "freight": ("freight", "port", "ports", "logistics", "shipping"),
    "climate": (
        "climate",
        "net zero",
        "emissions",
        "decarbonisation",
        "decarbonization",
        "clean energy",
        "clean-energy",
    ),
    "energy": ("energy", "clean energy", "clean-energy", "renewable", "renewables", "solar", "wind power", "hydrogen"),
    "water": ("water", "drought"),
    "waste": ("waste", "recycling"),
    "environment": ("environment", "environmental", "green", "biodiversity"),
    "public-health": ("health", "public health", "hospital", "hospitals"),
    "pandemic-response": ("pandemic", "covid"),
    "education": ("education", "university", "universities", "students", "schools", "exchange programme"),
    "culture": ("culture", "cultural", "arts", "museum", "film"),
    "sports": ("sport", "sports", "football", "soccer"),
    "olympics": ("olympic", "olympics"),
    "technology": ("technology", "tech", "digital", "ai"),
    "innovation": ("innovation", "innovative"),
    "startups": ("startup", "startups", "start-ups", "entrepreneurs"),
    "science": ("science", "research"),
    "security": ("security", "safety", "policing"),
    "disaster-resilience": ("disaster", "resilience", "earthquake", "earthquakes", "wildfire", "wildfires", "flood"),
    "human-rights": ("human rights",),
    "migration": ("migration", "migrants", "refugees"),
    "diaspora": ("diaspora",),
    "gender-equity": ("gender", "women"),
    "equity": ("equity", "inclusion"),
    "housing": ("housing", "homelessness"),
    "urban-planning": ("urban planning", "planning", "urban design"),
    "governance": ("governance", "transparency"),
    "peace": ("peace",),
    "religion": ("religion", "faith"),
}
_SISTER_WORDS = (
    "sister city",
    "sister-city",
    "sister cities",
    "twin town",
    "twin city",
    "twinning",
    "partner city",
    "friendship city",
)
_STOP = {
    "a",
    "an",
    "the",
    "with",
    "in",
    "for",
    "to",
    "of",
    "and",
    "or",
    "on",
    "at",
    "partner",
    "partners",
    "city",
    "cities",
    "new",
    "find",
    "us",
    "our",
    "we",
    "me",
    "from",
    "sister",
    "twin",
    "town",
}

WEIGHTS = {
    "existing_tie": 3.0,
    "shared_network": 2.0,
    "sister_of_sister": 2.0,
    "topic": 2.0,
    "diaspora": 1.5,
    "similar_size": 1.0,
    "twinning_activity": 0.5,
    "largest_city": 0.5,
    "our_sister_city": 0.0,
}


def _topics(text: str) -> list[str]:
    low = " " + re.sub(r"[^a-z\- ]+", " ", text.lower()) + " "
    found = []
    for topic in TOPICS:
        words = (topic.replace("-", " "), topic) + TOPIC_WORDS.get(topic, ())
        if any(f" {w} " in low for w in words):
            found.append(topic)
    return found


def read_goal(goal: str, gazetteer) -> GoalReading:
    """Countries, region and topics named in a goal, and whether a sister city is wanted."""
    text = " ".join((goal or "").split())
    notes: list[str] = []
    regions = regions_in_text(text)
    rest = text
    for alias in sorted(REGION_ALIASES, key=len, reverse=True):
        rest = re.sub(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", " ", rest, flags=re.IGNORECASE)
    countries: list[str] = []
    words = re.findall(r"[\w'’.-]+", rest)
    used = [False] * len(words)
    for size in (4, 3, 2, 1):
        for i in range(len(words) - size + 1):
            if any(used[i : i + size]):
                continue
            chunk = words[i : i + size]
            phrase = " ".join(chunk).strip(".,")
            if size == 1 and (phrase.lower() in _STOP or (len(phrase) < 4 and not phrase.isupper())):
                continue
            if phrase.lower() in {r.name.lower() for r in regions}:
                continue
            match = gazetteer.country(phrase)
            if match is None or match.approximate:
                continue
            if size == 1 and len(phrase) <= 3 and not phrase.isupper():
                continue
            if match.alpha2 not in countries:
                countries.append(match.alpha2)
            for k in range(i, i + size):
                used[k] = True
    region = regions[0].name if regions else None
    if region and len(regions) > 1:
        notes.append("several regions named; using " + region)
    topics = _topics(text)
    low = text.lower()
    wants = "sister city" if any(w in low for w in _SISTER_WORDS) else "partner"
    if not countries and not region:
        notes.append("no country or region recognised: suggesting from the whole world")
    return GoalReading(goal=text, countries=countries, region=region, topics=topics, wants=wants, notes=notes)


@dataclass
class _Context:
    records: WorkspaceRecords
    graph: AtlasGraph
    us: str
    our_population: int | None
    ours: set[str]
    partner_place: dict[str, str]  # partner ref -> place key
    partners_at: dict[str, list]  # place key -> partners
    engagements_with: dict[str, list]  # partner ref -> engagements (held/planned)
    our_networks: dict[str, str]  # network ref -> name
    partner_networks: dict[str, set[str]]
    partner_country: dict[str, str | None]


def _context(records: WorkspaceRecords, graph: AtlasGraph) -> _Context:
    places = {p.ref: p for p in records.places}
    partner_place: dict[str, str] = {}
    partners_at: dict[str, list] = defaultdict(list)
    for partner in records.partners:
        place = places.get(partner.place or "")
        key = place_key(place) if place else None
        if key:
            partner_place[partner.ref] = key
            partners_at[key].append(partner)
    engagements_with: dict[str, list] = defaultdict(list)
    for engagement in records.engagements:
        if engagement.status == EngagementStatus.cancelled:
            continue
        for ref in engagement.partners:
            engagements_with[ref].append(engagement)
    names = {n.ref: n.acronym or n.name for n in records.networks}
    ours = {m.network: names.get(m.network, m.network) for m in records.memberships if m.member is None}
    partner_networks: dict[str, set[str]] = defaultdict(set)
    for m in records.memberships:
        if m.member:
            partner_networks[m.member].add(m.network)
    us_node = graph.node(records.us_key)
    partner_country = {
        p.ref: p.country_code or (places[p.place].country_code if p.place in places else None) for p in records.partners
    }
    return _Context(
        records,
        graph,
        records.us_key,
        us_node.population if us_node else None,
        our_places(records),
        partner_place,
        partners_at,
        engagements_with,
        ours,
        partner_networks,
        partner_country,
    )


def _fmt_pop(n: int) -> str:
    return f"{n / 1e6:.1f} M" if n >= 1_000_000 else f"{n:,}"


def _engagement_reason(partner, engagements, topics: list[str]) -> list[Reason]:
    out = []
    if engagements:
        last = max(engagements, key=lambda e: e.start)
        out.append(
            Reason(
                kind="existing_tie",
                text=f"{len(engagements)} engagement(s) with {partner.name}, latest '{last.title}' ({last.on.year})",
                evidence=[f"engagements/{e.ref}" for e in engagements][:5],
            )
        )
        on_topic = [e for e in engagements if set(e.topics) & set(topics)]
        if on_topic:
            shared = sorted({t for e in on_topic for t in e.topics} & set(topics))
            out.append(
                Reason(
                    kind="topic",
                    text=f"worked with {partner.name} on {', '.join(shared)}: "
                    + "; ".join(f"'{e.title}' ({e.on.year})" for e in on_topic[:3]),
                    evidence=[f"engagements/{e.ref}" for e in on_topic][:5],
                )
            )
    return out


def _network_reason(ctx: _Context, partner) -> Reason | None:
    shared = sorted(ctx.partner_networks.get(partner.ref, set()) & set(ctx.our_networks))
    if not shared:
        return None
    return Reason(
        kind="shared_network",
        text=f"{partner.name} and we are both in {', '.join(ctx.our_networks[n] for n in shared)}",
        evidence=[f"networks/{n}" for n in shared],
    )


def _diaspora(ctx: _Context, code: str) -> Reason | None:
    name = country_name(code)
    stem = name[: max(5, len(name) - 1)].lower()
    evidence, texts = [], []
    for partner in ctx.records.partners:
        if partner.kind == PartnerKind.diaspora_association and (
            stem in partner.name.lower()
            or (partner.country_code == code and code != ctx.records.workspace.country_code)
        ):
            evidence.append(f"partners/{partner.ref}")
            texts.append(partner.name)
    for engagement in ctx.records.engagements:
        if "diaspora" in engagement.topics and any(ctx.partner_country.get(p) == code for p in engagement.partners):
            evidence.append(f"engagements/{engagement.ref}")
            texts.append(f"'{engagement.title}' ({engagement.on.year})")
    if not evidence:
        return None
    return Reason(
        kind="diaspora", text=f"we record diaspora ties with {name}: " + "; ".join(texts[:3]), evidence=evidence[:6]
    )


def suggest(
    records: WorkspaceRecords, graph: AtlasGraph, reading: GoalReading, *, limit: int = 10, largest_cities=None
) -> SuggestionAnswer:
    """Suggestions for a read goal. ``largest_cities(codes, n)`` (from the gazetteer) adds the
    largest cities of the countries in scope when the networks know few places there."""
    from .regions import REGIONS

    ctx = _context(records, graph)
    scope: set[str] | None = set(reading.countries)
    if reading.region:
        scope |= set(REGIONS[reading.region].countries)
    if not scope:
        scope = None
    out: dict[str, Suggestion] = {}
    diaspora_cache: dict[str, Reason | None] = {}

    def add(key, label, kind, code, ref, population, reasons):
        reasons = [r for r in reasons if r is not None]
        if not reasons:
            return
        current = out.get(key)
        if current:
            current.reasons.extend(r for r in reasons if r.text not in {x.text for x in current.reasons})
            current.strength = round(sum(WEIGHTS.get(r.kind, 1.0) for r in current.reasons), 2)
            return
        out[key] = Suggestion(
            key=key,
            label=label,
            kind=kind,
            country_code=code,
            ref=ref,
            population=population,
            reasons=reasons,
            strength=round(sum(WEIGHTS.get(r.kind, 1.0) for r in reasons), 2),
        )

    def in_scope(code: str | None) -> bool:
        return scope is None or (code is not None and code in scope)

    # places: every city in scope that a network (ours or the world's twin towns) knows
    for node in graph.nodes:
        if node.kind != "place" or node.key == ctx.us or not in_scope(node.country_code):
            continue
        reasons: list[Reason] = []
        if node.key in ctx.ours:
            if reading.wants == "sister city":
                continue  # already ours; listed in the notes below
            reasons.append(
                Reason(
                    kind="our_sister_city",
                    text=f"{node.label} is already our sister city",
                    evidence=[node.ref] if node.ref else [],
                )
            )
        for partner in ctx.partners_at.get(node.key, []):
            reasons.extend(_engagement_reason(partner, ctx.engagements_with.get(partner.ref, []), reading.topics))
            reasons.append(_network_reason(ctx, partner))
        sisters = [(other, edge) for other, edge in graph.neighbours(node.key) if other.key in ctx.ours]
        if sisters:
            reasons.append(
                Reason(
                    kind="sister_of_sister",
                    text=f"{node.label} is a sister city of our sister city "
                    + ", ".join(
                        f"{o.label} ({'our records' if e.source == 'workspace' else 'Wikipedia list'})"
                        for o, e in sisters[:4]
                    ),
                    evidence=[e.ref for _o, e in sisters[:4] if e.ref],
                )
            )
        if ctx.our_population and node.population:
            ratio = node.population / ctx.our_population
            if 0.4 <= ratio <= 2.5:
                reasons.append(
                    Reason(
                        kind="similar_size",
                        text=f"population {_fmt_pop(node.population)}, similar to "
                        f"ours ({_fmt_pop(ctx.our_population)})",
                    )
                )
        reasons = [r for r in reasons if r is not None]
        twins = sum(1 for _o, e in graph.neighbours(node.key) if e.kind in ("twin_reference", "sister_city"))
        if (twins >= 5 and reasons) or twins >= 10:
            reasons.append(
                Reason(
                    kind="twinning_activity",
                    text=f"{node.label} has {twins} twin towns already: it is open to partnerships",
                )
            )
        if node.country_code and reasons and any(r.kind != "our_sister_city" for r in reasons):
            if node.country_code not in diaspora_cache:
                diaspora_cache[node.country_code] = _diaspora(ctx, node.country_code)
            if diaspora_cache[node.country_code]:
                reasons.append(diaspora_cache[node.country_code])
        if reasons and all(r.kind == "our_sister_city" for r in reasons):
            continue
        add(node.key, node.label, "place", node.country_code, node.ref, node.population, reasons)

    if largest_cities is not None and scope is not None:
        for city in largest_cities(sorted(scope), 3 if len(scope) > 3 else 5):
            key = f"place:{city.geonames_id}"
            if key == ctx.us or (reading.wants == "sister city" and key in ctx.ours):
                continue
            add(
                key,
                city.name,
                "place",
                city.country_code,
                f"geonames:{city.geonames_id}",
                city.population,
                [
                    Reason(
                        kind="largest_city",
                        text=f"one of the largest cities of {country_name(city.country_code)} "
                        f"(population {_fmt_pop(city.population)})",
                    )
                ],
            )

    if reading.wants != "sister city":
        for partner in records.partners:
            code = ctx.partner_country.get(partner.ref)
            if not in_scope(code) or code is None:
                continue
            reasons = _engagement_reason(partner, ctx.engagements_with.get(partner.ref, []), reading.topics)
            reasons.append(_network_reason(ctx, partner))
            add(f"partner:{partner.ref}", partner.name, "partner", code, partner.ref, None, reasons)

    ranked = sorted(out.values(), key=lambda s: (-s.strength, -(s.population or 0), s.label))[:limit]
    if reading.wants == "sister city":
        already = [graph.node(k).label for k in ctx.ours if graph.node(k) and in_scope(graph.node(k).country_code)]
        if already:
            reading.notes.append("already our sister cities there: " + ", ".join(sorted(already)))
    if not ranked:
        reading.notes.append("no city or partner in scope has a recorded tie, a shared network or a twin-town link")
    return SuggestionAnswer(reading=reading, suggestions=ranked)
