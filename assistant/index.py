"""The dense index: every rule's text, plain answer and example questions (and the explicit
off-topic questions) embedded into FAISS, saved in embeddings/ with a build manifest."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import weakref
from collections import OrderedDict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import faiss
import numpy as np
from tqdm import tqdm

from assistant import __version__
from assistant.embedder import Embedder
from assistant.errors import StaleIndex
from assistant.files import atomic_write
from assistant.policy import KnowledgeBase, Rule
from assistant.text import expand_slang

INDEX_FILE, ENTRIES_FILE, MANIFEST_FILE = "index.faiss", "entries.json", "manifest.json"
BATCH = 64
# A reload after the committee accepts one example embeds that one question, not the whole knowledge
# again (and `ingest` or `check` after it, in the same process, little). Kept in memory only, per
# embedder object (weights never change after it is made), for the texts an index holds: policy
# wording and example questions, never a parent's question. 10,000 texts (forty policies have about
# 5,000) of MPNet: 30 MB at most.
KNOWN_TEXTS = 10_000
_KNOWN: "weakref.WeakKeyDictionary[Embedder, OrderedDict[str, np.ndarray]]" = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Entry:
    """One indexed text and the rule it stands for (rule_id None: an off-topic example of the policy
    `policy_id`)."""

    rule_id: str | None
    kind: str  # "text", "context", "plain", "example" or "off_topic"
    text: str
    policy_id: str | None = None


@dataclass
class VectorIndex:
    """Unit vectors in a FAISS inner-product index, row i standing for entries[i]."""

    entries: list[Entry]
    faiss_index: faiss.Index
    manifest: dict

    def __post_init__(self) -> None:
        # One question is a small search: FAISS's OpenMP threads only wait on torch's after each encode
        # (measured on 10,000 rules: 15.3 ms a question with them, 8.8 ms without).
        faiss.omp_set_num_threads(1)

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Cosine scores and entry positions of the k nearest entries, for each query row."""
        return self.faiss_index.search(np.ascontiguousarray(query, dtype=np.float32),
                                       min(k, len(self.entries)))


def index_entries(kb: KnowledgeBase) -> list[Entry]:
    """What gets embedded: all the ways a rule may be asked about, slang spelled out."""
    entries: list[Entry] = []
    for rule in kb.rules:
        entries.append(Entry(rule.id, "text", rule.text))
        entries.append(Entry(rule.id, "context", in_context(rule, kb)))
        if rule.plain:
            entries.append(Entry(rule.id, "plain", rule.plain))
        entries.extend(Entry(rule.id, "example", q) for q in rule.examples)
    entries.extend(Entry(None, "off_topic", q, policy_id) for policy_id, questions in kb.off_topic_by_policy.items()
                   for q in questions)
    return [Entry(e.rule_id, e.kind, expand_slang(e.text, kb.synonyms), e.policy_id) for e in entries]


def in_context(rule: Rule, kb: KnowledgeBase) -> str:
    """The rule's wording under its policy title and section: "Impetigo: Until the skin has healed"
    means nothing without "Exclusion times for illnesses"."""
    heads: list[str] = []
    for head in (kb.policy_of(rule).title, rule.section):
        if head and not any(head.lower() in h.lower() or h.lower() in head.lower() for h in heads):
            heads.append(head.rstrip(":"))
    return " — ".join([*heads, rule.text])


def _known_vectors(embedder: Embedder) -> OrderedDict[str, np.ndarray]:
    """The vectors this embedder object gave the texts it indexed before in this process."""
    try:
        return _KNOWN.setdefault(embedder, OrderedDict())
    except TypeError:  # an embedder that cannot be weakly referenced: nothing is reused
        return OrderedDict()


