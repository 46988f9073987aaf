"""Fast retrieval and answer rules with the fake embedder (no model)."""
import dataclasses

import pytest

from assistant.engine import Engine


def mark_internal(knowledge, rule_id):
    path = knowledge / "social_media.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"  - id: {rule_id}\n", f"  - id: {rule_id}\n    internal: true\n", 1),
                    encoding="utf-8")


def test_internal_rules_never_reach_parents_or_visitors(scratch_config, knowledge_copy, fake_embedder):
    mark_internal(knowledge_copy, "sm-email-work-only")
    engine = Engine.build(scratch_config, fake_embedder)
    question = "Pre-School email addresses will only be used for emails relating to pre-school"
    for audience in ("parents", "visitors"):
        ranked = engine.retriever.rank(question, audience).matches
        assert "sm-email-work-only" not in [m.rule.id for m in ranked]
        assert engine.answer_rule("sm-email-work-only", audience=audience) is None
    assert engine.retriever.rank(question, "staff").matches[0].rule.id == "sm-email-work-only"
    assert engine.answer_rule("sm-email-work-only", audience="staff") is not None


def test_rank_lists_each_rule_once_best_first(scratch_config, fake_embedder):
    engine = Engine.build(scratch_config, fake_embedder)
    matches = engine.retriever.rank("mobile phones garden toilets hall", "parents").matches
    ids = [m.rule.id for m in matches]
    assert len(ids) == len(set(ids))
    assert ids[0] == "sm-no-mobile-phones"
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_threshold_decides_between_answer_and_decline(scratch_config, fake_embedder):
    strict = dataclasses.replace(scratch_config, retrieval=dataclasses.replace(
        scratch_config.retrieval, answer_threshold=0.999))
    assert Engine.build(strict, fake_embedder).ask("mobile phones in the garden").kind == "decline"
    loose = dataclasses.replace(scratch_config, retrieval=dataclasses.replace(
        scratch_config.retrieval, answer_threshold=0.05, off_topic_margin=0.0))
    assert Engine.build(loose, fake_embedder).ask("mobile phones in the garden").kind == "answer"


def test_rule_without_plain_answer_uses_the_neutral_lead(scratch_config, knowledge_copy, fake_embedder):
    path = knowledge_copy / "social_media.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("    plain:", text.index("  - id: sm-no-mobile-phones"))
    end = text.index("\n", start)
    path.write_text(text[:start] + "    # plain removed" + text[end:], encoding="utf-8")
    engine = Engine.build(scratch_config, fake_embedder)
    answer = engine.answer_rule("sm-no-mobile-phones")
    assert answer.plain == "The policy says:"
    assert answer.message.startswith("The policy says:\n\n> The use of mobile phones")


def test_slang_is_expanded_for_matching(kb):
    from assistant.text import expand_slang

    assert expand_slang("Can I put pics on FB or insta?", kb.synonyms) == \
        "can i put photographs on facebook or instagram?"
    assert expand_slang("my mobile phone", kb.synonyms) == "my mobile phone"


def test_a_question_naming_a_policy_leans_to_its_rules(scratch_config, knowledge_copy, fake_embedder, tmp_path):
    from assistant.ingest import ingest_file

    for title in ("Biting Policy", "Accidents and Incidents"):
        document = tmp_path / f"{title.split()[0].lower()}.md"
        document.write_text(f"# {title}\n\nWe will tell you at collection on the same day.\n", encoding="utf-8")
        ingest_file(document, knowledge_copy)
    neutral = dataclasses.replace(scratch_config, retrieval=dataclasses.replace(
        scratch_config.retrieval, topic_bonus=0.0))

    def scores(config, question):
        matches = Engine.build(config, fake_embedder).retriever.rank(question, "parents").matches
        return {m.rule.policy_id: m.score for m in matches if m.rule.policy_id != "social-media"}

    question = "will you tell me about biting on the same day?"
    leaning, plain = scores(scratch_config, question), scores(neutral, question)
    assert leaning["biting"] - plain["biting"] == pytest.approx(scratch_config.retrieval.topic_bonus)
    assert leaning["accidents"] == pytest.approx(plain["accidents"])
    # "Policy" names no topic: a question that only says "policy" leans nowhere.
    assert scores(scratch_config, "what does the policy say about the same day?") == \
        pytest.approx(scores(neutral, "what does the policy say about the same day?"))
