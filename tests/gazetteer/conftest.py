"""Fixtures for the gazetteer tests.

The index is built once per test session into a temporary cache directory
(``CITYDIPLOMACY_CACHE_DIR``), so the tests never touch the user's cache; each
module then gets a Gazetteer loaded from that cache (module-scoped fixture).
"""

import os

import pytest

from citydiplomacy.gazetteer import Gazetteer
from citydiplomacy.gazetteer.index import load_index


@pytest.fixture(scope="session")
def gaz_cache_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("gazetteer-cache")
    old = os.environ.get("CITYDIPLOMACY_CACHE_DIR")
    os.environ["CITYDIPLOMACY_CACHE_DIR"] = str(path)
    load_index()  # build + write the cache once for the whole session
    yield path
    if old is None:
        os.environ.pop("CITYDIPLOMACY_CACHE_DIR", None)
    else:
        os.environ["CITYDIPLOMACY_CACHE_DIR"] = old


@pytest.fixture(scope="module")
def gz(gaz_cache_dir):
    return Gazetteer()
