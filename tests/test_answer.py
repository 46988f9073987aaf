"""Choosing what to say for a ranking: answer, or decline when the policies do not cover it."""
from __future__ import annotations

from pathlib import Path

from assistant.answer import compose
from assistant.config import RetrievalConfig
from assistant.policy import KnowledgeBase, Policy, Rule
from assistant.retrieval import Match, Ranking

SETTINGS = RetrievalConfig()


def two_policies() -> KnowledgeBase:
    def policy(pid: str, text: str) -> Policy:
        return Policy(pid, pid.title(), Path(f"{pid}.txt"), text, Path(f"{pid}.yaml"), None, ("S",), ())

    complaints = Rule("c-confidential", "complaints", "S", "All complaints will be dealt with confidentially.",
                      ("everyone",))
    online = Rule("sm-boundaries", "social", "S", "Staff remain professional with families.", ("everyone",),
                  examples=("can staff be my friend online",))
    return KnowledgeBase({"complaints": policy("complaints", complaints.text), "social": policy("social", online.text)},
                         (complaints, online))


def test_a_neighbour_whose_own_policy_lists_the_question_as_off_topic_does_not_make_it_in_scope():
    kb = two_policies()
    complaints, online = kb.rules
    # An uncurated rule comes first on a shared word, short of the threshold in meaning; the next
    # rule is close in meaning, but its policy says it does not answer this question.
    matches = [Match(complaints, 0.60, SETTINGS.answer_threshold - 0.04, 1.0),
               Match(online, 0.59, SETTINGS.answer_threshold + 0.05, 0.0)]
    blocked = Ranking(matches, {"social": 0.98})
    assert compose("are all the staff police checked?", blocked, kb, SETTINGS).kind == "decline"
    # Without that off-topic question the neighbour vouches and the top rule is answered.
    assert compose("are all the staff police checked?", Ranking(matches), kb, SETTINGS).answered
