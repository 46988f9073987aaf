"""Ranks rules for a question by meaning (dense vectors) and by words (BM25), fused, with the
asker's audience breaking near-ties."""
from __future__ import annotations

from dataclasses import dataclass

import bm25s
import numpy as np
import Stemmer

from assistant.config import RetrievalConfig
from assistant.embedder import Embedder
from assistant.index import VectorIndex
from assistant.policy import KnowledgeBase, Rule
from assistant.text import expand_slang, words

# Words that say nothing about which rule is meant; BM25's idf would only half-discount them
# in a knowledge base this small.
_STOPWORDS = frozenset("""
a an and are as at be been but by can could did do does doing for from had has have how i i'm if in
into is it it's its me my myself of on or our ours should so than that the their them then there
these they this to too was we were what when where which who why will with would you your yours
ok okay allowed allow please hi hello thanks just about any anyone anybody get got go going
""".split())


_STAFF_WORDS = frozenset({"staff", "leader", "practitioner", "practitioners"})


@dataclass(frozen=True)
class Match:
    """A rule ranked for a question: `score` orders matches; `dense` (cosine) measures confidence."""

    rule: Rule
    score: float
    dense: float
    lexical: float


@dataclass(frozen=True)
class Ranking:
    """Rules best first, plus how close the question came to a known off-topic question."""

    matches: list[Match]
    off_topic: float


def subject_audience(expanded_question: str, asker: str) -> str:
    """Whose conduct the question is about: the asker ("can I post photos?"), unless a parent or
    visitor asks about staff ("do the staff post photos?"), when the staff rules are the ones meant."""
    if asker not in ("staff", "committee") and _STAFF_WORDS & set(words(expanded_question)):
        return "staff"
    return asker


class Retriever:
    """Hybrid search over one knowledge base and its index; safe to share between threads."""

    def __init__(self, kb: KnowledgeBase, index: VectorIndex, embedder: Embedder, settings: RetrievalConfig):
        self.kb = kb
        self.index = index
        self.embedder = embedder
        self.settings = settings
        self._stemmer = Stemmer.Stemmer("english")
        self._rules = list(kb.rules)
        self._position = {rule.id: i for i, rule in enumerate(self._rules)}
        self._entry_rule = np.array([self._position.get(e.rule_id, -1) if e.rule_id else -1
                                     for e in index.entries])
        self._bm25 = bm25s.BM25()
        corpus = [self._tokens(expand_slang(" ".join((r.text, r.plain or "", *r.examples)), kb.synonyms))
                  for r in self._rules]
        self._bm25.index(corpus, show_progress=False)

    def _tokens(self, expanded: str) -> list[str]:
        return self._stemmer.stemWords([w for w in words(expanded) if w not in _STOPWORDS])

    def rank(self, question: str, audience: str) -> Ranking:
        """Every rule the asker may see, best first."""
        expanded = expand_slang(question, self.kb.synonyms)
        subject = subject_audience(expanded, audience)
        vector = self.embedder.encode([expanded])
        scores, positions = self.index.search(vector, self.settings.candidates)
        dense = np.full(len(self._rules), -np.inf, dtype=np.float32)
        off_topic = -1.0
        for score, position in zip(scores[0], positions[0]):
            if position < 0:
                continue
            rule_position = self._entry_rule[position]
            if rule_position < 0:
                off_topic = max(off_topic, float(score))
            elif score > dense[rule_position]:
                dense[rule_position] = score
        tokens = self._tokens(expanded)
        lexical = self._bm25.get_scores(tokens) if tokens else np.zeros(len(self._rules))
        top_lexical = float(lexical.max()) if len(lexical) else 0.0
        lexical_norm = lexical / top_lexical if top_lexical > 0 else np.zeros_like(lexical)
        matches = []
        # Only rules near the question in meaning are candidates: a handful, however big the knowledge.
        for i in np.flatnonzero(np.isfinite(dense)):
            rule = self._rules[i]
            if not rule.visible_to(audience):
                continue
            fused = (float(dense[i]) + self.settings.lexical_weight * float(lexical_norm[i])
                     + (self.settings.audience_bonus if rule.applies_to(subject) else 0.0))
            matches.append(Match(rule, fused, float(dense[i]), float(lexical[i])))
        matches.sort(key=lambda m: m.score, reverse=True)
        return Ranking(matches, off_topic)
