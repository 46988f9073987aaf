"""Fitting the embedding model to the policies' example questions, once per change of them.

Each curated example question is paired with its rule's wording and the model is trained so that a
question lands nearer its own rule than the other rules of the batch (in-batch negatives), and each
wording nearer its own questions than the off-topic ones ("strays"). This teaches it how parents
phrase a question about a written rule, which helps rules that have no examples too. The result is
kept under `data_dir/tuned/`, named by a hash of the base model, the questions and the recipe, so a
start with unchanged examples just loads it."""
from __future__ import annotations

import functools
import hashlib
import json
import random
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from assistant.config import Config, TuningConfig
from assistant.embedder import SentenceTransformerEmbedder
from assistant.policy import KnowledgeBase

RECIPE = "in-batch-negatives/1"  # change it when the training below changes: old caches then retire
BATCH = 32
MAX_PAIRS = 2000  # a pass over at most this many (sampled): about 2 minutes on 2 cores, however many examples
SCALE = 20.0  # cosine similarities times this are the logits: the usual temperature of 0.05
DONE_FILE = "tuned.json"


def training_pairs(kb: KnowledgeBase) -> list[tuple[str, str, str]]:
    """(example question, rule wording, rule id) for every curated example."""
    return [(q, rule.text, rule.id) for rule in kb.rules for q in rule.examples]


def tuned_embedder(config: Config, kb: KnowledgeBase, *, progress: bool = False,
                   notice: Callable[[str], None] = lambda _msg: None) -> SentenceTransformerEmbedder:
    """The configured model fitted to this knowledge's example questions (trained now if no cached
    copy matches), or the model as it comes when tuning is off or there is nothing to learn from."""
    pairs = training_pairs(kb)
    if config.tuning.epochs == 0 or len({rule_id for *_, rule_id in pairs}) < 2:
        return SentenceTransformerEmbedder(config.model)
    strays = list(kb.off_topic)
    key = _cache_key(config.model, config.tuning, pairs, strays)
    folder = config.data_dir / "tuned" / key
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        if not (folder / DONE_FILE).is_file():
            notice("Fitting the model to the policies' example questions (once; it is then kept in "
                   f"{folder.parent}).")
            _train_into(folder, config.model, config.tuning, pairs, strays, progress)
    except OSError as exc:
        # Answering matters more than fitting: a full disk or a read-only data folder costs only quality.
        notice(f"Could not keep a fitted model in {folder.parent} ({exc.strerror or exc}); answering with "
               "the model as it comes.")
        return SentenceTransformerEmbedder(config.model)
    return SentenceTransformerEmbedder(str(folder), name=f"{config.model} tuned {key[:12]}")


def _cache_key(model: str, tuning: TuningConfig, pairs: list[tuple[str, str, str]], strays: list[str]) -> str:
    digest = hashlib.sha256(json.dumps([RECIPE, model, tuning.epochs, tuning.learning_rate, tuning.seed,
                                        pairs, strays]).encode())
    return digest.hexdigest()


def _train_into(folder: Path, model: str, tuning: TuningConfig, pairs: list[tuple[str, str, str]],
                strays: list[str], progress: bool) -> None:
    """Train a copy of the base model and save it complete, or not at all (a crash leaves no half model)."""
    import torch
    from tqdm import tqdm

    loaded = SentenceTransformerEmbedder(model)
    base = loaded._model
    _recompute_activations(getattr(base[0], "auto_model", None))
    torch.manual_seed(tuning.seed)
    order = random.Random(tuning.seed)
    optimiser = torch.optim.AdamW(base.parameters(), lr=tuning.learning_rate)
    per_pass = min(len(pairs), MAX_PAIRS)
    steps = tuning.epochs * -(-per_pass // BATCH)
    base.train()
    with tqdm(total=steps, desc="Fitting the model to the example questions", unit="step",
              disable=not progress, leave=False) as bar:
        for _ in range(tuning.epochs):
            shuffled = order.sample(pairs, per_pass)
            for start in range(0, len(shuffled), BATCH):
                batch_strays = order.sample(strays, min(len(strays), BATCH))
                loss = _batch_loss(base, shuffled[start:start + BATCH], batch_strays)
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                bar.update(1)
    base.eval()
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".training-"))
    try:
        base.save(str(staging))
        (staging / DONE_FILE).write_text(json.dumps({"base": loaded.location, "recipe": RECIPE,
                                                     "pairs": len(pairs)}) + "\n", encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    # One model is kept (90 MB for MiniLM, 440 MB for MPNet): those fitted to examples since changed
    # are not needed again.
    for old in folder.parent.iterdir():
        if old != folder and (old / DONE_FILE).is_file():
            shutil.rmtree(old, ignore_errors=True)


def _recompute_activations(transformer) -> None:
    """Each layer's activations recomputed in the backward pass instead of all kept (MiniLM: peak
    1993 -> 1200 MB, the same weights): by transformers where the architecture offers it, otherwise
    (MPNet) by wrapping each encoder layer."""
    import torch.utils.checkpoint

    if getattr(transformer, "supports_gradient_checkpointing", False):
        transformer.activation_checkpointing_enable()
        return
    for layer in getattr(getattr(transformer, "encoder", None), "layer", None) or ():
        layer.forward = functools.partial(torch.utils.checkpoint.checkpoint, layer.forward, use_reentrant=False)


def _batch_loss(model, batch: list[tuple[str, str, str]], strays: list[str]):
    """Cross-entropy of each question against every rule wording of the batch, its own rule the
    answer (another example of the same rule is no wrong answer, so it is left out); plus that of
    each wording against the batch's questions and the strays, its own question the answer."""
    import torch
    import torch.nn.functional as F

    def embed(texts: list[str]):
        return F.normalize(model(model.preprocess(texts))["sentence_embedding"], dim=-1)

    questions, wordings = embed([q for q, _, _ in batch]), embed([t for _, t, _ in batch])
    logits = questions @ wordings.T * SCALE
    ids = [rule_id for *_, rule_id in batch]
    same_rule = torch.tensor([[a == b for b in ids] for a in ids]) & ~torch.eye(len(batch), dtype=torch.bool)
    logits = logits.masked_fill(same_rule, float("-inf"))
    loss = F.cross_entropy(logits, torch.arange(len(batch)))
    if strays:
        columns = torch.cat([logits.T, wordings @ embed(strays).T * SCALE], dim=1)
        loss = loss + F.cross_entropy(columns, torch.arange(len(batch)))
    return loss
