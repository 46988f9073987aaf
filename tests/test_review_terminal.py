"""`python -m assistant review`: the committee's queue in the terminal, typed choices acting on the
knowledge files and the stored questions exactly as /gaps does."""
from __future__ import annotations

import pytest

from assistant.bot.feedback import FeedbackStore
from assistant.engine import Engine
from assistant.review_terminal import review_queue
from assistant.storage import Database


@pytest.fixture
def queue(scratch_config, fake_embedder):
    store = FeedbackStore(Database.open(scratch_config))
    engine = Engine.build(scratch_config, fake_embedder)

    def run(*typed: str) -> tuple[int, str]:
        answers = iter(typed)
        out: list[str] = []
        changed = review_queue(store, engine.nearest, scratch_config.knowledge_dir, 30,
                               read=lambda prompt: next(answers), write=out.append, policy_text=engine.kb.policy_text)
        return changed, "\n".join(out)
    return store, run


def test_typed_choices_add_an_example_and_an_off_topic_question(queue, knowledge_copy):
    store, run = queue
    store.record_gap("declined", "can Amelia's nan film the nativity?", None, 1)
    store.record_gap("declined", "when is the summer fete", None, 2)
    order = [g.question for g in store.review_queue(30)]
    first_is_nan = order[0].startswith("can Amelia")
    typed = (["e", "can a grandparent film the nativity?", "r sm-own-child-only", "o"] if first_is_nan
             else ["o", "e", "can a grandparent film the nativity?", "r sm-own-child-only"])
    changed, said = run(*typed)
    assert changed == 2 and "2 changes saved" in said and "after /reload" in said
    rules = (knowledge_copy / "social_media.yaml").read_text(encoding="utf-8")
    assert "can a grandparent film the nativity?" in rules and "Amelia" not in rules
    assert "when is the summer fete" in (knowledge_copy / "off_topic.yaml").read_text(encoding="utf-8")
    assert store.pending(30) == []


def test_a_parents_pick_is_accepted_in_one_key_and_a_name_is_edited_out_first(queue, knowledge_copy):
    store, run = queue
    rules = knowledge_copy / "social_media.yaml"
    store.record_gap("picked", "can my mum film the christmas show?", "sm-own-child-only", 1)
    changed, said = run("a")
    assert changed == 1 and "parents chose sm-own-child-only" in said
    assert "can my mum film the christmas show?" in rules.read_text(encoding="utf-8")
    store.record_gap("picked", "can Ollie's nan film the christmas show?", "sm-own-child-only", 2)
    changed, said = run("a", "e", "can his nan film the christmas show?", "a")
    assert changed == 1 and "It may name someone (Ollie): edit it first" in said
    text = rules.read_text(encoding="utf-8")
    assert "can his nan film the christmas show?" in text and "Ollie" not in text
    store.record_gap("confirmed", "so no pics of other kids online then", "sm-own-child-only", 3)
    before = rules.read_bytes()
    changed, said = run("x")
    assert changed == 0 and "Rejected" in said and rules.read_bytes() == before and store.pending(30) == []


def test_mistakes_are_explained_and_skip_and_quit_keep_the_questions(queue, knowledge_copy):
    store, run = queue
    store.record_gap("thumbs_down", "a question", "sm-scope", 1)
    before = (knowledge_copy / "social_media.yaml").read_bytes()
    changed, said = run("x", "r no-such-rule", "9", "q")
    assert changed == 0 and "Please type one of the choices" in said
    assert "Nothing was changed: there is no rule no-such-rule in the knowledge" in said
    assert "got 👎" in said and (knowledge_copy / "social_media.yaml").read_bytes() == before
    assert len(store.pending(30)) == 1
    assert run("d")[0] == 0 and store.pending(30) == []
    assert "No declined or 👎 questions" in run()[1]


def test_off_topic_questions_a_rule_may_answer_are_offered_for_removal(queue, knowledge_copy, scratch_config):
    from assistant.checker import answered_off_topic
    from assistant.loader import load_knowledge
    from assistant.review_terminal import review_queue

    store, _ = queue
    path = knowledge_copy / "off_topic.yaml"
    path.write_text("off_topic:\n  - can I post nativity photos on facebook\n  - how much are the fees\n",
                    encoding="utf-8")
    conflicts = answered_off_topic(knowledge_copy, load_knowledge(knowledge_copy))
    out: list[str] = []
    answers = iter(["y"])
    changed = review_queue(store, lambda q, n: [], knowledge_copy, 30, read=lambda p: next(answers),
                           write=out.append, conflicts=conflicts)
    assert changed == 1 and "1 change saved" in "\n".join(out)
    assert path.read_text(encoding="utf-8") == "off_topic:\n  - how much are the fees\n"
