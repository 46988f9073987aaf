"""How answers look outside Discord: terminal text and JSON objects."""
from __future__ import annotations

from typing import Any

from assistant.answer import Answer
from assistant.policy import KnowledgeBase


def answer_json(answer: Answer, kb: KnowledgeBase) -> dict[str, Any]:
    """The machine-readable reply: question, answered, plain, message and matches (best first)."""
    return {
        "question": answer.question,
        "answered": answer.answered,
        "kind": answer.kind,
        "plain": answer.plain,
        "message": answer.message,
        "confidence": round(answer.confidence, 4),
        "matches": [
            {
                "id": m.rule.id,
                "policy": kb.policy_of(m.rule).title,
                "section": m.rule.section,
                "text": m.rule.text,
                "score": round(m.score, 4),
            }
            for m in answer.matches
        ],
    }


def answer_text(answer: Answer) -> str:
    """The reply for a terminal: the same words as in Discord, without Markdown emphasis."""
    return answer.message.replace("**", "")
