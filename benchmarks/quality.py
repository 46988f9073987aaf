"""Answer quality on every question set in one run (not a test: quote its output).

    .venv/bin/python benchmarks/quality.py [--shared ../shared/eval] [--set QUESTIONS POLICY...]

Prints one Markdown row per set: the project's own sets (`eval/*.yaml`, labelled with rule ids),
then the real-phrasing sets, labelled with phrases the top quoted passage must hold and scored the
way `../shared/eval/score.py` scores them. `--shared` (default: `../shared/eval` when it exists)
adds its `social_media_dev.yaml` on the shipped knowledge and its `policies_dev.yaml` after its
`policies/*.md` are ingested, uncurated; `--set` adds any set of that kind, after ingesting the
policies named with it. Ingesting happens in a scratch copy: the shipped knowledge is never
touched. The model is loaded once.
"""
from __future__ import annotations

import argparse
import dataclasses
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.config import Config, load_config  # noqa: E402
from assistant.embedder import Embedder  # noqa: E402
from assistant.engine import Engine  # noqa: E402
from assistant.evaluation import evaluate, load_questions  # noqa: E402
from assistant.ingest import ingest_file  # noqa: E402
from assistant.loader import load_knowledge  # noqa: E402
from assistant.render import answer_json  # noqa: E402
from assistant.text import collapse_ws  # noqa: E402
from assistant.tuning import tuned_embedder  # noqa: E402

ASKERS = {"parent": "parents", "staff": "staff", "committee": "committee", "visitor": "visitors"}
COLUMNS = ("| set | hit@1 | hit@3 | answered in scope | declined out of scope | edge / bad input "
           "| direct precision | reach |")
STRAIGHT_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def _norm(text: str) -> str:
    return collapse_ws(text.translate(STRAIGHT_QUOTES)).lower()


def _holds(reply: dict, expect: list[str], k: int) -> bool:
    quoted = [_norm(m.get("text", "")) for m in reply.get("matches", [])[:k]]
    return any(_norm(e) in q for e in expect for q in quoted)


def _rate(count: int, total: int) -> str:
    return f"{count / total:.3f}" if total else ""


def phrased_row(engine: Engine, path: Path, dump: list | None = None) -> list[str]:
    """hit@1, hit@3, answered, declined and edge figures of a set labelled with expected phrases, and
    the trust figures: how often a direct answer quotes the right rule first, and how often the right
    rule is reached, directly or among the first three offered to choose from."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    replies = []
    for it in items:
        answer, ranking = engine.ask_ranked(it["q"].replace("\n", " "), ASKERS[it.get("asker", "parent")])
        replies.append(answer_json(answer, engine.kb))
        if dump is not None and ranking is not None and it["scope"] in ("in", "out"):
            dump.append({"set": path.parent.name if path.stem == "questions" else path.stem,
                         **_features(engine, it, answer, ranking)})
    figures = set_figures(items, replies)
    counts = f"({figures.pop('in_scope')} in, {figures.pop('out_of_scope')} out, {figures.pop('edge_or_bad')} edge/bad)"
    return [f"`{path.name}` {counts}", *figures.values()]


def set_figures(items: list[dict], replies: list[dict]) -> dict:
    """A set's figures from its replies (`answer_json`), scored as ../shared/eval/score.py scores them."""
    pairs = list(zip(items, replies))
    ins = [(it, r) for it, r in pairs if it["scope"] == "in"]
    outs = [r for it, r in pairs if it["scope"] == "out"]
    edges = [(it, r) for it, r in pairs if it["scope"] in ("edge", "bad")]
    edge_ok = sum(not r["answered"] or (bool(it.get("expect")) and _holds(r, it["expect"], 1)) for it, r in edges)
    return {"in_scope": len(ins), "out_of_scope": len(outs), "edge_or_bad": len(edges),
            "hit@1": _rate(sum(r["answered"] and _holds(r, it["expect"], 1) for it, r in ins), len(ins)),
            "hit@3": _rate(sum(r["answered"] and _holds(r, it["expect"], 3) for it, r in ins), len(ins)),
            "answered": _rate(sum(r["answered"] for _, r in ins), len(ins)),
            "declined": _rate(sum(not r["answered"] for r in outs), len(outs)),
            "edge": _rate(edge_ok, len(edges)),
            "direct_precision": _rate(sum(_holds(r, it["expect"], 1) for it, r in ins if r["kind"] == "answer"),
                                      sum(r["kind"] == "answer" for _, r in ins)),
            "reach": _rate(sum(_holds(r, it["expect"], 1) if r["kind"] == "answer"
                               else r["answered"] and _holds(r, it["expect"], 3) for it, r in ins), len(ins))}


