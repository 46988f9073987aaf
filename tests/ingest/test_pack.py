"""A whole policy pack at once: a folder (or several files) ingested with a line per policy and a
total; a bad file refused in one line while the others go in; a 30-policy pack loads and answers."""
from __future__ import annotations

import dataclasses

from assistant.checker import check
from assistant.engine import Engine
from benchmarks.pack import write_pack
from tests.ingest.conftest import FIXTURES, knowledge_hash


def test_a_folder_goes_in_and_a_bad_file_is_refused_in_one_line(tmp_path, knowledge_copy, run_cli):
    pack = tmp_path / "pack"
    pack.mkdir()
    for name in ("illness_exclusion.md", "lunch_snacks.txt"):
        (pack / name).write_bytes((FIXTURES / name).read_bytes())
    (pack / "minutes.docx").write_bytes(b"not a word file")
    (pack / "~$lunch_snacks.docx").write_bytes(b"Word's lock file")  # skipped, like hidden files
    (pack / "notes.xlsx").write_bytes(b"not a policy")  # not a supported type: not looked at
    code, out, err = run_cli("ingest", str(pack), "--reviewed", "2026-09-01")
    lines = out.splitlines()
    assert code == 1  # something was refused: a script notices
    assert [line.split(":")[0] for line in lines if not line.startswith(" ")][:3] == ["new", "new", "refused"]
    assert any(line.startswith("refused: minutes.docx: ") for line in lines) and "~$" not in out
    assert "2 of 3 files ingested (2 new, 0 already known)" in out and "1 refused, nothing of them written" in out
    kb, problems = check(knowledge_copy)
    assert {"illness-exclusion", "lunch-snacks", "social-media"} <= set(kb.policies)
    assert not [p for p in problems if p.severity == "error"]


def test_several_files_and_a_dry_run(tmp_path, knowledge_copy, run_cli):
    before = knowledge_hash(knowledge_copy)
    files = [str(FIXTURES / "illness_exclusion.md"), str(FIXTURES / "lunch_snacks.txt")]
    code, out, _ = run_cli("ingest", *files, "--dry-run")
    assert code == 0 and "2 of 2 files ingested" in out and "Dry run: nothing written." in out
    assert knowledge_hash(knowledge_copy) == before
    code, _, err = run_cli("ingest", *files, "--id", "one-policy")
    assert code == 1 and "--id and --title name one policy" in err and knowledge_hash(knowledge_copy) == before


def test_a_pack_of_thirty_policies_loads_and_answers(tmp_path, knowledge_copy, scratch_config, real_embedder,
                                                     run_cli):
    write_pack(tmp_path / "pack", 30)
    code, out, _ = run_cli("ingest", str(tmp_path / "pack"))
    assert code == 0 and "30 of 30 files ingested (30 new, 0 already known)" in out
    engine = Engine.build(dataclasses.replace(scratch_config), real_embedder)
    assert len(engine.kb.policies) == 31
    answer = engine.ask("who do I talk to if I disagree with a sun safety decision?")
    assert answer.answered and "sun safety" in answer.rules[0].text.lower()
