"""The rules engine: foreign-contact, agreement and gift rules as cited, dated data.

Packs (YAML, ``packs/``) are validated by :mod:`.schema` and :mod:`.loader`; conditions
compile to array operations (:mod:`.conditions`) over fact tables (:mod:`.table`) derived
from registry records (:mod:`.derive`, vocabulary in :mod:`.facts`); :mod:`.engine`
evaluates and explains; :mod:`.impact` compares rule sets; :mod:`.store` persists pack
versions, interpretations, obligations and answers. Use cases are in
``citydiplomacy.services.rules``. Shipped packs are illustrative, not legal advice.
"""

from .conditions import Interpretation
from .derive import Context, facts_for_records
from .engine import Evaluation, Finding, RuleSet, evaluate
from .facts import FACTS
from .loader import LoadedPack, load_file, load_pack, shipped_packs
from .table import FactTable

__all__ = [
    "FACTS",
    "Context",
    "Evaluation",
    "FactTable",
    "Finding",
    "Interpretation",
    "LoadedPack",
    "RuleSet",
    "evaluate",
    "facts_for_records",
    "load_file",
    "load_pack",
    "shipped_packs",
]
