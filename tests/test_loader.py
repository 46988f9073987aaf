"""The knowledge promise: strict schema, and every quoted rule word for word in its source."""
import re
from pathlib import Path

import pytest

from assistant.checker import check
from assistant.errors import KnowledgeError
from assistant.loader import load_knowledge
from assistant.text import collapse_ws

ROOT = Path(__file__).resolve().parents[1]


def test_every_shipped_knowledge_file_passes_check_with_no_warnings_about_coverage():
    kb, problems = check(ROOT / "knowledge")
    assert kb is not None
    assert [p for p in problems if p.severity == "error"] == []
    assert [str(p) for p in problems if "not covered" in p.message] == []
    assert [str(p) for p in problems if "no plain answer" in p.message] == []


def test_every_rule_is_verbatim_in_its_source_and_the_source_is_the_seed(kb):
    seed = Path("/work/shared/seed/000_ad7afa75bfe91939.txt")
    source = kb.policies["social-media"].source_text
    if seed.exists():
        assert source == seed.read_text(encoding="utf-8")
    for rule in kb.rules:
        assert rule.text in collapse_ws(source), rule.id
    assert "’" in kb.rule("sm-own-child-only").text  # curly apostrophes stay curly


def test_rules_are_complete_for_people(kb):
    for rule in kb.rules:
        assert rule.plain, rule.id
        assert len(rule.examples) >= 5, rule.id
        assert rule.audience, rule.id
    assert kb.contact_routes[0] == "email"
    assert len(kb.off_topic) >= 20


