"""The question bank: filled as the issue asks, well-formed, apart from the evaluation sets, and the
domain adapter built from exactly this bank."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from assistant.bank import BankError, load_bank
from assistant.bank.domain import ADAPTER_DIR, bank_pairs, read_manifest, topic_batches
from assistant.config import MPNET

SHARED_EVAL = Path(__file__).resolve().parents[3] / "shared" / "eval"
TOO_CLOSE = 0.78  # MiniLM cosine at which a bank question reads as a paraphrase of an evaluation question


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def test_the_bank_covers_thirty_topics_each_with_eight_concepts_of_ten_questions(bank):
    assert len(bank.topics) >= 30
    assert len(bank.questions) >= 4000
    for topic in bank.topics:
        assert len(topic.concepts) >= 8, topic.id
        assert len(topic.not_answered) >= 5, topic.id
        assert topic.threads, topic.id
        for concept in topic.concepts:
            assert len(concept.questions) >= 10 and 1 <= len(concept.statements) <= 3, concept.id


def test_every_question_is_paired_with_a_statement_of_its_own_concept(bank):
    pairs = bank_pairs(bank)
    assert len(pairs) == len(bank.questions)
    statements = {c.id: c.statements for c in bank.concepts}
    assert all(statement in statements[cid] for _, statement, cid in pairs)
    # every variant a setting might choose is learned, not just the first
    assert {s for _, s, _ in pairs} == {s for c in bank.concepts for s in c.statements}


def test_batches_hold_sibling_concepts_of_one_topic(bank):
    import random

    batches = topic_batches(bank_pairs(bank), random.Random(0))
    assert sum(len(b) for b in batches) == len(bank.questions)
    one_topic = sum(len({cid.split(".")[0] for *_, cid in b}) == 1 for b in batches)
    assert one_topic / len(batches) > 0.8


def _write_topic(folder: Path, name: str, data: dict) -> None:
    (folder / f"{name}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")


def _topic(name: str, prefix: str) -> dict:
    return {"topic": name, "title": name, "threads": ["a thread"],
            "not_answered": [f"{prefix} not answered {n}" for n in range(5)],
            "concepts": [{"id": f"c{n}", "statements": [f"Statement {n}."],
                          "questions": [f"{prefix} question {n}.{k}?" for k in range(10)]} for n in range(8)]}


def test_a_malformed_topic_file_is_refused_naming_the_file(tmp_path):
    _write_topic(tmp_path, "fees", _topic("fees", "a"))
    load_bank(tmp_path)  # well-formed
    (tmp_path / "outings.yaml").write_text("topic: outings\nconcepts: [\n", encoding="utf-8")
    with pytest.raises(BankError, match="outings.yaml"):
        load_bank(tmp_path)


def test_a_question_in_two_topics_is_refused(tmp_path):
    _write_topic(tmp_path, "fees", _topic("fees", "a"))
    _write_topic(tmp_path, "outings", _topic("outings", "A"))  # the same questions, other case
    with pytest.raises(BankError, match="also in fees"):
        load_bank(tmp_path)


def test_a_thin_concept_is_refused(tmp_path):
    data = _topic("fees", "a")
    data["concepts"][3]["questions"] = data["concepts"][3]["questions"][:4]
    _write_topic(tmp_path, "fees", data)
    with pytest.raises(BankError, match="c3"):
        load_bank(tmp_path)


def test_the_shipped_adapter_was_built_from_this_bank(bank):
    manifest = read_manifest()
    assert manifest is not None, "no domain adapter: run `python -m assistant bank train`"
    assert manifest["bank_digest"] == bank.digest, "the bank changed: run `python -m assistant bank train`"
    assert manifest["base_model"] == MPNET
    size = sum(f.stat().st_size for f in ADAPTER_DIR.iterdir())
    assert size <= 60 * 1024 * 1024


@pytest.mark.skipif(not SHARED_EVAL.is_dir(), reason="the shared evaluation sets are not beside this checkout")
def test_no_bank_question_paraphrases_an_evaluation_question(bank):
    from assistant.config import BUNDLED_MODEL
    from assistant.embedder import SentenceTransformerEmbedder

    evaluation = [item["q"] for path in sorted(SHARED_EVAL.glob("*.yaml"))
                  for item in yaml.safe_load(path.read_text(encoding="utf-8"))]
    ours = bank.questions + [q for t in bank.topics for q in t.not_answered]
    model = SentenceTransformerEmbedder(BUNDLED_MODEL)
    closest = (model.encode(evaluation) @ model.encode(ours).T).max(axis=1)
    worst = int(np.argmax(closest))
    assert closest[worst] < TOO_CLOSE, evaluation[worst]