def build_index(kb: KnowledgeBase, embedder: Embedder, progress: bool = True) -> VectorIndex:
    """Embed every entry (with a progress bar on a terminal) into a fresh index. Texts the same
    embedder indexed before in this process are not embedded again."""
    entries = index_entries(kb)
    rows: dict[str, list[int]] = {}
    for row, entry in enumerate(entries):
        rows.setdefault(entry.text, []).append(row)
    vectors = np.zeros((len(entries), embedder.dimension), dtype=np.float32)
    known = _known_vectors(embedder)
    missing = []
    for text, at in rows.items():
        if text in known:
            vectors[at] = known[text]
        else:
            missing.append(text)
    with tqdm(total=len(missing), desc="Indexing policy rules", unit="text",
              disable=not progress, leave=False) as bar:
        for start in range(0, len(missing), BATCH):
            batch = missing[start:start + BATCH]
            for text, vector in zip(batch, embedder.encode(batch)):
                vectors[rows[text]] = vector
            bar.update(len(batch))
    for text in list(rows)[-KNOWN_TEXTS:]:  # the newest last: the least recently indexed go first
        known[text] = vectors[rows[text][0]].copy()
        known.move_to_end(text)
    while len(known) > KNOWN_TEXTS:
        known.popitem(last=False)
    # Half-precision storage: a search reads half the memory (10,000 rules: 4.5 -> 2.9 ms a question),
    # and a cosine moves by less than 0.0001, far below any margin the ranking uses.
    index = faiss.IndexScalarQuantizer(embedder.dimension, faiss.ScalarQuantizer.QT_fp16,
                                       faiss.METRIC_INNER_PRODUCT)
    index.add(vectors)
    manifest = {
        "model": embedder.name,
        "dimension": embedder.dimension,
        "knowledge_hash": kb.fingerprint,
        "entries": len(entries),
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "versions": _versions(),
    }
    return VectorIndex(entries, index, manifest)


def save_index(index: VectorIndex, directory: Path) -> None:
    """Write the index atomically: data files first, the manifest (with their hashes) last."""
    directory.mkdir(parents=True, exist_ok=True)
    entries_bytes = json.dumps([asdict(e) for e in index.entries], ensure_ascii=False, indent=0).encode()
    index_bytes = faiss.serialize_index(index.faiss_index).tobytes()
    manifest = dict(index.manifest, files={INDEX_FILE: _sha(index_bytes), ENTRIES_FILE: _sha(entries_bytes)})
    atomic_write(directory / INDEX_FILE, index_bytes)
    atomic_write(directory / ENTRIES_FILE, entries_bytes)
    atomic_write(directory / MANIFEST_FILE, json.dumps(manifest, indent=2).encode() + b"\n")
    index.manifest = manifest


def read_index(directory: Path, kb: KnowledgeBase, embedder: Embedder) -> VectorIndex:
    """The saved index if it is whole and current for this knowledge and model; StaleIndex says why not."""
    try:
        manifest = json.loads((directory / MANIFEST_FILE).read_text(encoding="utf-8"))
        index_bytes = (directory / INDEX_FILE).read_bytes()
        entries_bytes = (directory / ENTRIES_FILE).read_bytes()
    except FileNotFoundError:
        raise StaleIndex("no index has been built yet") from None
    except (OSError, ValueError):
        raise StaleIndex("the saved index is unreadable") from None
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, dict):
        raise StaleIndex("the saved index is unreadable")
    if files.get(INDEX_FILE) != _sha(index_bytes) or files.get(ENTRIES_FILE) != _sha(entries_bytes):
        raise StaleIndex("the saved index is incomplete or corrupt")
    if manifest.get("model") != embedder.name or manifest.get("dimension") != embedder.dimension:
        raise StaleIndex("the saved index was built with a different model")
    if manifest.get("knowledge_hash") != kb.fingerprint:
        raise StaleIndex("the knowledge has changed since the index was built")
    try:
        faiss_index = faiss.deserialize_index(np.frombuffer(index_bytes, dtype=np.uint8))
        entries = [Entry(**e) for e in json.loads(entries_bytes)]
    except (RuntimeError, ValueError, TypeError):
        raise StaleIndex("the saved index is unreadable") from None
    if faiss_index.ntotal != len(entries):
        raise StaleIndex("the saved index is incomplete or corrupt")
    if entries != index_entries(kb) or not isinstance(faiss_index, faiss.IndexScalarQuantizer):
        raise StaleIndex("the saved index was built by another version of the assistant")
    return VectorIndex(entries, faiss_index, manifest)


def load_or_build(kb: KnowledgeBase, embedder: Embedder, directory: Path, *, progress: bool = True,
                  notice: Callable[[str], None] = lambda _msg: None) -> VectorIndex:
    """The current index: read from disk, or rebuilt (and saved) when missing, stale or corrupt."""
    try:
        return read_index(directory, kb, embedder)
    except StaleIndex as why:
        notice(f"Rebuilding the policy index: {why}.")
    index = build_index(kb, embedder, progress=progress)
    try:
        save_index(index, directory)
    except OSError as exc:
        notice(f"Could not save the index to {directory} ({exc.strerror}); using it from memory.")
    return index


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {"assistant": __version__, "faiss": faiss.__version__}
    for package in ("sentence-transformers", "torch", "bm25s"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            pass
    return found
