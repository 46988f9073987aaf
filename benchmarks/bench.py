"""Speed and memory of the engine on this machine (not a test: quote its output, medians and ratios).

    .venv/bin/python benchmarks/bench.py [--synthetic 10000] [--ingest 250,500,1000,2000]

Reports warm per-question latency (median, p95) beside a bare `model.encode` of the same questions,
cold start to first answer (a fresh process), index build time, peak memory, and the same for a
synthetic knowledge base of N rules; and how ingest time grows with a Word document's length.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.config import load_config  # noqa: E402
from assistant.engine import Engine  # noqa: E402
from assistant.evaluation import load_questions  # noqa: E402
from assistant.index import build_index  # noqa: E402
from assistant.loader import load_knowledge  # noqa: E402
from assistant.policy import KnowledgeBase, Policy, Rule  # noqa: E402
from assistant.retrieval import Retriever  # noqa: E402
from assistant.tuning import training_pairs, tuned_embedder  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def timed(fn, items) -> list[float]:
    out = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - start) * 1000)
    return out


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic_kb(n: int, seed: int = 7) -> KnowledgeBase:
    """N made-up rules over a made-up source: realistic length and vocabulary, nothing more."""
    rng = random.Random(seed)
    subjects = ["Parents", "Staff", "Visitors", "The committee", "Children", "Students on placement"]
    verbs = ["must not", "should", "may", "will not", "are asked to", "must always"]
    objects = ["bring", "use", "share", "photograph", "store", "discuss", "collect", "label", "report", "clean"]
    things = ["lunch boxes", "medicine", "nappies", "toys from home", "sun cream", "tablets", "car seats",
              "birthday cakes", "outdoor clothing", "water bottles", "library books", "spare clothes",
              "allergy plans", "accident forms", "fire drills", "garden tools", "paint", "sand", "bikes"]
    places = ["in the hall", "in the garden", "at drop off", "on trips", "in the kitchen", "at pick up",
              "during snack time", "in the toilets", "on the minibus", "at the summer fair"]
    texts = []
    for i in range(n):
        texts.append(f"{rng.choice(subjects)} {rng.choice(verbs)} {rng.choice(objects)} "
                     f"{rng.choice(things)} {rng.choice(places)} (item {i}).")
    source = "\n".join(texts)
    policy = Policy("synthetic", "Synthetic policy", Path("synthetic.txt"), source, Path("synthetic.yaml"),
                    None, ("Rules",), ())
    rules = tuple(Rule(f"r{i}", "synthetic", "Rules", t, ("everyone",), None,
                       (f"can i {t.split()[3]} {t.split()[4]} {t.split()[5]}?",)) for i, t in enumerate(texts))
    return KnowledgeBase({"synthetic": policy}, rules, {}, {}, f"synthetic-{n}")


def synthetic_docx(paragraphs: int, out: Path, seed: int = 11) -> Path:
    """A Word policy of N made-up paragraphs under headings, as long policies are written."""
    import docx

    rng = random.Random(seed)
    words = ("child parent staff collect fee medicine nappy lunch snack session key person illness "
             "exclusion hours written consent emergency contact manager committee outing").split()
    document = docx.Document()
    document.add_heading("Long policy", level=0)
    for n in range(paragraphs):
        if n % 12 == 0:
            document.add_heading(f"Part {n // 12 + 1}", level=1)
        document.add_paragraph(" ".join(rng.choice(words) for _ in range(16)).capitalize() + f" (clause {n}).")
    document.save(str(out))
    return out


def ingest_scaling(sizes: list[int], knowledge: Path) -> None:
    from assistant.ingest import ingest_file

    print("ingest (dry run into a scratch copy of the knowledge) of a Word document of N paragraphs:")
    per_paragraph = []
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / "knowledge"
        shutil.copytree(knowledge, scratch)
        for size in sizes:
            document = synthetic_docx(size, Path(tmp) / f"long-{size}.docx")
            start = time.perf_counter()
            ingest_file(document, scratch, dry_run=True)
            seconds = time.perf_counter() - start
            per_paragraph.append(seconds / size * 1000)
            print(f"  {size:5d} paragraphs: {seconds:6.2f} s  ({per_paragraph[-1]:.2f} ms a paragraph)")
    print(f"  ms a paragraph, largest / smallest: {per_paragraph[-1] / per_paragraph[0]:.2f}x (1.0x is linear)")


def fitting_cost() -> tuple[float, float, float]:
    """Seconds of fitting the model from scratch, as a first start does, in a fresh process; that
    process's peak MB and the peak MB of the training process it starts."""
    code = ("import dataclasses, resource, sys, tempfile; from pathlib import Path; sys.path.insert(0, sys.argv[1])\n"
            "from assistant.config import load_config; from assistant.loader import load_knowledge\n"
            "from assistant.tuning import tuned_embedder\n"
            "config = load_config(Path(sys.argv[1]) / 'config.yaml')\n"
            "with tempfile.TemporaryDirectory() as tmp:\n"
            "    tuned_embedder(dataclasses.replace(config, data_dir=Path(tmp)), load_knowledge(config.knowledge_dir))\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "
            "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, str(ROOT)], check=True, capture_output=True, text=True)
    caller_mb, trainer_mb = done.stdout.split()[-2:]
    return time.perf_counter() - start, float(caller_mb), float(trainer_mb)


def cold_start(model_location: str, runs: int = 3) -> tuple[float, float, float]:
    """Medians of fresh processes, taken in turns: seconds to the assistant's first answer, its peak MB,
    and seconds for a bare import, load and encode of the same model (what the first answer adds to)."""
    sample = "can my sister put the christmas show pics on her insta?"
    bare_code = ("import sys; from sentence_transformers import SentenceTransformer\n"
                 "SentenceTransformer(sys.argv[1], device='cpu').encode([sys.argv[2]])")
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    answer_s, bare_s, peak = [], [], 0.0
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "assistant", "--config", str(ROOT / "config.yaml"), "ask", sample],
                       cwd=ROOT, check=True, capture_output=True, env=env)
        answer_s.append(time.perf_counter() - start)
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", bare_code, model_location, sample], check=True, capture_output=True,
                       env=env)
        bare_s.append(time.perf_counter() - start)
    return statistics.median(answer_s), peak, statistics.median(bare_s)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--synthetic", type=int, default=10_000)
    parser.add_argument("--ingest", default="250,500,1000,2000", help="document lengths to ingest ('' skips)")
    args = parser.parse_args()
    config = load_config(ROOT / "config.yaml")
    kb = load_knowledge(config.knowledge_dir)
    questions = [q.text for q in load_questions(ROOT / "eval" / "questions.yaml", {r.id for r in kb.rules})]

    embedder = tuned_embedder(config, kb)
    cold, child, bare = cold_start(embedder.location)

    tune_s, tune_mb, trainer_mb = fitting_cost()
    start = time.perf_counter()
    index = build_index(kb, embedder, progress=False)
    build_s = time.perf_counter() - start
    first = kb.rules[0]  # a /reload after the committee accepted one example question
    accepted = dataclasses.replace(kb, rules=(dataclasses.replace(first, examples=(*first.examples, "is the sandpit "
                                                                                   "covered at night?")), *kb.rules[1:]))
    start = time.perf_counter()
    build_index(accepted, embedder, progress=False)
    rebuild_s = time.perf_counter() - start
    engine = Engine(kb, Retriever(kb, index, embedder, config.retrieval), config.retrieval)
    for q in questions[:10]:  # warm-up
        engine.ask(q)
    ask_ms = timed(engine.ask, questions)
    encode_ms = timed(lambda q: embedder.encode([q]), questions)
    print(f"machine: {Path('/proc/cpuinfo').read_text().count('processor')} cores; python {sys.version.split()[0]}")
    print(f"questions timed: {len(questions)} (the eval set), after 10 warm-up")
    print(f"shipped knowledge: {len(kb.rules)} rules, {len(index.entries)} indexed texts")
    print(f"  cold start to first answer (fresh process, saved index): {cold:.2f} s; its peak RSS {child:.0f} MB")
    print(f"  bare import, model load and one encode (fresh process): {bare:.2f} s; first answer / bare: "
          f"{cold / bare:.2f}x")
    print(f"  fitting the model to {len(training_pairs(kb))} example questions (fresh process, nothing cached): "
          f"{tune_s:.1f} s; peak RSS {tune_mb:.0f} MB, of the training process it starts {trainer_mb:.0f} MB")
    print(f"  index build (embed + FAISS): {build_s:.2f} s; again after one example question is added "
          f"(a /reload): {rebuild_s:.2f} s")
    print(f"  warm ask:          median {statistics.median(ask_ms):6.2f} ms  p95 {percentile(ask_ms, .95):6.2f} ms")
    print(f"  bare model.encode: median {statistics.median(encode_ms):6.2f} ms  p95 {percentile(encode_ms, .95):6.2f} ms")
    print(f"  ask / encode (median): {statistics.median(ask_ms) / statistics.median(encode_ms):.2f}x")

    if args.ingest:
        ingest_scaling([int(n) for n in args.ingest.split(",")], config.knowledge_dir)
    if args.synthetic:
        big = synthetic_kb(args.synthetic)
        start = time.perf_counter()
        big_index = build_index(big, embedder, progress=False)
        big_build = time.perf_counter() - start
        settings = config.retrieval
        big_engine = Engine(big, Retriever(big, big_index, embedder, settings), settings)
        for q in questions[:10]:
            big_engine.ask(q)
        big_ms = timed(big_engine.ask, questions)
        print(f"synthetic knowledge: {len(big.rules)} rules, {len(big_index.entries)} indexed texts")
        print(f"  index build: {big_build:.1f} s")
        print(f"  warm ask:          median {statistics.median(big_ms):6.2f} ms  p95 {percentile(big_ms, .95):6.2f} ms"
              f"  ({statistics.median(big_ms) / statistics.median(encode_ms):.2f}x bare encode, "
              f"{statistics.median(big_ms) / statistics.median(ask_ms):.2f}x the shipped knowledge)")
    print(f"peak RSS of this process (model + both indexes): {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
