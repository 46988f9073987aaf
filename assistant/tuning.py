"""Fitting the embedding model to the policies' example questions, once per change of them.

Each curated example question is paired with its rule's wording and the model is trained so that a
question lands nearer its own rule than the other rules of the batch (in-batch negatives), and each
wording nearer its own questions than the off-topic ones ("strays"). This teaches it how parents
phrase a question about a written rule, which helps rules that have no examples too. The result is
kept under `data_dir/tuned/`, named by a hash of the base model, the questions and the recipe, so a
start with unchanged examples just loads it."""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

from assistant.bank import domain
from assistant.config import Config, TuningConfig
from assistant.embedder import SentenceTransformerEmbedder
from assistant.errors import AssistantError
from assistant.files import staging_folder
from assistant.policy import KnowledgeBase

RECIPE = "in-batch-negatives/3"  # change it when the training below changes: old caches then retire
BATCH = 32
CHUNK = 4  # texts embedded with gradients at a time (8 took 170 MB more for all-mpnet-base-v2)
TRAINED_LAYERS = 8  # the top encoder layers trained: all six of MiniLM's, eight of MPNet's twelve
MAX_PAIRS = 480  # a pass over at most this many (sampled): about 3.5 minutes for MPNet on 2 cores
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
    adapter = domain.adapter_for(config.model) if config.tuning.domain else None
    if config.tuning.epochs == 0 or len({rule_id for *_, rule_id in pairs}) < 2:
        if adapter is None:
            return _serving(config.model)
        pairs = []  # nothing of the setting's own to learn: the domain adapter alone, merged once
    strays = list(kb.off_topic)
    key = _cache_key(config.model, config.tuning, pairs, strays, adapter)
    folder = config.data_dir / "tuned" / key
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        if not (folder / DONE_FILE).is_file():
            notice("Fitting the model to the policies' example questions (once; it is then kept in "
                   f"{folder.parent}).")
            _train_into(folder, config.model, config.tuning, pairs, strays, progress, adapter)
    except OSError as exc:
        # Answering matters more than fitting: a full disk or a read-only data folder costs only quality.
        notice(f"Could not keep a fitted model in {folder.parent} ({exc.strerror or exc}); answering with "
               "the model as it comes.")
        return _serving(config.model)
    return _serving(str(folder.resolve()), f"{config.model} tuned {key[:12]}")


@functools.lru_cache(maxsize=2)
def _serving(location: str, name: str | None = None) -> SentenceTransformerEmbedder:
    """One loaded copy of a model per process: a second engine in the same process (a check after an
    ingest, the test suite) shares its weights and the vectors it has already embedded. Never trained
    in place: training loads a copy of its own."""
    return SentenceTransformerEmbedder(location, name=name)


def _cache_key(model: str, tuning: TuningConfig, pairs: list[tuple[str, str, str]], strays: list[str],
               adapter: Path | None = None) -> str:
    built_from = domain.read_manifest(adapter) if adapter else None
    digest = hashlib.sha256(json.dumps([RECIPE, model, tuning.epochs, tuning.learning_rate, tuning.seed,
                                        pairs, strays, built_from]).encode())
    return digest.hexdigest()


def _train_into(folder: Path, model: str, tuning: TuningConfig, pairs: list[tuple[str, str, str]],
                strays: list[str], progress: bool, adapter: Path | None = None) -> None:
    """Train a copy of the base model and save it complete, or not at all (a crash leaves no half model).

    The training runs in a Python process of its own: the memory it needs (1.2 GB for MPNet) goes
    back to the system when it ends instead of staying with the bot for as long as the bot runs."""
    staging = staging_folder(folder.parent, ".training-")
    request = {"target": str(staging), "model": model, "tuning": dataclasses.asdict(tuning),
               "pairs": pairs, "strays": strays, "progress": progress,
               "adapter": str(adapter) if adapter else None}
    source_root = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [source_root, os.environ.get("PYTHONPATH")])),
           # glibc then gives blocks over 128 KB back as soon as they are freed instead of keeping
           # them for reuse: all-mpnet-base-v2's fitting peaked at 1.2 GB instead of 1.6 (141 s, not 108).
           "MALLOC_MMAP_THRESHOLD_": os.environ.get("MALLOC_MMAP_THRESHOLD_", "131072")}
    try:
        child = subprocess.run([sys.executable, "-m", "assistant.tuning"], input=json.dumps(request),
                               stdout=subprocess.PIPE, text=True, env=env, check=False)
        if child.returncode != 0:
            last = (child.stdout.strip().splitlines() or [""])[-1]
            if last.startswith('{"oserror"'):  # another library's line there is no reply to read
                raise OSError(*json.loads(last)["oserror"])
            raise AssistantError("Fitting the model to the example questions stopped with an error (above); "
                                 "nothing was kept.")
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


