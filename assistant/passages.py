"""Passages: the rules that come from one paragraph or bullet of a policy's source, in order. An
answer quotes its rule's whole passage, because sentences written together answer a question
together ("Any photographs posted … must only include the parent's child" sits between "we request
that these images are not shared" and "we will ask that these photos are removed")."""
from __future__ import annotations

import re

from assistant.policy import Policy, Rule
from assistant.text import collapse_ws, collapse_ws_with_lines

MAX_PASSAGE_CHARS = 900  # a longer paragraph is quoted a rule at a time: a reply should stay readable


def passages(policies: dict[str, Policy], rules: list[Rule]) -> dict[str, tuple[str, ...]]:
    """Rule id → the ids of its passage (itself included), for every rule that follows or is followed
    by another on the same source line (a paragraph or bullet), when the passage is short enough."""
    found: dict[str, tuple[str, ...]] = {}
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
                spans.append((at, end, lines[at], lines[end], rule))
        spans.sort(key=lambda s: s[0])
        groups: list[list[tuple]] = []
        for span in spans:
            # Same passage: it starts on the line where the previous rule ended, with nothing but
            # spaces between them (a bullet marker or a blank line starts a new one).
            last = groups[-1][-1] if groups else None
            # (and never a staff-only rule beside one for everyone: the passage is quoted to both)
            if (last and span[2] <= last[3] and not re.search(r"\S", flat[last[1] + 1:span[0]])
                    and span[4].internal == last[4].internal):
                groups[-1].append(span)
            else:
                groups.append([span])
        for group in groups:
            ids = tuple(s[4].id for s in group)
            if len(ids) > 1 and sum(len(s[4].text) + 1 for s in group) <= MAX_PASSAGE_CHARS:
                found.update({rule_id: ids for rule_id in ids})
    return found
