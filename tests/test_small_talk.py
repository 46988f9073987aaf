"""Greetings, thanks and goodbyes are recognised as such, and only when nothing else is asked."""
from __future__ import annotations

import pytest

from assistant.small_talk import (BYE_REPLY, GREETING_REPLY, THANKS_REPLY, about_assistant_reply,
                                   asks_about_assistant, small_talk_reply)


@pytest.mark.parametrize("text, reply", [
    ("hi", GREETING_REPLY), ("Hiya!", GREETING_REPLY), ("Good morning all 😊", GREETING_REPLY),
    ("hello?", GREETING_REPLY), ("is anyone there?", None),
    ("thanks!", THANKS_REPLY), ("Thank you so much x", THANKS_REPLY), ("ok got it, thanks", THANKS_REPLY),
    ("that’s really helpful, cheers", THANKS_REPLY), ("thanks for the info!", THANKS_REPLY), ("really?", None),
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


@pytest.mark.parametrize("text", ["help", "what can you do?", "Hi, which policies can I ask about?",
                                  "are you a real person??", "is this a bot", "who are you", "What do you know about?"])
def test_a_question_about_the_assistant_is_recognised(text):
    assert asks_about_assistant(text)


@pytest.mark.parametrize("text", ["help! my son was bitten, what happens now?", "what policies do you have on sickness?",
                                  "can you help me with the facebook rules", "what can you do about a mean post?"])
def test_a_policy_question_that_starts_like_one_is_still_searched(text):
    assert not asks_about_assistant(text)


def test_the_engine_says_what_it_is_and_which_policies_it_knows(engine, kb):
    answer = engine.ask("hi, what can you do?")
    assert answer.kind == "small_talk" and not answer.answered and not answer.matches
    assert "not a person" in answer.message
    assert all(policy.title in answer.message for policy in kb.policies.values())
    assert "Please ask the pre-school directly" in answer.message  # how to reach a person


def test_a_long_pack_is_named_in_part():
    titles = [f"Policy {n}" for n in range(30)]
    reply = about_assistant_reply(titles, "")
    assert "30 policies, among them Policy 0, Policy 1, Policy 2, Policy 3" in reply and "Policy 29" not in reply


def test_a_short_pack_is_named_in_full_and_an_empty_one_not_at_all():
    assert "policies (Sickness and Food) and" in about_assistant_reply(["Sickness", "Food"], "")
    assert "policies (Sickness) and" in about_assistant_reply(["Sickness"], "")
    assert "written policies and I'll answer" in about_assistant_reply([], "")
