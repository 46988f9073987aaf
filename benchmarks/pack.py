"""How long a whole policy pack takes: a synthetic pack of N made-up policies (Markdown and Word, as
a real setting's are) ingested into a scratch copy of the knowledge, then indexed with the model.

    .venv/bin/python benchmarks/pack.py [--policies 30]
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TOPICS = ("sickness", "fees", "collection", "medication", "complaints", "food", "nappy changing", "safeguarding",
          "admissions", "key person", "outings", "behaviour", "equality", "special educational needs",
          "sun safety", "fire safety", "lost child", "uncollected child", "photographs", "mobile phones",
          "settling in", "toilet training", "accidents", "allergies", "emergency closure", "transitions",
          "data protection", "whistleblowing", "health and safety", "parental involvement", "visitors",
          "students on placement", "staffing", "late payment", "lunch boxes", "hand washing")
SENTENCES = (
    "Parents must tell the manager about any {t} concern before the session starts.",
    "Staff record every {t} matter in the setting's log on the same day.",
    "The key person explains the {t} arrangements to each new family.",
    "We review our {t} procedure every year with the management committee.",
    "Children are never left alone while a {t} matter is dealt with.",
    "Any change to {t} arrangements is shared with parents in writing.",
    "Parents may ask to see the {t} records held about their own child.",
    "A member of staff trained in {t} is on site during every session.",
    "If parents disagree with a {t} decision, they can speak to the chairperson.",
    "Visitors are told about our {t} rules when they sign in.",
    "We ask parents to support the {t} procedure at home where they can.",
    "Where a child's needs change, the {t} plan is updated within two weeks.",
)


def write_pack(folder: Path, policies: int, seed: int = 5) -> list[Path]:
    """N policy documents in `folder`, a third of them Word files, each with sections and statements."""
    import docx

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for n in range(policies):
        topic = TOPICS[n % len(TOPICS)] + ("" if n < len(TOPICS) else f" {n // len(TOPICS) + 1}")
        title = f"{topic.title()} Policy"
        sections = [("Aims", rng.sample(SENTENCES, 3)), ("Procedures", rng.sample(SENTENCES, 6)),
                    ("Working with parents", rng.sample(SENTENCES, 4))]
        if n % 3 == 2:
            document = docx.Document()
            document.add_heading(title, level=0)
            for heading, sentences in sections:
                document.add_heading(heading, level=1)
                for sentence in sentences:
                    document.add_paragraph(sentence.format(t=topic), style="List Bullet")
            path = folder / f"{topic.replace(' ', '-')}-policy.docx"
            document.save(str(path))
        else:
            lines = [f"# {title}", ""]
            for heading, sentences in sections:
                lines += [f"## {heading}", "", *(f"- {s.format(t=topic)}" for s in sentences), ""]
            path = folder / f"{topic.replace(' ', '-')}-policy.md"
            path.write_text("\n".join(lines), encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from assistant.config import load_config
    from assistant.index import build_index
    from assistant.ingest.pack import ingest_pack
    from assistant.loader import load_knowledge
    from assistant.tuning import tuned_embedder

    parser = argparse.ArgumentParser()
    parser.add_argument("--policies", type=int, default=30)
    args = parser.parse_args()
    config = load_config(ROOT / "config.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        knowledge = Path(tmp) / "knowledge"
        shutil.copytree(config.knowledge_dir, knowledge)
        files = write_pack(Path(tmp) / "pack", args.policies)
        start = time.perf_counter()
        pack = ingest_pack([Path(tmp) / "pack"], knowledge)
        ingest_s = time.perf_counter() - start
        kb = load_knowledge(knowledge)
        embedder = tuned_embedder(config, kb)  # the shipped examples only: ingested rules have none
        start = time.perf_counter()
        index = build_index(kb, embedder, progress=False)
        index_s = time.perf_counter() - start
    print(f"synthetic pack: {len(files)} documents ({sum(f.suffix == '.docx' for f in files)} Word), "
          f"{len(pack.results)} ingested, {len(pack.refused)} refused")
    print(f"  ingest: {ingest_s:.1f} s ({ingest_s / len(files):.2f} s a policy)")
    print(f"  index of the whole knowledge ({len(kb.policies)} policies, {len(kb.rules)} rules, "
          f"{len(index.entries)} texts): {index_s:.1f} s")
    print(f"  total: {ingest_s + index_s:.1f} s")


if __name__ == "__main__":
    main()
