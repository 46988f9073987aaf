"""Loads knowledge/ into a KnowledgeBase, strictly: unknown or missing keys, duplicate ids and
wording that is not in the source document are errors naming the file and line."""
from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import Any

from assistant.errors import KnowledgeError, Problem
from assistant.policy import ALL_POLICIES, AUDIENCE_VALUES, KnowledgeBase, Policy, QuizItem, Rule, fingerprint_files
from assistant.passages import passages
from assistant.text import collapse_ws
from assistant.yaml_lines import LineDict, read_yaml

SYNONYMS_FILE = "synonyms.yaml"
OFF_TOPIC_FILE = "off_topic.yaml"  # questions no policy answers, whatever policy comes nearest
FILE_KEYS = {"policy", "rules", "off_topic"}
POLICY_KEYS = {"id", "title", "source", "last_reviewed", "sections", "contact_routes"}
POLICY_REQUIRED = {"id", "title", "source"}
RULE_KEYS = {"id", "section", "audience", "text", "plain", "examples", "internal", "quiz", "review"}
RULE_REQUIRED = {"id", "section", "audience", "text"}
QUIZ_KEYS = {"question", "options", "answer", "why", "see_also"}
QUIZ_REQUIRED = {"question", "options", "answer", "why"}
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


class _Collector:
    """Gathers problems for one file so that `check` can report all of them at once."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[Problem] = []

    def error(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def keys(self, mapping: LineDict, allowed: set[str], required: set[str], what: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.error(mapping.line_of(key), f"unknown key '{key}' in {what}")
        for key in sorted(required - set(mapping)):
            self.error(mapping.line, f"missing key '{key}' in {what}")

    def string_list(self, mapping: LineDict, key: str, what: str) -> tuple[str, ...]:
        value = mapping.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.error(mapping.line_of(key), f"'{key}' in {what} must be a list of non-empty strings")
            return ()
        return tuple(v.strip() for v in value)

    def text(self, mapping: LineDict, key: str, what: str) -> str:
        value = mapping.get(key)
        if not isinstance(value, str) or not value.strip():
            self.error(mapping.line_of(key), f"'{key}' in {what} must be non-empty text")
            return ""
        return value


def _word_char(text: str, at: int) -> bool:
    return 0 <= at < len(text) and (text[at].isalnum() or text[at] == "_")


def _contains_words(haystack: str, wanted: str) -> bool:
    # Whole words only: "hones is not permitted" must not pass for "phones is not permitted".
    # str.find, not a regex per rule: a policy of thousands of rules is checked in seconds.
    start = haystack.find(wanted) if wanted else -1
    while start != -1:
        if not (_word_char(haystack, start - 1) and _word_char(wanted, 0)) and not (
                _word_char(haystack, start + len(wanted)) and _word_char(wanted, len(wanted) - 1)):
            return True
        start = haystack.find(wanted, start + 1)
    return False


@functools.lru_cache(maxsize=8)
def _flattened(source: str) -> tuple[str, str]:
    """The source with whitespace collapsed, as written and with quote marks straightened: once per
    document, not once per rule."""
    flat = collapse_ws(source)
    return flat, flat.translate(_QUOTES)


def verbatim_problem(text: str, source: str) -> str | None:
    """Why `text` is not word for word in `source` (only whitespace may differ), or None if it is."""
    wanted = collapse_ws(text)
    haystack, straightened = _flattened(source)
    if _contains_words(haystack, wanted):
        return None
    if _contains_words(straightened, wanted.translate(_QUOTES)):
        return "text differs from the source only in its quote marks or apostrophes; copy them exactly"
    return "text does not appear word for word in the source document"


def _policy(raw: Any, path: Path, out: _Collector) -> Policy | None:
    if not isinstance(raw, LineDict):
        out.error(getattr(raw, "line", None), "'policy' must be a mapping")
        return None
    out.keys(raw, POLICY_KEYS, POLICY_REQUIRED, "policy")
    title = out.text(raw, "title", "policy")
    policy_id = out.text(raw, "id", "policy")
    source_name = out.text(raw, "source", "policy")
    reviewed = raw.get("last_reviewed")
    if reviewed is not None and not isinstance(reviewed, dt.date):
        out.error(raw.line_of("last_reviewed"), "'last_reviewed' must be a date (YYYY-MM-DD) or null")
        reviewed = None
    sections = out.string_list(raw, "sections", "policy")
    routes = out.string_list(raw, "contact_routes", "policy")
    if not (title and policy_id and source_name):
        return None
    folder = path.parent.resolve()
    source = (folder / source_name).resolve()
    if not source.is_relative_to(folder):
        # The knowledge folder is what the committee publishes: nothing else on the machine may be quoted.
        out.error(raw.line_of("source"), f"source document '{source_name}' is outside the knowledge folder; "
                                         "put the document in the folder and give just its file name")
        return None
    try:
        source_text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        out.error(raw.line_of("source"), f"source document '{source_name}' cannot be read as UTF-8 text")
        return None
    if not collapse_ws(source_text):
        out.error(raw.line_of("source"), f"source document '{source_name}' is empty")
        return None
    for route in routes:
        if verbatim_problem(route, source_text):
            out.error(raw.line_of("contact_routes"), f"contact route '{route}' is not in the source document")
    return Policy(policy_id, title, source, source_text, path, reviewed, sections, routes)


def _quiz_item(raw: Any, rule_id: str, path: Path, out: _Collector) -> QuizItem | None:
    """One scenario question; the correct option is named by its exact text, so reordering is safe."""
    what = f"quiz item of rule '{rule_id}'"
    if not isinstance(raw, LineDict):
        out.error(getattr(raw, "line", None), f"each {what} must be a mapping")
        return None
    before = len(out.problems)
    out.keys(raw, QUIZ_KEYS, QUIZ_REQUIRED, what)
    question, why = out.text(raw, "question", what), out.text(raw, "why", what)
    options = out.string_list(raw, "options", what)
    folded = [collapse_ws(o).casefold() for o in options]
    if "options" in raw and not 2 <= len(options) <= 5:
        out.error(raw.line_of("options"), f"{what}: give 2 to 5 options (got {len(options)})")
    for option in sorted({o for o in folded if folded.count(o) > 1}):
        out.error(raw.line_of("options"), f"{what}: option '{option}' is listed more than once")
    answer = raw.get("answer")
    if isinstance(answer, list):
        out.error(raw.line_of("answer"), f"{what}: 'answer' must name exactly one correct option, not {len(answer)}")
    elif "answer" in raw and not isinstance(answer, str):
        out.error(raw.line_of("answer"), f"{what}: 'answer' must be the exact text of the correct option")
    elif isinstance(answer, str) and collapse_ws(answer).casefold() not in folded:
        out.error(raw.line_of("answer"), f"{what}: 'answer' is not one of the options")
    see_also = out.string_list(raw, "see_also", what)
    if len(out.problems) > before:
        return None
    return QuizItem(collapse_ws(question), tuple(collapse_ws(o) for o in options),
                    folded.index(collapse_ws(answer).casefold()), collapse_ws(why), rule_id, see_also,
                    path, raw.line)


def _quiz(raw: LineDict, rule_id: str, path: Path, out: _Collector) -> tuple[QuizItem, ...]:
    items = raw.get("quiz") or []
    if not isinstance(items, list):
        out.error(raw.line_of("quiz"), f"'quiz' of rule '{rule_id}' must be a list of questions")
        return ()
    return tuple(q for q in (_quiz_item(item, rule_id, path, out) for item in items) if q)


def quiz_problems(rules: list[Rule]) -> list[Problem]:
    """Checks across rules: quiz questions asked twice, and `see_also` naming a rule that does not exist."""
    problems, ids, seen = [], {r.id for r in rules}, {}
    for item in (q for r in rules for q in r.quiz):
        key = item.question.casefold()
        if key in seen:
            first = seen[key]
            problems.append(Problem(item.file, item.line, f"duplicate quiz question '{item.question[:60]}' "
                                    f"(first at {first.file.name}:{first.line})"))
        seen.setdefault(key, item)
        problems.extend(Problem(item.file, item.line, f"quiz item of rule '{item.rule_id}': see_also names "
                                f"unknown rule '{other}'") for other in item.see_also if other not in ids)
    return problems


def _rule(raw: Any, policy: Policy, path: Path, out: _Collector) -> Rule | None:
    if not isinstance(raw, LineDict):
        out.error(None, "each rule must be a mapping")
        return None
    before = len(out.problems)
    rule_id = raw.get("id", "?")
    what = f"rule '{rule_id}'"
    out.keys(raw, RULE_KEYS, RULE_REQUIRED, what)
    text = out.text(raw, "text", what)
    section = out.text(raw, "section", what)
    if section and policy.sections and section not in policy.sections:
        out.error(raw.line_of("section"), f"{what}: section '{section}' is not listed in the policy's sections")
    audience = out.string_list(raw, "audience", what)
    for value in audience:
        if value not in AUDIENCE_VALUES:
            out.error(raw.line_of("audience"), f"{what}: unknown audience '{value}' (use {', '.join(AUDIENCE_VALUES)})")
    if "audience" in raw and not audience:
        out.error(raw.line_of("audience"), f"{what}: audience must name at least one of {', '.join(AUDIENCE_VALUES)}")
    plain = raw.get("plain")
    if plain is not None and (not isinstance(plain, str) or not plain.strip()):
        out.error(raw.line_of("plain"), f"{what}: 'plain' must be non-empty text (or be left out)")
        plain = None
    examples = out.string_list(raw, "examples", what)
    quiz = _quiz(raw, str(rule_id), path, out)
    review = raw.get("review")  # written by re-ingest when the wording changed; a person deletes it
    if review is not None and (not isinstance(review, str) or not review.strip()):
        out.error(raw.line_of("review"), f"{what}: 'review' must be non-empty text (or be left out)")
        review = None
    internal = raw.get("internal", False)
    if not isinstance(internal, bool):
        out.error(raw.line_of("internal"), f"{what}: 'internal' must be true or false")
    if not isinstance(rule_id, str) or not rule_id.strip():
        out.error(raw.line_of("id"), "rule id must be non-empty text")
    if text:
        reason = verbatim_problem(text, policy.source_text)
        if reason:
            out.error(raw.line_of("text"), f"{what}: {reason} ({policy.source.name})")
    if len(out.problems) > before:
        return None
    return Rule(rule_id, policy.id, section, collapse_ws(text), audience, plain and collapse_ws(plain),
                examples, bool(internal), path, raw.line, quiz, review and collapse_ws(review))


def _read_policy_file(path: Path, out: _Collector) -> tuple[Policy | None, list[Rule], list[str]]:
    data = read_yaml(path)
    if not isinstance(data, LineDict):
        out.error(1, "expected a mapping with 'policy' and 'rules'")
        return None, [], []
    out.keys(data, FILE_KEYS, {"policy", "rules"}, "the file")
    policy = _policy(data.get("policy"), path, out)
    raw_rules = data.get("rules") or []
    if not isinstance(raw_rules, list):
        out.error(data.line_of("rules"), "'rules' must be a list")
        raw_rules = []
    rules = [r for r in (_rule(raw, policy, path, out) for raw in raw_rules) if r] if policy else []
    off_topic = list(out.string_list(data, "off_topic", "the file"))
    return policy, rules, off_topic


def _read_synonyms(path: Path, out: _Collector) -> dict[str, str]:
    data = read_yaml(path)
    if not isinstance(data, LineDict) or set(data) != {"synonyms"} or not isinstance(data["synonyms"], LineDict):
        out.error(1, "expected one key 'synonyms' mapping informal words to policy words")
        return {}
    result = {}
    for key, value in data["synonyms"].items():
        if not isinstance(key, str) or not isinstance(value, str) or not key.strip() or not value.strip():
            out.error(data["synonyms"].line_of(key), f"synonym '{key}' must map a word to non-empty text")
            continue
        result[key.lower()] = value.lower()
    return result


def _read_off_topic(path: Path, out: _Collector) -> tuple[str, ...]:
    data = read_yaml(path)
    if not isinstance(data, LineDict) or set(data) != {"off_topic"}:
        out.error(1, "expected one key 'off_topic' listing questions no policy answers")
        return ()
    return out.string_list(data, "off_topic", "the file")


def read_knowledge(directory: Path) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Read every knowledge file; return the knowledge base (None if any error) and all problems."""
    problems: list[Problem] = []
    policies: dict[str, Policy] = {}
    rules: list[Rule] = []
    off_topic: dict[str, tuple[str, ...]] = {}
    synonyms: dict[str, str] = {}
    files = sorted(directory.glob("*.yaml"))
    if not files:
        return None, [Problem(directory, None, "no knowledge files (*.yaml) found")]
    seen: dict[str, Rule] = {}
    for path in files:
        out = _Collector(path)
        try:
            if path.name == SYNONYMS_FILE:
                synonyms = _read_synonyms(path, out)
            elif path.name == OFF_TOPIC_FILE:
                off_topic[ALL_POLICIES] = _read_off_topic(path, out)
            else:
                policy, file_rules, extra = _read_policy_file(path, out)
                if policy and policy.id in policies:
                    out.error(None, f"policy id '{policy.id}' is also used by {policies[policy.id].file.name}")
                elif policy:
                    policies[policy.id] = policy
                for rule in file_rules:
                    if rule.id in seen:
                        other = seen[rule.id]
                        out.error(rule.line, f"duplicate rule id '{rule.id}' (first at {other.file.name}:{other.line})")
                    else:
                        seen[rule.id] = rule
                        rules.append(rule)
                if policy and extra:
                    off_topic[policy.id] = tuple(extra)
        except KnowledgeError as exc:
            out.problems.extend(exc.problems)
        problems.extend(out.problems)
    problems.extend(quiz_problems(rules))
    if not rules and not any(p.severity == "error" for p in problems):
        problems.append(Problem(directory, None, "no rules in any policy file: there is nothing to answer from"))
    if any(p.severity == "error" for p in problems):
        return None, problems
    sources = [p.source for p in policies.values()]
    kb = KnowledgeBase(policies, tuple(rules), off_topic, synonyms, fingerprint_files(files + sources),
                       passages(policies, rules))
    return kb, problems


def load_knowledge(directory: Path) -> KnowledgeBase:
    """The knowledge base, or KnowledgeError listing every problem (file and line)."""
    kb, problems = read_knowledge(directory)
    if kb is None:
        raise KnowledgeError([p for p in problems if p.severity == "error"])
    return kb
