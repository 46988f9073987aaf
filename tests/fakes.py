"""A deterministic stand-in for the embedding model: fast unit tests without torch."""
from __future__ import annotations

import hashlib

import numpy as np

from assistant.text import words


class FakeEmbedder:
    """Bag of hashed words: texts sharing words get similar vectors, identical texts identical ones."""

    name = "fake-bag-of-words"
    dimension = 64

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in words(text) or ["<empty>"]:
                digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
                vectors[row, int.from_bytes(digest, "little") % self.dimension] += 1.0
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors
