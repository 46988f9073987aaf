"""`eval`: how well the engine answers a labelled question set (hit@1, hit@3, answered, declined)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assistant.config import AUDIENCES
from assistant.engine import Engine
from assistant.errors import KnowledgeError, Problem
from assistant.yaml_lines import LineDict, read_yaml


@dataclass(frozen=True)
class LabelledQuestion:
    """A question with the rules that correctly answer it (none: out of scope)."""

    text: str
    expected: tuple[str, ...]
    audience: str = "parents"

    @property
    def in_scope(self) -> bool:
        return bool(self.expected)


@dataclass(frozen=True)
class Miss:
    question: LabelledQuestion
    got: str  # the rule answered, "declined" or "choose: a / b"


@dataclass
class EvalReport:
    in_scope: int = 0
    out_of_scope: int = 0
    hit1: int = 0
    hit3: int = 0
    answered: int = 0
    declined: int = 0
    misses: list[Miss] = field(default_factory=list)

    def rate(self, count: int, total: int) -> float:
        return count / total if total else 0.0

    def lines(self) -> list[str]:
        n, m = self.in_scope, self.out_of_scope
        return [
            f"questions: {n} in scope, {m} out of scope",
            f"hit@1 (in scope, answered with a correct top rule): {self.rate(self.hit1, n):.3f} ({self.hit1}/{n})",
            f"hit@3 (in scope, a correct rule among the top 3):   {self.rate(self.hit3, n):.3f} ({self.hit3}/{n})",
            f"answered rate in scope:                            {self.rate(self.answered, n):.3f} ({self.answered}/{n})",
            f"declined rate out of scope:                        {self.rate(self.declined, m):.3f} ({self.declined}/{m})",
        ]


def load_questions(path: Path, known_rules: set[str]) -> list[LabelledQuestion]:
    """Read a question set; unknown rule ids or audiences are errors naming the line."""
    data = read_yaml(path)
    items = data.get("questions") if isinstance(data, LineDict) else None
    if not isinstance(items, list):
        raise KnowledgeError([Problem(path, 1, "expected a 'questions' list")])
    problems, questions = [], []
    for item in items:
        line = getattr(item, "line", None)
        if not isinstance(item, LineDict) or not isinstance(item.get("q"), str):
            problems.append(Problem(path, line, "each question needs 'q' text"))
            continue
        expected = tuple(item.get("expected") or ())
        audience = item.get("as", "parents")
        unknown = [r for r in expected if r not in known_rules]
        if unknown:
            problems.append(Problem(path, line, f"unknown rule ids: {', '.join(map(str, unknown))}"))
        if audience not in AUDIENCES:
            problems.append(Problem(path, line, f"unknown audience '{audience}'"))
        questions.append(LabelledQuestion(item["q"], expected, audience))
    if problems:
        raise KnowledgeError(problems)
    return questions


def evaluate(engine: Engine, questions: list[LabelledQuestion]) -> EvalReport:
    """Ask every question as its asker would and score the replies."""
    report = EvalReport()
    for question in questions:
        answer, ranking = engine.ask_ranked(question.text, question.audience)
        if not question.in_scope:
            report.out_of_scope += 1
            if answer.answered:
                report.misses.append(Miss(question, f"answered with {answer.rules[0].id}"))
            else:
                report.declined += 1
            continue
        report.in_scope += 1
        ranked = ranking.matches[:3] if ranking else []
        report.hit3 += any(m.rule.id in question.expected for m in ranked)
        if not answer.answered:
            report.misses.append(Miss(question, "declined"))
            continue
        report.answered += 1
        if answer.rules[0].id in question.expected:
            report.hit1 += 1
        else:
            shown = " / ".join(r.id for r in answer.rules) if answer.kind == "choose" else answer.rules[0].id
            report.misses.append(Miss(question, f"{answer.kind}: {shown}"))
    return report
