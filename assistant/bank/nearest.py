"""The bank's concepts nearest each rule: a starting point for the committee's plain answers and
example questions of a freshly ingested policy. Shown, never written into a rules file: a concept
matched to the wrong rule would pull every question of its kind there."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.bank.model import Bank, Concept
from assistant.embedder import Embedder
from assistant.policy import KnowledgeBase


@dataclass(frozen=True)
class Suggestion:
    concept: Concept
    similarity: float  # cosine between the rule's wording and the concept's closest statement


def nearest_concepts(kb: KnowledgeBase, bank: Bank, embedder: Embedder, *, count: int = 2,
                     floor: float = 0.5) -> dict[str, list[Suggestion]]:
    """Per rule id, up to `count` concepts whose statements are at least `floor` close to its wording."""
    concepts = bank.concepts
    owners = [n for n, c in enumerate(concepts) for _ in c.statements]
    statements = embedder.encode([s for c in concepts for s in c.statements])
    rules = embedder.encode([rule.text for rule in kb.rules])
    similarity = rules @ statements.T
    found: dict[str, list[Suggestion]] = {}
    for row, rule in enumerate(kb.rules):
        best: dict[int, float] = {}
        for column in np.argsort(-similarity[row])[: 4 * count]:
            owner = owners[column]
            best.setdefault(owner, float(similarity[row, column]))
        found[rule.id] = [Suggestion(concepts[n], score) for n, score in best.items() if score >= floor][:count]
    return found