def _fit(target: Path, model: str, tuning: TuningConfig, pairs: list[tuple[str, str, str]],
         strays: list[str], progress: bool, adapter: str | None = None) -> None:
    """Train the base model (with the domain adapter merged in, when there is one) on the pairs and
    save it into target, its done file written last."""
    import torch
    from tqdm import tqdm
    from transformers.optimization import Adafactor

    loaded = SentenceTransformerEmbedder(model)
    base = loaded._model
    if adapter:
        domain.merge_adapter(base, Path(adapter))
    torch.manual_seed(tuning.seed)
    order = random.Random(tuning.seed)
    # Adafactor keeps a row and a column of statistics per weight matrix where AdamW keeps two copies
    # of it: with the gradient cache below, all-mpnet-base-v2 fits in 1.2 GB instead of 3.6.
    optimiser = Adafactor(_trained_parameters(base), lr=tuning.learning_rate, relative_step=False,
                          scale_parameter=False, warmup_init=False)
    per_pass = min(len(pairs), MAX_PAIRS)
    steps = tuning.epochs * -(-per_pass // BATCH) if pairs else 0
    base.eval()  # no dropout: each text is embedded twice per step and both passes must agree
    with tqdm(total=steps, desc="Fitting the model to the example questions", unit="step",
              disable=not progress, leave=False) as bar:
        for _ in range(tuning.epochs if pairs else 0):
            shuffled = order.sample(pairs, per_pass)
            for start in range(0, len(shuffled), BATCH):
                batch_strays = order.sample(strays, min(len(strays), BATCH))
                accumulate_gradients(base, shuffled[start:start + BATCH], batch_strays)
                optimiser.step()
                optimiser.zero_grad(set_to_none=True)
                bar.update(1)
    base.save(str(target))
    (target / DONE_FILE).write_text(json.dumps({"base": loaded.location, "recipe": RECIPE, "pairs": len(pairs),
                                                "adapter": adapter})
                                    + "\n", encoding="utf-8")


def _trained_parameters(model) -> list:
    """The weights of the top TRAINED_LAYERS encoder layers and above, to be trained; the word
    embeddings and the layers below stay as they come, so no memory holds their gradients."""
    transformer = getattr(model[0], "auto_model", None)
    layers = list(getattr(getattr(transformer, "encoder", None), "layer", None) or ())
    frozen = [getattr(transformer, "embeddings", None), *layers[:-TRAINED_LAYERS]]
    for part in frozen:
        for parameter in part.parameters() if part is not None else ():
            parameter.requires_grad_(False)
    return [parameter for parameter in model.parameters() if parameter.requires_grad]


def accumulate_gradients(model, batch: list[tuple[str, str, str]], strays: list[str], chunk: int = CHUNK) -> None:
    """One step's gradients, by a gradient cache: every text is embedded without gradients, the loss's
    gradient with respect to each embedding is worked out, then the texts are embedded again a few
    at a time with gradients and that gradient pushed back through them. Memory holds the
    activations of CHUNK texts, not of the whole batch; the result is the same as one big pass."""
    import torch
    import torch.nn.functional as F

    def embed(texts: list[str]):
        return F.normalize(model(model.preprocess(texts))["sentence_embedding"], dim=-1)

    groups = [[q for q, _, _ in batch], [t for _, t, _ in batch], strays]
    with torch.no_grad():
        leaves = [torch.cat([embed(g[i:i + chunk]) for i in range(0, len(g), chunk)]).requires_grad_()
                  if g else None for g in groups]
    _batch_loss(*leaves, [rule_id for *_, rule_id in batch]).backward()
    for texts, leaf in zip(groups, leaves):
        for i in range(0, len(texts), chunk):
            embed(texts[i:i + chunk]).backward(leaf.grad[i:i + chunk])


def _batch_loss(questions, wordings, strays, ids: list[str]):
    """Cross-entropy of each question against every rule wording of the batch, its own rule the
    answer (another example of the same rule is no wrong answer, so it is left out); plus that of
    each wording against the batch's questions and the strays, its own question the answer."""
    import torch
    import torch.nn.functional as F

    logits = questions @ wordings.T * SCALE
    same_rule = torch.tensor([[a == b for b in ids] for a in ids]) & ~torch.eye(len(ids), dtype=torch.bool)
    logits = logits.masked_fill(same_rule, float("-inf"))
    loss = F.cross_entropy(logits, torch.arange(len(ids)))
    if strays is not None:
        columns = torch.cat([logits.T, wordings @ strays.T * SCALE], dim=1)
        loss = loss + F.cross_entropy(columns, torch.arange(len(ids)))
    return loss


def _fit_on_request() -> int:
    """The training process (`python -m assistant.tuning`): the request as JSON on standard input.
    A disk error is answered as JSON on standard output, for the caller to raise again."""
    request = json.load(sys.stdin)
    try:
        _fit(Path(request["target"]), request["model"], TuningConfig(**request["tuning"]),
             [tuple(pair) for pair in request["pairs"]], request["strays"], request["progress"],
             request.get("adapter"))
    except OSError as exc:
        print(json.dumps({"oserror": [exc.errno, exc.strerror or str(exc)]}))
        return 1
    except KeyboardInterrupt:  # Ctrl-C reaches both processes: the caller says what happened
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(_fit_on_request())
