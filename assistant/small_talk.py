"""Greetings, thanks and goodbyes ("hi", "thanks!", "good morning all"): a friendly reply, never a
search, and never kept as an unanswered question for the committee."""
from __future__ import annotations

import re

_GREETING = frozenset("hi hii hiya hey heya hello helo howdy morning afternoon evening good all everyone there "
                      "folks guys ladies yo anyone anybody is".split())
_THANKS = frozenset("thanks thank thankyou thx ty ta cheers you so very much lots loads many again great "
                    "brilliant lovely perfect amazing fab fantastic helpful that that's thats was is it this ok okay "
                    "got great nice super much appreciated".split())
_BYE = frozenset("bye goodbye byee night goodnight see ya you later".split())
_FILLER = frozenset("x xx xxx lol haha oh ah and".split())
_WORD = re.compile(r"[a-z']+")

GREETING_REPLY = ("Hello! Ask me anything about the pre-school's policies, for example "
                  "“Can I put photos from the nativity on Facebook?”")
THANKS_REPLY = "You're welcome! Ask again any time."
BYE_REPLY = "Bye for now! Ask again any time."


def small_talk_reply(text: str) -> str | None:
    """The reply to a message that is only a greeting, thanks or goodbye; None for anything else
    (so "hi, can I post photos?" is searched as a question)."""
    found = _WORD.findall(text.lower().replace("’", "'"))
    rest = "".join(_WORD.sub("", text.lower().replace("’", "'")).split())
    if not found or len(found) > 8 or any(ch.isalnum() for ch in rest):
        return None
    known = _GREETING | _THANKS | _BYE | _FILLER
    if not all(word in known for word in found):
        return None
    said = set(found)
    if said & {"thanks", "thank", "thankyou", "thx", "ty", "ta", "cheers", "appreciated"}:
        return THANKS_REPLY
    if said & {"bye", "goodbye", "byee", "goodnight", "later"} or set(found) == {"night"}:
        return BYE_REPLY
    if said & {"hi", "hii", "hiya", "hey", "heya", "hello", "helo", "howdy", "morning", "afternoon", "evening", "yo"}:
        return GREETING_REPLY
    return None
