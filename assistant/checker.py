"""`check`: everything the loader enforces, plus what a committee should still look at, as warnings:
source sentences no rule covers, rules without a plain answer or example questions (counted per
policy), audiences guessed at ingest, rules flagged for review, plain answers opening with yes/no,
a missing review date, and knowledge-wide off-topic questions that a rule may now answer."""
from __future__ import annotations

import dataclasses
import re
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import Problem
from assistant.ingest.draft import GUESSED
from assistant.loader import OFF_TOPIC_FILE, read_knowledge
from assistant.policy import KnowledgeBase, Policy, Rule
from assistant.text import collapse_ws, collapse_ws_with_lines, count_of, is_courtesy

if TYPE_CHECKING:
    from assistant.ingest.conflicts import OffTopicConflict

_NOT_CONTENT = re.compile(r"[\s·•\-–—*:;,.()]+")
# "No." answers "can I...?" but is wrong for "do I have to...?": a plain answer states the rule.
_YES_NO = re.compile(r"^\s*(?:yes|no|yep|nope|please don'?t|don'?t|of course|sure)\b[.,!:;]?", re.I)
SHOWN_IDS = 5
_LIST_NUMBER = re.compile(r"(?<!\S)(?:\d{1,2}|[a-z]|[ivx]{1,4})(?=\s)")  # "1." / "b)" once punctuation is gone


def uncovered(policy: Policy, rules: list[Rule]) -> list[Problem]:
    """Source passages that belong to no rule (section headings count as covered)."""
    flat, lines = collapse_ws_with_lines(policy.source_text)
    covered = [False] * len(flat)
    for rule in rules:
        for match in re.finditer(re.escape(collapse_ws(rule.text)), flat):
            covered[match.start():match.end()] = [True] * (match.end() - match.start())
    headings = {number for number, line in enumerate(policy.source_text.splitlines(), 1)
                if collapse_ws(line) in policy.sections
                or (line.rstrip().endswith(":") and collapse_ws(line)[:-1].rstrip() in policy.sections)}
    # (a heading line "Aims:" names the section "Aims")
    covered = [c or line in headings for c, line in zip(covered, lines)]
    problems = []
    for match in re.finditer(r"[^\x00]+", "".join("\x00" if c else ch for c, ch in zip(covered, flat))):
        passage = _LIST_NUMBER.sub(" ", _NOT_CONTENT.sub(" ", match.group() + " ")).strip()
        if passage and not is_courtesy(collapse_ws(match.group())):
            problems.append(Problem(policy.source, lines[match.start()],
                                    f"not covered by any rule: \"{collapse_ws(match.group())[:80]}\"",
                                    "warning", "uncovered"))
    return problems


def _ids(rules: list[Rule]) -> str:
    shown = ", ".join(r.id for r in rules[:SHOWN_IDS])
    return shown + (f" and {len(rules) - SHOWN_IDS} more" if len(rules) > SHOWN_IDS else "")


def policy_warnings(policy: Policy, rules: list[Rule]) -> list[Problem]:
    """What a committee must know about one policy, a line each rather than a line per rule."""
    file = rules[0].file if rules else policy.source
    found = []
    if policy.last_reviewed is None:
        found.append(Problem(file, None, f"policy '{policy.id}' has no last_reviewed date: every answer from "
                             "it says \"last reviewed: not recorded\"", "warning", "no_review_date"))
    no_plain = [r for r in rules if not r.plain]
    if no_plain:
        found.append(Problem(file, no_plain[0].line, f"{len(no_plain)} of {len(rules)} rules of '{policy.id}' "
                             "have no plain answer yet, so the assistant quotes their wording with a neutral lead: "
                             + _ids(no_plain), "warning", "no_plain"))
    no_examples = [r for r in rules if not r.examples]
    if no_examples:
        found.append(Problem(file, no_examples[0].line, f"{len(no_examples)} of {len(rules)} rules of "
                             f"'{policy.id}' have no example questions, so they are found by their wording "
                             "alone (/gaps adds parents' real questions as examples): " + _ids(no_examples),
                             "warning", "no_examples"))
    guessed = _guessed_lines(file)
    if guessed:
        found.append(Problem(file, guessed[0], f"{len(guessed)} rules of '{policy.id}' have an audience guessed "
                             "from the wording at ingest: check each, then delete its comment "
                             f"\"{GUESSED}\"", "warning", "guessed_audience"))
    return found


