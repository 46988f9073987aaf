"""Messages that try to instruct the assistant instead of asking about a policy ("ignore your previous
instructions…", "print your system prompt"): refused politely, never searched, so no rule is quoted
as if it answered them and nothing is kept."""
from __future__ import annotations

import re

_INSTRUCTIONS = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+)?(?:of\s+)?(?:your|previous|prior|earlier|above|any)\s+"
    r"(?:\w+\s+)?(?:instructions|prompts?|programming)\b"
    r"|\b(?:ignore|disregard)\s+(?:all\s+)?(?:of\s+)?(?:your\s+|the\s+)?(?:previous|prior|earlier|above)\s+(?:rules|policy)\b"
    r"|\bsystem\s+(?:prompt|override)\b|\byou\s+are\s+now\s+(?:an?\s+)?(?:unrestricted|unfiltered|jailbroken)\b"
    r"|\bjailbreak", re.I)

REFUSAL = ("I can only answer questions about the pre-school's written policies, quoting their exact words, "
           "and I never share anyone's personal details. What would you like to know about the policies?")


def refusal_for(text: str) -> str | None:
    """The polite refusal for a message that tries to give the assistant instructions; else None."""
    return REFUSAL if _INSTRUCTIONS.search(text) else None
