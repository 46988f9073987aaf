"""The committee's edits from a gap: an example question or an off-topic question written into the
knowledge with comments kept, only when the result still passes `check`; then answered accordingly."""
import dataclasses

import pytest

from assistant.engine import Engine
from assistant.review import ReviewError, add_example, add_off_topic, apply, remove_off_topic

QUESTION = "my nan wants to put the sports day pics on her facebook, what do i tell her"


def test_an_example_is_added_to_its_rule_with_every_comment_and_line_kept(knowledge_copy):
    path = knowledge_copy / "social_media.yaml"
    before = path.read_text(encoding="utf-8").splitlines()
    edit = add_example(knowledge_copy, "sm-own-child-only", QUESTION)
    apply(knowledge_copy, edit)
    after = path.read_text(encoding="utf-8").splitlines()
    assert [line for line in after if line not in before] == [f'      - "{QUESTION}"']  # quoted as the seed's are
    assert len(after) == len(before) + 1  # nothing else moved, no comment lost
    assert "sm-own-child-only" in edit.said and QUESTION in edit.said


def test_a_change_that_would_break_the_knowledge_writes_nothing(knowledge_copy):
    path = knowledge_copy / "social_media.yaml"
    before = path.read_bytes()
    edit = add_example(knowledge_copy, "sm-own-child-only", QUESTION)
    broken = dataclasses.replace(edit, text=edit.text.replace("sm-scope", "sm-own-child-only", 1))  # a duplicate id
    with pytest.raises(ReviewError, match="nothing was written"):
        apply(knowledge_copy, broken)
    assert path.read_bytes() == before
    with pytest.raises(ReviewError, match="no rule"):
        add_example(knowledge_copy, "sm-gone", QUESTION)
    with pytest.raises(ReviewError, match="already has"):
        apply(knowledge_copy, add_example(knowledge_copy, "sm-own-child-only", QUESTION))
        add_example(knowledge_copy, "sm-own-child-only", QUESTION.upper())


def test_off_topic_questions_are_knowledge_wide_and_decline_for_every_policy(scratch_config, real_embedder):
    question = "does the pre-school have a tiktok account"  # answered today by the Facebook page rule
    before = Engine.build(scratch_config, real_embedder).ask(question)
    apply(scratch_config.knowledge_dir, add_off_topic(scratch_config.knowledge_dir, question))
    assert (scratch_config.knowledge_dir / "off_topic.yaml").read_text(encoding="utf-8").startswith("# Questions")
    after = Engine.build(scratch_config, real_embedder).ask(question + "?")
    assert before.answered and after.kind == "decline"


def test_an_off_topic_question_a_policy_now_answers_can_be_removed(knowledge_copy):
    path = knowledge_copy / "off_topic.yaml"
    apply(knowledge_copy, add_off_topic(knowledge_copy, "how much are the fees"))
    with_one = path.read_text(encoding="utf-8")
    apply(knowledge_copy, add_off_topic(knowledge_copy, "how long after sickness can she come back"))
    edit = remove_off_topic(knowledge_copy, "How long after  sickness can she come back")
    assert "answered from the policies again" in edit.said
    apply(knowledge_copy, edit)
    assert path.read_text(encoding="utf-8") == with_one  # the rest of the file exactly as it was
    with pytest.raises(ReviewError, match="no longer in the off-topic list"):
        remove_off_topic(knowledge_copy, "how long after sickness can she come back")


@pytest.mark.parametrize("question", ["yes", "null", "no: not really", "- item", "@everyone #1 \"quoted\"", "back\\slash"])
def test_any_question_comes_back_exactly_as_written(knowledge_copy, question):
    from assistant.loader import load_knowledge

    apply(knowledge_copy, add_example(knowledge_copy, "sm-scope", question))
    apply(knowledge_copy, add_off_topic(knowledge_copy, question))
    kb = load_knowledge(knowledge_copy)
    assert kb.rule("sm-scope").examples[-1] == question and kb.off_topic_by_policy["*"] == (question,)
