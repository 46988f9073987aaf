"""Choosing the answer settings from measurements (not a test: quote its output).

    .venv/bin/python benchmarks/quality.py --set ... --dump ranks.jsonl
    .venv/bin/python benchmarks/calibrate.py ranks.jsonl [--top 15]

Replays `compose`'s decisions (decline, choose, or answer directly) over the rankings that
`quality.py --dump` wrote, for a grid of `answer_threshold`, `off_topic_margin`, `sure_threshold`,
`sure_lead`, `sure_lead_curated` and `choose_floor`, and prints the settings whose worst set is best:
a direct answer must quote the right rule first (direct precision), the right rule must be reached
(reach), and out-of-scope questions must still be declined. Everything is replayed from the dump, so a
grid of thousands of settings takes seconds and the model is loaded once, by quality.py.
"""
from __future__ import annotations

import argparse
import itertools
import json
from collections import defaultdict
from pathlib import Path


def decide(q: dict, s: dict) -> str:
    """'decline', 'choose' or 'answer', as compose decides it (assistant/answer.py)."""
    vouching = [d for d, off in q["near3"] if off < d - s["off_topic_margin"]]
    sure = max(vouching, default=-1.0)
    if sure < s["answer_threshold"] or q["off_topic"] >= sure - s["off_topic_margin"]:
        return "decline"
    dense, score = q["dense"], q["score"]
    if len(dense) > 1:
        needed = s["sure_lead_curated"] if q["curated"][0] else s["sure_lead"]
        certain = dense[0] >= s["sure_threshold"] and score[0] - score[1] >= needed
    else:
        certain = dense[0] >= s["sure_threshold"]
    offered = [d for d in dense[:3] if d >= s["choose_floor"]]
    return "answer" if certain or len(offered) < 2 else "choose"


def figures(rows: list[dict], s: dict) -> dict:
    ins = [q for q in rows if q["scope"] == "in"]
    outs = [q for q in rows if q["scope"] == "out"]
    kinds = [decide(q, s) for q in ins]
    direct = [q for q, k in zip(ins, kinds) if k == "answer"]
    offered = lambda q: sum(d >= s["choose_floor"] for d in q["dense"][:3])
    reached = sum((k == "answer" and q["right"] == 0) or
                  (k == "choose" and q["right"] is not None and q["right"] < offered(q))
                  for q, k in zip(ins, kinds))
    out_kinds = [decide(q, s) for q in outs]
    rate = lambda n, d: n / d if d else 1.0
    return {"hit1": rate(sum(k != "decline" and q["right"] == 0 for q, k in zip(ins, kinds)), len(ins)),
            "precision": rate(sum(q["right"] == 0 for q in direct), len(direct)),
            "coverage": rate(len(direct), len(ins)), "reach": rate(reached, len(ins)),
            "answered": rate(sum(k != "decline" for k in kinds), len(ins)),
            "declined": rate(sum(k == "decline" for k in out_kinds), len(outs)),
            "false_direct": rate(sum(k == "answer" for k in out_kinds), len(outs))}


GRID = {
    "answer_threshold": [0.44, 0.46, 0.48, 0.50, 0.52, 0.54, 0.56, 0.58],
    "off_topic_margin": [0.0, 0.03],
    "sure_threshold": [0.0, 0.55, 0.6, 0.65, 0.7, 0.75],
    "sure_lead": [0.0, 0.04, 0.08, 0.1, 0.12, 0.15],
    "sure_lead_curated": [0.0, 0.02, 0.04],
    "choose_floor": [0.3, 0.4],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dump", type=Path)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--min-precision", type=float, default=0.90)
    args = parser.parse_args()
    by_set: dict[str, list[dict]] = defaultdict(list)
    for line in args.dump.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        by_set[row["set"]].append(row)
    results = []
    for values in itertools.product(*GRID.values()):
        s = dict(zip(GRID, values))
        per = {name: figures(rows, s) for name, rows in by_set.items()}
        worst = {k: min(f[k] for f in per.values()) for k in next(iter(per.values()))}
        # Trust first (a direct answer must be right), then reaching the right rule, then declines.
        key = (min(worst["precision"], args.min_precision), round(worst["reach"] + worst["declined"], 3),
               worst["coverage"])
        results.append((key, s, per))
    results.sort(key=lambda r: r[0], reverse=True)
    names = list(by_set)
    print("settings | " + " | ".join(f"{n}: hit1 prec cov reach decl" for n in names))
    for _, s, per in results[:args.top]:
        cells = [" ".join(f"{per[n][k]:.2f}" for k in ("hit1", "precision", "coverage", "reach", "declined"))
                 for n in names]
        print(" ".join(f"{k}={v}" for k, v in s.items()) + " | " + " | ".join(cells))


if __name__ == "__main__":
    main()
