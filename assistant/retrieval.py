"""Ranks rules for a question by meaning (dense vectors) and by words (BM25), fused, with the
asker's audience breaking near-ties."""
from __future__ import annotations

from dataclasses import dataclass, field

import bm25s
import numpy as np
import Stemmer

from assistant.config import RetrievalConfig
from assistant.embedder import Embedder
from assistant import reading
from assistant.index import VectorIndex
from assistant.policy import ALL_POLICIES, KnowledgeBase, Rule
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

# Words of a policy title that name no topic of its own ("Medicine Policy", "Arrival and Home Time").
_TITLE_FILLER = frozenset("""
policy policies procedure procedures statement guidance information pre-school preschool nursery
setting children child parents parent carers time times
""".split())


@dataclass(frozen=True)
class Match:
    """A rule ranked for a question: `score` orders matches; `dense` (cosine) measures confidence."""

    rule: Rule
    score: float
    dense: float
    lexical: float


@dataclass(frozen=True)
class Ranking:
    """Rules best first, plus how close the question came to each policy's known off-topic questions."""

    matches: list[Match]
    off_topic: dict[str, float] = field(default_factory=dict)

    def off_topic_for(self, policy_id: str) -> float:
        """The nearest off-topic question of this policy or of the whole knowledge (-1 when none is
        listed). A policy's own list says what *it* does not answer, so it never blocks another policy."""
        return max(self.off_topic.get(policy_id, -1.0), self.off_topic.get(ALL_POLICIES, -1.0))


def subject_audience(expanded_question: str, asker: str) -> str:
    """Whose conduct the question is about: the asker ("can I post photos?"), unless a parent or
    visitor asks about staff ("do the staff post photos?"), when the staff rules are the ones meant."""
    if asker not in ("staff", "committee") and _STAFF_WORDS & set(words(expanded_question)):
        return "staff"
    return asker


def _bm25(corpus: list[list[str]]) -> bm25s.BM25:
    index = bm25s.BM25()
    index.index(corpus, show_progress=False)
    return index


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
        self._uncurated = np.array([not r.examples for r in self._rules])
        filler = frozenset(self._stemmer.stemWords(sorted(_TITLE_FILLER)))
        self._topic = {policy_id: frozenset(self._tokens(expand_slang(policy.title, kb.synonyms))) - filler
                       for policy_id, policy in kb.policies.items()}
        corpus = [self._tokens(expand_slang(" ".join((r.text, r.plain or "", *r.examples)), kb.synonyms))
                  for r in self._rules]
        self._bm25 = _bm25(corpus)
        # A curated policy's rules are also scored by its own word statistics, so ingesting another
        # policy never reorders them; uncurated ones keep the statistics of the whole knowledge. Curated
        # means most of its rules have examples: the committee's first few examples for a fresh policy
        # must not switch its statistics (measured: that moved questions the examples were not about).
        self._own_bm25 = []
        for policy_id in kb.policies:
            members = [i for i, r in enumerate(self._rules) if r.policy_id == policy_id]
            curated = sum(bool(self._rules[i].examples) for i in members)
            if len(members) < len(self._rules) and 2 * curated >= len(members):
                self._own_bm25.append((np.array(members), _bm25([corpus[i] for i in members])))

    def _tokens(self, expanded: str) -> list[str]:
        return self._stemmer.stemWords([w for w in words(expanded) if w not in _STOPWORDS])

    def rank(self, question: str, audience: str) -> Ranking:
        """Every rule the asker may see, best first. Each part of the question (see `reading.views`)
        is searched; a rule keeps its best part, so "2 qs: ..." finds both rules."""
        views = [expand_slang(v, self.kb.synonyms) for v in reading.views(question)]
        expanded = views[0]
        subject = subject_audience(expanded, audience)
        vectors = self.embedder.encode(views)
        scores, positions = self.index.search(vectors, self.settings.candidates)
        dense = np.full(len(self._rules), -np.inf, dtype=np.float32)
        off_topic: dict[str, float] = {}
        for view, (row_scores, row_positions) in enumerate(zip(scores, positions)):
            penalty = self.settings.part_penalty if view else 0.0
            for score, position in zip(row_scores, row_positions):
                if position < 0:
                    continue
                score = float(score) - penalty
                rule_position = self._entry_rule[position]
                if rule_position < 0:
                    policy_id = self.index.entries[position].policy_id
                    off_topic[policy_id] = max(off_topic.get(policy_id, -1.0), score)
                elif score > dense[rule_position]:
                    dense[rule_position] = score
        tokens = self._tokens(expanded)
        lexical = self._bm25.get_scores(tokens) if tokens else np.zeros(len(self._rules))
        for members, bm25 in self._own_bm25 if tokens else ():
            lexical[members] = bm25.get_scores(tokens)
        top_lexical = float(lexical.max()) if len(lexical) else 0.0
        lexical_norm = lexical / top_lexical if top_lexical > 0 else np.zeros_like(lexical)
        # A rule nobody has written example questions for (fresh from `ingest`) is found through its
        # wording alone, and a question sits further from a statement than from other questions:
        # the words it shares with the question make up some of that distance.
        dense = dense + self.settings.lexical_offset * lexical_norm * self._uncurated
        named = set(tokens)
        matches = []
        # Only rules near the question in meaning are candidates: a handful, however big the knowledge.
        for i in np.flatnonzero(np.isfinite(dense)):
            rule = self._rules[i]
            if not rule.visible_to(audience):
                continue
            # A question that names a policy's topic ("biting", "fees", "medicine") leans to that policy's
            # rules over a near one elsewhere: a curated policy's many examples must not outbid it.
            fused = (float(dense[i]) + self.settings.lexical_weight * float(lexical_norm[i])
                     + (self.settings.audience_bonus if rule.applies_to(subject) else 0.0)
                     + (self.settings.topic_bonus if self._topic[rule.policy_id] & named else 0.0))
            matches.append(Match(rule, fused, float(dense[i]), float(lexical[i])))
        matches.sort(key=lambda m: m.score, reverse=True)
        return Ranking(matches, off_topic)
