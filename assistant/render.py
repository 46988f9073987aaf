"""How answers look outside Discord: terminal text and JSON objects."""
from __future__ import annotations

import textwrap
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
                "text": kb.passage_text(m.rule),  # the wording quoted: the rule and the rest of its passage
                "rule_text": m.rule.text,
                "score": round(m.score, 4),
            }
            for m in answer.matches
        ],
    }


def answer_text(answer: Answer, width: int | None = None) -> str:
    """The reply for a terminal: the same words as in Discord, without Markdown emphasis, wrapped at
    word boundaries to `width` (quoted lines keep their "> ") so the terminal never breaks a word."""
    text = answer.message.replace("**", "")
    if not width:
        return text
    lines = []
    for line in text.splitlines():
        lead = "> " if line.startswith("> ") else ""
        lines.extend(textwrap.wrap(line[len(lead):], width - len(lead), initial_indent=lead,
                                   subsequent_indent=lead, break_long_words=False, break_on_hyphens=False)
                     or [line])
    return "\n".join(lines)
