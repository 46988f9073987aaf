"""Greetings, thanks and goodbyes are recognised as such, and only when nothing else is asked."""
from __future__ import annotations

import pytest

from assistant.small_talk import BYE_REPLY, GREETING_REPLY, THANKS_REPLY, small_talk_reply


@pytest.mark.parametrize("text, reply", [
    ("hi", GREETING_REPLY), ("Hiya!", GREETING_REPLY), ("Good morning all 😊", GREETING_REPLY),
    ("hello?", GREETING_REPLY), ("is anyone there?", None),
    ("thanks!", THANKS_REPLY), ("Thank you so much x", THANKS_REPLY), ("ok got it, thanks", THANKS_REPLY),
    ("that’s really helpful, cheers", None),  # "really" is not in the vocabulary: searched, to be safe
    ("bye", BYE_REPLY), ("night night", BYE_REPLY),
])
def test_small_talk_is_recognised(text, reply):
    assert small_talk_reply(text) == reply


@pytest.mark.parametrize("text", ["hi, can I post photos of the nativity?", "thanks, and can dad film it?",
                                  "morning! is there a facebook page", "is it ok?", "ok", "good", "2 qs"])
def test_a_question_with_a_greeting_is_still_a_question(text):
    assert small_talk_reply(text) is None


def test_the_engine_replies_without_searching(engine):
    answer = engine.ask("Hi there!")
    assert answer.kind == "small_talk" and not answer.answered and answer.message == GREETING_REPLY
    assert engine.ask("hi there, can I share nativity photos on facebook?").answered