def _features(engine: Engine, item: dict, answer, ranking) -> dict:
    """What the decision to answer, offer a choice or decline could rest on, for one question (--dump)."""
    from assistant.answer import distinct_matches

    ranked = distinct_matches(ranking.matches[:30], engine.kb, limit=5)
    right = [i for i, m in enumerate(ranked[:5])
             if any(_norm(e) in _norm(engine.kb.passage_text(m.rule)) for e in item.get("expect") or [])]
    return {"q": item["q"], "scope": item["scope"], "kind": answer.kind, "right": right[0] if right else None,
            "dense": [round(m.dense, 4) for m in ranked[:4]], "score": [round(m.score, 4) for m in ranked[:4]],
            "curated": [bool(m.rule.examples) for m in ranked[:4]],
            "same_policy": len(ranked) > 1 and ranked[0].rule.policy_id == ranked[1].rule.policy_id,
            "off_topic": round(ranking.off_topic_for(ranked[0].rule.policy_id), 4) if ranked else None,
            "near3": [(round(m.dense, 4), round(ranking.off_topic_for(m.rule.policy_id), 4))
                      for m in ranking.matches[:3]]}


def own_row(engine: Engine, path: Path) -> list[str]:
    report = evaluate(engine, load_questions(path, {r.id for r in engine.kb.rules}))
    n, m = report.in_scope, report.out_of_scope
    return [f"`eval/{path.name}` ({n} in, {m} out)", _rate(report.hit1, n), _rate(report.hit3, n),
            _rate(report.answered, n), _rate(report.declined, m), "", "", ""]


def engine_with(config: Config, embedder: Embedder, policies: list[Path], scratch: Path) -> Engine:
    """An engine over the shipped knowledge plus these policies, ingested into a scratch copy."""
    knowledge = config.knowledge_dir
    if policies:
        knowledge = scratch / "knowledge"
        shutil.copytree(config.knowledge_dir, knowledge)
        for document in policies:
            ingest_file(document, knowledge)
    return Engine.build(dataclasses.replace(config, knowledge_dir=knowledge, index_dir=scratch / "embeddings"),
                        embedder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "eval",
                        help="the folder of the real-phrasing development sets (skipped when absent)")
    parser.add_argument("--set", nargs="+", action="append", default=[], metavar="FILE",
                        help="a question set, then the policy files to ingest before asking it")
    parser.add_argument("--no-bank", action="store_true",
                        help="the model without the question bank's domain adapter (to measure what the bank adds)")
    parser.add_argument("--dump", type=Path, help="write each question's ranking features here (JSON lines)")
    args = parser.parse_args()
    config = load_config(ROOT / "config.yaml")
    if args.no_bank:
        config = dataclasses.replace(config, tuning=dataclasses.replace(config.tuning, domain=False))
    dump: list | None = [] if args.dump else None
    # Fitted to the shipped examples only: ingested policies bring none, so every set shares one model.
    embedder = tuned_embedder(config, load_knowledge(config.knowledge_dir))
    sets = [(Path(first), [Path(p) for p in rest]) for first, *rest in args.set]
    if args.shared.is_dir():
        sets[:0] = [(args.shared / "social_media_dev.yaml", []),
                    (args.shared / "policies_dev.yaml", sorted((args.shared / "policies").glob("*.md")))]
    print(COLUMNS)
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        shipped = engine_with(config, embedder, [], Path(tmp) / "shipped")
        for own in sorted((ROOT / "eval").glob("*.yaml")):
            print("| " + " | ".join(own_row(shipped, own)) + " |", flush=True)
        for number, (questions, policies) in enumerate(sets):
            engine = engine_with(config, embedder, policies, Path(tmp) / str(number)) if policies else shipped
            row = phrased_row(engine, questions, dump)
            if policies:
                row[0] += f", after ingesting {len(policies)} policies"
            print("| " + " | ".join(row) + " |", flush=True)
    if args.dump:
        import json

        args.dump.write_text("".join(json.dumps(entry) + "\n" for entry in dump), encoding="utf-8")


if __name__ == "__main__":
    main()
