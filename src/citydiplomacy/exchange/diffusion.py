"""Diffusion: transfers as a graph (who learned from whom) and a timeline (when).

Pure functions over practices and transfers; the web app draws them.
"""

from __future__ import annotations

import unicodedata

from .geography import find_city
from .models import Practice, Transfer
from .results import DiffusionEdge, DiffusionGraph, DiffusionNode, TimelineEvent, TimelineYear

__all__ = ["city_key", "diffusion_graph", "timeline"]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().strip()


def city_key(city: str | None, country: str | None) -> str:
    """Stable node id for a place: folded city name and country ('bogota|CO')."""
    return f"{_fold(city) if city else '*'}|{country or '*'}"


def _node(nodes: dict[str, DiffusionNode], city: str | None, country: str | None) -> DiffusionNode:
    key = city_key(city, country)
    node = nodes.get(key)
    if node is None:
        facts = find_city(city, country)
        node = nodes[key] = DiffusionNode(
            id=key,
            label=city or country or "unknown",
            country_code=country,
            latitude=facts.latitude if facts else None,
            longitude=facts.longitude if facts else None,
        )
    return node


def diffusion_graph(practices: list[Practice], transfers: list[Transfer]) -> DiffusionGraph:
    """Nodes are cities (origins and borrowers); edges are transfers, from teacher to learner."""
    titles = {p.slug: p.title for p in practices}
    nodes: dict[str, DiffusionNode] = {}
    years: set[int] = set()
    for practice in practices:
        node = _node(nodes, practice.city, practice.country_code)
        node.origin_of.append(practice.slug)
        if practice.year_started:
            years.add(practice.year_started)
    edges = []
    for transfer in transfers:
        source = _node(nodes, transfer.from_city, transfer.from_country)
        target = _node(nodes, transfer.adopter_city, transfer.adopter_country)
        target.adopted.append(transfer.practice)
        target.is_us = target.is_us or transfer.adopter_is_us
        if transfer.year:
            years.add(transfer.year)
        edges.append(
            DiffusionEdge(
                source=source.id,
                target=target.id,
                practice=transfer.practice,
                practice_title=titles.get(transfer.practice, transfer.practice),
                year=transfer.year,
                status=str(transfer.status),
                outcome=str(transfer.outcome),
                transfer_ref=transfer.ref or "",
                evidence=transfer.evidence,
            )
        )
    return DiffusionGraph(nodes=sorted(nodes.values(), key=lambda n: n.id), edges=edges, years=sorted(years))


def timeline(practices: list[Practice], transfers: list[Transfer]) -> list[TimelineYear]:
    """Years ascending, each with the practices started and the transfers made; undated transfers last."""
    titles = {p.slug: p.title for p in practices}
    by_year: dict[int | None, list[TimelineEvent]] = {}
    for practice in practices:
        by_year.setdefault(practice.year_started, []).append(
            TimelineEvent(
                kind="started",
                practice=practice.slug,
                practice_title=practice.title,
                city=practice.city,
                country_code=practice.country_code,
            )
        )
    for transfer in transfers:
        by_year.setdefault(transfer.year, []).append(
            TimelineEvent(
                kind="transfer",
                practice=transfer.practice,
                practice_title=titles.get(transfer.practice, transfer.practice),
                city=transfer.adopter_city,
                country_code=transfer.adopter_country,
                from_city=transfer.from_city,
                status=str(transfer.status),
                outcome=str(transfer.outcome),
                transfer_ref=transfer.ref,
            )
        )
    ordered = sorted(y for y in by_year if y is not None) + ([None] if None in by_year else [])
    return [TimelineYear(year=year, events=by_year[year]) for year in ordered]
