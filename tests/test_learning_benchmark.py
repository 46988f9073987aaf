"""benchmarks/learning.py on a small set: parents' picks, accepted, answer the next parents' questions."""
from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

POLICY = """# Collection of children

Children will only be released to adults named on the registration form as authorised to collect them.
Anyone under the age of 16 may not collect a child from the setting.
A late collection fee of £5 is charged for every 15 minutes after the end of the session.
"""


def test_picks_accepted_from_the_first_half_are_examples_the_second_half_finds(tmp_path, repo_config, fake_embedder):
    from learning import replay

    policy = tmp_path / "collection.md"
    policy.write_text(POLICY, encoding="utf-8")
    young = ["under the age of 16"]
    items = [  # alternate questions form the halves: the first half's picks teach the second
        {"q": "can my teenage son collect his sister", "scope": "in", "expect": young},
        {"q": "is my teenage lad ok to fetch his sister", "scope": "in", "expect": young},
        {"q": "how much do you charge if im late picking up", "scope": "in", "expect": ["late collection fee"]},
        {"q": "what do you charge if im running behind", "scope": "in", "expect": ["late collection fee"]},
    ]
    (tmp_path / "empty").mkdir()
    # The fake embedder's word overlap sits lower than a real model's similarity: a threshold to match.
    config = dataclasses.replace(repo_config, knowledge_dir=tmp_path / "empty",
                                 retrieval=dataclasses.replace(repo_config.retrieval, answer_threshold=0.3,
                                                                  sure_lead=0.05, sure_lead_curated=0.05))
    result = replay(config, items, [policy], tmp_path / "scratch", lambda config, kb: fake_embedder)
    assert result["accepted"] == 2 and result["asked"] == 2
    assert float(result["after"]["hit@1"]) > float(result["before"]["hit@1"])
    written = (tmp_path / "scratch" / "knowledge" / "collection.yaml").read_text(encoding="utf-8")
    assert "can my teenage son collect his sister" in written
