"""Passages: rules written together in one paragraph or bullet, or in a short section nobody has
explained yet, are quoted together."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from assistant.passages import MAX_PASSAGE_CHARS, passages
from assistant.policy import Policy, Rule


def policy(text: str) -> Policy:
    return Policy("p", "P", Path("p.txt"), text, Path("p.yaml"), None, (), ())


def rule(rule_id: str, text: str, section: str = "S", **extra) -> Rule:
    return Rule(rule_id, "p", section, text, ("everyone",), **extra)


def test_sentences_of_one_bullet_or_paragraph_are_one_passage():
    source = ("· First rule here. Second rule here.\n· Third rule alone.\n\n"
              "A paragraph opens. It goes on\nover a line break.\n\nA last one.")
    texts = {"a": "First rule here.", "b": "Second rule here.", "c": "Third rule alone.", "d": "A paragraph opens.",
             "e": "It goes on over a line break.", "f": "A last one."}
    rules = [rule(i, text, plain="Explained.") for i, text in texts.items()]
    found = passages({"p": policy(source)}, rules)
    assert found == {"a": (("a", "b"),), "b": (("a", "b"),), "d": (("d", "e"),), "e": (("d", "e"),)}


SNACKS = ("Snack time\n\nPlease send fresh fruit for snack. No dried fruit please.\n\n"
          "Please do not include any other foods.\n\nLunch\n\nWe can heat up food.")


def snack_rules(**extra) -> list[Rule]:
    return [rule("fruit", "Please send fresh fruit for snack.", "Snack time", **extra),
            rule("dried", "No dried fruit please.", "Snack time"),
            rule("other", "Please do not include any other foods.", "Snack time"),
            rule("heat", "We can heat up food.", "Lunch")]


def test_a_short_unexplained_section_is_quoted_whole_paragraph_by_paragraph(kb):
    rules = snack_rules()
    found = passages({"p": policy(SNACKS)}, rules)
    assert found["other"] == found["dried"] == (("fruit", "dried"), ("other",)) and "heat" not in found
    text = dataclasses.replace(kb, policies={"p": policy(SNACKS)}, rules=tuple(rules), passages=found).passage_text(rules[2])
    assert text == "Please send fresh fruit for snack. No dried fruit please.\n\nPlease do not include any other foods."


def test_once_a_rule_of_the_section_is_explained_each_paragraph_is_quoted_alone():
    assert passages({"p": policy(SNACKS)}, snack_rules(plain="Fresh fruit only.")) == \
        {"fruit": (("fruit", "dried"),), "dried": (("fruit", "dried"),)}


def test_a_section_of_many_paragraphs_is_a_list_not_one_passage():
    source = "\n\n".join(f"Illness {n}: stay off for {n} days." for n in range(6))
    rules = [rule(f"r{n}", f"Illness {n}: stay off for {n} days.") for n in range(6)]
    assert passages({"p": policy(source)}, rules) == {}


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
    assert all(kb.passages[i] == (bullet,) for i in bullet)
    text = kb.passage_text(kb.rule("sm-own-child-only"))
    assert text.startswith("Should parents and visitors") and text.endswith("these photos are removed.")
    changed = dataclasses.replace(kb.rule("sm-own-child-only"), text="Reworded.")
    assert "Reworded." in kb.passage_text(changed)  # the rule given, not the one loaded


def test_a_short_list_is_not_joined_into_one_passage():
    source = "Time away\n\n· Sickness bug: 48 hours after the last episode\n· Head lice: once treated"
    rules = [rule("bug", "Sickness bug: 48 hours after the last episode"), rule("lice", "Head lice: once treated")]
    assert passages({"p": policy(source)}, rules) == {}
