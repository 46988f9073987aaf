"""The command line, run in-process on the real model with a scratch index folder."""
import io
import json
from pathlib import Path

import pytest

from assistant import __version__
from assistant.cli import main
from assistant.render import answer_text
from assistant.text import collapse_ws

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def config_file(tmp_path: Path, data_dir: Path, index_copy: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(f"knowledge_dir: {ROOT / 'knowledge'}\nindex_dir: {index_copy}\n"
                    f"data_dir: {data_dir}\n", encoding="utf-8")
    return path


def test_ask_prints_plain_answer_quote_and_source(config_file, capsys):
    assert main(["--config", str(config_file), "ask", "can I use my phone in the toilets?"]) == 0
    out = capsys.readouterr().out
    assert "> The use of mobile phones is not permitted within the pre-school hall, toilets or garden." in out
    assert "Social media procedures" in out and "**" not in out


def test_ask_json_streams_one_object_per_stdin_line_in_order(config_file, capsys, monkeypatch):
    lines = ["can i post pics of my kid on fb", "", "how much are the fees?", "@everyone phones in the garden?"]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["--config", str(config_file), "ask", "--json"]) == 0
    replies = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["question"] for r in replies] == [line.strip() for line in lines]
    for reply in replies:
        assert {"question", "answered", "plain", "message", "matches"} <= set(reply)
        assert isinstance(reply["answered"], bool)
    assert replies[0]["answered"] and replies[0]["matches"][0]["policy"] == "Social media procedures"
    assert set(replies[0]["matches"][0]) == {"id", "policy", "section", "text", "rule_text", "score"}
    assert not replies[1]["answered"] and not replies[2]["answered"]
    assert replies[3]["matches"][0]["id"] == "sm-no-mobile-phones"


def test_a_line_that_is_not_utf8_spoils_no_answer_of_the_batch(config_file, capsys, monkeypatch):
    raw = b"can I post photos on fb?\ncan I post photos \xff on fb?\nis there a preschool facebook page?\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8", errors="surrogateescape"))
    assert main(["--config", str(config_file), "ask", "--json"]) == 0
    replies = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(replies) == 3 and all(r["answered"] for r in replies)
    assert replies[1]["question"] == "can I post photos \u00ff on fb?"


def test_a_question_argument_with_a_bad_byte_is_answered(config_file, capsys):
    question = b"can I post photos \xff on fb?".decode("utf-8", errors="surrogateescape")  # how argv holds it
    assert main(["--config", str(config_file), "ask", "--json", question]) == 0
    assert json.loads(capsys.readouterr().out)["answered"]


def test_ask_json_with_a_question_prints_one_object(config_file, capsys):
    assert main(["--config", str(config_file), "ask", "--json", "--as", "staff", "can I post photos?"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    reply = json.loads(line)
    assert reply["answered"] and reply["kind"] in ("answer", "choose")
    assert "sm-staff-no-posting" in [m["id"] for m in reply["matches"][:3]]


def test_check_passes_on_shipped_knowledge(config_file, capsys):
    assert main(["--config", str(config_file), "check"]) == 0
    assert "0 errors" in capsys.readouterr().out


def test_check_fails_with_file_and_line(tmp_path, capsys):
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "p.txt").write_text("Only this.\n", encoding="utf-8")
    (knowledge / "p.yaml").write_text("policy:\n  id: p\n  title: P\n  source: p.txt\nrules:\n"
                                      "  - id: r\n    section: s\n    audience: [everyone]\n"
                                      "    text: Not this.\n", encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge_dir: {knowledge}\n", encoding="utf-8")
    assert main(["--config", str(config), "check"]) == 1
    assert "p.yaml:9: error: rule 'r': text does not appear word for word" in capsys.readouterr().out


def test_bad_config_is_one_line_error(tmp_path, capsys):
    config = tmp_path / "config.yaml"
    config.write_text("colour: blue\n", encoding="utf-8")
    assert main(["--config", str(config), "check"]) == 1
    assert capsys.readouterr().err.strip() == "error: unknown config key 'colour'"


def test_eval_prints_the_figures_and_passes_above_a_floor(config_file, capsys):
    questions = str(ROOT / "eval" / "questions.yaml")
    assert main(["--config", str(config_file), "eval", "--questions", questions, "--min-hit1", "0.5"]) == 0
    out = capsys.readouterr().out
    for label in ("hit@1", "hit@3", "answered rate in scope", "declined rate out of scope"):
        assert label in out


def test_version(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0 and capsys.readouterr().out.strip() == f"policy-assistant {__version__}"


def test_answers_wrap_to_the_terminal_at_word_boundaries(engine):
    answer = engine.ask("can I use my phone in the toilets?")
    wrapped = answer_text(answer, 40)
    assert all(len(line) <= 40 for line in wrapped.splitlines())
    assert collapse_ws(wrapped.replace("\n> ", " ")) == collapse_ws(answer_text(answer).replace("\n> ", " "))
    assert "> The use of mobile phones is not" in wrapped  # quoted lines stay quoted


def test_eval_exits_1_below_a_floor(config_file, capsys, tmp_path):
    mislabelled = tmp_path / "questions.yaml"  # the right rule is the phones one: hit@1 is 0
    mislabelled.write_text('questions:\n  - q: "can I use my phone in the toilets?"\n    expected: [sm-scope]\n',
                           encoding="utf-8")
    assert main(["--config", str(config_file), "eval", "--questions", str(mislabelled), "--min-hit1", "0.5"]) == 1
    assert "hit@1" in capsys.readouterr().err


def test_the_config_is_found_from_anywhere_through_the_environment(config_file, tmp_path, monkeypatch, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv("POLICY_ASSISTANT_CONFIG", raising=False)
    assert main(["check"]) == 1
    assert "POLICY_ASSISTANT_CONFIG" in capsys.readouterr().err
    monkeypatch.setenv("POLICY_ASSISTANT_CONFIG", str(config_file))
    assert main(["check"]) == 0


def test_ctrl_c_while_the_model_loads_exits_quietly(config_file, monkeypatch, capsys):
    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr("assistant.engine.Engine.build", interrupted)
    assert main(["--config", str(config_file), "ask", "phones?"]) == 130
    assert "Traceback" not in capsys.readouterr().err


def test_chat_offers_numbered_rules_when_unsure_and_a_number_shows_one_in_full(config_file, capsys, monkeypatch):
    typed = iter(["can I post photos?", "2", ""])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(typed))
    assert main(["--config", str(config_file), "chat", "--as", "staff"]) == 0
    out = capsys.readouterr().out
    offered, _, shown = out.partition("(type 1 to")
    assert "not sure which rule answers that" in offered and "1. " in offered and "2. " in offered
    assert "None of these?" in offered
    second = offered.split("\n2. ", 1)[1].split("\n", 1)[0].rstrip("…")
    assert second[:30] in shown and "last reviewed" in shown  # that rule alone, in full
