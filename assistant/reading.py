"""Reading a question as parents write it: chatter set aside, and a message that asks two things (or
gives context first) read as the parts it is made of, so each part can find its own rule."""
from __future__ import annotations

import re

# Chat conventions that carry no policy meaning ("hi all", "sorry if silly q", "lol", "x").
_CHATTER = re.compile(
    r"\b(?:hi+ya|hi+|hey+|hello|morning|evening|afternoon|good (?:morning|afternoon|evening)|hi all|hi everyone"
    r"|sorry if (?:this is )?(?:a )?(?:silly|stupid|daft|dumb)(?: q(?:uestion)?| one)?|silly q(?:uestion)?"
    r"|quick q(?:uestion)?s?|asking for a friend|lol+|lmao|haha+|tia|thanks in advance|thanks+|thank you|thx|ty"
    r"|xx+|x|tbh|omg|ugh+|argh+|fyi|btw|pls|plz)\b(?![-'’])[!.,]*",
    re.I)
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]+")
# Where a message divides: sentence ends, numbered parts ("1. ... 2. ..."), dashes, semicolons and
# "also/plus" before a new clause ("also can we ...").
_PARTS = re.compile(r"(?<=[.!?])\s+|\s+(?=\d[.)]\s)|\s+[-–—]\s+|;\s+"
                    r"|\b(?:also|and also|plus)\s*,?\s+(?=\w+ (?:i|we|you|he|she|they)\b)", re.I)
_MIN_PART_WORDS = 3


def strip_chatter(text: str) -> str:
    """The question without greetings, sign-offs and emoji; the text itself when nothing else is left."""
    stripped = re.sub(r"\s+", " ", _CHATTER.sub(" ", _EMOJI.sub(" ", text))).strip(" ,.!-–—")
    return stripped if re.search(r"[A-Za-z0-9]", stripped) else text


def views(question: str) -> list[str]:
    """The question whole (chatter set aside), then each part of it worth searching on its own."""
    whole = strip_chatter(question)
    parts = [p.strip(" ,.") for p in _PARTS.split(whole) if p]
    parts = [re.sub(r"^\d[.)]\s*", "", p) for p in parts]
    parts = [p for p in parts if len(p.split()) >= _MIN_PART_WORDS]
    return [whole] + parts if len(parts) > 1 else [whole]
