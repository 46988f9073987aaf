"""A policy answers real phrasing straight after `ingest`, with nobody writing example questions:
a table written as a list gives a rule per row, found under its policy's title; another policy's
off-topic list never blocks it; a reworded rule's old plain answer is never shown."""
import dataclasses
import shutil

import pytest

from assistant.answer import CHOOSE_LEAD, NEUTRAL_LEAD
from assistant.checker import check
from assistant.engine import Engine
from assistant.ingest import ingest_file
from tests.conftest import ROOT
from tests.ingest.conftest import quoted

POLICY = """# Keeping Unwell Children at Home

If your child is unwell please keep them at home and phone us.

Illness: Time away from the setting

- Sickness bug: 48 hours after the last episode
- Head lice: Once treatment has started
- Chicken pox: Until every spot has crusted over
- Conjunctivitis: No time away needed

Thank you.
"""


@pytest.fixture(scope="module")
def ingested(tmp_path_factory, repo_config, real_embedder):
    base = tmp_path_factory.mktemp("uncurated")
    knowledge = base / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    document = base / "unwell.md"
    document.write_text(POLICY, encoding="utf-8")
    ingest_file(document, knowledge)
    config = dataclasses.replace(repo_config, knowledge_dir=knowledge, index_dir=base / "index", data_dir=base / "data")
    return knowledge, Engine.build(config, real_embedder)


@pytest.mark.parametrize("question, wording", [
    ("hiya, my LO threw up twice last night 🤢 how long before she can come back?",
     "Sickness bug: 48 hours after the last episode"),
    ("found nits this morning ugh. can he still go in if we did the shampoo last night?",
     "Head lice: Once treatment has started"),
    ("DS has chickenpox, spots still a bit weepy. when can he go back?",
     "Chicken pox: Until every spot has crusted over"),
])
def test_rows_of_a_table_answer_chatty_questions(ingested, question, wording):
    _, engine = ingested
    answer = engine.ask(question)
    assert answer.answered and answer.rules[0].text == wording, answer.message
    assert answer.plain in (NEUTRAL_LEAD, CHOOSE_LEAD) and wording in quoted(answer.message)


def test_ingest_keeps_rows_apart_and_thanks_out(ingested):
    knowledge, engine = ingested
    texts = [r.text for r in engine.kb.rules if r.policy_id != "social-media"]
    assert "Thank you." not in texts and "Illness: Time away from the setting" not in texts
    assert len([t for t in texts if ": " in t]) == 4
    _, problems = check(knowledge)
    assert not [p for p in problems if p.code == "uncovered"]


def test_the_social_media_off_topic_list_does_not_block_the_new_policy(ingested):
    _, engine = ingested
    # "how long does she have to stay off after being sick" is an off-topic question of social media
    # (written when no sickness policy existed); the new policy answers it.
    assert "how long does she have to stay off after being sick" in engine.kb.off_topic_by_policy["social-media"]
    answer = engine.ask("how long does she have to stay off after being sick?")
    assert answer.answered and answer.rules[0].text.startswith("Sickness bug")
    # while questions the social media policy does not answer are still declined
    assert engine.ask("what time does pre-school open in the morning?").kind == "decline"
