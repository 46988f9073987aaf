"""`check` validates the quiz items in the knowledge files, naming file and line."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.cli import main
from assistant.loader import load_knowledge

FRIEND = '      - question: "A parent sends you a friend request on Facebook. What do you do?"\n'
FRIEND_ANSWER = "        answer: \"Don't accept it: staff aren't permitted to engage with parents on social media.\"\n"
SEE_ALSO = "        see_also: [sm-professional-boundaries]\n"


@pytest.fixture
def config_file(tmp_path: Path, knowledge_copy: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(f"knowledge_dir: {knowledge_copy}\nindex_dir: {tmp_path / 'embeddings'}\n"
                    f"data_dir: {tmp_path / 'data'}\n", encoding="utf-8")
    return path


def edit(path: Path, old: str, new: str) -> int:
    """Replace `old` (once) and return the 1-based line where the replacement starts."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


def check(config_file: Path, capsys) -> tuple[int, str]:
    code = main(["--config", str(config_file), "check"])
    return code, capsys.readouterr().out


def test_shipped_quiz_passes_check_and_covers_every_rule_staff_committee_or_visitors_follow(config_file, capsys):
    code, out = check(config_file, capsys)
    assert code == 0 and " 0 errors" in out
    kb = load_knowledge(config_file.parent / "knowledge")
    inducted = [r for r in kb.rules if set(r.audience) & {"staff", "committee", "visitors", "everyone"}]
    assert inducted and all(r.quiz for r in inducted)
    for rule in kb.rules:
        for item in rule.quiz:
            assert item.rule_id == rule.id and 3 <= len(item.options) <= 4
            assert item.options.count(item.correct) == 1
    answers = [item.answer for rule in kb.rules for item in rule.quiz]
    assert len(set(answers)) > 1, "the correct option should not always sit in the same place"


def test_two_correct_options(config_file, knowledge_copy, capsys):
    yaml = knowledge_copy / "social_media.yaml"
    line = edit(yaml, FRIEND_ANSWER, "        answer:\n          - \"Don't accept it: staff aren't permitted to "
                "engage with parents on social media.\"\n          - \"Accept it, but don't message them.\"\n")
    code, out = check(config_file, capsys)
    assert code == 1
    assert f"{yaml}:{line}: error: quiz item of rule 'sm-staff-not-on-parents-social': 'answer' must name " \
           "exactly one correct option, not 2" in out


def test_answer_that_is_not_an_option(config_file, knowledge_copy, capsys):
    yaml = knowledge_copy / "social_media.yaml"
    line = edit(yaml, FRIEND_ANSWER, "        answer: \"Block them.\"\n")
    code, out = check(config_file, capsys)
    assert code == 1 and f"{yaml}:{line}: error:" in out and "'answer' is not one of the options" in out


def test_the_same_option_twice(config_file, knowledge_copy, capsys):
    yaml = knowledge_copy / "social_media.yaml"
    edit(yaml, '          - "Accept it, but never post about the pre-school."\n',
         '          - "Accept it, but don\'t message them."\n')
    options_line = edit(yaml, FRIEND, FRIEND) + 1
    code, out = check(config_file, capsys)
    assert code == 1
    assert (f"{yaml}:{options_line}: error: quiz item of rule 'sm-staff-not-on-parents-social': option "
            "'accept it, but don't message them.' is listed more than once") in out


def test_unknown_rule_in_see_also(config_file, knowledge_copy, capsys):
    yaml = knowledge_copy / "social_media.yaml"
    edit(yaml, SEE_ALSO, "        see_also: [sm-no-such-rule]\n")
    item_line = edit(yaml, FRIEND, FRIEND)
    code, out = check(config_file, capsys)
    assert code == 1
    assert (f"{yaml}:{item_line}: error: quiz item of rule 'sm-staff-not-on-parents-social': see_also names "
            "unknown rule 'sm-no-such-rule'") in out


def test_duplicate_question(config_file, knowledge_copy, capsys):
    yaml = knowledge_copy / "social_media.yaml"
    first = edit(yaml, FRIEND, FRIEND)
    duplicate = edit(yaml, '      - question: "A dad from pre-school comments on one of your TikTok videos. '
                           'Should you reply?"\n',
                     '      - question: "A parent sends you a  friend request on Facebook. What do you do?"\n')
    code, out = check(config_file, capsys)
    assert code == 1
    assert f"{yaml}:{duplicate}: error: duplicate quiz question" in out and f"social_media.yaml:{first})" in out


def test_missing_keys_and_too_few_options(config_file, knowledge_copy, capsys):
    yaml = knowledge_copy / "social_media.yaml"
    text = yaml.read_text(encoding="utf-8")
    start = text.index(FRIEND)
    block = text[start:text.index(SEE_ALSO, start) + len(SEE_ALSO)]
    broken = (FRIEND + "        options: [\"Don't accept it\"]\n        answer: \"Don't accept it\"\n"
              "        hint: \"think\"\n")
    line = edit(yaml, block, broken)
    code, out = check(config_file, capsys)
    assert code == 1
    assert f"{yaml}:{line + 1}: error: quiz item of rule 'sm-staff-not-on-parents-social': give 2 to 5 options" in out
    assert f"{yaml}:{line + 3}: error: unknown key 'hint'" in out
    assert f"{yaml}:{line}: error: missing key 'why'" in out
