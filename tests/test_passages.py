"""Passages: rules written together in one paragraph or bullet are quoted together."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from assistant.passages import MAX_PASSAGE_CHARS, passages
from assistant.policy import Policy, Rule


def policy(text: str) -> Policy:
    return Policy("p", "P", Path("p.txt"), text, Path("p.yaml"), None, (), ())


def rule(rule_id: str, text: str, **extra) -> Rule:
    return Rule(rule_id, "p", "S", text, ("everyone",), **extra)


def test_sentences_of_one_bullet_or_paragraph_are_one_passage():
    source = ("· First rule here. Second rule here.\n· Third rule alone.\n\n"
              "A paragraph opens. It goes on\nover a line break.\n\nA last one.")
    rules = [rule("a", "First rule here."), rule("b", "Second rule here."), rule("c", "Third rule alone."),
             rule("d", "A paragraph opens."), rule("e", "It goes on over a line break."), rule("f", "A last one.")]
    found = passages({"p": policy(source)}, rules)
    assert found == {"a": ("a", "b"), "b": ("a", "b"), "d": ("d", "e"), "e": ("d", "e")}


def test_a_staff_only_rule_is_never_quoted_beside_one_for_everyone():
    source = "Parents sign in at the door. Staff check the register against the signing-in book."
    rules = [rule("a", "Parents sign in at the door."),
             rule("b", "Staff check the register against the signing-in book.", internal=True)]
    assert passages({"p": policy(source)}, rules) == {}


def test_a_long_paragraph_is_quoted_a_rule_at_a_time():
    sentence = "This sentence is one of a very long paragraph of the policy. "
    count = MAX_PASSAGE_CHARS // len(sentence) + 2
    source = "".join(f"{sentence[:-2]} {n}. " for n in range(count))
    rules = [rule(f"r{n}", f"{sentence[:-2]} {n}.") for n in range(count)]
    assert passages({"p": policy(source)}, rules) == {}


def test_the_seeds_photo_bullet_is_one_passage(kb):
    bullet = ("sm-photos-not-shared", "sm-own-child-only", "sm-breaches-removed")
    assert all(kb.passages[i] == bullet for i in bullet)
    text = kb.passage_text(kb.rule("sm-own-child-only"))
    assert text.startswith("Should parents and visitors") and text.endswith("these photos are removed.")
    changed = dataclasses.replace(kb.rule("sm-own-child-only"), text="Reworded.")
    assert "Reworded." in kb.passage_text(changed)  # the rule given, not the one loaded
