"""The saved index: written with its manifest, reused when current, rebuilt when not."""
import json
from pathlib import Path

import faiss
import numpy as np
import pytest

from assistant.index import (MANIFEST_FILE, VectorIndex, build_index, index_entries, load_or_build, read_index,
                             save_index)
from assistant.loader import load_knowledge


def test_entries_cover_text_plain_examples_and_off_topic(kb):
    entries = index_entries(kb)
    kinds = {e.kind for e in entries}
    assert kinds == {"text", "context", "plain", "example", "off_topic"}
    assert {e.rule_id for e in entries if e.rule_id} == {r.id for r in kb.rules}
    assert all(e.rule_id is None for e in entries if e.kind == "off_topic")
    # slang is spelled out the same way questions are
    assert not any(" fb " in f" {e.text} " for e in entries)


def test_saved_index_round_trips_with_manifest(kb, fake_embedder, tmp_path):
    index = build_index(kb, fake_embedder, progress=False)
    save_index(index, tmp_path)
    manifest = json.loads((tmp_path / MANIFEST_FILE).read_text())
    assert manifest["model"] == fake_embedder.name and manifest["dimension"] == 64
    assert manifest["knowledge_hash"] == kb.fingerprint and manifest["entries"] == len(index.entries)
    assert {"built_at", "versions", "files"} <= set(manifest)
    again = read_index(tmp_path, kb, fake_embedder)
    query = fake_embedder.encode(["mobile phones in the garden"])
    assert np.array_equal(again.search(query, 5)[1], index.search(query, 5)[1])


def test_current_index_is_reused_without_encoding(kb, fake_embedder, tmp_path):
    save_index(build_index(kb, fake_embedder, progress=False), tmp_path)
    fake_embedder.calls = 0
    notices = []
    load_or_build(kb, fake_embedder, tmp_path, progress=False, notice=notices.append)
    assert fake_embedder.calls == 0 and notices == []


def test_stale_index_is_rebuilt_after_knowledge_changes(knowledge_copy, fake_embedder, tmp_path):
    kb = load_knowledge(knowledge_copy)
    save_index(build_index(kb, fake_embedder, progress=False), tmp_path)
    path = knowledge_copy / "social_media.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        '"tell me a joke"', '"tell me a joke"\n  - "what is the capital of france"'), encoding="utf-8")
    changed = load_knowledge(knowledge_copy)
    notices = []
    index = load_or_build(changed, fake_embedder, tmp_path, progress=False, notice=notices.append)
    assert notices == ["Rebuilding the policy index: the knowledge has changed since the index was built."]
    assert any(e.text == "what is the capital of france" for e in index.entries)
    assert read_index(tmp_path, changed, fake_embedder).manifest["knowledge_hash"] == changed.fingerprint


def test_corrupt_or_foreign_index_is_rebuilt(kb, fake_embedder, tmp_path):
    save_index(build_index(kb, fake_embedder, progress=False), tmp_path)
    (tmp_path / "index.faiss").write_bytes(b"garbage")
    notices = []
    load_or_build(kb, fake_embedder, tmp_path, progress=False, notice=notices.append)
    assert "corrupt" in notices[0]
    fake_embedder.name = "another-model"
    notices.clear()
    load_or_build(kb, fake_embedder, tmp_path, progress=False, notice=notices.append)
    assert "different model" in notices[0]


def test_an_index_saved_by_an_older_version_in_full_precision_is_rebuilt(kb, fake_embedder, tmp_path):
    old = build_index(kb, fake_embedder, progress=False)
    full = faiss.IndexFlatIP(old.faiss_index.d)
    full.add(fake_embedder.encode([e.text for e in old.entries]))
    save_index(VectorIndex(old.entries, full, old.manifest), tmp_path)
    notices = []
    index = load_or_build(kb, fake_embedder, tmp_path, progress=False, notice=notices.append)
    assert notices == ["Rebuilding the policy index: the saved index was built by another version of the assistant."]
    assert isinstance(read_index(tmp_path, kb, fake_embedder).faiss_index, type(index.faiss_index))


def test_missing_index_is_built(kb, fake_embedder, tmp_path):
    notices = []
    load_or_build(kb, fake_embedder, tmp_path / "new", progress=False, notice=notices.append)
    assert "no index" in notices[0]
    assert (tmp_path / "new" / MANIFEST_FILE).exists()


@pytest.mark.parametrize("manifest", ['{"files": "abc"}', '{"files": ["index.faiss"]}', '[1, 2]', '"text"',
                                      '{"files": null}', '{not json'])
def test_any_unreadable_manifest_means_a_rebuild(kb, fake_embedder, tmp_path, manifest):
    save_index(build_index(kb, fake_embedder, progress=False), tmp_path)
    (tmp_path / MANIFEST_FILE).write_text(manifest, encoding="utf-8")
    notices = []
    index = load_or_build(kb, fake_embedder, tmp_path, progress=False, notice=notices.append)
    assert "unreadable" in notices[0] and len(index.entries) == len(index_entries(kb))
    assert read_index(tmp_path, kb, fake_embedder).manifest["files"]  # saved whole again


def test_the_shipped_index_is_current_so_a_fresh_clone_answers_without_rebuilding(kb, real_embedder):
    shipped = Path(__file__).resolve().parents[1] / "embeddings"
    index = read_index(shipped, kb, real_embedder)  # StaleIndex says why it is not
    assert index.manifest["model"] == real_embedder.name


class CountingEmbedder:
    """The fake embedder, counting the texts it is asked to embed."""

    def __init__(self, inner):
        self.name, self.dimension, self.inner, self.texts = inner.name, inner.dimension, inner, []

    def encode(self, texts):
        self.texts.extend(texts)
        return self.inner.encode(texts)


def test_a_rebuild_embeds_only_what_changed_with_the_same_vectors(kb, fake_embedder):
    import dataclasses

    embedder = CountingEmbedder(fake_embedder)
    first = build_index(kb, embedder, progress=False)
    assert len(embedder.texts) == len({e.text for e in first.entries})
    embedder.texts.clear()
    rule = kb.rules[0]
    changed = dataclasses.replace(kb, rules=[dataclasses.replace(rule, examples=[*rule.examples, "is the sandpit covered at night"]),
                                             *kb.rules[1:]])
    second = build_index(changed, embedder, progress=False)  # a reload after one accepted example
    assert embedder.texts == ["is the sandpit covered at night"]
    fresh = build_index(changed, CountingEmbedder(fake_embedder), progress=False)  # another object: all again
    query = fake_embedder.encode(["is the sandpit covered at night"])
    assert np.array_equal(second.search(query, 10)[1], fresh.search(query, 10)[1])
    assert np.allclose(second.search(query, 10)[0], fresh.search(query, 10)[0])
