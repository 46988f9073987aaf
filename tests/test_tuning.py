"""Fitting the model to the example questions: cached by what it learnt from, retrained when that changes."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from assistant import tuning
from assistant.config import TuningConfig
from assistant.loader import load_knowledge
from assistant.tuning import DONE_FILE, training_pairs, tuned_embedder


class Recorded:
    """Stands in for training and loading: records which folders were trained and loaded."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.trained: list[Path] = []
        self.loaded: list[str] = []
        monkeypatch.setattr(tuning, "_train_into", self.train)
        monkeypatch.setattr(tuning, "_serving", self.load)  # not the process's shared copies

    def train(self, folder: Path, *_args) -> None:
        self.trained.append(folder)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / DONE_FILE).write_text("{}", encoding="utf-8")

    def load(self, location: str, name: str | None = None) -> str:
        self.loaded.append(location)
        return name or location


def test_every_example_question_is_paired_with_its_rules_wording(kb):
    pairs = training_pairs(kb)
    assert len(pairs) == sum(len(r.examples) for r in kb.rules) > 100
    rule = kb.rules[0]
    assert (rule.examples[0], rule.text, rule.id) in pairs


def test_a_second_start_loads_the_fitted_model_instead_of_training(scratch_config, monkeypatch):
    recorded = Recorded(monkeypatch)
    kb = load_knowledge(scratch_config.knowledge_dir)
    first = tuned_embedder(scratch_config, kb)
    second = tuned_embedder(scratch_config, kb)
    assert len(recorded.trained) == 1
    assert first == second and "tuned" in first
    assert recorded.loaded == [str(recorded.trained[0])] * 2


def test_a_new_example_question_fits_a_new_model(scratch_config, monkeypatch):
    recorded = Recorded(monkeypatch)
    kb = load_knowledge(scratch_config.knowledge_dir)
    before = tuned_embedder(scratch_config, kb)
    rule = dataclasses.replace(kb.rules[0], examples=(*kb.rules[0].examples, "does this apply to dinner ladies?"))
    after = tuned_embedder(scratch_config, dataclasses.replace(kb, rules=(rule, *kb.rules[1:])))
    assert before != after  # a new name: the index built with the old model is rebuilt
    assert len(recorded.trained) == 2


def test_an_interrupted_training_is_done_again(scratch_config, monkeypatch):
    recorded = Recorded(monkeypatch)
    kb = load_knowledge(scratch_config.knowledge_dir)
    tuned_embedder(scratch_config, kb)
    (recorded.trained[0] / DONE_FILE).unlink()  # as if the process died before the model was whole
    tuned_embedder(scratch_config, kb)
    assert recorded.trained == [recorded.trained[0]] * 2


def test_a_data_folder_that_cannot_be_written_still_answers_with_the_plain_model(scratch_config, monkeypatch,
                                                                                  tmp_path):
    recorded = Recorded(monkeypatch)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be", encoding="utf-8")
    config = dataclasses.replace(scratch_config, data_dir=blocked)
    notices: list[str] = []
    assert tuned_embedder(config, load_knowledge(config.knowledge_dir), notice=notices.append) == config.model
    assert recorded.trained == [] and "Could not keep a fitted model" in notices[0]


def test_tuning_turned_off_uses_the_model_as_it_comes(scratch_config, monkeypatch):
    recorded = Recorded(monkeypatch)
    config = dataclasses.replace(scratch_config, tuning=TuningConfig(epochs=0, domain=False))
    assert tuned_embedder(config, load_knowledge(config.knowledge_dir)) == config.model
    assert recorded.trained == []


def test_without_fitting_the_bank_adapter_is_still_merged_once(scratch_config, monkeypatch):
    recorded = Recorded(monkeypatch)
    config = dataclasses.replace(scratch_config, tuning=TuningConfig(epochs=0))
    kb = load_knowledge(config.knowledge_dir)
    first, second = tuned_embedder(config, kb), tuned_embedder(config, kb)
    assert len(recorded.trained) == 1 and first == second and "tuned" in first


