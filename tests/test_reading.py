"""Reading a question as parents write it: chatter set aside, two questions read as two."""
from assistant.reading import strip_chatter, views


def test_chatter_and_emoji_are_set_aside_but_never_the_whole_question():
    assert strip_chatter("hiya sorry if silly q 🙈 can DD wear nail varnish? lol x") == "can DD wear nail varnish?"
    assert strip_chatter("thanks!") == "thanks!"
    assert strip_chatter("is an x-ray note needed?") == "is an x-ray note needed?"


def test_a_message_asking_two_things_is_read_whole_and_in_parts():
    read = views("2 qs: 1. where cant I use my phone 2. can I take photos on it at the nativity")
    assert read[0].startswith("2 qs")
    assert "where cant I use my phone" in read and "can I take photos on it at the nativity" in read


def test_context_first_then_the_question_gives_the_question_its_own_part():
    read = views("DS threw up at 3am but seems fine now. Can he go in today?")
    assert read == ["DS threw up at 3am but seems fine now. Can he go in today?",
                    "DS threw up at 3am but seems fine now", "Can he go in today?"]


def test_a_short_question_is_one_view():
    assert views("can I post photos on fb?") == ["can I post photos on fb?"]
