"""Name normalisation shared by the index and the queries.

Two forms are used:

* ``fold(s)`` - the index key: transliterated to ASCII (unidecode), casefolded,
  punctuation and whitespace folded to single spaces, a few abbreviations
  expanded ("st" -> "saint").  "Zürich", "ZURICH" and "Zurich" share a key.
* ``soft(s)`` - casefolded and punctuation-folded but *not* transliterated.
  Comparing soft forms tells an exact spelling from an accent/script folding.
"""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

__all__ = ["fold", "is_ascii_form", "soft", "split_joint", "strip_parenthetical"]

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
# Abbreviations expanded token-wise on both sides (index and query), so
# "St. Gallen", "St Gallen" and "Saint Gallen" share a key.
_TOKEN_EXPANSIONS = {
    "st": "saint",
    "ste": "sainte",
    "mt": "mount",
    "ft": "fort",
}


def _expand(text: str) -> str:
    tokens = text.split()
    return " ".join(_TOKEN_EXPANSIONS.get(t, t) for t in tokens)


# Romanian s/t with cedilla (legacy encoding) and with comma below are the same letters.
_SAME_LETTER = str.maketrans({"\u015f": "\u0219", "\u0163": "\u021b", "\u015e": "\u0218", "\u0162": "\u021a"})


def soft(text: str) -> str:
    """Casefold and fold punctuation, keeping accents and scripts."""
    text = unicodedata.normalize("NFC", text).translate(_SAME_LETTER).casefold()
    text = _NON_WORD.sub(" ", text.replace("&", " and "))
    return _expand(text)


def fold(text: str) -> str:
    """Index key: ASCII transliteration of :func:`soft`."""
    ascii_text = text if text.isascii() else unidecode(unicodedata.normalize("NFC", text))
    ascii_text = ascii_text.casefold().replace("&", " and ")
    return _expand(_NON_WORD.sub(" ", ascii_text))


def is_ascii_form(text: str) -> bool:
    """True when folding ``text`` needs no transliteration."""
    return soft(text) == fold(text)


_PAREN = re.compile(r"^(?P<base>.*?)\s*\((?P<qual>[^()]*)\)\s*$")


def strip_parenthetical(text: str) -> tuple[str, str | None]:
    """Split a trailing parenthetical qualifier: "Esch (Haaren)" -> ("Esch", "Haaren")."""
    match = _PAREN.match(text.strip())
    if not match or not match.group("base").strip():
        return text.strip(), None
    return match.group("base").strip(), match.group("qual").strip() or None


# " -- " (the brief's and some scrapers' joint-entry separator) and a spaced
# em dash join two separate places.  A spaced en dash (" – ") is Wikipedia's
# "City – district" convention and is handled as parent/part by the resolver,
# but split_joint() also splits it so callers see both names.
_JOINT = re.compile(r"\s+(?:--|—|–|-{3})\s+|\s+--|--\s+")


def split_joint(name: str) -> list[str]:
    """Split a joint entry into its parts.

    >>> split_joint("Haaren -- Esch")
    ['Haaren', 'Esch']
    >>> split_joint("Berlin – Spandau")
    ['Berlin', 'Spandau']
    >>> split_joint("Biel/Bienne")
    ['Biel/Bienne']

    Hyphenated names ("Esch-sur-Alzette"), slashes ("Biel/Bienne", one place
    with two official names) and "and" ("Brighton and Hove", one borough) are
    not split.
    """
    parts = [p.strip() for p in _JOINT.split(name.strip())]
    parts = [p for p in parts if p]
    return parts if parts else [name.strip()]
