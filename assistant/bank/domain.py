"""The domain adapter: the base model fitted on the question bank, shipped as a small LoRA adapter.

What parents ask about pre-school policies is the same in every setting; only the rules differ. The
bank pairs thousands of parents' questions with the ways policies word the rule that answers them,
and training on those pairs teaches the model how one maps to the other before any committee has
written an example. The result is kept as a LoRA adapter (`peft`, a few MB) in `adapter/`, beside a
manifest naming the bank, base model and recipe it was built from; `python -m assistant bank train`
rebuilds it. At a first start the adapter is merged into the base model before the setting's own
fitting (assistant.tuning) runs on top."""
from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from pathlib import Path

from assistant.bank.model import Bank

ADAPTER_DIR = Path(__file__).parent / "adapter"
MANIFEST = "manifest.json"
RECIPE = "bank-lora/1"  # change it when the training below changes
RANK = 16
ALPHA = 32
# Every attention projection and both feed-forward layers of each encoder layer (MPNet's names).
TARGETS = r".*encoder\.layer\.\d+\.(attention\.attn\.(q|k|v|o)|intermediate\.dense|output\.dense)"
BATCH = 32
STRAYS = 16  # not-answered questions per step, pushed away from the batch's statements
CHUNK = 16  # texts embedded with gradients at a time: the adapter's gradients are small, bigger chunks are faster
LEARNING_RATE = 2e-4


@dataclass(frozen=True)
class TrainingReport:
    pairs: int
    steps: int
    seconds: float


def bank_pairs(bank: Bank) -> list[tuple[str, str, str]]:
    """(question, statement, concept id): each question of a concept paired with one of its
    statements in turn, so every variant a setting might choose is learned."""
    return [(q, c.statements[n % len(c.statements)], c.id)
            for c in bank.concepts for n, q in enumerate(c.questions)]


def topic_batches(pairs: list[tuple[str, str, str]], rng: random.Random, size: int = BATCH) -> list[list]:
    """Batches drawn mostly from one topic each: a question's in-batch wrong answers are then the
    sibling rules of its own policy (fees for extra sessions beside fees payable each half term),
    which are what a setting's ranking most often confuses."""
    by_topic: dict[str, list] = {}
    for pair in pairs:
        by_topic.setdefault(pair[2].split(".")[0], []).append(pair)
    pool = []
    for items in by_topic.values():
        rng.shuffle(items)
        pool.extend(items)
    batches = [pool[i:i + size] for i in range(0, len(pool), size)]
    rng.shuffle(batches)
    return batches


def read_manifest(folder: Path = ADAPTER_DIR) -> dict | None:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def adapter_for(base_name: str, folder: Path = ADAPTER_DIR) -> Path | None:
    """The adapter folder when one was built for this base model, else None (another model: as it comes)."""
    manifest = read_manifest(folder)
    if manifest is None or manifest.get("base_model") != base_name:
        return None
    return folder


def merge_adapter(st_model, folder: Path):
    """The sentence-transformers model with the adapter's low-rank updates merged into its weights
    (a plain model again: no extra cost per question)."""
    from peft import PeftModel

    transformer = st_model[0]
    transformer.model = PeftModel.from_pretrained(transformer.auto_model, str(folder)).merge_and_unload()
    for parameter in transformer.model.parameters():
        parameter.requires_grad_(True)  # peft froze the base weights; the setting's own fitting trains them
    return st_model


def train_adapter(bank: Bank, base_name: str, out: Path = ADAPTER_DIR, *, seed: int = 0, epochs: int = 1,
                  progress: bool = True) -> TrainingReport:
    """Fit LoRA updates of the base model on the bank and save them with their manifest."""
    import torch
    from peft import LoraConfig, get_peft_model
    from tqdm import tqdm

    from assistant.embedder import SentenceTransformerEmbedder
    from assistant.parts import WEIGHTS_SHA256
    from assistant.tuning import accumulate_gradients

    started = time.perf_counter()
    loaded = SentenceTransformerEmbedder(base_name)
    model = loaded._model
    torch.manual_seed(seed)
    rng = random.Random(seed)
    config = LoraConfig(r=RANK, lora_alpha=ALPHA, lora_dropout=0.0, target_modules=TARGETS, bias="none")
    # The low-rank layers are put into the model in place: the sentence-transformers model trains through them.
    adapted = get_peft_model(model[0].auto_model, config)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trainable, lr=LEARNING_RATE, weight_decay=0.0)
    pairs = bank_pairs(bank)
    strays = [q for t in bank.topics for q in t.not_answered]
    plan = [b for _ in range(epochs) for b in topic_batches(list(pairs), rng)]
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min(1.0, (step + 1) / 20) * max(0.0, 1 - step / len(plan)))
    model.eval()  # no dropout: each text is embedded twice per step (the gradient cache) and both must agree
    with tqdm(total=len(plan), desc="Training the domain adapter on the bank", unit="step",
              disable=not progress) as bar:
        for batch in plan:
            accumulate_gradients(model, batch, rng.sample(strays, min(len(strays), STRAYS)), chunk=CHUNK)
            optimiser.step()
            scheduler.step()
            optimiser.zero_grad(set_to_none=True)
            bar.update(1)
    out.mkdir(parents=True, exist_ok=True)
    adapted.save_pretrained(str(out))  # the low-rank weights only
    (out / "README.md").unlink(missing_ok=True)  # peft's blank model card
    report = TrainingReport(len(pairs), len(plan), round(time.perf_counter() - started, 1))
    manifest = {"recipe": RECIPE, "base_model": base_name, "base_weights_sha256": WEIGHTS_SHA256,
                "bank_digest": bank.digest, "pairs": report.pairs, "steps": report.steps, "epochs": epochs,
                "seed": seed, "rank": RANK, "seconds": report.seconds,
                "rebuild": "python -m assistant bank train"}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return report
