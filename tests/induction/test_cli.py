"""`python -m assistant quiz`, `induction report [--csv]` and `induction forget`, run in-process."""
from __future__ import annotations

import csv
import io
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.config import InductionConfig
from assistant.induction.content import pages, policy_version, scopes
from assistant.induction.flow import PAGE_CHARS
from assistant.induction.render import LETTERS
from assistant.loader import load_knowledge


@pytest.fixture
def config_file(tmp_path: Path, knowledge_copy: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(f"knowledge_dir: {knowledge_copy}\nindex_dir: {tmp_path / 'embeddings'}\n"
                    f"data_dir: {tmp_path / 'data'}\ninduction:\n  pass_mark: 0.8\n  rules_per_step: 4\n",
                    encoding="utf-8")
    return path


def terminal_answers(knowledge: Path, role: str, wrong: int = 0) -> list[str]:
    """What a person types: Enter per walk-through page, then letters (the first `wrong` ones wrong)."""
    kb = load_knowledge(knowledge)
    [scope] = scopes(kb, (role,))
    typed = [""] * len(pages(scope.rules, kb, 4, PAGE_CHARS))
    for n, item in enumerate(scope.items):
        typed.append(LETTERS[(item.answer + (1 if n < wrong else 0)) % len(item.options)])
    return typed


def run(config_file: Path, argv: list[str], typed: list[str], monkeypatch, capsys) -> tuple[int, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{line}\n" for line in typed)))
    code = main(["--config", str(config_file), *argv])
    return code, capsys.readouterr().out


def test_quiz_stop_and_resume_then_sign_and_report(config_file, knowledge_copy, tmp_path, monkeypatch, capsys):
    typed = terminal_answers(knowledge_copy, "staff", wrong=1)
    split = len(typed) - 5
    code, out = run(config_file, ["quiz", "--user", "Jo"], typed[:split] + ["q"], monkeypatch, capsys)
    assert code == 0 and "Stopped. Your progress is saved" in out
    assert "> Staff will not discuss individuals or upload photographs" in out and "**" not in out
    assert "Not quite" in out and "Right." in out
    code, out = run(config_file, ["quiz", "--user", "Jo"], typed[split:] + ["yes"], monkeypatch, capsys)
    assert code == 0 and "Question 10 of 14" in out and "Question 1 of" not in out  # resumed where they stopped
    assert "You scored 13 out of 14" in out and "I have read and understood the social media procedures" in out
    assert "Signed:" in out

    code, out = run(config_file, ["induction", "report", "--csv", str(tmp_path / "report.csv")], [],
                    monkeypatch, capsys)
    assert code == 0
    version = policy_version(load_knowledge(knowledge_copy), load_knowledge(knowledge_copy).policies["social-media"])
    assert "Jo (id cli:Jo; staff) — Social media procedures: signed; score 13/14, passed; signed " in out
    assert f"version {version[:8]}" in out
    with (tmp_path / "report.csv").open(encoding="utf-8", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["user_id"] == "cli:Jo" and row["display_name"] == "Jo" and row["state"] == "signed"
    assert (row["score"], row["total"], row["passed"], row["pass_mark"]) == ("13", "14", "yes", "0.8")
    assert row["signed_version"] == row["current_version"] == version
    assert row["signed_at"] and row["refresher_due_rules"] == ""


def test_report_lists_people_in_progress_and_below_the_pass_mark(config_file, knowledge_copy, monkeypatch, capsys):
    run(config_file, ["quiz", "--user", "Ann"], [""], monkeypatch, capsys)  # reads one page, then input ends
    typed = terminal_answers(knowledge_copy, "committee", wrong=5)
    run(config_file, ["quiz", "--user", "Bob", "--as", "committee"], typed + ["q"], monkeypatch, capsys)
    code, out = run(config_file, ["induction", "report"], [], monkeypatch, capsys)
    lines = out.splitlines()
    assert lines[0].startswith("Ann (id cli:Ann; staff) — Social media procedures: induction: reading")
    assert lines[1].startswith("Bob (id cli:Bob; committee) — Social media procedures: induction: below the "
                               "pass mark; score 4/9, not passed")


def test_csv_to_standard_output_is_the_csv_alone(config_file, monkeypatch, capsys):
    run(config_file, ["quiz", "--user", "Ann"], [""], monkeypatch, capsys)
    code, out = run(config_file, ["induction", "report", "--csv", "-"], [], monkeypatch, capsys)
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and row["display_name"] == "Ann"


def test_csv_cells_cannot_become_spreadsheet_formulas(config_file, tmp_path, monkeypatch, capsys):
    run(config_file, ["quiz", "--user", "=HYPERLINK(1)"], ["q"], monkeypatch, capsys)
    run(config_file, ["induction", "report", "--csv", str(tmp_path / "r.csv")], [], monkeypatch, capsys)
    [row] = list(csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8", newline="")))
    assert row["display_name"] == "'=HYPERLINK(1)"


def test_forget_deletes_every_record_of_that_person_only(config_file, knowledge_copy, tmp_path, monkeypatch,
                                                         capsys):
    typed = terminal_answers(knowledge_copy, "staff")
    run(config_file, ["quiz", "--user", "Jo"], typed + ["yes"], monkeypatch, capsys)
    run(config_file, ["quiz", "--user", "Kim"], [""], monkeypatch, capsys)
    code, out = run(config_file, ["induction", "forget", "cli:Jo"], [], monkeypatch, capsys)
    assert code == 0 and "Deleted" in out
    with sqlite3.connect(tmp_path / "data" / "assistant.db") as db:
        for table in ("induction_runs", "induction_signoffs"):
            assert db.execute(f"SELECT COUNT(*) FROM {table} WHERE user_id = 'cli:Jo'").fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM induction_answers").fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM induction_runs WHERE user_id = 'cli:Kim'").fetchone()[0] == 1
    code, out = run(config_file, ["induction", "report"], [], monkeypatch, capsys)
    assert "Jo" not in out and "Kim" in out
    code, out = run(config_file, ["induction", "forget", "cli:Jo"], [], monkeypatch, capsys)
    assert "No induction records" in out


def test_report_with_no_records(config_file, monkeypatch, capsys):
    code, out = run(config_file, ["induction", "report"], [], monkeypatch, capsys)
    assert code == 0 and "No induction records yet." in out


@pytest.mark.parametrize("argv", [["induction", "report"], ["induction", "forget", "cli:Jo"],
                                  ["quiz", "--user", "Jo"]])
def test_a_leader_command_before_the_bot_ever_ran_makes_a_private_database(config_file, tmp_path, monkeypatch,
                                                                           capsys, argv):
    old = os.umask(0o022)  # a usual login umask: files 0644, folders 0755 unless the code says otherwise
    try:
        run(config_file, argv, ["q"], monkeypatch, capsys)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "data" / "assistant.db").stat().st_mode) == 0o600


def test_an_existing_open_database_and_data_folder_are_tightened(config_file, tmp_path, monkeypatch, capsys):
    (tmp_path / "data").mkdir(mode=0o755)
    os.chmod(tmp_path / "data", 0o755)
    sqlite3.connect(tmp_path / "data" / "assistant.db").close()
    os.chmod(tmp_path / "data" / "assistant.db", 0o644)
    code, out = run(config_file, ["induction", "report"], [], monkeypatch, capsys)
    assert code == 0
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "data" / "assistant.db").stat().st_mode) == 0o600


