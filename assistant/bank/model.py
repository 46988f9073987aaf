"""Loading and validating the question bank's topic files."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.text import collapse_ws

TOPICS_DIR = Path(__file__).parent / "topics"
MIN_CONCEPTS = 8
MIN_QUESTIONS = 10
MAX_STATEMENTS = 3
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TOPIC_KEYS = {"topic", "title", "threads", "concepts", "not_answered"}
_CONCEPT_KEYS = {"id", "statements", "questions"}


class BankError(ValueError):
    """A topic file that does not follow the bank's schema (the message names the file)."""


@dataclass(frozen=True)
class Concept:
    id: str  # "<topic>.<concept>", unique across the bank
    topic: str
    statements: tuple[str, ...]
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    threads: tuple[str, ...]
    concepts: tuple[Concept, ...]
    not_answered: tuple[str, ...]


@dataclass(frozen=True)
class Bank:
    topics: tuple[Topic, ...]
    digest: str  # sha256 of the topic files' bytes, in name order: what a trained artifact was built from

    @property
    def concepts(self) -> list[Concept]:
        return [c for t in self.topics for c in t.concepts]

    @property
    def questions(self) -> list[str]:
        return [q for c in self.concepts for q in c.questions]


def _norm(text: str) -> str:
    return collapse_ws(text).lower()


def _strings(value: object, where: str, *, min_len: int = 1, max_len: int | None = None) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise BankError(f"{where}: must be a list of non-empty strings")
    if len(value) < min_len or (max_len is not None and len(value) > max_len):
        bound = f"{min_len}-{max_len}" if max_len else f"at least {min_len}"
        raise BankError(f"{where}: needs {bound} entries, has {len(value)}")
    return tuple(v.strip() for v in value)


def load_topic(path: Path) -> Topic:
    """One topic file, validated (schema, counts, no question twice within the topic)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise BankError(f"{path.name}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict) or set(data) != _TOPIC_KEYS:
        raise BankError(f"{path.name}: needs exactly the keys {sorted(_TOPIC_KEYS)}")
    topic_id = data["topic"]
    if not isinstance(topic_id, str) or not _ID.match(topic_id) or topic_id != path.stem:
        raise BankError(f"{path.name}: topic must be a lower_snake id equal to the file name")
    if not isinstance(data["title"], str) or not data["title"].strip():
        raise BankError(f"{path.name}: title must be text")
    threads = _strings(data["threads"], f"{path.name} threads", min_len=1)
    not_answered = _strings(data["not_answered"], f"{path.name} not_answered", min_len=5)
    raw = data["concepts"]
    if not isinstance(raw, list) or len(raw) < MIN_CONCEPTS:
        raise BankError(f"{path.name}: needs at least {MIN_CONCEPTS} concepts")
    concepts, seen_ids = [], set()
    for n, item in enumerate(raw, 1):
        where = f"{path.name} concept {n}"
        if not isinstance(item, dict) or set(item) != _CONCEPT_KEYS:
            raise BankError(f"{where}: needs exactly the keys {sorted(_CONCEPT_KEYS)}")
        cid = item["id"]
        if not isinstance(cid, str) or not _ID.match(cid) or cid in seen_ids:
            raise BankError(f"{where}: id must be a unique lower_snake id")
        seen_ids.add(cid)
        concepts.append(Concept(
            id=f"{topic_id}.{cid}", topic=topic_id,
            statements=_strings(item["statements"], f"{where} ({cid}) statements", max_len=MAX_STATEMENTS),
            questions=_strings(item["questions"], f"{where} ({cid}) questions", min_len=MIN_QUESTIONS)))
    return Topic(id=topic_id, title=data["title"].strip(), threads=threads, concepts=tuple(concepts),
                 not_answered=not_answered)


def load_bank(folder: Path = TOPICS_DIR) -> Bank:
    """Every topic of the bank, validated; a question may appear only once in the whole bank."""
    paths = sorted(folder.glob("*.yaml"))
    topics = tuple(load_topic(p) for p in paths)
    seen: dict[str, str] = {}
    for topic in topics:
        for text in [q for c in topic.concepts for q in c.questions] + list(topic.not_answered):
            key = _norm(text)
            if key in seen:
                raise BankError(f"{topic.id}: the question {text!r} is also in {seen[key]}")
            seen[key] = topic.id
    digest = hashlib.sha256()
    for p in paths:
        digest.update(p.name.encode() + b"\0" + p.read_bytes())
    return Bank(topics=topics, digest=digest.hexdigest())