def _guessed_lines(file: Path) -> list[int]:
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    return [n for n, line in enumerate(lines, 1) if line.lstrip().startswith("audience:") and GUESSED in line]


def answered_off_topic(directory: Path, kb: KnowledgeBase) -> list["OffTopicConflict"]:
    """Knowledge-wide off-topic questions sharing their subject with a rule: it may answer them now."""
    from assistant.ingest.conflicts import off_topic_conflicts
    from assistant.yaml_lines import read_yaml

    path = directory / OFF_TOPIC_FILE
    if not path.exists():
        return []
    # A rule's example questions say what it answers as well as its wording does.
    return off_topic_conflicts({path: read_yaml(path)},
                               [(r.id, " ".join((r.text, r.plain or "", *r.examples))) for r in kb.rules])


def check(directory: Path) -> tuple[KnowledgeBase | None, list[Problem]]:
    """All problems of the knowledge in `directory`, errors first."""
    kb, problems = read_knowledge(directory)
    if kb is not None:
        for policy in kb.policies.values():
            own = list(kb.rules_of(policy.id))
            problems.extend(uncovered(policy, own))
            problems.extend(policy_warnings(policy, own))
        problems.extend(Problem(r.file, r.line, f"rule '{r.id}' is flagged for review: {r.review}; until the "
                                "flag is removed its plain answer is not shown", "warning", "review")
                        for r in kb.rules if r.review)
        problems.extend(Problem(r.file, r.line, f"rule '{r.id}': the plain answer opens with "
                                f"\"{_YES_NO.match(r.plain).group().strip()}\", which is wrong when the question is "
                                "put the other way round; write it as a statement", "warning", "yes_no")
                        for r in kb.rules if r.plain and _YES_NO.match(r.plain))
        problems.extend(Problem(c.file, c.line, f"off-topic question \"{c.question}\" may be answered by rule "
                                f"'{c.rule_id}' now: if so, delete it from the off-topic list, or it keeps being "
                                "declined", "warning", "off_topic_answered")
                        for c in answered_off_topic(directory, kb))
    problems.sort(key=lambda p: p.severity != "error")
    return kb, problems


def policy_line(kb: KnowledgeBase, policy: Policy, problems: list[Problem] = ()) -> str:
    """One line per policy for `check` and `policies`: its size, what is still to do, its warnings."""
    rules = list(kb.rules_of(policy.id))
    plain = sum(1 for r in rules if r.plain)
    examples = sum(1 for r in rules if r.examples)
    review = sum(1 for r in rules if r.review)
    files = {policy.source, *(r.file for r in rules)}
    warnings = sum(1 for p in problems if p.severity == "warning" and p.file in files)
    line = (f"{policy.id}: {policy.title}: {len(rules)} rules, {plain} with a plain answer, {examples} with "
            f"example questions, {review} flagged for review; last reviewed {policy.reviewed_label}")
    return line + (f"; {count_of(warnings, 'warning')}" if problems else "")


def check_with(directory: Path, files: dict[str, str]) -> tuple[KnowledgeBase | None, list[Problem]]:
    """`check` of the knowledge as it would be with these files (name → text) written into it, tried
    in a scratch copy so nothing in `directory` changes; problems name the files of `directory`."""
    with tempfile.TemporaryDirectory(prefix="check-") as tmp:
        scratch = Path(tmp) / "knowledge"
        shutil.copytree(directory, scratch, ignore=lambda d, names: [n for n in names if (Path(d) / n).is_dir()])
        for name, text in files.items():
            (scratch / name).write_text(text, encoding="utf-8")
        kb, problems = check(scratch)
    return kb, [dataclasses.replace(p, file=directory / p.file.relative_to(scratch))
                if p.file.is_relative_to(scratch) else p for p in problems]
