"""A term of use, replayed: what parents' picks teach the assistant (not a test: quote its output).

    .venv/bin/python benchmarks/learning.py --questions QUESTIONS.yaml --ingest POLICY... [--no-refit]

The policies are ingested (uncurated) beside the shipped knowledge in a scratch copy. The labelled
questions are split in two halves, alternately (every other question), so both halves ask about the
same policies. The first half is asked as parents would: when the reply is a choice that offers the
right rule, the simulated parent picks it; when it is a direct answer quoting the right rule, they
press 👍. Each of those questions is then accepted by the committee as an example question of that
rule (what Accept in /gaps or `python -m assistant review` writes), and the assistant restarts: the
model is fitted again to the examples (skip with --no-refit) and the index rebuilt. The second half
is asked before and after; hit@1, direct precision and reach are printed for both.
"""
from __future__ import annotations

import argparse
import dataclasses
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Callable

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from assistant import review  # noqa: E402
from assistant.config import Config, load_config  # noqa: E402
from assistant.embedder import Embedder  # noqa: E402
from assistant.engine import Engine  # noqa: E402
from assistant.ingest import ingest_file  # noqa: E402
from assistant.loader import load_knowledge  # noqa: E402
from assistant.policy import KnowledgeBase  # noqa: E402
from quality import ASKERS, _norm, set_figures  # noqa: E402
from assistant.render import answer_json  # noqa: E402


def figures(engine: Engine, items: list[dict]) -> dict[str, str]:
    """hit@1, direct precision and reach of the in-scope questions, declined of the others."""
    replies = [answer_json(engine.ask(it["q"], ASKERS[it.get("asker", "parent")]), engine.kb) for it in items]
    scored = set_figures(items, replies)
    return {key: scored[key] for key in ("hit@1", "direct_precision", "reach", "declined")}


def picked_rule(engine: Engine, item: dict) -> str | None:
    """The rule a parent who knows the answer would pick (or 👍) for this question, if they were offered it."""
    answer = engine.ask(item["q"], ASKERS[item.get("asker", "parent")])
    offered = answer.rules[:1] if answer.kind == "answer" else answer.rules[:3] if answer.kind == "choose" else []
    for rule in offered:
        quoted = _norm(engine.kb.passage_text(rule))
        if any(_norm(e) in quoted for e in item["expect"]):
            return rule.id
    return None


def replay(config: Config, items: list[dict], policies: list[Path], scratch: Path,
           embedder_for: Callable[[Config, KnowledgeBase], Embedder]) -> dict[str, object]:
    """Ask the second half before and after the first half's picks are accepted; returns the figures."""
    knowledge = scratch / "knowledge"
    shutil.copytree(config.knowledge_dir, knowledge)
    for document in policies:
        ingest_file(document, knowledge)
    config = dataclasses.replace(config, knowledge_dir=knowledge, index_dir=scratch / "embeddings",
                                 data_dir=scratch / "data")
    first, second = items[0::2], items[1::2]
    kb = load_knowledge(knowledge)
    engine = Engine.from_knowledge(kb, config, embedder_for(config, kb))
    before = figures(engine, second)
    accepted = 0
    for item in (it for it in first if it["scope"] == "in"):
        rule_id = picked_rule(engine, item)
        if rule_id is None:
            continue
        try:
            review.apply(knowledge, review.add_example(knowledge, rule_id, item["q"]))
            accepted += 1
        except review.ReviewError:
            continue  # already an example of it, say
    kb = load_knowledge(knowledge)
    engine = Engine.from_knowledge(kb, config, embedder_for(config, kb))
    return {"accepted": accepted, "asked": len(second), "before": before, "after": figures(engine, second)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--ingest", nargs="*", type=Path, default=[])
    parser.add_argument("--no-refit", action="store_true", help="keep the model fitted before the picks")
    args = parser.parse_args()
    from assistant.tuning import tuned_embedder

    config = load_config(ROOT / "config.yaml")
    config = dataclasses.replace(config, data_dir=ROOT / "data")  # fitted models are kept and reused there
    first: list[Embedder] = []

    def embedder_for(cfg: Config, kb: KnowledgeBase) -> Embedder:
        if args.no_refit and first:
            return first[0]
        first.append(tuned_embedder(dataclasses.replace(cfg, data_dir=ROOT / "data"), kb, progress=True))
        return first[-1]

    items = [it for it in yaml.safe_load(args.questions.read_text(encoding="utf-8")) if it["scope"] in ("in", "out")]
    with tempfile.TemporaryDirectory() as tmp:
        result = replay(config, items, args.ingest, Path(tmp), embedder_for)
    print(f"{args.questions.name}: {result['accepted']} picks accepted from the first half; "
          f"the second half ({result['asked']} questions) before → after:")
    for key, value in result["before"].items():
        print(f"  {key}: {value} → {result['after'][key]}")


if __name__ == "__main__":
    main()