def test_bad_pass_mark_names_the_key(tmp_path, capsys):
    path = tmp_path / "config.yaml"
    path.write_text("induction:\n  pass_mark: 80\n", encoding="utf-8")
    assert main(["--config", str(path), "induction", "report"]) == 1
    assert "config key 'induction.pass_mark' must be a fraction above 0 and at most 1 (write 0.8 for 80%)" in \
        capsys.readouterr().err


@pytest.mark.parametrize("section, key", [("rules_per_step: 0", "induction.rules_per_step"),
                                          ("leader_role_ids: [Leader]", "induction.leader_role_ids"),
                                          ("pass_mark: yes", "induction.pass_mark"),
                                          ("colour: red", "induction.colour")])
def test_other_bad_induction_settings_name_the_key(tmp_path, capsys, section, key):
    path = tmp_path / "config.yaml"
    path.write_text(f"induction:\n  {section}\n", encoding="utf-8")
    assert main(["--config", str(path), "induction", "report"]) == 1
    assert f"'{key}'" in capsys.readouterr().err


def test_induction_settings_are_read(tmp_path):
    from assistant.config import load_config

    path = tmp_path / "config.yaml"
    path.write_text("induction:\n  pass_mark: 0.75\n  leader_role_ids: ['123', 456]\n", encoding="utf-8")
    assert load_config(path).induction == InductionConfig(pass_mark=0.75, leader_role_ids=(123, 456))
