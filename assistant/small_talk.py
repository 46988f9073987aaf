"""Greetings, thanks and goodbyes ("hi", "thanks!", "good morning all"), and questions about the
assistant itself ("what can you do?", "is this a bot?"): a friendly reply, never a search, and never
kept as an unanswered question for the committee."""
from __future__ import annotations

import re

from assistant.reading import strip_chatter

_GREETING = frozenset("hi hii hiya hey heya hello helo howdy morning afternoon evening good all everyone there "
                      "folks guys ladies yo anyone anybody is".split())
_THANKS = frozenset("thanks thank thankyou thx ty ta cheers you so very much lots loads many again great "
                    "brilliant lovely perfect amazing fab fantastic helpful that that's thats was is it this ok okay "
                    "got great nice super much appreciated really useful for the help info answer reply".split())
_BYE = frozenset("bye goodbye byee night goodnight see ya you later".split())
_FILLER = frozenset("x xx xxx lol haha oh ah and".split())
_WORD = re.compile(r"[a-z']+")
# The whole message asks what the assistant is or does; "help! my son was bitten" or "what policies do
# you have on sickness?" ask something more and are searched.
_ABOUT_ASSISTANT = re.compile(
    r"(?:help(?: me)?(?: please)?|please help|what (?:can|do) you do|what can i ask(?: you)?(?: about)?"
    r"|what (?:can|do) you (?:help|answer)(?: me)?(?: with)?|what do you know(?: about)?"
    r"|how do(?:es)? (?:you|this|it) work|who are you|what are you"
    r"|(?:are you|is this|am i talking to) (?:a |an )?(?:real )?(?:person|human|bot|robot|ai|computer)"
    r"|(?:which|what) polic(?:y|ies) (?:do you (?:have|know(?: about)?|cover)|can i ask(?: you)?(?: about)?"
    r"|are there|have you got))",
    re.I)

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


def asks_about_assistant(text: str) -> bool:
    """Whether the message only asks what the assistant is or what it can answer."""
    return bool(_ABOUT_ASSISTANT.fullmatch(strip_chatter(text).replace("’", "'").rstrip(" ?!.")))


def about_assistant_reply(titles: list[str], contact: str) -> str:
    """What the assistant is and which policies it knows (a few named when there are many), then how
    to reach a person."""
    if len(titles) > 6:
        known = f" ({len(titles)} policies, among them {', '.join(titles[:4])})"
    elif titles:
        known = " (" + (", ".join(titles[:-1]) + " and " if len(titles) > 1 else "") + f"{titles[-1]})"
    else:
        known = ""
    return ("I'm the pre-school's policy assistant: an automatic helper, not a person. Ask me about the "
            f"pre-school's written policies{known} and I'll answer briefly, quoting the policy's exact "
            f"words and where they come from; when no policy covers a question, I say so. {contact}")
