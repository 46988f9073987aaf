"""`check`: everything the loader enforces, plus what a person should still look at
(source sentences no rule covers, rules without a plain answer, rules flagged for review)."""
from __future__ import annotations

import dataclasses
import re
import shutil
import tempfile
from pathlib import Path

from assistant.errors import Problem
from assistant.loader import read_knowledge
from assistant.policy import KnowledgeBase, Policy, Rule
from assistant.text import collapse_ws, collapse_ws_with_lines, is_courtesy

_NOT_CONTENT = re.compile(r"[\s·•\-–—*:;,.()]+")
# "No." answers "can I...?" but is wrong for "do I have to...?": a plain answer states the rule.
_YES_NO = re.compile(r"^\s*(?:yes|no|yep|nope|please don'?t|don'?t|of course|sure)\b[.,!:;]?", re.I)
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


def check(directory: Path) -> tuple[KnowledgeBase | None, list[Problem]]:
    """All problems of the knowledge in `directory`, errors first."""
    kb, problems = read_knowledge(directory)
    if kb is not None:
        for policy in kb.policies.values():
            own = list(kb.rules_of(policy.id))
            problems.extend(uncovered(policy, own))
        problems.extend(Problem(r.file, r.line, f"rule '{r.id}' has no plain answer yet; "
                                "the assistant will quote its wording with a neutral lead", "warning", "no_plain")
                        for r in kb.rules if not r.plain)
        problems.extend(Problem(r.file, r.line, f"rule '{r.id}' is flagged for review: {r.review}; until the "
                                "flag is removed its plain answer is not shown", "warning", "review")
                        for r in kb.rules if r.review)
        problems.extend(Problem(r.file, r.line, f"rule '{r.id}': the plain answer opens with "
                                f"\"{_YES_NO.match(r.plain).group().strip()}\", which is wrong when the question is "
                                "put the other way round; write it as a statement", "warning", "yes_no")
                        for r in kb.rules if r.plain and _YES_NO.match(r.plain))
    problems.sort(key=lambda p: p.severity != "error")
    return kb, problems


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
