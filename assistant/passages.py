"""Passages: the rules that come from one paragraph or bullet of a policy's source, in order. An
answer quotes its rule's whole passage, because sentences written together answer a question
together ("Any photographs posted … must only include the parent's child" sits between "we request
that these images are not shared" and "we will ask that these photos are removed"). A short section
that nobody has explained yet is one passage of its paragraphs: under a heading such as "Snack time",
"no dried fruit" and "no other foods in the snack box" answer the same questions."""
from __future__ import annotations

import re
from typing import NamedTuple

from assistant.policy import Policy, Rule
from assistant.text import collapse_ws, collapse_ws_with_lines

MAX_PASSAGE_CHARS = 900  # a longer paragraph is quoted a rule at a time: a reply should stay readable
MAX_SECTION_PARAGRAPHS = 4  # a section of more (a table of illnesses) is a list, not one answer
_ITEM_MARK = re.compile(r"(?:^|\s)(?:[·•*-]|\d{1,2}[.)])\s*$")  # a list item's marker just before a rule


class _Span(NamedTuple):
    """Where one rule's wording sits in its policy's whitespace-collapsed source."""

    start: int
    end: int
    first_line: int
    last_line: int
    rule: Rule
    item: bool  # written as a list item (after a bullet or number)


def passages(policies: dict[str, Policy], rules: list[Rule]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Rule id → its passage as the ids of each paragraph (itself included), for every rule that shares
    a paragraph or bullet, or a short unexplained section, with another, when the passage is short enough."""
    found: dict[str, tuple[tuple[str, ...], ...]] = {}
    for policy in policies.values():
        own = [r for r in rules if r.policy_id == policy.id]
        if len(own) < 2:
            continue
        flat, lines = collapse_ws_with_lines(policy.source_text)
        spans = []
        for rule in own:
            at = flat.find(collapse_ws(rule.text))
            if at >= 0:
                end = at + len(collapse_ws(rule.text)) - 1
                spans.append(_Span(at, end, lines[at], lines[end], rule, bool(_ITEM_MARK.search(flat[max(0, at - 8):at]))))
        spans.sort(key=lambda s: s.start)
        groups: list[list[_Span]] = []
        for span in spans:
            # Same passage: it starts on the line where the previous rule ended, with nothing but
            # spaces between them (a bullet marker or a blank line starts a new one).
            last = groups[-1][-1] if groups else None
            # (and never a staff-only rule beside one for everyone: the passage is quoted to both)
            if (last and span.first_line <= last.last_line and not re.search(r"\S", flat[last.end + 1:span.start])
                    and span.rule.internal == last.rule.internal):
                groups[-1].append(span)
            else:
                groups.append([span])
        for passage in _short_sections(groups):
            ids = [s.rule.id for group in passage for s in group]
            if len(ids) > 1 and _chars([s for group in passage for s in group]) <= MAX_PASSAGE_CHARS:
                paragraphs = tuple(tuple(s.rule.id for s in group) for group in passage)
                found.update({rule_id: paragraphs for rule_id in ids})
    return found


def _chars(spans: list[_Span]) -> int:
    """The length of the rules' wording quoted together, a space between each."""
    return sum(len(s.rule.text) + 1 for s in spans)


def _short_sections(groups: list[list[_Span]]) -> list[list[list[_Span]]]:
    """The passages to quote, each as its paragraphs: one paragraph each, except that the paragraphs of
    a short section none of whose rules has a plain answer yet are one passage (once the committee has
    explained a rule, its plain answer speaks and its own paragraph is quote enough)."""
    out: list[list[list[_Span]]] = []
    run: list[list[_Span]] = []

    def flush() -> None:
        spans = [span for group in run for span in group]
        # List items (rows of an illness table) are each their own answer: only prose is joined.
        if (len(run) <= MAX_SECTION_PARAGRAPHS and not any(s.rule.plain or s.item for s in spans)
                and _chars(spans) <= MAX_PASSAGE_CHARS):
            out.append(run)
        else:
            out.extend([group] for group in run)

    for group in groups:
        head, previous = group[0].rule, run[-1][0].rule if run else None
        if previous and (head.section, head.internal) != (previous.section, previous.internal):
            flush()
            run = []
        run.append(group)
    if run:
        flush()
    return out
