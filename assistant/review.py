"""The committee's review of what the assistant could not answer well: a declined or 👎 question
becomes an example question of the rule that answers it, or a knowledge-wide off-topic question.
The knowledge file is edited with its comments and layout kept (ruamel.yaml), the result must pass
`check` in a scratch copy first, and only then is it written, atomically: a failed edit changes nothing."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from assistant.errors import AssistantError, Problem
from assistant.files import atomic_write
from assistant.loader import OFF_TOPIC_FILE, SYNONYMS_FILE
from assistant.text import collapse_ws

OFF_TOPIC_HEADER = ("# Questions no policy answers, whichever policy comes nearest: the assistant declines them\n"
                    "# and points to the pre-school's contact routes. Added by the committee's review\n"
                    "# (/gaps, `python -m assistant review`); delete a line if a policy now answers it.\n")


class ReviewError(AssistantError):
    """An edit of the knowledge that cannot be made; the message says why, and nothing was written."""


@dataclass(frozen=True)
class Edit:
    """One change to one knowledge file, ready to write: the whole new text, and what it does in words."""

    path: Path
    text: str
    said: str


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: comments, key order and quoting survive
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)  # the layout `ingest` writes and the seed uses
    yaml.width = 4096  # never re-wrap a policy's wording
    yaml.representer.add_representer(type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml


def _dump(data) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
# Capitalised for reasons other than naming someone.
_NOT_NAMES = frozenset("""
I Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
August September October November December Christmas Easter Diwali Eid Hanukkah Halloween Ramadan
English British Facebook Instagram Tiktok Whatsapp Snapchat Youtube Google Tapestry Ofsted Calpol Nurofen
Piriton Mumsnet Covid Ok Hi Hello Thanks Please Sorry
""".split())
_STARTERS = frozenset("""
a an and any are as at but can could did do does for from has have he her his how i if in is it just me
my no not of on or our she should so that the their there these they this to was we were what when where
which who why will with would yes you your hi hello hey morning evening sorry quick
""".split())


def possible_names(question: str, policy_text: str) -> list[str]:
    """Capitalised words the policies never use: perhaps a child's or a family's name ("can Ollie's
    nan collect him?"). Such a question goes through Edit before it is saved to a rules file."""
    known = set(_WORD.findall(policy_text))
    found: list[str] = []
    sentence_start = True
    for match in _WORD.finditer(question):
        word = match.group(0).split("'")[0].split("’")[0]
        first, sentence_start = sentence_start, question[match.end():match.end() + 2].strip()[:1] in (".", "!", "?")
        if not word[:1].isupper() or word.isupper() or word in _NOT_NAMES or word in known:
            continue
        if first and (word.lower() in _STARTERS or word.lower() in known):
            continue  # "Can my mum…": capitalised only because a sentence starts with it
        if word not in found:
            found.append(word)
    return found


def _clean(question: str) -> str:
    question = collapse_ws(question)
    if not question:
        raise ReviewError("the question is empty")
    # Always in double quotes, as the seed writes them: the files are read as YAML 1.1, where a bare
    # "yes", "null" or "no: …" would not come back as the question.
    return DoubleQuotedScalarString(question)


def add_example(knowledge_dir: Path, rule_id: str, question: str) -> Edit:
    """The question added to the rule's example questions (a question it already has: an error)."""
    question = _clean(question)
    for path in sorted(knowledge_dir.glob("*.yaml")):
        if path.name in (SYNONYMS_FILE, OFF_TOPIC_FILE):
            continue
        data = _yaml().load(path.read_text(encoding="utf-8"))
        rules = data.get("rules") if isinstance(data, CommentedMap) else None
        for rule in rules if isinstance(rules, list) else []:
            if isinstance(rule, CommentedMap) and rule.get("id") == rule_id:
                _append_example(rule, question, rule_id)
                return Edit(path, _dump(data), f"Added “{question}” as an example question of rule "
                                               f"{rule_id} ({path.name}).")
    raise ReviewError(f"there is no rule {rule_id} in the knowledge")


def _append_example(rule: CommentedMap, question: str, rule_id: str) -> None:
    """Append to the rule's examples, keeping the comments and the blank line that end the rule after it."""
    examples = rule.get("examples")
    if isinstance(examples, list):
        if any(isinstance(q, str) and q.casefold() == question.casefold() for q in examples):
            raise ReviewError(f"rule {rule_id} already has that example question")
        examples.append(question)
        trailing = examples.ca.items.pop(len(examples) - 2, None)  # what followed the old last item
        if trailing:
            examples.ca.items[len(examples) - 1] = trailing
        return
    # A drafted rule ends with "# examples: TO DO" comments and a blank line, held by its last key:
    # they move below the new list, without the TO DO the list now answers.
    last = list(rule)[-1]
    trailing = rule.ca.items.pop(last, None)
    examples = CommentedSeq([question])
    rule["examples"] = examples
    token = trailing[2] if trailing and len(trailing) > 2 else None
    if token is not None:
        token.value = "".join(line for line in token.value.splitlines(True) if "# examples: TO DO" not in line)
        examples.ca.items[0] = [token, None]


def add_off_topic(knowledge_dir: Path, question: str) -> Edit:
    """The question added to knowledge/off_topic.yaml (made if missing)."""
    question = _clean(question)
    path = knowledge_dir / OFF_TOPIC_FILE
    data = _yaml().load(path.read_text(encoding="utf-8")) if path.exists() else None
    if not isinstance(data, CommentedMap):
        data = _yaml().load(OFF_TOPIC_HEADER + "off_topic: []\n")
    questions = data.get("off_topic")
    if not isinstance(questions, list) or not questions:
        questions = CommentedSeq(questions or [])
        data["off_topic"] = questions
    if any(isinstance(q, str) and q.casefold() == question.casefold() for q in questions):
        raise ReviewError("that question is already listed as off-topic")
    questions.append(question)
    return Edit(path, _dump(data), f"Added “{question}” to the off-topic questions ({path.name}): questions "
                                   "like it will be declined with the contact routes.")


def remove_off_topic(knowledge_dir: Path, question: str) -> Edit:
    """The question taken out of knowledge/off_topic.yaml (a policy now answers it)."""
    path = knowledge_dir / OFF_TOPIC_FILE
    data = _yaml().load(path.read_text(encoding="utf-8")) if path.exists() else None
    questions = data.get("off_topic") if isinstance(data, CommentedMap) else None
    if not isinstance(questions, list):
        raise ReviewError(f"there is no off-topic list in {OFF_TOPIC_FILE}")
    wanted = collapse_ws(question).casefold()
    position = next((n for n, q in enumerate(questions) if isinstance(q, str) and collapse_ws(q).casefold() == wanted),
                    None)
    if position is None:
        raise ReviewError("that question is no longer in the off-topic list")
    del questions[position]
    return Edit(path, _dump(data), f"Removed “{collapse_ws(question)}” from the off-topic questions ({path.name}): "
                                   "questions like it are answered from the policies again.")


def apply(knowledge_dir: Path, edit: Edit) -> list[Problem]:
    """Write the edit if the knowledge with it passes `check`; its warnings are returned. ReviewError
    (and nothing written) if it would not load."""
    from assistant.checker import check_with

    kb, problems = check_with(knowledge_dir, {edit.path.name: edit.text})
    errors = [p for p in problems if p.severity == "error"]
    if kb is None or errors:
        first = errors[0].message if errors else "the knowledge would not load"
        raise ReviewError(f"the change would break the knowledge ({first}); nothing was written")
    try:
        atomic_write(edit.path, edit.text.encode("utf-8"))
    except OSError as exc:
        raise ReviewError(f"cannot write {edit.path.name}: {exc.strerror or exc}; nothing was written") from None
    return [p for p in problems if p.file.name == edit.path.name]
