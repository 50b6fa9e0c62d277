"""Turning practices into searchable text and questions into query terms.

Staff type questions ("how did other cities warn people before earthquakes?"), not
keyword lists. Lexical search therefore drops question words and English stopwords,
plus words that every practice shares ("city", "cities"), and ORs the rest: bm25 and
ts_rank_cd then reward documents that match more, and rarer, terms.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .geography import country_name
from .models import Practice

__all__ = ["SearchDocument", "document_for", "embedding_text", "query_terms", "text_hash"]

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "others",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "get",
        "got",
        "make",
        "made",
        "want",
        "wants",
        "like",
        "way",
        "ways",
        "help",
        "let",
        "lets",
        "city",
        "cities",
        "town",
        "towns",
        "municipal",
        "municipality",
        "municipalities",
        "local",
        "people",
        "residents",
        "practice",
        "practices",
    ]
)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


def query_terms(query: str) -> list[str]:
    """Words of a question worth searching for, lowercased, in order, without repeats."""
    words = [w.lower().replace("’", "'") for w in _WORD.findall(query)]
    terms = [w.split("'")[0] for w in words if w not in STOPWORDS and len(w) > 1]
    return list(dict.fromkeys(t for t in terms if t and t not in STOPWORDS))


@dataclass(frozen=True)
class SearchDocument:
    """The text of one practice as the full-text index sees it, by weight class."""

    title: str
    topics: str
    place: str
    body: str


def document_for(practice: Practice, region: str) -> SearchDocument:
    topics = " ".join(t.replace("-", " ") for t in practice.topics)
    place = " ".join(p for p in (practice.city or "", country_name(practice.country_code), region) if p)
    body = "\n".join(
        p
        for p in (
            practice.summary,
            practice.problem,
            practice.what_was_done,
            practice.results,
            practice.conditions,
            practice.cost,
        )
        if p
    )
    return SearchDocument(title=practice.title, topics=topics, place=place, body=body)


def embedding_text(practice: Practice) -> str:
    """What the sentence model reads: title, topics and description (MiniLM sees ~256 tokens)."""
    topics = ", ".join(t.replace("-", " ") for t in practice.topics)
    parts = [
        practice.title,
        f"Topics: {topics}." if topics else "",
        practice.summary or "",
        practice.problem or "",
        practice.what_was_done or "",
        practice.results or "",
    ]
    return " ".join(p for p in parts if p)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
