"""The atlas (issue 5): the world's twin towns as a shared reference layer, the relationship
graph and its metrics, explained introduction paths, partner suggestions and offline maps.

Use it through ``citydiplomacy.services.atlas``; see docs/atlas.md.
"""

from .graph import AtlasGraph, Edge, IntroductionPath, Node, Step
from .regions import continent_of, find_region, region_of
from .twins import (
    REPORT_COLUMNS,
    NameResult,
    Pick,
    TwinRow,
    read_twin_file,
    resolve_name,
    resolve_names,
)

__all__ = [
    "REPORT_COLUMNS",
    "AtlasGraph",
    "Edge",
    "IntroductionPath",
    "NameResult",
    "Node",
    "Pick",
    "Step",
    "TwinRow",
    "continent_of",
    "find_region",
    "read_twin_file",
    "region_of",
    "resolve_name",
    "resolve_names",
]