def tiny_mpnet(folder: Path) -> Path:
    """A one-layer MPNet sentence model with MiniLM's tokenizer: MPNet's architecture, trained in a second."""
    from sentence_transformers import SentenceTransformer, models
    from transformers import AutoTokenizer, MPNetConfig, MPNetModel

    from assistant.config import BUNDLED_MODEL
    from assistant.embedder import resolve_model

    tokenizer = AutoTokenizer.from_pretrained(resolve_model(BUNDLED_MODEL))
    MPNetModel(MPNetConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=1,
                           num_attention_heads=2, intermediate_size=64)).save_pretrained(folder / "hf")
    tokenizer.save_pretrained(folder / "hf")
    SentenceTransformer(modules=[models.Transformer(str(folder / "hf")), models.Pooling(32)],
                        device="cpu").save(str(folder / "sentence"))
    return folder / "sentence"


def test_an_mpnet_model_is_fitted_too(scratch_config, tmp_path):
    """all-mpnet-base-v2 is MPNet, not MiniLM's BERT: its fitting must work as well (it once stopped
    the start with an error)."""
    model = tiny_mpnet(tmp_path / "tiny")
    config = dataclasses.replace(scratch_config, model=str(model))
    embedder = tuned_embedder(config, load_knowledge(config.knowledge_dir))
    assert embedder.name.startswith(f"{model} tuned ")
    assert embedder.encode(["can I post photos of the nativity?"]).shape == (1, 32)


def test_a_disk_error_in_the_training_process_is_handed_back_to_the_caller(kb, tmp_path, monkeypatch, capsys):
    """The training runs in a process of its own; a full disk there must reach the caller as the
    disk error it is (which then answers with the model as it comes), not as a crash."""
    import io
    import json

    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("", encoding="utf-8")
    request = {"target": str(blocked), "model": str(tiny_mpnet(tmp_path / "tiny")),
               "tuning": {"epochs": 1, "learning_rate": 2e-5, "seed": 0},
               "pairs": training_pairs(kb)[:8], "strays": list(kb.off_topic)[:4], "progress": False}
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(request)))
    assert tuning._fit_on_request() == 1
    _errno, message = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["oserror"]
    assert message  # what the caller shows: "Could not keep a fitted model in ... (<message>)"


def test_gradients_pushed_back_a_few_texts_at_a_time_are_those_of_one_whole_pass(kb, tmp_path):
    """The memory-saving pass (embed all, then back a chunk at a time) must teach the model exactly
    what one pass over the whole batch would."""
    import torch
    import torch.nn.functional as F
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(tiny_mpnet(tmp_path / "tiny")), device="cpu").eval()
    pairs = training_pairs(kb)[:20]
    strays = list(kb.off_topic)[:11]

    def embed(texts):
        return F.normalize(model(model.preprocess(texts))["sentence_embedding"], dim=-1)

    tuning._batch_loss(embed([q for q, _, _ in pairs]), embed([t for _, t, _ in pairs]), embed(strays),
                       [rule_id for *_, rule_id in pairs]).backward()
    whole = [p.grad.clone() for p in model.parameters() if p.grad is not None]
    model.zero_grad(set_to_none=True)
    tuning.accumulate_gradients(model, pairs, strays)
    chunked = [p.grad for p in model.parameters() if p.grad is not None]
    assert len(whole) == len(chunked) > 0
    for a, b in zip(whole, chunked):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-6)


def test_the_fitted_model_puts_example_questions_nearer_their_own_rule(kb, real_embedder, repo_config):
    """What the training is for, on the real model: each example question's own rule stands further
    above the other rules than it does with the model as it comes."""
    from assistant.embedder import SentenceTransformerEmbedder

    pairs = training_pairs(kb)
    wordings = [r.text for r in kb.rules]
    own = np.array([wordings.index(text) for _, text, _ in pairs])

    def margin(embedder) -> float:
        sims = embedder.encode([q for q, _, _ in pairs]) @ embedder.encode(wordings).T
        mine = sims[np.arange(len(pairs)), own]
        sims[np.arange(len(pairs)), own] = -1
        return float(np.mean(mine - sims.max(axis=1)))

    assert "tuned" in real_embedder.name
    assert margin(real_embedder) > margin(SentenceTransformerEmbedder(repo_config.model)) + 0.05