def edit(knowledge: Path, old: str, new: str) -> None:
    path = knowledge / "social_media.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(knowledge: Path, needle: str) -> int:
    lines = (knowledge / "social_media.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def problems_of(knowledge: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge)
    return [str(p) for p in caught.value.problems]


def test_reworded_rule_is_rejected_with_file_and_line(knowledge_copy):
    edit(knowledge_copy, "is not permitted within the pre-school hall", "is not allowed within the pre-school hall")
    line = line_of(knowledge_copy, "is not allowed within")
    [problem] = problems_of(knowledge_copy)
    assert f"social_media.yaml:{line}:" in problem
    assert "sm-no-mobile-phones" in problem and "word for word" in problem


def test_straightened_apostrophe_gets_a_precise_hint(knowledge_copy):
    edit(knowledge_copy, "only include the parent’s child", "only include the parent's child")
    [problem] = problems_of(knowledge_copy)
    assert "apostrophes" in problem


def test_whitespace_differences_are_allowed(knowledge_copy):
    edit(knowledge_copy, "The use of mobile phones is not permitted",
         "The use of   mobile phones\\n is not permitted")
    assert load_knowledge(knowledge_copy).rule("sm-no-mobile-phones")


def test_unknown_and_missing_keys_and_duplicate_ids(knowledge_copy):
    edit(knowledge_copy, "  - id: sm-facebook-page\n", "  - id: sm-facebook-page\n    audiense: [parents]\n")
    edit(knowledge_copy, "  - id: sm-children-no-email\n", "  - id: sm-no-mobile-phones\n")
    edit(knowledge_copy, "    section: Social Media\n    audience: [everyone]\n", "    audience: [everyone]\n")
    problems = "\n".join(problems_of(knowledge_copy))
    assert f":{line_of(knowledge_copy, 'audiense')}: error: unknown key 'audiense'" in problems
    assert "duplicate rule id 'sm-no-mobile-phones'" in problems
    assert "missing key 'section' in rule 'sm-partnership'" in problems


def test_malformed_yaml_names_file_and_line(knowledge_copy):
    edit(knowledge_copy, "  - id: sm-scope\n", "  - id: sm-scope\n    text: [unclosed\n")
    [problem] = problems_of(knowledge_copy)
    line = line_of(knowledge_copy, "text: [unclosed")
    assert f"social_media.yaml:{line}: error: a [ or {{ here starts a list that never closes" in problem


def test_a_colon_in_a_plain_answer_is_explained_on_its_line(knowledge_copy):
    old = [line for line in (knowledge_copy / "social_media.yaml").read_text(encoding="utf-8").splitlines()
           if line.startswith("    plain: ")][0]
    edit(knowledge_copy, old, "    plain: Yes: at least every two hours")
    [problem] = problems_of(knowledge_copy)
    line = line_of(knowledge_copy, "plain: Yes: at least")
    assert problem.endswith(f"social_media.yaml:{line}: error: a colon inside a value needs quotes: write "
                            'plain: "Yes: at least every two hours"')


def test_duplicate_yaml_key_is_an_error(knowledge_copy):
    edit(knowledge_copy, "  - id: sm-scope\n", "  - id: sm-scope\n    id: sm-scope-again\n")
    assert "duplicate key 'id'" in problems_of(knowledge_copy)[0]


def test_unknown_audience_and_section(knowledge_copy):
    edit(knowledge_copy, "audience: [parents, committee]", "audience: [grandmas]")
    edit(knowledge_copy, "section: Social Media\n", "section: Social Mediaa\n")
    problems = "\n".join(problems_of(knowledge_copy))
    assert "unknown audience 'grandmas'" in problems
    assert "section 'Social Mediaa' is not listed" in problems


def test_missing_source_document(knowledge_copy):
    (knowledge_copy / "social_media.txt").unlink()
    assert "cannot be read" in problems_of(knowledge_copy)[0]


@pytest.mark.parametrize("source", ["../../../../etc/hostname", "/etc/hostname", "../outside.txt"])
def test_a_source_outside_the_knowledge_folder_is_refused(knowledge_copy, source):
    (knowledge_copy.parent / "outside.txt").write_text("Secret words.\n", encoding="utf-8")
    rules = knowledge_copy / "social_media.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("  source: social_media.txt", f"  source: {source}", 1), encoding="utf-8")
    [problem] = problems_of(knowledge_copy)
    assert "outside the knowledge folder" in problem and "social_media.yaml:" in problem


def test_check_reports_uncovered_source_sentence_with_its_line(knowledge_copy):
    text = (knowledge_copy / "social_media.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: sm-children-no-email")
    end = text.index("  - id: sm-policy-shared-with-parents")
    (knowledge_copy / "social_media.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    kb, problems = check(knowledge_copy)
    uncovered = [p for p in problems if "not covered" in p.message]
    assert len(uncovered) == 1
    assert uncovered[0].line == 8 and "Children will not have access to email" in uncovered[0].message


def test_check_warns_about_rules_without_plain_answer(knowledge_copy):
    edit(knowledge_copy, "    plain:", "    # plain:")
    kb, problems = check(knowledge_copy)
    assert kb is not None
    assert sum("no plain answer" in p.message for p in problems) == 1


def test_text_cut_mid_word_is_not_verbatim(knowledge_copy):
    edit(knowledge_copy, '"The use of mobile phones is not permitted within the pre-school hall, toilets or garden."',
         '"hones is not permitted within the pre"')
    [problem] = problems_of(knowledge_copy)
    assert "sm-no-mobile-phones" in problem and "word for word" in problem


def test_knowledge_without_rules_is_an_error(tmp_path):
    (tmp_path / "p.txt").write_text("Something.\n", encoding="utf-8")
    (tmp_path / "p.yaml").write_text("policy:\n  id: p\n  title: P\n  source: p.txt\nrules: []\n", encoding="utf-8")
    assert "no rules in any policy file" in problems_of(tmp_path)[0]


def test_blank_synonym_is_an_error(knowledge_copy):
    path = knowledge_copy / "synonyms.yaml"
    path.write_text(path.read_text(encoding="utf-8") + '  "": photo\n', encoding="utf-8")
    assert "synonym '' must map a word" in problems_of(knowledge_copy)[0]


def test_check_counts_what_a_policy_still_needs_once_per_policy(knowledge_copy):
    from assistant.checker import GUESSED

    edit(knowledge_copy, "    plain:", "    # plain:")
    text = (knowledge_copy / "social_media.yaml").read_text(encoding="utf-8")
    first_audience = text.index("    audience:")
    end = text.index("\n", first_audience)
    text = text[:end] + f"  {GUESSED}" + text[end:]
    (knowledge_copy / "social_media.yaml").write_text(text, encoding="utf-8")
    kb, problems = check(knowledge_copy)
    codes = [p.code for p in problems]
    assert codes.count("no_plain") == 1 and codes.count("guessed_audience") == 1
    assert codes.count("no_review_date") == 1  # the seed's date is not recorded
    edit(knowledge_copy, "  last_reviewed: null", "  last_reviewed: 2026-09-01")
    assert "no_review_date" not in [p.code for p in check(knowledge_copy)[1]]
    [guessed] = [p for p in problems if p.code == "guessed_audience"]
    assert guessed.line == text[:first_audience].count("\n") + 1 and "1 rules of 'social-media'" in guessed.message


def test_check_warns_when_a_rule_may_answer_a_knowledge_wide_off_topic_question(knowledge_copy):
    (knowledge_copy / "off_topic.yaml").write_text(
        "off_topic:\n  - how much are the fees\n  - can I post nativity photos on facebook\n", encoding="utf-8")
    kb, problems = check(knowledge_copy)
    [found] = [p for p in problems if p.code == "off_topic_answered"]
    assert found.line == 3 and "nativity photos" in found.message and found.severity == "warning"
